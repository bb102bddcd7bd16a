"""Every SQL statement of the weekly skin check: whose skin, each check, and the counts
moderators see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.store.db import POSTGRES, Database, Row

DAY = 86_400


@dataclass(frozen=True)
class Check:
    id: int
    chat_id: int
    about: str  # self or child
    answers: str
    finished_at: int | None
    day: date | None  # the chat's local day it was finished
    score: int | None

    @property
    def finished(self) -> bool:
        return self.finished_at is not None


_COLUMNS = "id, chat_id, about, answers, finished_at, day, score"


def _check(r: Row) -> Check:
    return Check(r["id"], r["chat_id"], r["about"], r["answers"], r["finished_at"],
                 date.fromisoformat(r["day"]) if r["day"] else None, r["score"])


# --- whose skin ------------------------------------------------------------------------------

async def about(db: Database, chat_id: int) -> str | None:
    row = await db.fetchone("SELECT about FROM skin_profiles WHERE chat_id = ?", (chat_id,))
    return row[0] if row else None


async def about_many(db: Database, chat_ids: list[int]) -> dict[int, str | None]:
    """Whose skin for each chat (None when not said): one query for a batch of sends."""
    found: dict[int, str | None] = dict.fromkeys(chat_ids)
    for start in range(0, len(chat_ids), 500):  # under SQLite's bound-parameter limit
        chunk = chat_ids[start:start + 500]
        marks = ",".join("?" for _ in chunk)
        for row in await db.fetchall(
                f"SELECT chat_id, about FROM skin_profiles WHERE chat_id IN ({marks})", chunk):
            found[int(row[0])] = row[1]
    return found


async def set_about(db: Database, chat_id: int, who: str) -> None:
    await db.execute(
        "INSERT INTO skin_profiles (chat_id, about) VALUES (?, ?) "
        "ON CONFLICT (chat_id) DO UPDATE SET about = excluded.about", (chat_id, who))


# --- one check -------------------------------------------------------------------------------

async def start(db: Database, chat_id: int, who: str, answers: str, now: int) -> int:
    """A new check; one left unfinished before goes (its buttons then say they are old)."""
    async with db.transaction() as conn:
        await conn.execute(
            "DELETE FROM skin_checks WHERE chat_id = ? AND finished_at IS NULL", (chat_id,))
        row = await conn.fetchone(
            "INSERT INTO skin_checks (chat_id, about, answers, started_at) VALUES (?, ?, ?, ?) "
            "RETURNING id", (chat_id, who, answers, now))
        return int(row[0]) if row else 0


async def get(db: Database, check_id: int) -> Check | None:
    row = await db.fetchone(f"SELECT {_COLUMNS} FROM skin_checks WHERE id = ?", (check_id,))
    return _check(row) if row else None


async def save_answers(db: Database, check_id: int, answers: str) -> bool:
    """False when the check was finished or erased meanwhile."""
    return await db.execute(
        "UPDATE skin_checks SET answers = ? WHERE id = ? AND finished_at IS NULL",
        (answers, check_id)) == 1


async def finish(db: Database, check_id: int, answers: str, score: int | None, day: date,
                 now: int) -> bool:
    """Close the check with its score; False if it was already closed (a double tap)."""
    return await db.execute(
        "UPDATE skin_checks SET answers = ?, score = ?, day = ?, finished_at = ? "
        "WHERE id = ? AND finished_at IS NULL",
        (answers, score, day.isoformat(), now, check_id)) == 1


# --- a chat's history ------------------------------------------------------------------------

async def finished(db: Database, chat_id: int, since: date | None = None) -> list[Check]:
    """The chat's finished checks, oldest first (from the local day `since` on)."""
    rows = await db.fetchall(
        f"SELECT {_COLUMNS} FROM skin_checks WHERE chat_id = ? AND finished_at IS NOT NULL "
        "AND day >= ? ORDER BY finished_at, id",
        (chat_id, since.isoformat() if since else ""))
    return [_check(r) for r in rows]


async def previous_score(db: Database, chat_id: int, before: int) -> tuple[int, date] | None:
    """The last scored check finished before check `before`: (score, day)."""
    row = await db.fetchone(
        "SELECT score, day FROM skin_checks WHERE chat_id = ? AND finished_at IS NOT NULL "
        "AND score IS NOT NULL AND id != ? ORDER BY finished_at DESC, id DESC LIMIT 1",
        (chat_id, before))
    return (row[0], date.fromisoformat(row[1])) if row else None


async def last_finished_at(db: Database, chat_id: int) -> int | None:
    row = await db.fetchone(
        "SELECT MAX(finished_at) FROM skin_checks WHERE chat_id = ?", (chat_id,))
    return row[0] if row else None


async def for_mydata(db: Database, chat_id: int) -> dict[str, object]:
    """Whose skin, and every finished check: its day, score and seven answers."""
    who = await about(db, chat_id)
    rows = await db.fetchall(
        "SELECT day, score, answers FROM skin_checks WHERE chat_id = ? "
        "AND finished_at IS NOT NULL ORDER BY finished_at, id", (chat_id,))
    return {"about": who, "checks": [{"day": r[0], "score": r[1], "answers": r[2]}
                                     for r in rows]}


# --- the community, for moderators -----------------------------------------------------------

async def community_counts(db: Database, now: int, regular_weeks: int,
                           change_weeks: int) -> tuple[int, int, list[int], list[int]]:
    """People who finished a check in 7 and in 28 days; checks per person over the last
    `regular_weeks` weeks; latest minus first score per person with scored checks in at least
    `change_weeks` different weeks. Counts per person, never who."""
    row = await db.fetchone(
        "SELECT COUNT(DISTINCT chat_id) FILTER (WHERE finished_at >= ?), "
        "COUNT(DISTINCT chat_id) FROM skin_checks WHERE finished_at >= ?",
        (now - 7 * DAY, now - 28 * DAY))
    week, month = (row[0], row[1]) if row else (0, 0)
    per_person = [r[0] for r in await db.fetchall(
        "SELECT COUNT(*) FROM skin_checks WHERE finished_at >= ? GROUP BY chat_id",
        (now - regular_weeks * 7 * DAY,))]
    # Weeks counted from a Monday: the same week number on both engines.
    days = ("(CAST(day AS DATE) - DATE '2000-01-03')" if db.dialect == POSTGRES
            else "(julianday(day) - julianday('2000-01-03'))")
    changes = [r[0] for r in await db.fetchall(
        f"""
        WITH scored AS (
            SELECT chat_id, score,
                   CAST({days} / 7 AS INTEGER) AS week,
                   ROW_NUMBER() OVER (PARTITION BY chat_id ORDER BY finished_at, id) AS first,
                   ROW_NUMBER() OVER (PARTITION BY chat_id ORDER BY finished_at DESC, id DESC)
                       AS latest
            FROM skin_checks WHERE finished_at IS NOT NULL AND score IS NOT NULL
        )
        SELECT SUM(CASE WHEN latest = 1 THEN score ELSE 0 END)
               - SUM(CASE WHEN first = 1 THEN score ELSE 0 END)
        FROM scored GROUP BY chat_id HAVING COUNT(DISTINCT week) >= ?
        """, (change_weeks,))]
    return week, month, per_person, changes
