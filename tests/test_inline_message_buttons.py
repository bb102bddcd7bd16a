"""A button on a message shared by inline mode (inline_message_id, no message, no chat) is
answered with a short note, never crashes, and changes nothing."""

from __future__ import annotations

import pytest

from bot.library.model import Library
from tests.harness import USER_ID, Harness
from tests.test_reminder_times import at

NOW = at("Europe/London", "2026-11-24T09:00")


@pytest.mark.parametrize("data", [
    "topic:fibre", "menu", "card:fibre-feeds-good-bacteria", "next:fibre-feeds-good-bacteria",
    "remind", "set:show", "set:stop", "set:time", "rt:abcd:480", "rz:abcd:0", "rd:abcd:127",
    "focus:abcd:done3", "hab:abcd:done1", "ci:20261124:0:y", "forget:ask", "forget:yes",
    "bc:1:now", "bc:1:x", "rk:1170:31:europe:london", "topic:nope", "garbage"])
async def test_a_button_on_an_inline_message_is_answered_and_changes_nothing(
        bot: Harness, library: Library, data: str) -> None:
    bot.app.bot_data.clock = lambda: NOW
    await bot.send("/remind 08:00 London")
    before = bot.snapshot()
    query = {"id": "q", "chat_instance": "ci", "data": data, "inline_message_id": "AgAAAB",
             "from": {"id": USER_ID, "is_bot": False, "first_name": "Sam"}}
    calls = await bot.feed({"callback_query": query})
    assert [c.method for c in calls] == ["answerCallbackQuery"]  # no error, no report to owners
    assert calls[0].params.get("text") == library.label("button_elsewhere")
    assert bot.snapshot() == before
