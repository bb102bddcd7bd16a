"""A "Send now" lost to a crash is offered again, and pressing it twice sends once.

PTB acknowledges an update to Telegram before its handler has run; a bot killed in between
loses the press: the moderator saw no answer and the campaign stayed a draft. Their next
/campaigns or /broadcast offers the draft with Send now again. The real-process test kills
the bot at the very moment it acknowledges the press.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import build_application, running
from bot.config import load_settings
from bot.delivery.sender import Limits
from bot.library.model import Library
from bot.store import open_database
from bot.telegram.offline import OfflineBotAPI
from tests.crash import start_bot, stop
from tests.harness import Harness
from tests.loopback_api import LoopbackBotAPI
from tests.test_campaign_crash import button, replies_to
from tests.test_reminder_setup import data_of

OWNER = 9000001  # BOT_ADMIN_IDS in conftest
SUBSCRIBERS = (101, 102, 103)


@pytest.fixture
def restart(library: Library, db_path: Path):  # type: ignore[no-untyped-def]
    """A fresh process on the same database file: nothing survives but what was written."""

    def start() -> AsyncIterator[Harness]:
        settings = load_settings({"BOT_DATABASE": str(db_path), "BOT_ADMIN_IDS": str(OWNER)})
        api = OfflineBotAPI()
        app = build_application(settings, library, request=api, background=False,
                                limits=Limits(enabled=False))

        async def run() -> AsyncIterator[Harness]:
            async with running(app):
                yield Harness(app, api, db_path)

        return run()

    return start


async def draft_up_to_send_now(bot: Harness) -> str:
    """Subscribers, then the owner's broadcast as far as the Send now button; returns it."""
    for chat in SUBSCRIBERS:
        await bot.send("/start", chat_id=chat)
    await bot.send("/broadcast", chat_id=OWNER)
    menu = Harness.replies(await bot.send("Clinic open day on Friday", chat_id=OWNER))[-1]
    confirm = Harness.only_reply(await bot.press(data_of(menu, "👥 All subscribers (3)"),
                                                 chat_id=OWNER))
    return data_of(confirm, "🚀 Send now")


async def test_after_a_lost_press_campaigns_offers_the_draft_again(restart) -> None:
    async for bot in restart():
        send_now = await draft_up_to_send_now(bot)
    # The press is lost with the process: nothing of it was written.
    async for again in restart():
        calls = Harness.replies(await again.send("/campaigns", chat_id=OWNER))
        offer = calls[-1]
        assert "A broadcast you prepared has not been sent" in offer.plain
        assert "Clinic open day" in offer.plain and "3 chats right now" in offer.plain
        started = Harness.only_reply(await again.press(data_of(offer, "🚀 Send now"),
                                                       chat_id=OWNER))
        assert "Campaign #1 is on its way to 3 chats" in started.plain
        # The old button, still on the moderator's screen, pressed again: nothing more.
        gone = Harness.only_reply(await again.press(send_now, chat_id=OWNER))
        assert "already been sent" in gone.plain
        await again.app.bot_data.sender.drain()
        for chat in SUBSCRIBERS:
            assert sum("Clinic open day" in c.plain for c in again.api.sent(chat)) == 1
        # Sent: no longer offered.
        calls = Harness.replies(await again.send("/campaigns", chat_id=OWNER))
        assert not any("has not been sent" in c.plain for c in calls)


async def test_broadcast_offers_it_too_but_only_to_its_own_moderator(bot: Harness) -> None:
    await draft_up_to_send_now(bot)
    calls = Harness.replies(await bot.send("/broadcast", chat_id=OWNER))
    assert "New broadcast" in calls[0].plain
    assert "A broadcast you prepared has not been sent" in calls[-1].plain
    await bot.send("/mod add 9000002", chat_id=OWNER)
    calls = Harness.replies(await bot.send("/campaigns", chat_id=9000002))
    assert not any("has not been sent" in c.plain for c in calls)


async def test_a_week_old_draft_is_not_offered(bot: Harness) -> None:
    await draft_up_to_send_now(bot)
    now = time.time() + 8 * 86_400
    bot.app.bot_data.clock = lambda: now
    calls = Harness.replies(await bot.send("/campaigns", chat_id=OWNER))
    assert not any("has not been sent" in c.plain for c in calls)


@pytest.mark.slow
async def test_killed_as_it_acknowledges_send_now_the_press_is_not_lost(tmp_path: Path) -> None:
    database, log = tmp_path / "bot.sqlite3", tmp_path / "bot.log"
    db = await open_database(database)
    await db.close()
    with sqlite3.connect(database) as conn:
        conn.executemany("INSERT INTO chats (id, kind, first_seen, last_seen) "
                         "VALUES (?, 'private', 0, 0)", [(c,) for c in range(1, 201)])
    env = {"BOT_ADMIN_IDS": str(OWNER), "BOT_SEND_RATE": "1000"}
    with LoopbackBotAPI() as server:
        first = start_bot(server, database, log, **env)
        try:
            server.push_message("/start", chat_id=OWNER)  # reports go to chats the bot knows
            replies_to(server, OWNER, "Hi Sam")
            server.push_message("/broadcast", chat_id=OWNER)
            replies_to(server, OWNER, "New broadcast")
            server.push_message("Clinic open day on Friday", chat_id=OWNER)
            replies_to(server, OWNER, "Who should get this broadcast?")
            server.push_callback(button(server, OWNER, "👥 All subscribers"), chat_id=OWNER)
            replies_to(server, OWNER, "201 chats right now")
            # SIGKILL the moment PTB tells Telegram it has the press (its next getUpdates).
            server.when_acknowledged(server.next_update_id, first.kill)
            server.push_callback(button(server, OWNER, "🚀 Send now"), chat_id=OWNER)
            first.wait(timeout=20)
        finally:
            if first.poll() is None:
                first.kill()
        status = sqlite3.connect(database).execute("SELECT status FROM campaigns").fetchone()[0]
        second = start_bot(server, database, log, **env)
        try:
            if status == "draft":  # the press was lost: the moderator is offered it again
                server.push_message("/campaigns", chat_id=OWNER)
                replies_to(server, OWNER, "A broadcast you prepared has not been sent")
                server.push_callback(button(server, OWNER, "🚀 Send now"), chat_id=OWNER)
            replies_to(server, OWNER, "Campaign #1 has finished", timeout=30)
        finally:
            stop(second)
    got = [c.chat_id for c in server.sent() if "Clinic open day" in c.text and c.chat_id != OWNER]
    assert sorted(got) == list(range(1, 201))  # all of them, once each
    print(f"\nkilled as Send now was acknowledged: campaign was '{status}' after the kill; "
          f"{len(got)} deliveries to the 200 subscribers after the restart")
