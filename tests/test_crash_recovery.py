"""Killed with SIGKILL in a busy minute and started again: every due message arrives."""

from __future__ import annotations

import sqlite3
import time
from collections import Counter
from pathlib import Path

import pytest

from bot.store import open_database
from tests.crash import delivered, kill_when, start_bot, stop
from tests.loopback_api import LoopbackBotAPI

SUBSCRIBERS = 400


async def prepare(database: Path) -> None:
    db = await open_database(database)
    await db.close()
    due = int(time.time()) // 60  # due in this very minute
    with sqlite3.connect(database) as conn:
        conn.executemany("INSERT INTO chats (id, kind, first_seen, last_seen, timezone) "
                         "VALUES (?, 'private', 0, 0, 'UTC')",
                         [(c,) for c in range(1, SUBSCRIBERS + 1)])
        conn.executemany("INSERT INTO schedules (chat_id, kind, local_minute, days, next_due) "
                         "VALUES (?, 'card', 0, 127, ?)",
                         [(c, due) for c in range(1, SUBSCRIBERS + 1)])


@pytest.mark.slow
async def test_sigkill_mid_minute_loses_nothing(tmp_path: Path) -> None:
    database, log = tmp_path / "bot.sqlite3", tmp_path / "bot.log"
    await prepare(database)
    with LoopbackBotAPI() as server:
        first = start_bot(server, database, log, BOT_SEND_RATE="400")
        kill_when(server, first, SUBSCRIBERS // 3)
        before_kill = len(delivered(server))
        in_flight = Counter(r[0] for r in sqlite3.connect(database).execute(
            "SELECT status FROM outbox"))["sending"]

        second = start_bot(server, database, log, BOT_SEND_RATE="400")
        try:
            server.wait_for(lambda calls: len(set(delivered(server))) == SUBSCRIBERS, timeout=60)
            time.sleep(0.5)  # anything extra would show up now
        finally:
            stop(second)
    got = Counter(delivered(server))
    assert set(got) == set(range(1, SUBSCRIBERS + 1)), "a due reminder was lost"
    repeats = sum(n - 1 for n in got.values())
    # Only messages in flight at the kill (claimed, not yet confirmed) may arrive twice.
    assert repeats <= in_flight
    with sqlite3.connect(database) as conn:
        assert dict(conn.execute("SELECT status, COUNT(*) FROM outbox GROUP BY status")) == {
            "sent": SUBSCRIBERS}
    print(f"\n{SUBSCRIBERS} due; killed after {before_kill} landed; {in_flight} in flight at the "
          f"kill; {repeats} arrived twice; 0 lost")
    assert "TEST-token" not in log.read_text()
