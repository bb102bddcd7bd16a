"""In a group, a typed answer to a set-up question counts only from an admin, like a press."""

from __future__ import annotations

from typing import Any

import pytest

from bot.telegram.offline import BOT_USER, ApiCall
from tests.harness import Harness
from tests.test_reminder_setup import data_of, schedule
from tests.test_reminder_times import at

GROUP = -100555
ADMIN, MEMBER = 42, 77
NOW = at("Europe/London", "2026-11-24T09:00")


async def answer(bot: Harness, text: str, user_id: int) -> list[ApiCall]:
    """Someone in the group replies to the bot's question (the only way the bot reads it)."""
    message = bot.message(text, chat_id=GROUP, chat_type="supergroup", user_id=user_id)
    message["reply_to_message"] = {"message_id": 1, "date": 1, "from": BOT_USER, "text": "?",
                                   "chat": {"id": GROUP, "type": "supergroup", "title": "G"}}
    return await bot.feed({"message": message})


async def in_group(bot: Harness, text: str, user_id: int) -> list[ApiCall]:
    return await bot.send(text, chat_id=GROUP, chat_type="supergroup", user_id=user_id)


async def press(bot: Harness, data: str, user_id: int) -> list[ApiCall]:
    return await bot.press(data, chat_id=GROUP, chat_type="supergroup", user_id=user_id)


@pytest.fixture
async def group(bot: Harness) -> Harness:
    bot.app.bot_data.clock = lambda: NOW
    bot.api.administrators[GROUP] = {ADMIN}
    await in_group(bot, "/remind 07:00 Sydney", ADMIN)
    assert schedule(bot) == [("card", 7 * 60, 127, "Australia/Sydney")]
    return bot


@pytest.mark.parametrize(("button", "typed", "admins"), [
    ("⏰ Change time", "23:45", "6.30am"),
    ("🌍 Change time zone", "Tokyo", "Auckland"),
])
async def test_a_members_typed_answer_changes_nothing(group: Harness, button: str, typed: str,
                                                      admins: str) -> None:
    overview = Harness.only_reply(await in_group(group, "/reminders", ADMIN))
    await press(group, data_of(overview, button), ADMIN)
    before = group.snapshot()
    refused = Harness.only_reply(await answer(group, typed, MEMBER))
    assert "Only this group's admins" in refused.plain
    assert group.snapshot() == before
    done = Harness.only_reply(await answer(group, admins, ADMIN))
    assert "All set" in done.plain
    assert schedule(group) != [("card", 7 * 60, 127, "Australia/Sydney")]
    assert "23:45" not in done.plain and "Tokyo" not in done.plain


async def test_a_members_answers_do_not_finish_a_new_set_up(group: Harness) -> None:
    await in_group(group, "/remind", ADMIN)
    before = group.snapshot()
    refused = Harness.only_reply(await answer(group, "8am", MEMBER))
    assert "Only this group's admins" in refused.plain
    assert group.snapshot() == before
    ask_zone = Harness.only_reply(await answer(group, "8am", ADMIN))
    assert "Which time zone" in ask_zone.plain
    refused = Harness.only_reply(await answer(group, "London", MEMBER))
    assert "Only this group's admins" in refused.plain
    ask_days = Harness.only_reply(await answer(group, "London", ADMIN))
    done = Harness.only_reply(await press(group, data_of(ask_days, "Every day"), ADMIN))
    assert "every day at 08:00 (Europe/London)" in done.plain


async def test_a_members_question_during_a_set_up_is_still_answered(group: Harness) -> None:
    await in_group(group, "/remind", ADMIN)
    reply = Harness.only_reply(await answer(group, "is kefir good for kids?", MEMBER))
    assert "Only this group's admins" not in reply.plain
    assert "isn't a time" not in reply.plain and reply.buttons  # a card, not a set-up prompt
    ask_zone = Harness.only_reply(await answer(group, "8am", ADMIN))  # still waiting for it
    assert "Which time zone" in ask_zone.plain


async def test_an_anonymous_admins_typed_answer_counts(group: Harness) -> None:
    overview = Harness.only_reply(await in_group(group, "/reminders", ADMIN))
    await press(group, data_of(overview, "⏰ Change time"), ADMIN)
    message: dict[str, Any] = group.message("6.30am", chat_id=GROUP, chat_type="supergroup",
                                            user_id=1087968824)
    message["sender_chat"] = {"id": GROUP, "type": "supergroup", "title": "G"}
    message["reply_to_message"] = {"message_id": 1, "date": 1, "from": BOT_USER, "text": "?",
                                   "chat": {"id": GROUP, "type": "supergroup", "title": "G"}}
    done = Harness.only_reply(await group.feed({"message": message}))
    assert "All set" in done.plain
    assert schedule(group) == [("card", 6 * 60 + 30, 127, "Australia/Sydney")]
