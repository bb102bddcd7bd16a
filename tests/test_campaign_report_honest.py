"""A campaign report never claims fewer deliveries than people got, nor hides repeats.

When Telegram takes a message but its answer times out, the bot cannot know it landed: it
sends again (nothing may be lost), so the person can get it twice; and a message whose every
try timed out is counted failed although it arrived. The report says so: "at least", "perhaps
up to", "may have arrived twice".
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from telegram.error import TimedOut

from bot.app import build_application, report_finished_campaigns, running
from bot.config import load_settings
from bot.delivery.sender import Limits
from bot.library.model import Library
from bot.telegram.offline import OfflineBotAPI
from tests.harness import Harness
from tests.test_reminder_setup import data_of

OWNER = 9000001
T0 = 1_800_000_000


class SlowToConfirm(OfflineBotAPI):
    """Sends to chosen chats land, but their answer times out a given number of times."""

    def __init__(self) -> None:
        super().__init__()
        self.time_outs: dict[int, int] = {}

    async def do_request(self, url: str, method: str, request_data: Any = None,
                         *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        params = dict(request_data.parameters) if request_data else {}
        chat_id = int(params.get("chat_id") or 0)
        answer = await super().do_request(url, method, request_data, *args, **kwargs)
        if url.endswith("/sendMessage") and self.time_outs.get(chat_id):
            self.time_outs[chat_id] -= 1
            raise TimedOut  # it landed; the bot never hears so
        return answer


@pytest.fixture
async def world(library: Library, db_path: Path) -> AsyncIterator[Harness]:
    settings = load_settings({"BOT_DATABASE": str(db_path), "BOT_ADMIN_IDS": str(OWNER)})
    api = SlowToConfirm()
    app = build_application(settings, library, request=api, background=False,
                            limits=Limits(enabled=False))
    async with running(app):
        harness = Harness(app, api, db_path)
        now = [T0]
        app.bot_data.clock = lambda: now[0]
        harness.now = now  # type: ignore[attr-defined]
        for chat in (101, 102, 103, 104, OWNER):
            await harness.send("/start", chat_id=chat)
        yield harness


def copies(bot: Harness, chat_id: int, text: str) -> int:
    return sum(text in c.plain for c in bot.api.sent(chat_id))


async def test_timeouts_make_the_report_say_at_least_and_maybe_twice(world: Harness) -> None:
    data = world.app.bot_data
    await world.send("/broadcast", chat_id=OWNER)
    menu = Harness.replies(await world.send("Clinic open day on Friday", chat_id=OWNER))[-1]
    confirm = Harness.only_reply(await world.press(data_of(menu, "👥 All subscribers (5)"),
                                                   chat_id=OWNER))
    world.api.time_outs.update({102: 1, 103: 99})  # 102 once; 103 on every try
    await world.press(data_of(confirm, "🚀 Send now"), chat_id=OWNER)
    for _ in range(6):  # the sender's back-off: 2, 4, 8, 16 s, then it gives up
        await data.sender.drain()
        world.now[0] += 600  # type: ignore[attr-defined]
    await report_finished_campaigns(data)
    await data.sender.drain()

    assert copies(world, 102, "Clinic open day") == 2  # what the report must not hide
    assert copies(world, 103, "Clinic open day") == 5  # "failed", yet it arrived
    [report] = [c.plain for c in world.api.sent(OWNER) if "has finished" in c.plain]
    assert "Delivered: at least 4 of 5, perhaps up to 5" in report
    assert "Telegram never confirmed 1 send (timed out) that may have arrived" in report
    assert "May have arrived twice: 1" in report
    assert "Failed: 1" in report
    listing = Harness.only_reply(await world.send("/campaigns", chat_id=OWNER))
    assert "sent at least 4" in listing.plain


async def test_without_timeouts_the_report_is_exact(world: Harness) -> None:
    data = world.app.bot_data
    await world.send("/broadcast", chat_id=OWNER)
    menu = Harness.replies(await world.send("Clinic open day on Friday", chat_id=OWNER))[-1]
    confirm = Harness.only_reply(await world.press(data_of(menu, "👥 All subscribers (5)"),
                                                   chat_id=OWNER))
    await world.press(data_of(confirm, "🚀 Send now"), chat_id=OWNER)
    await data.sender.drain()
    await report_finished_campaigns(data)
    await data.sender.drain()
    [report] = [c.plain for c in world.api.sent(OWNER) if "has finished" in c.plain]
    assert "Delivered: 5 of 5\n" in report
    assert "at least" not in report and "twice" not in report
