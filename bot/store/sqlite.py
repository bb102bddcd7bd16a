"""The embedded store: one SQLite file in WAL mode, through aiosqlite."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from pathlib import Path
from typing import Any

import aiosqlite

from bot.store.db import SQLITE, Row, StoreError
from bot.store.migrations import MIGRATIONS, statements


class SqliteSession:
    """Statements on one connection; inside a transaction, or each on its own."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        cursor = await self.conn.execute(sql, params)
        count = cursor.rowcount
        await cursor.close()
        return count

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        await self.conn.executemany(sql, rows)

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        cursor = await self.conn.execute(sql, params)
        rows = await cursor.fetchall()
        await cursor.close()
        return list(rows)

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        cursor = await self.conn.execute(sql, params)
        row = await cursor.fetchone()
        await cursor.close()
        return row

    async def insert_rows(self, head: str, rows: Sequence[Sequence[Any]], tail: str = "") -> int:
        if not rows:
            return 0
        before = self.conn.total_changes
        marks = ", ".join("?" for _ in rows[0])
        await self.conn.executemany(f"{head} ({marks}) {tail}", rows)
        return self.conn.total_changes - before


class SqliteDatabase:
    """One writing connection shared by the whole bot, and a second, read-only one for long
    reports.

    aiosqlite runs statements on one thread in order, but two coroutines could still
    interleave statements inside each other's transactions; the lock prevents that. In WAL
    mode a reader sees the last commit and neither waits for the writer nor holds it up.
    """

    dialect = SQLITE

    def __init__(self, conn: aiosqlite.Connection, path: str) -> None:
        self.conn = conn
        self.target = path
        self._session = SqliteSession(conn)
        self._lock = asyncio.Lock()
        self._reader: aiosqlite.Connection | None = None
        self._reader_lock = asyncio.Lock()

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqliteSession]:
        async with self._lock:
            await self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._session
            except BaseException:
                await self.conn.execute("ROLLBACK")
                raise
            else:
                await self.conn.execute("COMMIT")

    @contextlib.asynccontextmanager
    async def reading(self) -> AsyncIterator[SqliteSession]:
        if self.target == ":memory:":  # nothing else can see it: share the writer's
            async with self._lock:
                yield self._session
            return
        async with self._reader_lock:
            if self._reader is None:
                uri = Path(self.target).resolve().as_uri() + "?mode=ro"
                self._reader = await aiosqlite.connect(uri, uri=True, isolation_level=None)
                self._reader.row_factory = aiosqlite.Row
                await self._reader.execute("PRAGMA busy_timeout=5000")
            yield SqliteSession(self._reader)

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement on its own; returns the number of rows changed."""
        async with self._lock:
            return await self._session.execute(sql, params)

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        async with self.transaction() as session:
            await session.executemany(sql, rows)

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        async with self._lock:
            return await self._session.fetchall(sql, params)

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        async with self._lock:
            return await self._session.fetchone(sql, params)

    async def insert_rows(self, head: str, rows: Sequence[Sequence[Any]], tail: str = "") -> int:
        async with self.transaction() as session:
            return await session.insert_rows(head, rows, tail)

    @contextlib.asynccontextmanager
    async def advisory_lock(self, key: int) -> AsyncIterator[bool]:
        """One process owns a SQLite file (a second would fight over the outbox): always
        granted."""
        yield True

    async def checkpoint(self) -> None:
        """Copy the write-ahead log into the database file and empty it: after an erase, the
        old versions of the erased rows are then nowhere on disk (secure_delete zeroed them in
        the file; the log, which still held them, is truncated)."""
        async with self._lock:
            await self._session.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    async def close(self) -> None:
        if self._reader is not None:
            await self._reader.close()
            self._reader = None
        await self.conn.close()


async def open_sqlite(path: Path | str) -> SqliteDatabase:
    """Open (creating if needed) the SQLite file and bring its schema up to date. The folder
    must exist: a typo in BOT_DATABASE should not quietly start an empty community."""
    name = str(path)
    if name != ":memory:" and not Path(path).expanduser().parent.is_dir():
        raise StoreError(f"the folder {str(Path(path).parent)!r} does not exist")
    try:
        # Tried once directly: a failed aiosqlite.connect leaves its thread behind to report
        # the failure to a loop that may be gone by then.
        sqlite3.connect(name).close()
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open {name!r} ({exc})") from None
    # isolation_level=None: we issue BEGIN/COMMIT ourselves, so single statements autocommit.
    conn = await aiosqlite.connect(name, isolation_level=None)
    try:
        conn.row_factory = aiosqlite.Row
        await conn.execute("PRAGMA busy_timeout=5000")
        await conn.execute("PRAGMA journal_mode=WAL")
        await conn.execute("PRAGMA synchronous=NORMAL")
        await conn.execute("PRAGMA foreign_keys=ON")
        # Deleted rows are overwritten with zeros, not just unlinked: what /forget erases is
        # gone.
        await conn.execute("PRAGMA secure_delete=ON")
        db = SqliteDatabase(conn, name)
        await _migrate(db)
    except sqlite3.DatabaseError as exc:
        await conn.close()
        raise StoreError(f"{name!r} is not a bot database SQLite can use ({exc})") from None
    except BaseException:
        await conn.close()
        raise
    return db


async def _migrate(db: SqliteDatabase) -> None:
    row = await db.fetchone("PRAGMA user_version")
    version = row[0] if row else 0
    if version > len(MIGRATIONS):
        raise StoreError(
            f"the database is at schema {version}, newer than this bot ({len(MIGRATIONS)})")
    for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
        async with db.transaction() as session:
            for statement in statements(script):
                await session.execute(statement)
            # PRAGMA takes no parameters; number is our own integer.
            await session.execute(f"PRAGMA user_version = {int(number)}")
