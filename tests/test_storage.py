"""The SQLite file: WAL, numbered migrations, and a restart keeps what was stored."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.store import open_database
from bot.store.db import StoreError
from bot.store.migrations import MIGRATIONS


async def test_database_is_wal_and_fully_migrated(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "bot.sqlite3"
    # A folder that does not exist is a typo, not a place to start an empty community.
    with pytest.raises(StoreError, match="does not exist"):
        await open_database(path)
    assert not path.parent.exists()
    path.parent.mkdir()
    db = await open_database(path)
    await db.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    # Opening again runs nothing twice and keeps rows.
    db = await open_database(path)
    await db.execute(
        "INSERT INTO chats (id, kind, first_seen, last_seen) VALUES (1, 'private', 1, 1)")
    await db.close()
    db = await open_database(path)
    assert (await db.fetchone("SELECT COUNT(*) FROM chats"))[0] == 1
    await db.close()
