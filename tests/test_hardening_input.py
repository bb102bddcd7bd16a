"""Odd digits, walls of whitespace and capitalised links get a friendly answer, never a crash."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings
from bot.library.model import Library
from bot.library.search_words import MAX_CHARS
from tests.harness import Harness
from tests.test_reminder_setup import data_of
from tests.test_reminder_times import at

OWNER = 9000001  # BOT_ADMIN_IDS in conftest
NOW = at("Europe/London", "2026-11-24T10:00")


@pytest.fixture
async def subscribed(bot: Harness) -> Harness:
    bot.app.bot_data.clock = lambda: NOW
    await bot.send("/remind 08:00 London")
    return bot


@pytest.mark.parametrize("typed", ["²", "3²", "٣", "9" * 5000, "-1", "0", "366", "1.5"])
async def test_pause_with_odd_digits_is_refused_kindly(subscribed: Harness, typed: str) -> None:
    before = subscribed.snapshot()
    calls = await subscribed.send(f"/pause {typed}")
    reply = Harness.only_reply(calls)
    assert "can't pause for" in reply.plain and "nothing has changed" in reply.plain
    assert "from 1 to 365" in reply.plain
    assert subscribed.snapshot() == before


async def test_pause_with_plain_digits_still_pauses(subscribed: Harness) -> None:
    reply = Harness.only_reply(await subscribed.send("/pause 2"))
    assert "Taking a break: no reminders or check-ins until Thu 26 Nov, 10:00" in reply.plain
    assert subscribed.rows("SELECT paused_until FROM chats") == [(NOW + 2 * 86_400,)]


@pytest.mark.parametrize("typed", ["²", "¹²³", "9" * 5000, "99999999999999999999"])
async def test_mod_add_with_odd_digits_changes_nothing(bot: Harness, typed: str) -> None:
    await bot.send("/start", chat_id=OWNER)
    before = bot.snapshot()
    reply = Harness.only_reply(await bot.send(f"/mod add {typed}", chat_id=OWNER))
    assert "isn't a Telegram user id" in reply.plain and "nothing changed" in reply.plain
    assert bot.snapshot() == before


@pytest.mark.parametrize("typed", ["25 dec ²⁰²⁷ 9am", "²⁵ dec 9am", "dec ²⁵ 9am",
                                   "25 dec 99999 9am", "31 feb 9am"])
async def test_a_schedule_date_with_odd_digits_is_not_read(bot: Harness, typed: str) -> None:
    bot.app.bot_data.clock = lambda: NOW
    await bot.send("/start", chat_id=OWNER)
    await bot.send("/broadcast", chat_id=OWNER)
    _, menu = Harness.replies(await bot.send("Hello everyone", chat_id=OWNER))
    confirm = Harness.only_reply(await bot.press(data_of(menu, "🧪 Only me, as a test"),
                                                 chat_id=OWNER))
    await bot.press(data_of(confirm, "🕒 Schedule…"), chat_id=OWNER)
    before = bot.snapshot()
    reply = Harness.only_reply(await bot.send(typed, chat_id=OWNER))
    assert "couldn't read" in reply.plain and "Nothing has been scheduled" in reply.plain
    assert bot.snapshot() == before
    done = Harness.only_reply(await bot.send("25 dec 2027 9am", chat_id=OWNER))
    assert "Sat 25 Dec 2027, 09:00" in done.plain


@pytest.mark.parametrize("value", ["²", "1,²", "9" * 5000])
def test_settings_with_odd_digits_name_their_variable(value: str) -> None:
    with pytest.raises(ConfigError, match="BOT_ADMIN_IDS"):
        load_settings({"BOT_ADMIN_IDS": value})
    with pytest.raises(ConfigError, match="BOT_SEND_RATE"):
        load_settings({"BOT_SEND_RATE": value})


# --- search reads at most 3,000 characters; padding does not count towards them -------------
@pytest.mark.parametrize("padding", ["\u3000", "\n", " \n", "\u200b"])
async def test_a_question_padded_by_thousands_of_blanks_is_answered(
        bot: Harness, library: Library, padding: str) -> None:
    """Newlines or ideographic spaces before "fibre" are not words: the same card as the word
    alone, not "I don't have a card" (issue 21)."""
    alone = Harness.only_reply(await bot.send("fibre"))
    padded = Harness.only_reply(await bot.send(padding * 4000 + "fibre"))
    assert library.cards["fibre-gentle-start"].title in padded.plain
    assert padded.plain == alone.plain and "don't have a card" not in padded.plain


async def test_a_mention_followed_by_newlines_in_a_group_is_answered(bot: Harness) -> None:
    group = -100321
    text = "@gutskin_guide_bot" + "\n" * 3001 + "is kefir good?"
    message = bot.message(text, chat_id=group, chat_type="supergroup")
    message["entities"] = [{"type": "mention", "offset": 0, "length": 18}]
    reply = Harness.only_reply(await bot.feed({"message": message}))
    assert reply.chat_id == group and reply.buttons


async def test_3000_characters_of_words_then_a_word_cut_in_half_reads_nothing_of_it(
        bot: Harness) -> None:
    index = bot.app.bot_data.index
    words = "x " * (MAX_CHARS // 2 - 1)  # MAX_CHARS - 2 characters, none of them padding
    assert index.search(words + "probiotics") == []  # "pr" is all the limit leaves of it
    assert index.search(" " * (MAX_CHARS + 1) + "probiotics")  # spaces are not read as words
    assert index.search("\n" * MAX_CHARS) == []
    assert index.search("probiotics for my baby " + " " * MAX_CHARS)


# --- deep links open cards whatever their case -------------------------------------------------
async def test_a_deep_link_in_capitals_opens_the_card(bot: Harness, library: Library) -> None:
    card = library.cards["fibre-feeds-good-bacteria"]
    reply = Harness.only_reply(await bot.send("/start CARD-FIBRE-FEEDS-GOOD-BACTERIA"))
    assert card.title in reply.plain
    reply = Harness.only_reply(await bot.send("/start card-Fibre-Feeds-Good-Bacteria"))
    assert card.title in reply.plain
    assert bot.rows("SELECT card_id, times FROM card_views") == [(card.id, 2)]


def test_the_shell_reads_a_superscript_as_text_not_a_button(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    env["BOT_DATABASE"] = str(tmp_path / "shell.sqlite3")
    result = subprocess.run([sys.executable, "-m", "bot", "shell"], input="/start\n²\n",
                            env=env, cwd=root, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.count("not medical advice") == 2  # the welcome, then an answer
