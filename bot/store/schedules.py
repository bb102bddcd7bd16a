"""Queries over chats' schedules: the minute tick's due rows and its writes, and the settings
a person changes (time, zone, days, pause, stop, focus, habits)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.store import outbox
from bot.store.db import POSTGRES, Database
from bot.store.outbox import Entry
from bot.store.postgres import PgSession

DUE_SQL = """
    SELECT s.chat_id, s.kind, s.local_minute, s.days, s.next_due, s.last_card,
           c.timezone, c.focus, c.status, c.paused_until,
           CASE WHEN s.kind = 'card' THEN (
               SELECT {concat}(v.card_id || ' ' || v.last_read, ',')
               FROM card_views v WHERE v.chat_id = s.chat_id
           ) END AS reads
    FROM schedules s JOIN chats c ON c.id = s.chat_id
    WHERE s.next_due IS NOT NULL AND s.next_due <= ?
    ORDER BY s.next_due
    LIMIT ?
"""

# The same rows on PostgreSQL, each due schedule's chat looked up by its key. Joined plainly,
# the planner reads all of chats (1M rows) into a hash whenever it costs 20,000 key lookups
# above one pass over the table (random_page_cost 4, the default, does), and spreads that over
# parallel workers; OFFSET 0 keeps the subquery from being flattened back into that join.
# The busiest minute's due query, on a fresh connection as the tick meets it: 0.18-0.22 s
# against 0.22-0.25 s.
DUE_SQL_PG = """
    SELECT s.chat_id, s.kind, s.local_minute, s.days, s.next_due, s.last_card,
           c.timezone, c.focus, c.status, c.paused_until,
           CASE WHEN s.kind = 'card' THEN (
               SELECT string_agg(v.card_id || ' ' || v.last_read, ',')
               FROM card_views v WHERE v.chat_id = s.chat_id
           ) END AS reads
    FROM schedules s CROSS JOIN LATERAL (
        SELECT timezone, focus, status, paused_until FROM chats WHERE id = s.chat_id OFFSET 0
    ) c
    WHERE s.next_due IS NOT NULL AND s.next_due <= ?
    ORDER BY s.next_due
    LIMIT ?
"""


def due_sql(dialect: str) -> str:
    return DUE_SQL_PG if dialect == POSTGRES else DUE_SQL.format(concat="group_concat")


async def due(db: Database, now_minute: int, limit: int) -> list[Any]:
    """Schedules due by this epoch minute, oldest first, with what picking a card needs."""
    return list(await db.fetchall(due_sql(db.dialect), (now_minute, limit)))


async def record_tick(db: Database, entries: Sequence[Entry], now: int,
                      moves: Sequence[tuple[int | None, str | None, int, str]]) -> int:
    """In one transaction: the outbox rows and each schedule moved on (next_due, last_card).
    Returns how many outbox rows were new. (A daily card counts as read when it is sent:
    outbox.apply.)"""
    if db.dialect == POSTGRES:
        return await _record_tick_pg(db, entries, now, moves)
    async with db.transaction() as conn:
        enqueued = await conn.insert_rows(outbox.INSERT_HEAD, outbox.insert_params(entries, now),
                                          outbox.INSERT_TAIL)
        await conn.executemany(
            "UPDATE schedules SET next_due = ?, last_card = ? WHERE chat_id = ? AND kind = ?",
            moves)
    return enqueued


# Schedule moves per statement on PostgreSQL. With all of the busiest minute's 20,000 in one
# array the planner hashes the whole schedules table (1M rows, spilling to disk at the default
# work_mem) instead of looking each row up by its key: 0.43 s against 0.20 s for twenty
# statements of a thousand (bench/tick_postgres.py). A thousand key lookups always cost less
# than reading a large table, so the plan no longer hangs on random_page_cost.
MOVES_PER_STATEMENT = 1000


async def _record_tick_pg(db: Database, entries: Sequence[Entry], now: int,
                          moves: Sequence[tuple[int | None, str | None, int, str]]) -> int:
    """record_tick on PostgreSQL: the outbox rows through COPY, the moves as
    arrays (executemany would be one server round of work per row: 20,000 in the busiest
    minute)."""
    async with db.transaction() as conn:
        assert isinstance(conn, PgSession)
        enqueued = await conn.insert_copied("outbox", outbox.COLUMNS,
                                            outbox.insert_params(entries, now),
                                            outbox.INSERT_TAIL)
        for start in range(0, len(moves), MOVES_PER_STATEMENT):
            await conn.execute(MOVES_PG,
                               _columns(moves[start:start + MOVES_PER_STATEMENT]))
    return enqueued


def _columns(rows: Sequence[Sequence[Any]]) -> list[list[Any]]:
    return [list(column) for column in zip(*rows)]


MOVES_PG = """
    UPDATE schedules s SET next_due = m.next_due, last_card = m.last_card
    FROM unnest(?::bigint[], ?::text[], ?::bigint[], ?::text[])
        AS m(next_due, last_card, chat_id, kind)
    WHERE s.chat_id = m.chat_id AND s.kind = m.kind
"""
async def chat_settings(db: Database, chat_id: int) -> tuple[Any, list[Any]] | None:
    """The chat's row (status, timezone, paused_until, focus, habits) and its schedules (kind,
    local_minute, days, next_due), in one query: both are read on most set-up steps."""
    rows = await db.fetchall(
        """
        SELECT c.status, c.timezone, c.paused_until, c.focus, c.habits,
               s.kind, s.local_minute, s.days, s.next_due
        FROM chats c LEFT JOIN schedules s ON s.chat_id = c.id
        WHERE c.id = ?
        ORDER BY s.kind
        """, (chat_id,))
    if not rows:
        return None
    return rows[0], [row for row in rows if row["kind"] is not None]


async def save(db: Database, chat_id: int, kind: str, zone_name: str, local_minute: int,
               days: int, next_due: int) -> Any | None:
    """One scheduled message created or changed; the chat takes the zone and is active.
    A pause goes on: a new time or zone is not a wish to end a break (a stopped chat starts
    afresh, without one). Returns what was there before (timezone; local_minute and days,
    NULL when this kind was not set), read in the same transaction so a confirmation can say
    what it replaced; None for a chat not stored."""
    async with db.transaction() as conn:
        before = await conn.fetchone(
            "SELECT c.timezone, s.local_minute, s.days FROM chats c LEFT JOIN schedules s "
            "ON s.chat_id = c.id AND s.kind = ? WHERE c.id = ?", (kind, chat_id))
        await conn.execute(
            "UPDATE chats SET timezone = ?, status = 'active', paused_until = CASE "
            "WHEN status = 'active' THEN paused_until END WHERE id = ?", (zone_name, chat_id))
        await conn.execute(
            """
            INSERT INTO schedules (chat_id, kind, local_minute, days, next_due)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (chat_id, kind) DO UPDATE SET
                local_minute = excluded.local_minute, days = excluded.days,
                next_due = excluded.next_due
            """, (chat_id, kind, local_minute, days, next_due))
    return before


async def remove(db: Database, chat_id: int, kind: str) -> None:
    """A schedule removed, and its messages still waiting in the outbox cancelled."""
    async with db.transaction() as conn:
        await conn.execute("DELETE FROM schedules WHERE chat_id = ? AND kind = ?", (chat_id, kind))
        await conn.execute(
            f"UPDATE outbox SET status = 'cancelled' WHERE chat_id = ? AND kind = ? "
            f"AND {outbox.LIVE} AND status = 'pending'", (chat_id, kind))


async def mark_stopped(db: Database, chat_id: int) -> None:
    async with db.transaction() as conn:
        await conn.execute("UPDATE chats SET status = 'stopped' WHERE id = ?", (chat_id,))
        await conn.execute("UPDATE schedules SET next_due = NULL WHERE chat_id = ?", (chat_id,))


async def mark_active(db: Database, chat_id: int) -> None:
    await db.execute(
        "UPDATE chats SET status = 'active', paused_until = NULL WHERE id = ?", (chat_id,))


async def set_paused_until(db: Database, chat_id: int, until: int) -> None:
    await db.execute("UPDATE chats SET paused_until = ? WHERE id = ?", (until, chat_id))


async def set_focus(db: Database, chat_id: int, topics: Sequence[str]) -> None:
    await db.execute("UPDATE chats SET focus = ? WHERE id = ?", (",".join(topics), chat_id))


async def set_habits(db: Database, chat_id: int, habits: Sequence[str]) -> None:
    await db.execute("UPDATE chats SET habits = ? WHERE id = ?", (",".join(habits), chat_id))


async def move_due(db: Database, moves: Sequence[tuple[int, int, str]]) -> None:
    """(next_due, chat_id, kind) for each schedule moved to a new time."""
    async with db.transaction() as conn:
        await conn.executemany(
            "UPDATE schedules SET next_due = ? WHERE chat_id = ? AND kind = ?", moves)
