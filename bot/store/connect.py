"""Open the store the settings name: a postgresql:// URL, or else a SQLite file."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from bot.store.db import Database
from bot.store.postgres import open_postgres
from bot.store.sqlite import open_sqlite


def is_postgres_url(target: str | Path) -> bool:
    return str(target).startswith(("postgres://", "postgresql://"))


async def open_database(target: str | Path, *, pool_size: int = 10) -> Database:
    """Open the store (a SQLite path, or a postgresql:// URL) and bring its schema up to
    date. Raises StoreError with a one-line reason when it cannot."""
    if is_postgres_url(target):
        return await open_postgres(str(target), pool_size=pool_size)
    return await open_sqlite(target)


@contextlib.asynccontextmanager
async def connected(target: str | Path) -> AsyncIterator[Database]:
    db = await open_database(target)
    try:
        yield db
    finally:
        await db.close()
