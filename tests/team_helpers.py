"""Driving a conversation with the team from both sides: the person's private chat, the
team's supergroup with topics (or moderators' own chats), through the real Application."""

from __future__ import annotations

import itertools
from typing import Any

from bot.telegram.offline import ApiCall
from tests.harness import USER_ID, Harness, assert_lands_well
from tests.test_reminder_setup import data_of
from tests.test_reminder_times import at

OWNER = 9000001  # BOT_ADMIN_IDS in conftest
MOD = 9000002
MOD2 = 9000003
TEAM = -1009990001234
PERSON = USER_ID
# The team's hours, for a test module's BOT_ENV that speaks of them.
HOURS_ENV = {"BOT_TEAM_HOURS": "Mon-Fri 09:00-17:00", "BOT_TEAM_ZONE": "Europe/London"}
# A Tuesday, 23:10 in London: outside the team's hours (HOURS_ENV).
NOW = at("Europe/London", "2026-11-24T23:10")
_queries = itertools.count(1)


class Job:
    """The slice of a job's context that minute_tick reads."""

    def __init__(self, bot: Harness) -> None:
        self.bot = bot.app.bot
        self.bot_data = bot.app.bot_data


def clock(bot: Harness, at_time: int) -> None:
    bot.app.bot_data.clock = lambda: at_time


async def moderators(bot: Harness) -> None:
    """The owner and two moderators, each with the bot started in their own chat."""
    bot.app.bot_data.clock = lambda: NOW
    await bot.send("/start", chat_id=OWNER)
    await bot.send(f"/mod add {MOD}", chat_id=OWNER)
    await bot.send(f"/mod add {MOD2}", chat_id=OWNER)
    await bot.send("/start", chat_id=MOD, first_name="Ana")
    await bot.send("/start", chat_id=MOD2, first_name="Ben")
    await bot.send("/start", chat_id=PERSON)


async def drain(bot: Harness) -> list[ApiCall]:
    """Send what the outbox holds; every message that lands is checked like a reply."""
    before = len(bot.api.calls)
    await bot.app.bot_data.sender.drain()
    new = bot.api.calls[before:]
    for call in new:
        if call.method in ("sendMessage", "sendPhoto", "editMessageText"):
            assert_lands_well(call, bot.disclaimer)
    return new


def sent_to(calls: list[ApiCall], chat_id: int) -> list[ApiCall]:
    return [c for c in calls if c.method in ("sendMessage", "editMessageText")
            and c.chat_id == chat_id]


def thread_of(call: ApiCall) -> int | None:
    raw = call.params.get("message_thread_id")
    return int(raw) if raw is not None else None


def team_message(bot: Harness, text: str, *, thread: int | None, user_id: int = MOD,
                 first_name: str = "Ana", reply_to: dict[str, Any] | None = None,
                 **extra: Any) -> dict[str, Any]:
    """A message in the team's supergroup: inside a topic when `thread` is given."""
    message = bot.message(text, chat_id=TEAM, chat_type="supergroup", user_id=user_id,
                          first_name=first_name, **extra)
    message["chat"]["is_forum"] = True
    if thread is not None:
        message.update(message_thread_id=thread, is_topic_message=True)
        # In a topic, a message with nothing else to reply to replies to the topic's start.
        message.setdefault("reply_to_message", {
            "message_id": thread, "date": 1, "chat": message["chat"],
            "forum_topic_created": {"name": "#", "icon_color": 7322096}})
    if reply_to is not None:
        message["reply_to_message"] = reply_to
    return message


async def in_topic(bot: Harness, text: str, thread: int | None, **kwargs: Any) -> list[ApiCall]:
    return await bot.feed({"message": team_message(bot, text, thread=thread, **kwargs)})


def bot_message(call: ApiCall) -> dict[str, Any]:
    """The message a call put in a chat, as an update carries it (to press or reply to)."""
    result = dict(call.result)
    return result


async def press(bot: Harness, call: ApiCall, label: str, *, user_id: int,
                first_name: str = "Ana") -> list[ApiCall]:
    """Press a button of a message the bot sent (in whichever chat and topic it is)."""
    query = {"id": f"q{next(_queries)}", "chat_instance": "ci", "data": data_of(call, label),
             "from": {"id": user_id, "is_bot": False, "first_name": first_name},
             "message": bot_message(call)}
    return await bot.feed({"callback_query": query})
