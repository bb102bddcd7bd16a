"""A 10,000-recipient campaign, the bot killed with SIGKILL halfway, then started again.

Everything goes through the real process and the loopback Bot API: the moderator's
/broadcast, the preview, the audience and Send now; then the kill; then the restart that
finishes the campaign and reports it. No recipient is missed; only messages claimed but not
yet confirmed at the kill may arrive twice.
"""

from __future__ import annotations

import sqlite3
import time
from collections import Counter
from pathlib import Path

import pytest

from bot.store import open_database
from tests.crash import delivered, kill_when, start_bot, stop
from tests.loopback_api import LoopbackBotAPI

RECIPIENTS = 10_000
OWNER = 777_000_001


def button(server: LoopbackBotAPI, chat_id: int, label_start: str) -> str:
    for call in reversed(server.sent(chat_id)):
        for row in call.buttons:
            for b in row:
                if b["text"].startswith(label_start):
                    return str(b["callback_data"])
    raise AssertionError(f"no button {label_start!r} sent to {chat_id}")


def replies_to(server: LoopbackBotAPI, chat_id: int, text: str, timeout: float = 20) -> None:
    # Looked at every 20 ms, not on every call the fake takes: during the broadcast that
    # would rescan thousands of calls per call, holding the fake's lock.
    deadline = time.monotonic() + timeout
    while not any(text in c.text for c in list(server.calls) if c.chat_id == chat_id):
        if time.monotonic() > deadline:
            raise AssertionError(f"{chat_id} never got {text!r} within {timeout} s")
        time.sleep(0.02)


@pytest.mark.slow
async def test_sigkill_mid_campaign_then_restart_finishes_it(tmp_path: Path) -> None:
    database, log = tmp_path / "bot.sqlite3", tmp_path / "bot.log"
    db = await open_database(database)
    await db.close()
    with sqlite3.connect(database) as conn:
        conn.executemany("INSERT INTO chats (id, kind, first_seen, last_seen) "
                         "VALUES (?, 'private', 0, 0)", [(c,) for c in range(1, RECIPIENTS)])
    env = {"BOT_ADMIN_IDS": str(OWNER), "BOT_SEND_RATE": "1000"}
    with LoopbackBotAPI() as server:
        first = start_bot(server, database, log, **env)
        try:
            server.push_message("/start", chat_id=OWNER)  # the owner is subscriber 10,000
            replies_to(server, OWNER, "Hi Sam")
            server.push_message("/broadcast", chat_id=OWNER)
            replies_to(server, OWNER, "New broadcast")
            server.push_message("Big news: three new cards on sleep.", chat_id=OWNER)
            replies_to(server, OWNER, "Who should get this broadcast?")
            server.push_callback(button(server, OWNER, "👥 All subscribers"), chat_id=OWNER)
            replies_to(server, OWNER, f"{RECIPIENTS} chats right now")
            started = time.monotonic()
            server.push_callback(button(server, OWNER, "🚀 Send now"), chat_id=OWNER)
            kill_when(server, first, RECIPIENTS // 3)
        finally:
            if first.poll() is None:
                first.kill()
        killed_after = len([c for c in delivered(server) if c != OWNER])
        in_flight = Counter(r[0] for r in sqlite3.connect(database).execute(
            "SELECT status FROM outbox"))["sending"]

        second = start_bot(server, database, log, **env)
        try:
            replies_to(server, OWNER, "Campaign #1 has finished", timeout=60)
            elapsed = time.monotonic() - started
        finally:
            stop(second)
    broadcast = [c.chat_id for c in server.calls if c.method == "sendMessage" and
                 c.status == 200 and "Big news" in c.text]
    got = Counter(broadcast)
    assert set(got) == set(range(1, RECIPIENTS)) | {OWNER}, "a recipient was missed"
    repeats = sum(n - 1 for n in got.values()) - 1  # the owner also had the preview
    assert repeats <= in_flight
    report = [c.text for c in server.sent(OWNER) if "has finished" in c.text][-1]
    assert f"Delivered: {RECIPIENTS} of {RECIPIENTS}" in report
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT status, recipients FROM campaigns").fetchall() == [
            ("finished", RECIPIENTS)]
    print(f"\n{RECIPIENTS:,} recipients; killed after {killed_after:,} landed with {in_flight} "
          f"in flight; {repeats} arrived twice; 0 missed; finished and reported "
          f"{elapsed:.1f} s after Send now")
    assert "TEST-token" not in log.read_text()
