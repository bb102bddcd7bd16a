"""The queries behind moderators' /stats: counts only, never a person's rows.

They run on the store's read-only session (`reading`), so a report over a million chats
neither waits for the bot's writes nor holds them up.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterable, Sequence
from typing import Any

from bot.store.db import Database, Row, Session, StoreError


class ReadOnly:
    """The read-only session, standing in for the Database where a query module also asks
    which engine it runs on (skin_checks.community_counts). Writes are refused by the engine
    itself (a read-only connection or transaction); there are no transactions to open."""

    def __init__(self, session: Session, db: Database) -> None:
        self._session = session
        self.dialect = db.dialect
        self.target = db.target

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        return await self._session.execute(sql, params)

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        await self._session.executemany(sql, rows)

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return await self._session.fetchall(sql, params)

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        return await self._session.fetchone(sql, params)

    async def insert_rows(self, head: str, rows: Sequence[Sequence[Any]], tail: str = "") -> int:
        return await self._session.insert_rows(head, rows, tail)

    def transaction(self) -> contextlib.AbstractAsyncContextManager[Session]:
        raise StoreError("the /stats session is read-only")

    @contextlib.asynccontextmanager
    async def reading(self) -> AsyncIterator[Session]:
        yield self

    @contextlib.asynccontextmanager
    async def advisory_lock(self, key: int) -> AsyncIterator[bool]:
        yield False  # a report never runs work that must run once

    async def checkpoint(self) -> None:
        return None

    async def close(self) -> None:
        return None


@contextlib.asynccontextmanager
async def reading(db: Database) -> AsyncIterator[Database]:
    """A read-only session for the whole report, on its own connection."""
    async with db.reading() as session:
        yield ReadOnly(session, db)


async def chat_counts(db: Session, now: int,
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


async def new_chats_per_day(db: Session, origin: int, week: int, month: int,
                            now: int) -> list[tuple[int, int, int]]:
    """(days since origin, chats first seen that day, of them since `week`) from `month`."""
    rows = await db.fetchall(
        """
        SELECT (first_seen - ?1) / 86400, COUNT(*), COUNT(*) FILTER (WHERE first_seen >= ?2)
        FROM chats WHERE first_seen >= ?3 AND first_seen <= ?4
        GROUP BY 1
        """, (origin, week, month, now))
    return [(int(r[0]), int(r[1]), int(r[2])) for r in rows]


async def sent_between(db: Session, lo: int, hi: int) -> tuple[int, int]:
    """Messages sent in [lo, hi), and of them daily cards: one index range scan."""
    row = await db.fetchone(
        "SELECT COUNT(*), COUNT(*) FILTER (WHERE kind = 'card') FROM outbox "
        "WHERE sent_at >= ? AND sent_at < ? AND status = 'sent'", (lo, hi))
    return (int(row[0]), int(row[1])) if row else (0, 0)


async def sent_days(db: Session, first: int, last: int) -> dict[int, tuple[int, int]]:
    """Settled UTC days (days since 1970-01-01) from first to last already counted: day ->
    (messages sent, of them daily cards). Counts only: /forget erases a chat's rows from
    outbox, not the number of messages the bot sent on a past day."""
    rows = await db.fetchall(
        "SELECT day, sent, cards FROM sent_per_day WHERE day >= ? AND day <= ?", (first, last))
    return {int(r[0]): (int(r[1]), int(r[2])) for r in rows}


async def keep_sent_days(db: Session, days: Sequence[tuple[int, int, int]]) -> None:
    """(day, sent, cards) of settled days, counted once; a day kept already stays as it is."""
    await db.executemany(
        "INSERT INTO sent_per_day (day, sent, cards) VALUES (?, ?, ?) "
        "ON CONFLICT (day) DO NOTHING", days)


async def reads_per_card(db: Session) -> dict[str, int]:
    rows = await db.fetchall("SELECT card_id, SUM(times) FROM card_views GROUP BY card_id")
    return {r[0]: int(r[1]) for r in rows}


async def checkins_per_habit(db: Session, since_day: str) -> list[tuple[str, int, int]]:
    """(habit, answers, yes) since a local day (ISO date)."""
    rows = await db.fetchall(
        "SELECT habit, COUNT(*), SUM(done) FROM checkins WHERE day >= ? GROUP BY habit",
        (since_day,))
    return [(r[0], int(r[1]), int(r[2] or 0)) for r in rows]
