"""The SQLite file: WAL, numbered migrations, and a restart keeps what was stored."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.store import campaigns, open_database
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


async def test_campaigns_keep_the_numbers_they_were_shown_with_after_the_upgrade(
        tmp_path: Path) -> None:
    """Schema 11 numbers campaigns as they leave the drafts. A store from before it keeps
    each sent, scheduled or cancelled campaign's number (its id, as shown); its drafts get
    theirs when sent, after the highest."""
    path = tmp_path / "bot.sqlite3"
    with sqlite3.connect(path) as conn:
        for script in MIGRATIONS[:10]:
            conn.executescript(script)
        conn.execute("PRAGMA user_version = 10")
        conn.executemany(
            "INSERT INTO campaigns (id, created_by, report_chat, created_at, kind, audience, "
            "status) VALUES (?, 1, 1, 0, 'message', 'me', ?)",
            [(1, "finished"), (2, "draft"), (3, "cancelled"), (4, "draft")])
    db = await open_database(path)
    try:
        assert [(c.id, c.number) for c in await campaigns.listing(db)] == [(3, 3), (1, 1)]
        assert await campaigns.start(db, 4, 100) == 1
        assert await campaigns.schedule(db, 2, 200)
        numbers = await db.fetchall("SELECT id, number FROM campaigns ORDER BY id")
        assert [tuple(r) for r in numbers] == [(1, 1), (2, 5), (3, 3), (4, 4)]
    finally:
        await db.close()
