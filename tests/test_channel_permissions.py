"""In a channel only its admins change anything; a subscriber's press is answered quietly."""

from __future__ import annotations

from typing import Any

import pytest

from bot.library.model import Library
from bot.telegram.offline import ApiCall
from tests.harness import Harness
from tests.test_reminder_setup import data_of
from tests.test_reminder_times import at

CHANNEL = -1001234
ADMIN, SUBSCRIBER = 42, 77
NOW = at("Europe/London", "2026-11-24T09:00")


def channel_post(bot: Harness, text: str) -> dict[str, Any]:
    """A post by the channel itself, as Telegram sends it: no sender, sender_chat the channel."""
    post = bot.message(text, chat_id=CHANNEL, chat_type="channel")
    post.pop("from")
    post["sender_chat"] = {"id": CHANNEL, "type": "channel", "title": "Eczema news"}
    return post


async def press(bot: Harness, data: str, user_id: int) -> list[ApiCall]:
    """A press under one of the bot's posts in the channel."""
    shown = channel_post(bot, "a post of the bot's")
    query = {"id": "q", "chat_instance": "ci", "data": data, "message": shown,
             "from": {"id": user_id, "is_bot": False, "first_name": "Reader"}}
    return await bot.feed({"callback_query": query})


@pytest.fixture
async def channel(bot: Harness) -> tuple[Harness, ApiCall]:
    bot.app.bot_data.clock = lambda: NOW
    bot.api.chat_types[CHANNEL] = "channel"
    bot.api.administrators[CHANNEL] = {ADMIN}
    done = Harness.only_reply(await bot.feed({"channel_post": channel_post(
        bot, "/remind 08:00 London")}))
    assert "All set" in done.plain
    card = Harness.only_reply(await bot.feed({"channel_post": channel_post(
        bot, "/card fibre-feeds-good-bacteria")}))
    return bot, card


async def test_a_subscribers_presses_change_nothing_and_post_nothing(
        channel: tuple[Harness, ApiCall], library: Library) -> None:
    bot, card = channel
    before = bot.snapshot()
    presses = ["set:show", "set:stop", "set:pause", "set:time", "set:focus", "set:habits",
               "remind", "menu", data_of(card, "Next card ▶"), data_of(card, "⬅ Back to topics"),
               "topic:fibre", "card:gut-skin-axis-basics", "forget:yes", "bc:1:now", "nonsense"]
    for data in presses:
        calls = await press(bot, data, SUBSCRIBER)
        assert [c.method for c in calls] == ["getChatMember", "answerCallbackQuery"], data
        assert calls[1].params.get("text") == library.label("channel_admins_only")
    assert bot.snapshot() == before
    assert bot.rows("SELECT status FROM chats WHERE id = ?", (CHANNEL,)) == [("active",)]


async def test_the_channels_admin_still_changes_its_reminders(
        channel: tuple[Harness, ApiCall]) -> None:
    bot, _ = channel
    overview = Harness.only_reply(await press(bot, "set:show", ADMIN))
    assert "every day at 08:00" in overview.plain and overview.chat_id == CHANNEL
    stopped = Harness.only_reply(await press(bot, data_of(overview, "🛑 Stop all"), ADMIN))
    assert "all reminders" in stopped.plain
    assert bot.rows("SELECT status FROM chats WHERE id = ?", (CHANNEL,)) == [("stopped",)]


async def test_channel_posts_by_the_channel_still_set_it_up(bot: Harness) -> None:
    bot.app.bot_data.clock = lambda: NOW
    bot.api.chat_types[CHANNEL] = "channel"
    calls = await bot.feed({"channel_post": channel_post(bot, "/pause 2")})
    assert "getChatMember" not in [c.method for c in calls]  # a post is the admins' own
