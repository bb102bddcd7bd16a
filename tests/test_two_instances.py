"""Two real bot processes share one PostgreSQL and one (loopback) Bot API: a 10,000-recipient
broadcast and a minute of reminders go out once each, together within the send budget, and
when one instance is killed mid-way the other finishes its work."""

from __future__ import annotations

import re
import time
from collections import Counter
from pathlib import Path

import pytest

from bot.app import build_application, running
from bot.config import load_settings
from bot.delivery.sender import Limits
from bot.library.model import Library
from bot.store import campaigns
from bot.store.connect import open_database
from bot.telegram.offline import OfflineBotAPI
from tests.crash import kill_when, start_bot, stop
from tests.harness import Harness
from tests.loopback_api import LoopbackBotAPI
from tests.test_reminder_setup import after_zone, data_of, zone_step

RECIPIENTS = 10_000
REMINDERS = 500  # the first 500 also have a daily card due this minute
RATE = 600  # BOT_SEND_RATE: the budget for the bot as a whole, shared by the instances
LEASE = 3  # BOT_CLAIM_LEASE: a dead instance's claims go out again after this many seconds
BROADCAST = "Community update: our next live questions evening is on Thursday"


async def seed(url: str) -> int:
    db = await open_database(url)
    try:
        due = int(time.time()) // 60
        await db.insert_rows(
            "INSERT INTO chats (id, kind, first_seen, last_seen, timezone) VALUES",
            [(c, "private", 0, 0, "UTC") for c in range(1, RECIPIENTS + 1)])
        await db.insert_rows(
            "INSERT INTO schedules (chat_id, kind, local_minute, days, next_due) VALUES",
            [(c, "card", 0, 127, due) for c in range(1, REMINDERS + 1)])
        draft = await campaigns.create_draft(db, created_by=9000001, report_chat=9000001,
                                             kind="message", now=int(time.time()),
                                             body_html=BROADCAST)
        await campaigns.set_audience(db, draft, campaigns.ALL)
        started = await campaigns.start(db, draft, int(time.time()))
        assert started == RECIPIENTS
        return draft
    finally:
        await db.close()


def deliveries(server: LoopbackBotAPI) -> list[tuple[int, str]]:
    """(chat, what) for every message Telegram accepted: the broadcast or a daily card."""
    return [(c.chat_id, "broadcast" if BROADCAST in c.text else "card") for c in server.calls
            if c.method == "sendMessage" and c.status == 200 and c.chat_id is not None
            and 0 < c.chat_id <= RECIPIENTS]


async def in_flight_of(url: str, pid: int) -> int:
    db = await open_database(url)
    try:
        row = await db.fetchone("SELECT COUNT(*) FROM outbox WHERE status = 'sending' AND "
                                "claimed_by LIKE ?", (f"%:{pid}:%",))
        return int(row[0])
    finally:
        await db.close()


def busiest_second(server: LoopbackBotAPI) -> int:
    times = sorted(c.time for c in server.calls if c.method == "sendMessage")
    best, start = 0, 0
    for end, moment in enumerate(times):
        while moment - times[start] >= 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best


@pytest.mark.slow
async def test_two_instances_one_killed_nothing_lost_nothing_doubled(
        postgres_url: str, tmp_path: Path) -> None:
    await seed(postgres_url)
    expected = {(c, "broadcast") for c in range(1, RECIPIENTS + 1)} | {
        (c, "card") for c in range(1, REMINDERS + 1)}
    env = {"DATABASE_URL": postgres_url, "BOT_SEND_RATE": str(RATE),
           "BOT_CLAIM_LEASE": str(LEASE), "BOT_DATABASE": str(tmp_path / "unused.sqlite3")}
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    with LoopbackBotAPI() as server:
        first = start_bot(server, tmp_path / "unused.sqlite3", logs[0], **env)
        second = start_bot(server, tmp_path / "unused.sqlite3", logs[1], **env)
        try:
            kill_when(server, first, len(expected) // 3, timeout=120)
            landed_before_kill = deliveries(server)
            in_flight = await in_flight_of(postgres_url, first.pid)
            # Looked at ten times a second: wait_for would rescan all 10,000+ calls on every
            # new one while holding the fake's lock (quadratic: most of this test's time).
            deadline = time.monotonic() + 120
            while not set(deliveries(server)) >= expected and time.monotonic() < deadline:
                time.sleep(0.1)
            time.sleep(LEASE + 1.0)  # a late repeat would show up now
        finally:
            stop(second)
            stop(first)
    got = Counter(deliveries(server))
    assert set(got) == expected, f"{len(expected - set(got))} message(s) lost"
    # While both were alive, no message went out twice.
    before = Counter(landed_before_kill)
    assert all(n == 1 for n in before.values()), "two live senders sent the same row"
    repeats = sum(n - 1 for n in got.values())
    assert repeats <= in_flight, (repeats, in_flight)
    # Together within the bot's budget: each took half of it once it saw the other.
    peak = busiest_second(server)
    assert peak <= RATE * 1.05, peak
    assert any("2 instance(s) share the send budget" in log.read_text() for log in logs)
    for log in logs:
        text = log.read_text()
        assert "TEST-token" not in text and "Traceback" not in text, text[-2000:]
        # Not one error logged: a heartbeat and a sender settling rows in different orders
        # once deadlocked here, under this very load.
        errors = [line for line in text.splitlines() if " ERROR " in line]
        assert not errors, errors[:5]
    print(f"\n{len(expected)} messages to {RECIPIENTS} chats by 2 instances; first killed after "
          f"{len(landed_before_kill)} landed with {in_flight} in flight; {repeats} arrived "
          f"twice; 0 lost; busiest second {peak} sends (budget {RATE}/s)")


def test_instance_ids_name_the_process() -> None:
    from bot.app import INSTANCE

    assert re.fullmatch(r".+:\d+:[0-9a-f]{6}", INSTANCE)


async def test_a_set_up_started_on_one_instance_carries_on_at_the_other(
        library: Library, postgres_url: str, tmp_path: Path) -> None:
    """Behind a load balancer a person's next tap may reach another instance, both running."""
    settings = load_settings({"DATABASE_URL": postgres_url, "BOT_ADMIN_IDS": "9000001",
                              "BOT_DATABASE": str(tmp_path / "unused.sqlite3")})
    apps = [build_application(settings, library, request=OfflineBotAPI(), background=False,
                              limits=Limits(enabled=False)) for _ in range(2)]
    async with running(apps[0]) as one, running(apps[1]) as two:
        first = Harness(one, one.bot.request, tmp_path, postgres_url)  # type: ignore[arg-type]
        second = Harness(two, two.bot.request, tmp_path, postgres_url)  # type: ignore[arg-type]
        ask_time = Harness.only_reply(await first.send("/remind"))
        await one.update_persistence()  # what PTB does every second
        zone_step(await second.press(data_of(ask_time, "08:00")))
        await two.update_persistence()
        ask_days = after_zone(await first.send("Toronto"))
        await one.update_persistence()
        done = Harness.only_reply(await second.press(data_of(ask_days, "Every day")))
        assert "All set" in done.plain
    assert first.rows("SELECT s.local_minute, s.days, c.timezone FROM schedules s JOIN chats c "
                      "ON c.id = s.chat_id") == [(480, 127, "America/Toronto")]
