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


# --- messages that are not words: answered as what they are, never kept for /gaps ----------
def no_gaps(bot: Harness) -> None:
    assert bot.rows("SELECT question FROM answer_feedback") == []


@pytest.mark.parametrize(("typed", "number"), [("7", "7"), ("2.1", "2.1"), ("[3]", "3"),
                                               (" 12 ", "12")])
async def test_a_number_with_no_button_says_there_is_no_such_button(
        known: Harness, library: Library, typed: str, number: str) -> None:
    reply = Harness.only_reply(await known.send(typed))
    assert f"There's no button numbered {number}" in reply.plain
    assert "don't have a card" not in reply.plain
    assert reply.button_labels == [t.label for t in library.topics]  # buttons to tap
    no_gaps(known)


@pytest.mark.parametrize("typed", ["👍", "👍🏽", "🙏", "❤️", "👍 👍", "🙂🙂🙂"])
async def test_a_thumbs_up_or_thanks_emoji_gets_you_are_welcome(known: Harness,
                                                                 typed: str) -> None:
    reply = Harness.only_reply(await known.send(typed))
    assert reply.plain.startswith("You're very welcome.")
    no_gaps(known)


async def test_another_lone_emoji_is_told_words_are_needed(known: Harness) -> None:
    reply = Harness.only_reply(await known.send("🤔"))
    assert "an emoji alone doesn't tell me" in reply.plain and reply.buttons
    assert "don't have a card" not in reply.plain
    no_gaps(known)


@pytest.mark.parametrize("kind", [
    {"voice": {"file_id": "v", "file_unique_id": "v", "duration": 3}},
    {"audio": {"file_id": "a", "file_unique_id": "a", "duration": 30}},
    {"video_note": {"file_id": "n", "file_unique_id": "n", "length": 240, "duration": 5}},
])
async def test_a_voice_message_is_asked_for_in_writing(known: Harness, kind: dict) -> None:
    reply = Harness.only_reply(await known.feed({"message": known.message(None, **kind)}))
    assert reply.plain.startswith("I can't listen to voice messages yet, sorry. Please type")
    assert "don't have a card" not in reply.plain and reply.buttons
    no_gaps(known)


async def test_none_of_them_reaches_gaps(known: Harness) -> None:
    for typed in ("9", "👍", "🤔"):
        await known.send(typed)
    gaps = Harness.only_reply(await known.send("/gaps", chat_id=9000001)).plain
    assert "“#”" not in gaps and "👍" not in gaps


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
