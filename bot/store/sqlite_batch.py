"""Group commit for the SQLite store: statements issued on their own while others wait go to
aiosqlite's thread together and are committed together.

On its own, every statement is a trip to aiosqlite's thread and a commit: about 60 µs of CPU
for a one-row insert, with a few pages (12 KB) appended to the write-ahead log. Under load most
updates write one or two such rows (a chat seen, a card read, a question kept for /gaps), so
the statements that queue up while one trip is out run next as one transaction, each inside a
savepoint of its own: one that fails is undone and raised to its own caller alone, the rest
commit. 32 inserts cost about 9 µs each that way (bench/inbound.py shows the effect whole).

A caller's await returns after its statement's commit, as before; statements run in the order
they were issued.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

# Statements that manage transactions or the connection itself run alone, outside a batch.
_ALONE = ("PRAGMA", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "VACUUM", "ATTACH",
          "DETACH", "END")
# One trip's worth: beyond this, the next trip takes the rest.
MAX_BATCH = 256

ROWCOUNT, ROWS = "rowcount", "rows"


@dataclass
class Statement:
    sql: str
    params: Sequence[Any]
    wants: str  # ROWCOUNT or ROWS
    future: asyncio.Future[Any] = field(repr=False)

    @property
    def alone(self) -> bool:
        return self.sql.lstrip()[:10].upper().startswith(_ALONE)


def _run(conn: sqlite3.Connection, statement: Statement) -> Any:
    cursor = conn.execute(statement.sql, statement.params)
    try:
        rows = cursor.fetchall()  # steps a RETURNING statement to its end, too
        return rows if statement.wants == ROWS else cursor.rowcount
    finally:
        cursor.close()


def run_batch(conn: sqlite3.Connection, batch: list[Statement]) -> list[tuple[bool, Any]]:
    """On aiosqlite's thread: each statement's (ok, rows or rowcount or the exception)."""
    if len(batch) == 1:  # nothing to share a commit with: as it would run on its own
        try:
            return [(True, _run(conn, batch[0]))]
        except Exception as exc:  # noqa: BLE001 - the caller's to see, as aiosqlite would give it
            return [(False, exc)]
    outcomes: list[tuple[bool, Any]] = []
    conn.execute("BEGIN IMMEDIATE")
    try:
        for statement in batch:
            conn.execute("SAVEPOINT one")
            try:
                outcomes.append((True, _run(conn, statement)))
            except Exception as exc:  # noqa: BLE001 - not only SQLite's: an int too big to bind
                conn.execute("ROLLBACK TO one")
                outcomes.append((False, exc))
            conn.execute("RELEASE one")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return outcomes


class Batcher:
    """Collects statements and hands them, in order, to `send` (which runs a batch on the
    connection's thread and holds the store's lock while it does)."""

    def __init__(self,
                 send: Callable[[list[Statement]], Awaitable[list[tuple[bool, Any]]]]) -> None:
        self._send = send
        self._waiting: list[Statement] = []
        self._flusher: asyncio.Task[None] | None = None

    def submit(self, sql: str, params: Sequence[Any], wants: str) -> asyncio.Future[Any]:
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._waiting.append(Statement(sql, params, wants, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush(), name="sqlite-batches")
        return future

    async def drain(self) -> None:
        """Wait until every statement submitted so far has run."""
        while self._flusher is not None and not self._flusher.done():
            await asyncio.shield(self._flusher)

    async def _flush(self) -> None:
        while self._waiting:
            batch = self._next_batch()
            if not batch:
                return
            try:
                outcomes = await self._send(batch)
                for statement, (ok, value) in zip(batch, outcomes, strict=True):
                    if statement.future.done():  # its caller was cancelled meanwhile
                        continue
                    if ok:
                        statement.future.set_result(value)
                    else:
                        statement.future.set_exception(value)
            except Exception as exc:  # the commit failed, or the connection is gone
                for statement in batch:
                    if not statement.future.done():
                        statement.future.set_exception(exc)
            except BaseException:  # cancelled at shutdown: nobody is left waiting forever
                for statement in batch + self._waiting:
                    statement.future.cancel()
                raise

    def _next_batch(self) -> list[Statement]:
        """The longest run from the front that may share a transaction (a statement that must
        run alone goes alone)."""
        # A statement whose caller was cancelled before it went out is not run at all.
        self._waiting = [s for s in self._waiting if not s.future.done()]
        if not self._waiting:
            return []
        taken = 1
        if not self._waiting[0].alone:
            while (taken < len(self._waiting) and taken < MAX_BATCH
                   and not self._waiting[taken].alone):
                taken += 1
        batch, self._waiting = self._waiting[:taken], self._waiting[taken:]
        return batch
