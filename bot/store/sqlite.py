"""The embedded store: one SQLite file in WAL mode, through aiosqlite."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sqlite3
import sys
import threading
from collections.abc import AsyncIterator, Iterable, Sequence
from pathlib import Path
from typing import Any

import aiosqlite

from bot.store.db import SQLITE, Row, StoreError
from bot.store.migrations import MIGRATIONS, statements
from bot.store.sqlite_batch import ROWCOUNT, ROWS, Batcher, Statement, run_batch

log = logging.getLogger(__name__)

# How often the write-ahead log is copied into the database file. Not on commit (SQLite's
# default, every 1,000 pages): the commit that crossed the line would do the copying, and the
# minute tick's commit crosses it (bench/tick_scale.py: 1.5 s instead of under 1 at 45 days).
CHECKPOINT_SECONDS = 5.0
# Side threads (reports, the checkpoint) run at this nice value, so that on a one-core host
# the event loop's thread, which answers people, gets the processor first.
SIDE_THREAD_NICE = 10


class SqliteSession:
    """Statements on one connection; inside a transaction, or each on its own."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    # Each await below is a trip to aiosqlite's thread and back, about 30 µs of CPU (more than
    # a point query itself): one per statement where aiosqlite allows it.

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        cursor = await self.conn.execute(sql, params)
        count = cursor.rowcount
        if cursor.description is not None:  # it returned rows: let go of the statement
            await cursor.close()
        # Otherwise SQLite has finished and reset the statement already (as after the
        # transaction's BEGIN and COMMIT): nothing is left to close.
        return count

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        await self.conn.executemany(sql, rows)

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return list(await self.conn.execute_fetchall(sql, params))

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        """For statements with one row (a look-up by key, a count, INSERT ... RETURNING)."""
        rows = await self.conn.execute_fetchall(sql, params)
        return next(iter(rows), None)

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
        self._checkpoints: asyncio.Task[None] | None = None
        self._checkpointer: aiosqlite.Connection | None = None
        # Statements on their own (outside transaction()) share trips and commits when they
        # queue up (sqlite_batch.py).
        self._batcher = Batcher(self._run_batch)

    async def _run_batch(self, batch: list[Statement]) -> list[tuple[bool, Any]]:
        async with self._lock:
            # aiosqlite's own queue to its thread: the one way to run several statements in
            # one trip (its public calls take one statement each).
            return await self.conn._execute(run_batch, self.conn._conn, batch)

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
                self._reader = await _side_connection(uri)
                self._reader.row_factory = aiosqlite.Row
            yield SqliteSession(self._reader)

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement on its own; returns the number of rows changed."""
        return int(await self._batcher.submit(sql, params, ROWCOUNT))

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        async with self.transaction() as session:
            await session.executemany(sql, rows)

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return list(await self._batcher.submit(sql, params, ROWS))

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        rows = await self._batcher.submit(sql, params, ROWS)
        return rows[0] if rows else None

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

    async def start_checkpoints(self) -> None:
        """From now on the log is copied into the file every few seconds, on a connection of
        its own, and never by a commit."""
        if self.target == ":memory:" or self._checkpoints is not None:
            return
        await self.conn.execute("PRAGMA wal_autocheckpoint=0")
        self._checkpointer = await _side_connection(self.target)
        self._checkpoints = asyncio.create_task(self._checkpoint_loop(self._checkpointer),
                                                name="sqlite-checkpoints")

    async def _checkpoint_loop(self, conn: aiosqlite.Connection) -> None:
        while True:
            await asyncio.sleep(CHECKPOINT_SECONDS)
            # PASSIVE: copies what it can without waiting for, or holding up, any writer or
            # reader. Any failure is logged and the loop goes on: if it ended, the log would
            # grow without end.
            try:
                await conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
            except Exception:
                log.exception("checkpoint of %s failed; trying again in %s s",
                              self.target, CHECKPOINT_SECONDS)

    async def close(self) -> None:
        await self._batcher.drain()
        if self._checkpoints is not None:
            self._checkpoints.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._checkpoints
            self._checkpoints = None
        if self._checkpointer is not None:
            await self._checkpointer.close()
            self._checkpointer = None
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
        await db.start_checkpoints()
    except sqlite3.DatabaseError as exc:
        await conn.close()
        raise StoreError(f"{name!r} is not a bot database SQLite can use ({exc})") from None
    except BaseException:
        await conn.close()
        raise
    return db


async def _side_connection(target: str) -> aiosqlite.Connection:
    """A connection for work beside the writer, its thread at a lower priority."""
    conn = await aiosqlite.connect(target, uri=target.startswith("file:"), isolation_level=None)
    await conn.execute("PRAGMA busy_timeout=5000")
    # SQLite calls a function on the thread that runs the statement: the connection's own.
    await conn.create_function("bot_lower_priority", 0, _lower_this_thread)
    await conn.execute("SELECT bot_lower_priority()")
    return conn


def _lower_this_thread() -> int:
    # On Linux a thread has its own nice value; elsewhere PRIO_PROCESS would lower the whole
    # process, so nothing is done there.
    if sys.platform == "linux":
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), SIDE_THREAD_NICE)
    return 0


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
