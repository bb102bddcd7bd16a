"""/cancel stops any set-up and says nothing changed; navigation words do what they say."""

from __future__ import annotations

import pytest

from tests.harness import Harness
from tests.test_reminder_setup import schedule


async def test_cancel_in_the_middle_of_remind_keeps_the_old_settings(bot: Harness) -> None:
    await bot.send("/remind 8am London")
    before = schedule(bot)
    await bot.send("/remind")
    reply = Harness.only_reply(await bot.send("/cancel"))
    assert "Stopped. Your reminder settings are as they were" in reply.plain
    # The set-up no longer waits: a time typed now is not taken as an answer.
    after = Harness.only_reply(await bot.send("21:00"))
    assert "All set" not in after.plain
    assert schedule(bot) == before


@pytest.mark.parametrize("command", ["/focus", "/habits"])
async def test_cancel_in_focus_and_habits(bot: Harness, command: str) -> None:
    await bot.send(command)
    reply = Harness.only_reply(await bot.send("cancel"))
    assert reply.plain.startswith("Stopped.")


async def test_cancel_with_nothing_waiting_is_a_friendly_word(bot: Harness) -> None:
    reply = Harness.only_reply(await bot.send("/cancel"))
    assert reply.plain.startswith("There was nothing to cancel")


@pytest.mark.parametrize(("word", "expected"), [
    ("help", "How to use this bot"), ("Help!", "How to use this bot"),
    ("menu", None), ("topics", None), ("start", "Hi Sam"),
    ("how do I unsubscribe", "To stop every reminder, send /stop"),
])
async def test_navigation_words_do_what_they_say(bot: Harness, word: str,
                                                 expected: str | None) -> None:
    reply = Harness.only_reply(await bot.send(word))
    assert "pharmacist or dermatologist is the best person to ask" not in reply.plain
    if expected:
        assert expected in reply.plain
    else:
        assert "🥦 Fibre" in reply.button_labels


async def test_stop_please_stops_the_reminders(bot: Harness) -> None:
    await bot.send("/remind 8am London")
    await bot.send("Stop please")
    assert bot.rows("SELECT status FROM chats") == [("stopped",)]
