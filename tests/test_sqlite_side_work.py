"""The SQLite store keeps heavy work off the path that answers people: a commit never copies the
log into the file (a checkpoint on its own connection does, every few seconds), and a long
report reads on a thread the OS schedules after the event loop's."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
import threading
from pathlib import Path

import pytest

from bot.store import sqlite
from bot.store.connect import open_database


def _nice_of(tid: int) -> int:
    # /proc/<pid>/task/<tid>/stat: the 19th field is the nice value; the name (2nd) may hold
    # spaces, so split after its closing parenthesis.
    stat = Path(f"/proc/self/task/{tid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[16])


async def test_a_big_commit_leaves_the_file_alone_until_the_checkpoint(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sqlite, "CHECKPOINT_SECONDS", 0.2)
    path = tmp_path / "store.sqlite3"
    db = await open_database(path)
    try:
        size_before = path.stat().st_size
        # Over 1,000 pages in one commit, past where SQLite's own rule would checkpoint.
        async with db.transaction() as session:
            await session.executemany(
                "INSERT INTO chats (id, kind, first_seen, last_seen, language) "
                "VALUES (?, 'private', 1, 1, ?)", [(n, "x" * 40) for n in range(1, 60_001)])
        log = path.with_name(path.name + "-wal")
        assert log.stat().st_size > 1_000 * 4096
        assert path.stat().st_size == size_before  # the rows are in the log only
        for _ in range(50):
            await asyncio.sleep(0.1)
            if path.stat().st_size > size_before:
                break
        assert path.stat().st_size > size_before  # the checkpoint copied them in
        row = await db.fetchone("SELECT COUNT(*) FROM chats")
        assert row[0] == 60_000
    finally:
        await db.close()
    db = await open_database(path)  # and they are there after a reopen
    try:
        row = await db.fetchone("SELECT COUNT(*) FROM chats")
        assert row[0] == 60_000
    finally:
        await db.close()


@pytest.mark.skipif(sys.platform != "linux", reason="per-thread nice values are Linux's")
async def test_reports_read_on_a_lower_priority_thread(tmp_path: Path) -> None:
    db = await open_database(tmp_path / "store.sqlite3")
    try:
        before = {t.native_id for t in threading.enumerate()}
        async with db.reading() as session:
            await session.fetchone("SELECT COUNT(*) FROM chats")
        new = [t.native_id for t in threading.enumerate() if t.native_id not in before]
        assert new, "the report got a connection (and thread) of its own"
        assert all(tid is not None and _nice_of(tid) == sqlite.SIDE_THREAD_NICE for tid in new)
        assert _nice_of(threading.get_native_id()) == 0  # the event loop's thread is untouched
        await db.execute("INSERT INTO chats (id, kind, first_seen, last_seen) "
                         "VALUES (1, 'private', 1, 1)")  # the writer still writes
    finally:
        await db.close()


async def test_queries_by_chat_use_the_outbox_indexes(tmp_path: Path) -> None:
    """The outbox holds weeks of rows: a chat's rows must be found by index (migration 10's
    conditions and outbox.LIVE / outbox.SETTLED must stay word for word the same), or an
    erase, an export or a cancel would read every row."""
    from bot.store import outbox

    path = tmp_path / "store.sqlite3"
    db = await open_database(path)
    await db.close()
    queries = {
        "outbox_chat_live": f"UPDATE outbox SET status = 'cancelled' WHERE chat_id = 1 "
                            f"AND {outbox.LIVE} AND status = 'pending'",
        "outbox_chat_settled": f"DELETE FROM outbox WHERE chat_id = 1 AND {outbox.SETTLED}",
    }
    with sqlite3.connect(path) as conn:
        for index, sql in queries.items():
            plan = " ".join(str(row[-1]) for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
            assert f"USING INDEX {index}" in plan, plan
