"""GET /healthz: 200 while the store answers and the sender keeps cycling, 503 when the store
is down or the sender is stuck with messages due. The real Application and web server on
loopback; the store on both engines for its part."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import httpx

from bot.delivery import health, scheduling
from bot.serving import web_server
from bot.store import Database, open_database, outbox
from bot.store import health as store_health
from tests.harness import Harness
from tests.test_reminder_delivery import ZONE, subscribe
from tests.test_reminder_times import at
from tests.test_webhook import free_port


async def test_healthz_is_200_then_503_while_the_store_is_down(bot: Harness,
                                                                db_path: Path) -> None:
    data = bot.app.bot_data
    settings = dataclasses.replace(data.settings, listen="127.0.0.1", health_port=free_port())
    server = web_server(bot.app, settings)
    assert server is not None
    await server.start()
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{server.port}") as http:
            fine = await http.get("/healthz")
            assert fine.status_code == 200
            assert fine.json() == {"store": "ok", "outbox_backlog": 0, "problems": [],
                                   "flood_control_wait_s": 0.0,
                                   "sender_last_cycle_age_s": fine.json()[
                                       "sender_last_cycle_age_s"]}
            await data.db.close()
            down = await http.get("/healthz")
            assert down.status_code == 503
            assert down.json()["store"].startswith("down (")
            assert down.json()["problems"] == ["the store does not answer"]
            assert down.json()["outbox_backlog"] is None
            data.db = await open_database(str(db_path))  # back up: healthy again
            assert (await http.get("/healthz")).status_code == 200
            assert (await http.get("/webhook")).status_code == 404  # polling: no webhook
    finally:
        await server.stop()


async def test_the_sender_is_stuck_only_while_messages_are_due(bot: Harness) -> None:
    data = bot.app.bot_data
    await subscribe(bot)
    now = at(ZONE, "2026-11-01T08:00") + 1
    data.clock = lambda: now
    await scheduling.enqueue_due(data.db, data.library, now)
    a_minute_on = lambda: time.monotonic() + 61  # noqa: E731 - no cycle for 61 s
    stuck = await health.check(data.db, data.sender, now, monotonic=a_minute_on)
    assert not stuck.ok
    assert stuck.outbox_backlog == 1
    assert stuck.problems == ("the sender has not cycled for 61 s while 1 message(s) are due",)
    assert (await health.check(data.db, data.sender, now)).ok  # 0 s: just started
    await data.sender.drain()
    assert [c.chat_id for c in bot.api.sent()]  # the card went out
    idle = await health.check(data.db, data.sender, now, monotonic=a_minute_on)
    assert idle.ok and idle.outbox_backlog == 0  # nothing due: a quiet sender is fine


async def test_the_store_answers_the_ping_on_both_engines(store: Database) -> None:
    await store_health.ping(store)
    assert await outbox.ready_count(store, int(time.time())) == 0
