"""Queries about chats and the cards they have read."""

from __future__ import annotations

from bot.store import outbox
from bot.store.db import Database


async def record_chat(db: Database, chat_id: int, kind: str, language: str | None,
                      now: int) -> str:
    """Remember a chat that used the bot; returns its status, which this leaves as it was
    ('active' for a new chat): one statement, where reading the status first took two trips.

    A chat that had blocked the bot and writes again stays 'blocked' here: the caller resumes
    it (subscriptions.resume), which makes it active and its schedules live. A stopped one
    stays stopped until it says /start.
    """
    row = await db.fetchone(
        """
        INSERT INTO chats (id, kind, language, first_seen, last_seen, status)
        VALUES (?, ?, ?, ?, ?, 'active')
        ON CONFLICT (id) DO UPDATE SET
            kind = excluded.kind,
            language = COALESCE(excluded.language, chats.language),
            last_seen = excluded.last_seen
        RETURNING status
        """,
        (chat_id, kind, language, now, now),
    )
    assert row is not None  # an upsert always returns its row
    return str(row[0])


async def mark_read(db: Database, chat_id: int, card_id: str, now: int) -> None:
    await db.execute(
        """
        INSERT INTO card_views (chat_id, card_id, first_read, last_read, times)
        VALUES (?, ?, ?, ?, 1)
        ON CONFLICT (chat_id, card_id) DO UPDATE SET
            last_read = excluded.last_read, times = card_views.times + 1
        """,
        (chat_id, card_id, now, now),
    )


async def last_read_times(db: Database, chat_id: int) -> dict[str, int]:
    """card id -> when this chat last read it."""
    rows = await db.fetchall(
        "SELECT card_id, last_read FROM card_views WHERE chat_id = ?", (chat_id,)
    )
    return {row["card_id"]: row["last_read"] for row in rows}


async def active_ids(db: Database, chat_ids: set[int]) -> set[int]:
    """Which of these chats still want messages (not stopped, not blocked)."""
    if not chat_ids:
        return set()
    ids = list(chat_ids)
    found: set[int] = set()
    for start in range(0, len(ids), 500):  # stay under SQLite's bound-parameter limit
        chunk = ids[start:start + 500]
        marks = ",".join("?" for _ in chunk)
        rows = await db.fetchall(
            f"SELECT id FROM chats WHERE status = 'active' AND id IN ({marks})", chunk
        )
        found.update(r[0] for r in rows)
    return found


async def unreachable_ids(db: Database, chat_ids: set[int]) -> set[int]:
    """Which of these chats blocked the bot (or are gone): a conversation's messages go to any
    other, a chat the bot has no row for included (the team's supergroup)."""
    if not chat_ids:
        return set()
    ids = sorted(chat_ids)
    found: set[int] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" for _ in chunk)
        rows = await db.fetchall(
            f"SELECT id FROM chats WHERE status = 'blocked' AND id IN ({marks})", chunk)
        found.update(r[0] for r in rows)
    return found


async def mark_unreachable(db: Database, chat_id: int) -> None:
    """The bot was blocked or the chat is gone: no more sends until it writes to us again."""
    async with db.transaction() as conn:
        await conn.execute("UPDATE chats SET status = 'blocked' WHERE id = ?", (chat_id,))
        await conn.execute("UPDATE schedules SET next_due = NULL WHERE chat_id = ?", (chat_id,))
        await conn.execute(
            "UPDATE outbox SET status = 'cancelled', error = 'chat unreachable' "
            f"WHERE chat_id = ? AND {outbox.LIVE} AND status = 'pending'", (chat_id,))


async def rejoined(db: Database, chat_id: int) -> bool:
    """The bot is back in a group or channel that had removed it.

    Its reminders do not restart by themselves: a chat with schedules is stopped until an
    admin resumes them (True: ask one to); one without any is simply active again.
    """
    async with db.transaction() as conn:
        row = await conn.fetchone("SELECT status FROM chats WHERE id = ?", (chat_id,))
        if row is None or row[0] != "blocked":
            return False
        scheduled = await conn.fetchone("SELECT 1 FROM schedules WHERE chat_id = ? LIMIT 1",
                                         (chat_id,)) is not None
        await conn.execute("UPDATE chats SET status = ? WHERE id = ?",
                           ("stopped" if scheduled else "active", chat_id))
    return scheduled


async def migrate_chat(db: Database, old_id: int, new_id: int) -> None:
    """A group became a supergroup: everything stored under the old id moves to the new one.

    When the new id is already known (someone wrote in the supergroup first), the two are
    merged and the old group's settings win: its time zone, topics, habits, pause, status and
    schedules are what the group chose; the new row only fills in what the old one lacks.
    """
    async with db.transaction() as conn:
        old = await conn.fetchone(
            "SELECT language, first_seen, last_seen, status, timezone, paused_until, focus, "
            "habits FROM chats WHERE id = ?", (old_id,))
        exists = await conn.fetchone("SELECT 1 FROM chats WHERE id = ?", (new_id,)) is not None
        if old is not None and exists:
            await conn.execute(
                """
                UPDATE chats SET
                    kind = 'supergroup',
                    language = COALESCE(?, language),
                    first_seen = CASE WHEN first_seen < ? THEN first_seen ELSE ? END,
                    last_seen = CASE WHEN last_seen > ? THEN last_seen ELSE ? END,
                    status = CASE WHEN ? = 'blocked' THEN status ELSE ? END,
                    timezone = COALESCE(?, timezone),
                    paused_until = COALESCE(?, paused_until),
                    focus = CASE WHEN ? != '' THEN ? ELSE focus END,
                    habits = CASE WHEN ? != '' THEN ? ELSE habits END
                WHERE id = ?
                """,
                (old["language"], old["first_seen"], old["first_seen"], old["last_seen"],
                 old["last_seen"], old["status"],
                 old["status"], old["timezone"], old["paused_until"], old["focus"], old["focus"],
                 old["habits"], old["habits"], new_id))
            # The old group's schedules replace the new id's of the same kind.
            await conn.execute(
                "DELETE FROM schedules WHERE chat_id = ? AND kind IN "
                "(SELECT kind FROM schedules WHERE chat_id = ?)", (new_id, old_id))
            # Rows the new id already has win over the old group's for the same card or day
            # (what UPDATE OR IGNORE did on SQLite alone); the old ones go with the old chat.
            await conn.execute(
                "UPDATE card_views SET chat_id = ? WHERE chat_id = ? AND card_id NOT IN "
                "(SELECT card_id FROM card_views WHERE chat_id = ?)", (new_id, old_id, new_id))
            await conn.execute(
                "UPDATE checkins SET chat_id = ? WHERE chat_id = ? AND NOT EXISTS (SELECT 1 "
                "FROM checkins n WHERE n.chat_id = ? AND n.day = checkins.day "
                "AND n.habit = checkins.habit)", (new_id, old_id, new_id))
            await conn.execute("UPDATE schedules SET chat_id = ? WHERE chat_id = ?",
                               (new_id, old_id))
            await conn.execute("DELETE FROM chats WHERE id = ?", (old_id,))
        elif old is not None:
            await conn.execute("UPDATE chats SET id = ?, kind = 'supergroup' WHERE id = ?",
                               (new_id, old_id))
        for part in (outbox.LIVE, outbox.SETTLED):
            await conn.execute(f"UPDATE outbox SET chat_id = ? WHERE chat_id = ? AND {part}",
                               (new_id, old_id))
        # Its answers' 👍/👎 buttons are pressed in the supergroup from now on.
        await conn.execute("UPDATE answer_feedback SET chat_id = ? WHERE chat_id = ?",
                           (new_id, old_id))


async def status(db: Database, chat_id: int) -> str | None:
    row = await db.fetchone("SELECT status FROM chats WHERE id = ?", (chat_id,))
    return row[0] if row else None


async def zone_of(db: Database, chat_id: int) -> str | None:
    """The time zone a chat chose for its reminders, if any: it tells its country."""
    row = await db.fetchone("SELECT timezone FROM chats WHERE id = ?", (chat_id,))
    return row[0] if row and row[0] else None


async def language_of(db: Database, chat_id: int) -> str | None:
    row = await db.fetchone("SELECT language FROM chats WHERE id = ?", (chat_id,))
    return row[0] if row else None


async def cards_read_since(db: Database, chat_id: int, since: int) -> int:
    row = await db.fetchone(
        "SELECT COUNT(*) FROM card_views WHERE chat_id = ? AND last_read >= ?", (chat_id, since))
    return int(row[0]) if row else 0
