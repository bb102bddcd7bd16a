"""The queries behind moderators' /stats: counts only, never a person's rows."""

from __future__ import annotations

from bot.store.db import Database


async def chat_counts(db: Database, now: int,
                      group_kinds: tuple[str, str]) -> tuple[int, int, int, int, int, int]:
    """Active, paused, stopped, blocked, active private chats and active groups, in one scan
    (COUNT(*) FILTER is about a third faster than SUM(condition); SQLite 3.30+)."""
    row = await db.fetchone(
        """
        SELECT COUNT(*) FILTER (WHERE status = 'active'),
               COUNT(*) FILTER (WHERE status = 'active' AND paused_until > ?1),
               COUNT(*) FILTER (WHERE status = 'stopped'),
               COUNT(*) FILTER (WHERE status = 'blocked'),
               COUNT(*) FILTER (WHERE status = 'active' AND kind = 'private'),
               COUNT(*) FILTER (WHERE status = 'active' AND kind IN (?2, ?3))
        FROM chats
        """, (now, *group_kinds))
    return tuple(row) if row else (0,) * 6  # type: ignore[return-value]


async def new_chats_per_day(db: Database, origin: int, week: int, month: int,
                            now: int) -> list[tuple[int, int, int]]:
    """(days since origin, chats first seen that day, of them since `week`) from `month`."""
    rows = await db.fetchall(
        """
        SELECT (first_seen - ?1) / 86400, COUNT(*), COUNT(*) FILTER (WHERE first_seen >= ?2)
        FROM chats WHERE first_seen >= ?3 AND first_seen <= ?4
        GROUP BY 1
        """, (origin, week, month, now))
    return [(int(r[0]), int(r[1]), int(r[2])) for r in rows]


async def sent_between(db: Database, lo: int, hi: int) -> tuple[int, int]:
    """Messages sent in [lo, hi), and of them daily cards: one index range scan."""
    row = await db.fetchone(
        "SELECT COUNT(*), COUNT(*) FILTER (WHERE kind = 'card') FROM outbox "
        "WHERE sent_at >= ? AND sent_at < ? AND status = 'sent'", (lo, hi))
    return (int(row[0]), int(row[1])) if row else (0, 0)


async def reads_per_card(db: Database) -> dict[str, int]:
    rows = await db.fetchall("SELECT card_id, SUM(times) FROM card_views GROUP BY card_id")
    return {r[0]: int(r[1]) for r in rows}


async def checkins_per_habit(db: Database, since_day: str) -> list[tuple[str, int, int]]:
    """(habit, answers, yes) since a local day (ISO date)."""
    rows = await db.fetchall(
        "SELECT habit, COUNT(*), SUM(done) FROM checkins WHERE day >= ? GROUP BY habit",
        (since_day,))
    return [(r[0], int(r[1]), int(r[2] or 0)) for r in rows]
