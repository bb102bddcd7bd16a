"""Whether the store answers at all: the health check's one query."""

from __future__ import annotations

from bot.store.db import Database


async def ping(db: Database) -> None:
    """Raise if the store cannot run the simplest query (portable SQL: SQLite and PostgreSQL)."""
    row = await db.fetchone("SELECT 1")
    if row is None or row[0] != 1:
        raise RuntimeError("the store answered SELECT 1 with something else")
