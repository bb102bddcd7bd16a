"""A person's reply never waits behind bulk sends, and a gateway's error pages stay quiet.

The real process against the loopback Bot API: 120 reminders due while Telegram takes 3 s to
answer each of them, which holds every connection the outbox may use; a person writing
meanwhile is answered within a second. A burst of HTML 502 pages is one WARNING in the log,
not an ERROR with a traceback per request.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.crash import seed_due_chats, start_bot, stop
from tests.loopback_api import FaultMix, LoopbackBotAPI

SUBSCRIBERS = 120
pytestmark = pytest.mark.slow


def reply_latency(server: LoopbackBotAPI, chat_id: int, text: str) -> float:
    """Seconds from the update's arrival in the queue to the reply reaching Telegram."""
    before = len(server.calls)
    pushed = time.monotonic()
    server.push_message(text, chat_id=chat_id)
    calls = server.wait_for(lambda calls: any(c.chat_id == chat_id and c.method == "sendMessage"
                                              for c in calls[before:]), timeout=15)
    return next(c.time for c in calls[before:]
                if c.chat_id == chat_id and c.method == "sendMessage") - pushed


def log_problems(log: Path) -> list[str]:
    return [line for line in log.read_text(errors="replace").splitlines()
            if " ERROR " in line or "Traceback" in line or "CRITICAL" in line]


async def test_replies_keep_their_speed_while_every_bulk_send_stalls(tmp_path: Path) -> None:
    database, log = tmp_path / "bot.sqlite3", tmp_path / "bot.log"
    await seed_due_chats(database, SUBSCRIBERS)
    with LoopbackBotAPI() as server:
        server.chaos(FaultMix(rate=1.0, kinds=("slow",), slow_seconds=3.0,
                              chats=lambda c: c is not None and 0 < c <= SUBSCRIBERS))
        process = start_bot(server, database, log, BOT_SEND_RATE="1000")
        try:
            # Every connection the outbox may hold (64) is waiting on a slow answer: waited
            # for, as the first sends may be answered before the last ones go out.
            def in_flight() -> int:
                return server.arrived["sendMessage"] - len(server.sent())

            server.wait_for(lambda _: in_flight() >= 60, timeout=20)
            stalled = in_flight()
            waits = [reply_latency(server, 900_000 + i, "/help") for i in range(5)]
        finally:
            server.chaos(None)
            stop(process)
    print(f"\nreplies while {stalled} bulk sends were stalled: "
          f"{', '.join(f'{w * 1000:.0f} ms' for w in waits)}")
    assert stalled >= 60
    assert max(waits) < 1.0
    assert log_problems(log) == []


async def test_a_burst_of_html_502_pages_is_one_warning(tmp_path: Path) -> None:
    database, log = tmp_path / "bot.sqlite3", tmp_path / "bot.log"
    with LoopbackBotAPI() as server:
        process = start_bot(server, database, log)
        try:
            server.wait_for(lambda calls: any(c.method == "setMyCommands" for c in calls), 20)
            server.fail_with_page("sendMessage", times=5, chat_id=4242)
            for _ in range(5):
                server.push_message("/help", chat_id=4242)
            server.wait_for(lambda calls: sum(c.chat_id == 4242 for c in calls) >= 5)
            server.fail_with_page("getUpdates", times=2)
            reply_latency(server, 4343, "/help")  # the long poll under way answers this one
            server.wait_for(lambda _: server.pages_served == 7, timeout=10)
            assert reply_latency(server, 4444, "/help") < 10  # polling recovers by itself
        finally:
            stop(process)
    text = log.read_text(errors="replace")
    assert text.count("web page instead of JSON") == 1
    assert "Can not load invalid JSON" not in text
    assert log_problems(log) == []
    warnings = [line for line in text.splitlines() if " WARNING " in line]
    assert len(warnings) <= 2, warnings  # the page, and the replies that could not go out
