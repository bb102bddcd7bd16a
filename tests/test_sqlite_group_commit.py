"""Statements issued on their own while the store is busy go together in one transaction
(sqlite_batch.py): each still succeeds or fails for its own caller alone, they run in the
order issued, one that must run alone does, and nothing issued is lost at shutdown."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from bot.store.connect import open_database
from bot.store.db import Database

INSERT = ("INSERT INTO chats (id, kind, language, first_seen, last_seen) "
          "VALUES (?, 'private', ?, 1, 1)")


async def _queued(db: Database, calls: list) -> list[asyncio.Task]:  # type: ignore[type-arg]
    """Each call issued as its own task while a transaction holds the store; they run once it
    commits."""
    tasks = []
    async with db.transaction() as session:
        await session.execute(INSERT, (1, "en"))
        for call in calls:
            tasks.append(asyncio.create_task(call()))
            await asyncio.sleep(0)  # each is submitted, in this order
    return tasks


async def test_statements_that_queue_up_share_one_commit_and_fail_alone(tmp_path: Path) -> None:
    db = await open_database(tmp_path / "store.sqlite3")
    try:
        trace: list[str] = []
        await db.conn.set_trace_callback(trace.append)  # type: ignore[attr-defined]
        calls = [lambda n=n: db.execute(INSERT, (n, "en")) for n in range(2, 41)]
        calls.insert(20, lambda: db.execute(INSERT, (1, "de")))  # already there
        calls.insert(30, lambda: db.execute(INSERT, (2**70, "en")))  # too big to bind
        tasks = await _queued(db, calls)
        results = await asyncio.gather(*tasks, return_exceptions=True)
        failed = [r for r in results if isinstance(r, BaseException)]
        assert len(failed) == 2
        assert isinstance(results[20], sqlite3.IntegrityError)  # each its own caller's
        assert isinstance(results[30], OverflowError)
        assert [r for r in results if not isinstance(r, BaseException)] == [1] * 39
        rows = await db.fetchall("SELECT id, language FROM chats ORDER BY id")
        assert [(r[0], r[1]) for r in rows] == [(n, "en") for n in range(1, 41)]
        # The transaction's commit, then one for all forty-one statements.
        assert sum(1 for s in trace if s.strip().upper() == "COMMIT") == 2
    finally:
        await db.close()


async def test_they_run_in_order_and_a_pragma_runs_alone(tmp_path: Path) -> None:
    db = await open_database(tmp_path / "store.sqlite3")
    try:
        version = (await db.fetchone("PRAGMA user_version"))[0]
        tasks = await _queued(db, [
            lambda: db.execute(INSERT, (7, "a")),
            lambda: db.execute("UPDATE chats SET language = 'b' WHERE id = 7"),
            lambda: db.fetchone("SELECT language FROM chats WHERE id = 7"),
            lambda: db.fetchone("PRAGMA user_version"),
            lambda: db.execute("UPDATE chats SET language = 'c' WHERE id = 7"),
            lambda: db.fetchall("SELECT language FROM chats WHERE id = 7"),
        ])
        inserted, updated, seen, pragma, again, final = await asyncio.gather(*tasks)
        assert (inserted, updated, again) == (1, 1, 1)
        assert seen[0] == "b" and [r[0] for r in final] == ["c"]
        assert pragma[0] == version
    finally:
        await db.close()


async def test_a_statement_cancelled_before_it_went_out_never_runs(tmp_path: Path) -> None:
    db = await open_database(tmp_path / "store.sqlite3")
    try:
        async with db.transaction() as session:
            await session.execute(INSERT, (1, "en"))
            doomed = asyncio.create_task(db.execute(INSERT, (99, "en")))
            kept = asyncio.create_task(db.execute(INSERT, (100, "en")))
            await asyncio.sleep(0)
            doomed.cancel()
        assert await kept == 1
        with pytest.raises(asyncio.CancelledError):
            await doomed
        rows = await db.fetchall("SELECT id FROM chats ORDER BY id")
        assert [r[0] for r in rows] == [1, 100]
    finally:
        await db.close()


async def test_what_was_issued_before_shutdown_is_written(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    db = await open_database(path)
    pending = [asyncio.create_task(db.execute(INSERT, (n, "en"))) for n in range(1, 21)]
    await asyncio.sleep(0)
    await db.close()
    assert all(task.done() and task.result() == 1 for task in pending)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM chats").fetchone()[0] == 20
