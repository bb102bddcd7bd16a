"""A moderator's odd input (links, code, dates, far-off times, forged buttons) is answered,
and whatever is broadcast is HTML Telegram accepts."""

from __future__ import annotations

from typing import Any

import pytest

from bot.telegram import html as telegram_html
from bot.telegram.offline import ApiCall
from tests.harness import Harness
from tests.test_reminder_setup import data_of
from tests.test_reminder_times import at

OWNER = 9000001  # BOT_ADMIN_IDS in conftest
NOW = at("Europe/London", "2026-11-24T10:00")


@pytest.fixture
async def owner(bot: Harness) -> Harness:
    bot.app.bot_data.clock = lambda: NOW
    await bot.send("/start", chat_id=OWNER)
    return bot


async def compose(bot: Harness, text: str, entities: list[dict[str, Any]]
                  ) -> tuple[ApiCall, ApiCall]:
    """/broadcast, then a formatted message: the preview and the audience menu."""
    await bot.send("/broadcast", chat_id=OWNER)
    message = bot.message(text, chat_id=OWNER)
    message["entities"] = entities
    preview, menu = Harness.replies(await bot.feed({"message": message}))
    return preview, menu


async def send_to_me(bot: Harness, menu: ApiCall) -> list[ApiCall]:
    """Send the campaign to the moderator alone and return what reached them."""
    confirm = Harness.only_reply(await bot.press(data_of(menu, "🧪 Only me, as a test"),
                                                 chat_id=OWNER))
    await bot.press(data_of(confirm, "🚀 Send now"), chat_id=OWNER)
    before = len(bot.api.calls)
    await bot.app.bot_data.sender.drain()
    return [c for c in bot.api.calls[before:] if c.method == "sendMessage"]


async def test_a_link_with_an_ampersand_can_be_broadcast(owner: Harness) -> None:
    url = "https://example.com/a?x=1&y=2"
    preview, menu = await compose(owner, "Read more here", [
        {"type": "text_link", "offset": 10, "length": 4, "url": url}])
    assert '<a href="https://example.com/a?x=1&amp;y=2">here</a>' in preview.text
    delivered = await send_to_me(owner, menu)
    assert [c.text for c in delivered][:1] == [preview.text]
    assert owner.rows("SELECT status FROM outbox WHERE kind = 'broadcast'") == [("sent",)]


async def test_a_quote_in_a_link_stays_inside_its_attribute(owner: Harness) -> None:
    preview, menu = await compose(owner, "Read more here", [
        {"type": "text_link", "offset": 10, "length": 4, "url": 'https://example.com/a"b'}])
    assert '<a href="https://example.com/a&quot;b">here</a>' in preview.text
    assert telegram_html.problems(preview.text) == []
    assert [c.text for c in await send_to_me(owner, menu)][:1] == [preview.text]


@pytest.mark.parametrize("bad", [
    '<a href="https://example.com/a"b">x</a>',
    "<a href='https://example.com/a'>x</a>",
    "<a href=https://example.com/a>x</a>",
    '<a href="https://example.com/a" onclick="x">x</a>',
    '<b class="x">x</b>',
    '<span class="other">x</span>',
    '<pre><code class="python">x</code></pre>',
    '<tg-time unix="1790000000">x</tg-time>',
])
def test_the_html_checker_rejects_what_telegram_would(bad: str) -> None:
    assert telegram_html.problems(bad)


@pytest.mark.parametrize("good", [
    '<a href="https://example.com/a?x=1&amp;y=2">x</a>',
    '<a href="https://example.com/a&quot;b">x</a>',
    '<span class="tg-spoiler">x</span>', "<tg-spoiler>x</tg-spoiler>",
    '<pre><code class="language-python">x</code></pre>', "<blockquote expandable>x</blockquote>",
    '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
])
def test_the_html_checker_accepts_what_telegram_does(good: str) -> None:
    assert telegram_html.problems(good) == []


async def test_a_code_block_keeps_its_language_the_way_telegram_reads_it(owner: Harness) -> None:
    text = "Try this:\nprint('gut & skin')"
    preview, menu = await compose(owner, text, [
        {"type": "pre", "offset": 10, "length": 21, "language": "python"},
        {"type": "bold", "offset": 0, "length": 3}])
    assert ("<b>Try</b> this:\n<pre><code class=\"language-python\">print('gut &amp; skin')"
            "</code></pre>") in preview.text
    assert [c.text for c in await send_to_me(owner, menu)][:1] == [preview.text]


async def test_a_date_in_a_broadcast_is_sent_as_the_words_typed(owner: Harness) -> None:
    text = "Meet-up on 5 Dec at 18:00 🎉, bring a friend"
    preview, menu = await compose(owner, text, [
        {"type": "date_time", "offset": 11, "length": 14, "unix_time": 1796493600,
         "date_time_format": "wDT"},
        {"type": "italic", "offset": 30, "length": 5}])  # the emoji counts 2 (UTF-16)
    assert "Meet-up on 5 Dec at 18:00 🎉, <i>bring</i> a friend" in preview.text
    assert "tg-time" not in preview.text
    assert [c.text for c in await send_to_me(owner, menu)][:1] == [preview.text]


async def test_nested_and_every_kind_of_entity_render_as_accepted_html(owner: Harness) -> None:
    text = "bold italic @someone #tag https://x.org spoiler quote"
    preview, _ = await compose(owner, text, [
        {"type": "bold", "offset": 0, "length": 11},
        {"type": "italic", "offset": 5, "length": 6},
        {"type": "mention", "offset": 12, "length": 8},
        {"type": "hashtag", "offset": 21, "length": 4},
        {"type": "url", "offset": 26, "length": 13},
        {"type": "spoiler", "offset": 40, "length": 7},
        {"type": "expandable_blockquote", "offset": 48, "length": 5}])
    assert ("<b>bold <i>italic</i></b> @someone #tag https://x.org <tg-spoiler>spoiler"
            "</tg-spoiler> <blockquote expandable>quote</blockquote>") in preview.text


# --- schedule times and buttons a moderator could not mean -----------------------------------
async def ask_schedule_time(bot: Harness) -> None:
    _, menu = await compose(bot, "Hello all", [])
    confirm = Harness.only_reply(await bot.press(data_of(menu, "🧪 Only me, as a test"),
                                                 chat_id=OWNER))
    await bot.press(data_of(confirm, "🕒 Schedule…"), chat_id=OWNER)


@pytest.mark.parametrize(("zone", "typed", "problem"), [
    ("New York", "9999-12-31 23:59", "couldn't read"),
    ("London", "9999-12-31 23:59", "more than a year away"),
    ("Tokyo", "9999-12-31 23:59", "more than a year away"),
    ("London", "31 dec 2030 9am", "more than a year away"),
])
async def test_a_time_too_far_ahead_is_refused_kindly(owner: Harness, zone: str, typed: str,
                                                      problem: str) -> None:
    await owner.send(f"/remind 8am {zone}", chat_id=OWNER)  # the moderator's own zone
    await ask_schedule_time(owner)
    before = owner.snapshot()
    reply = Harness.only_reply(await owner.send(typed, chat_id=OWNER))
    assert problem in reply.plain and "Nothing has been scheduled" in reply.plain
    assert owner.snapshot() == before
    done = Harness.only_reply(await owner.send("tomorrow 9am", chat_id=OWNER))
    assert "is scheduled for Wed 25 Nov 2026, 09:00" in done.plain


@pytest.mark.parametrize("data", ["bc:99999999999999999999:x", "bc:9223372036854775808:now",
                                  "bc:9223372036854775807:x", "bc:00000000000000000001:now"])
async def test_a_forged_campaign_id_is_a_stale_button(owner: Harness, data: str) -> None:
    before = owner.snapshot()
    calls = await owner.press(data, chat_id=OWNER)
    assert "out of date" in Harness.only_reply(calls).plain
    assert any(c.method == "answerCallbackQuery" for c in calls)
    assert owner.snapshot() == before
