"""The aiosqlite connection: WAL, migrations, and transactions that do not interleave."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterable, Sequence
from pathlib import Path
from typing import Any

import aiosqlite

from bot.store.migrations import MIGRATIONS


class Database:
    """One connection shared by the whole bot.

    aiosqlite runs statements on one thread in order, but two coroutines could still
    interleave statements inside each other's transactions; the lock prevents that.
    """

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn
        self._lock = asyncio.Lock()

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        async with self._lock:
            await self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                await self.conn.execute("ROLLBACK")
                raise
            else:
                await self.conn.execute("COMMIT")

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement on its own; returns the number of rows changed."""
        async with self._lock:
            cursor = await self.conn.execute(sql, params)
            count = cursor.rowcount
            await cursor.close()
            return count

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        async with self.transaction() as conn:
            await conn.executemany(sql, rows)

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[aiosqlite.Row]:
        async with self._lock:
            cursor = await self.conn.execute(sql, params)
            rows = await cursor.fetchall()
            await cursor.close()
            return list(rows)

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> aiosqlite.Row | None:
        async with self._lock:
            cursor = await self.conn.execute(sql, params)
            row = await cursor.fetchone()
            await cursor.close()
            return row

    async def checkpoint(self) -> None:
        """Copy the write-ahead log into the database file and empty it: after an erase, the
        old versions of the erased rows are then nowhere on disk (secure_delete zeroed them in
        the file; the log, which still held them, is truncated)."""
        async with self._lock:
            cursor = await self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            await cursor.close()

    async def close(self) -> None:
        await self.conn.close()


async def open_database(path: Path | str) -> Database:
    """Open (creating if needed) the SQLite file and bring its schema up to date."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    # isolation_level=None: we issue BEGIN/COMMIT ourselves, so single statements autocommit.
    conn = await aiosqlite.connect(str(path), isolation_level=None)
    conn.row_factory = aiosqlite.Row
    await conn.execute("PRAGMA journal_mode=WAL")
    await conn.execute("PRAGMA synchronous=NORMAL")
    await conn.execute("PRAGMA foreign_keys=ON")
    await conn.execute("PRAGMA busy_timeout=5000")
    # Deleted rows are overwritten with zeros, not just unlinked: what /forget erases is gone.
    await conn.execute("PRAGMA secure_delete=ON")
    db = Database(conn)
    await _migrate(db)
    return db


async def _migrate(db: Database) -> None:
    row = await db.fetchone("PRAGMA user_version")
    version = row[0] if row else 0
    if version > len(MIGRATIONS):
        raise RuntimeError(
            f"the database is at schema {version}, newer than this bot ({len(MIGRATIONS)})"
        )
    for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
        async with db.transaction() as conn:
            for statement in _statements(script):
                await conn.execute(statement)
            # PRAGMA takes no parameters; number is our own integer.
            await conn.execute(f"PRAGMA user_version = {int(number)}")


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]
