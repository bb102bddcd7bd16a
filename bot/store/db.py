"""One store interface over two engines: SQLite (one file, the default) and PostgreSQL
(DATABASE_URL). The query modules write one SQL text with `?` placeholders; where the two
dialects differ they ask `db.dialect`.

Both engines give the same small surface, in and out of a transaction: execute (rows
changed), executemany, fetchall, fetchone, and insert_rows (how many rows were new).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

# aiosqlite.Row and asyncpg.Record both read by position and by column name.
Row = Any

SQLITE, POSTGRES = "sqlite", "postgres"


class StoreError(Exception):
    """The store cannot be opened or used; str() is one line a person can act on."""


class Session(Protocol):
    """What a query module may do, inside a transaction or on its own."""

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int: ...

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None: ...

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]: ...

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None: ...

    async def insert_rows(self, head: str, rows: Sequence[Sequence[Any]],
                          tail: str = "") -> int: ...


class Database(Session, Protocol):
    dialect: str
    target: str  # the file, or the server without its password: for logs

    def transaction(self) -> contextlib.AbstractAsyncContextManager[Session]: ...

    def reading(self) -> contextlib.AbstractAsyncContextManager[Session]:
        """A read-only session that never waits for (nor holds up) the writers: for long
        reports such as /stats."""
        ...

    def advisory_lock(self, key: int) -> contextlib.AbstractAsyncContextManager[bool]:
        """True inside when no other instance holds `key`: work that must run once across
        instances (the minute tick) runs only then."""
        ...

    async def checkpoint(self) -> None: ...

    async def close(self) -> None: ...
