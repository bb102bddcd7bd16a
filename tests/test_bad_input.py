"""Bad input gets a friendly answer with a way forward, and changes nothing stored."""

from __future__ import annotations

import pytest

from bot.library.model import Library
from tests.harness import USER_ID, Harness

FORGED = ["topic:nope", "card:no-such-card", "next:no-such-card", "card:../../etc/passwd",
          "x" * 64, "menu:extra", "remind:7", "topic:", "card", "🙂", "TOPIC:fibre"]


@pytest.fixture
async def known(bot: Harness) -> Harness:
    await bot.send("/start")
    return bot


async def test_unknown_command_gets_help_and_the_topic_menu(known: Harness,
                                                            library: Library) -> None:
    before = known.snapshot()
    reply = Harness.only_reply(await known.send("/frobnicate now"))
    assert "don't know that command" in reply.plain
    assert reply.button_labels == [t.label for t in library.topics]
    assert known.snapshot() == before


async def test_unknown_card_id_is_named_and_nothing_is_recorded(known: Harness) -> None:
    before = known.snapshot()
    reply = Harness.only_reply(await known.send("/card <b>nope</b>"))
    assert "couldn't find a card called “<b>nope</b>”" in reply.plain
    assert known.snapshot() == before


@pytest.mark.parametrize("data", FORGED)
async def test_stale_or_forged_buttons_say_so_and_change_nothing(known: Harness,
                                                                  data: str) -> None:
    before = known.snapshot()
    calls = await known.press(data)
    reply = Harness.only_reply(calls)
    assert "out of date" in reply.plain
    assert any(c.method == "answerCallbackQuery" for c in calls)  # the spinner stops
    assert known.snapshot() == before


@pytest.mark.parametrize("kind", [
    {"sticker": {"file_id": "s", "file_unique_id": "s", "width": 512, "height": 512,
                 "is_animated": False, "is_video": False, "type": "regular"}},
    {"photo": [{"file_id": "p", "file_unique_id": "p", "width": 90, "height": 90}]},
    {"voice": {"file_id": "v", "file_unique_id": "v", "duration": 3}},
])
async def test_non_text_messages_get_a_friendly_answer(known: Harness, kind: dict) -> None:
    before = known.snapshot()
    reply = Harness.only_reply(await known.feed({"message": known.message(None, **kind)}))
    assert "topic" in reply.plain.lower()
    assert reply.buttons
    assert known.snapshot() == before


@pytest.mark.parametrize("text", ["x" * 4000, "\u202e\u200b ｆｉｂｒｅ 🤔", "   ", "<>&\"'"])
async def test_odd_text_never_breaks_the_bot(known: Harness, text: str) -> None:
    before = known.snapshot()
    calls = await known.send(text)
    assert Harness.replies(calls)
    assert known.snapshot()["chats"] == before["chats"]


async def test_a_name_full_of_markup_is_shown_literally(bot: Harness) -> None:
    reply = Harness.only_reply(await bot.send("/start", first_name='<b>Tom & "Jerry"</b>'))
    assert reply.plain.startswith('Hi <b>Tom & "Jerry"</b>!')
    assert "&lt;b&gt;Tom &amp; " in reply.text


async def test_a_handler_failure_apologises_and_tells_the_owner(bot: Harness) -> None:
    bot.api.fail("editMessageText", 400, "Bad Request: message can't be edited")
    # The edit fails, so the bot falls back to sending a fresh message: the user still sees it.
    calls = await bot.press("menu")
    assert [c.method for c in calls if c.method != "answerCallbackQuery"] == [
        "editMessageText", "sendMessage"]
    bot.api.fail("sendMessage", 400, "Bad Request: something unexpected")
    calls = await bot.send("/topics")
    failed, apology, report = Harness.replies(calls)
    assert failed.chat_id == apology.chat_id == USER_ID
    assert "something went wrong" in apology.plain
    assert report.chat_id == 9000001  # the owner from BOT_ADMIN_IDS
    assert "BadRequest('Something unexpected')" in report.plain and "message 3" in report.plain
