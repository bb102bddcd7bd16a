"""GET /healthz: 200 while the store answers and the sender keeps cycling, 503 when the store
is down or the sender is stuck with messages due. The real Application and web server on
loopback; the store on both engines for its part."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import shutil
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx
import pytest

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


class FrozenPostgres:
    """A Unix-socket relay in front of the test's PostgreSQL that can stop passing bytes, as a
    server stopped with SIGSTOP would (connections accepted, nothing answered)."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.target = dict(parse_qsl(parts.query))["host"] + "/.s.PGSQL.5432"
        self.folder = tempfile.mkdtemp(prefix="pgrelay-")  # short: socket paths are limited
        self.url = urlunsplit(parts._replace(query=urlencode({"host": self.folder})))
        self.flowing = asyncio.Event()
        self.flowing.set()
        self.connections = 0

    async def __aenter__(self) -> FrozenPostgres:
        self.server = await asyncio.start_unix_server(
            self._relay, path=f"{self.folder}/.s.PGSQL.5432")
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.flowing.set()
        self.server.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        await self.flowing.wait()
        up_reader, up_writer = await asyncio.open_unix_connection(self.target)

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(ConnectionError):
                while chunk := await src.read(65536):
                    await self.flowing.wait()
                    dst.write(chunk)
                    await dst.drain()
            dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))


async def test_the_store_probe_answers_within_its_bound_while_postgresql_is_frozen(
        postgres_url: str) -> None:
    async with FrozenPostgres(postgres_url) as relay:
        db = await open_database(relay.url, pool_size=2)
        try:
            assert await health.probe_store(db, 0, timeout=1.0) == 0
            relay.flowing.clear()  # frozen from here
            started = time.monotonic()
            with pytest.raises(TimeoutError):
                await health.probe_store(db, 0, timeout=1.0)
            # asyncio.timeout() around the query took 65 s to give up here (asyncpg waits
            # for its cancel request and the connection's reset).
            assert time.monotonic() - started < 2.0
            seen = relay.connections
            started = time.monotonic()
            for _ in range(3):  # a monitor polling a frozen store piles nothing onto it
                with pytest.raises(TimeoutError):
                    await health.probe_store(db, 0, timeout=0.3)
            assert time.monotonic() - started < 2.0 and relay.connections == seen
            relay.flowing.set()  # thawed: the stuck probe finishes, the next one answers
            assert await health.probe_store(db, 0, timeout=5.0) == 0
        finally:
            relay.flowing.set()
            await db.close()
