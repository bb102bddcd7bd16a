"""Who the cards are for (asked in a first private chat, changed with /who): that reader's
cards come first in topic lists, "Next card" and the daily card, none is ever hidden, and the
daily card greets a parent and their child."""

from __future__ import annotations

import pytest

from bot.library.model import Library
from tests.harness import Harness
from tests.test_reminder_delivery import deliver_day, subscribe
from tests.test_reminder_setup import data_of

GROUP, ADMIN = -100555, 42
# The daily card's choice reads who each chat is for in a query of its own (store/readers.py).
BOTH_ENGINES = True


async def choose(bot: Harness, label: str) -> None:
    welcome = Harness.only_reply(await bot.send("/start"))
    Harness.only_reply(await bot.press(data_of(welcome, label)))


def titles(library: Library, *ids: str) -> list[str]:
    return [library.cards[i].title for i in ids]


@pytest.mark.parametrize(("label", "first"), [
    (None, ["probiotics-what-are-they", "probiotics-56-day-trial"]),
    ("👶 For my child", ["probiotic-strains-for-children", "probiotics-what-are-they"]),
    ("🙋 For me", ["probiotics-56-day-trial", "probiotics-2022-meta-analysis"]),
])
async def test_a_topic_lists_the_readers_cards_first_and_hides_none(
        bot: Harness, library: Library, label: str | None, first: list[str]) -> None:
    if label:
        await choose(bot, label)
    menu = Harness.only_reply(await bot.send("/topics"))
    probiotics = library.topic("probiotics")
    assert probiotics is not None
    topic = Harness.only_reply(await bot.press(data_of(menu, probiotics.label)))
    shown = topic.button_labels[:-1]  # then "back to topics"
    assert shown[:2] == titles(library, *first)
    assert sorted(shown) == sorted(c.title for c in library.cards_in("probiotics"))
    # The message lists them in the same order as its buttons.
    listed = [line[2:] for line in topic.plain.splitlines() if line.startswith(("• ", "✓ "))]
    assert listed == shown


@pytest.mark.parametrize(("label", "expected"), [
    (None, "calming-stress-gently"),  # the topic's own next card
    ("👶 For my child", "parents-looking-after-yourself"),
    ("🙋 For me", "stress-at-work"),
])
async def test_next_card_prefers_the_readers_card_within_the_topic(
        bot: Harness, library: Library, label: str | None, expected: str) -> None:
    if label:
        await choose(bot, label)
    shown = Harness.only_reply(await bot.send("/card stress-gut-skin-loop"))
    after = Harness.only_reply(await bot.press(data_of(shown, "Next card ▶")))
    assert library.cards[expected].title in after.plain.splitlines()[0]


@pytest.mark.parametrize(("label", "first_card", "greeting"), [
    (None, "gut-skin-axis-basics", "☀️ Your card for today"),
    ("👶 For my child", "probiotic-strains-for-children",
     "☀️ Today's card for you and your little one"),
    ("🙋 For me", "probiotics-56-day-trial", "☀️ Your card for today"),
])
async def test_the_daily_card_is_chosen_and_greets_for_the_reader(
        bot: Harness, library: Library, label: str | None, first_card: str,
        greeting: str) -> None:
    if label:
        await choose(bot, label)
    await subscribe(bot)
    [call] = await deliver_day(bot, "2026-11-01")
    assert call.plain.startswith(greeting)
    assert library.cards[first_card].title in call.plain


async def test_every_card_still_comes_round_for_a_parent(bot: Harness,
                                                         library: Library) -> None:
    await choose(bot, "👶 For my child")
    await subscribe(bot)
    seen = []
    for n in range(len(library.cards)):
        [call] = await deliver_day(bot, f"2026-11-{1 + n:02d}" if n < 30 else
                                   f"2026-12-{n - 29:02d}")
        seen.append(next(c.id for c in library.cards.values() if c.title in call.plain))
    assert sorted(seen) == sorted(library.cards)  # never hidden, never twice
    parents = [i for i, c in enumerate(seen) if library.cards[c].audience == "parents"]
    adults = [i for i, c in enumerate(seen) if library.cards[c].audience == "adults"]
    # The parents' cards come well before the adults' ones, on average.
    assert sum(parents) / len(parents) < sum(adults) / len(adults)


async def test_who_changes_the_answer_shows_in_mydata_and_forget_erases_it(
        bot: Harness) -> None:
    now = Harness.only_reply(await bot.send("/who"))
    assert "You haven't said yet" in now.plain
    assert now.button_labels == ["🙋 For me", "👶 For my child"]
    saved = Harness.only_reply(await bot.press(data_of(now, "👶 For my child")))
    assert "Cards for parents will come first" in saved.plain
    assert "/who changes this answer" in saved.plain
    assert "Cards are for: you and your child" in Harness.only_reply(
        await bot.send("/mydata")).plain
    saved = Harness.only_reply(await bot.send("/who me"))
    assert "Cards for adults with eczema will come first" in saved.plain
    assert bot.rows("SELECT about FROM skin_profiles") == [("self",)]
    now = Harness.only_reply(await bot.send("/who"))
    assert "about your own eczema" in now.plain
    shown = Harness.only_reply(await bot.send("/mydata"))
    assert "Cards are for: you (/who changes it)" in shown.plain
    ask = Harness.only_reply(await bot.press(data_of(shown, "🗑 Erase my data…")))
    Harness.only_reply(await bot.press(data_of(ask, "🗑 Yes, erase everything")))
    assert bot.rows("SELECT COUNT(*) FROM skin_profiles") == [(0,)]
    assert "You haven't said yet" in Harness.only_reply(await bot.send("/who")).plain


async def test_a_bad_who_answer_changes_nothing(bot: Harness) -> None:
    await bot.send("/who child")
    before = bot.snapshot()
    reply = Harness.only_reply(await bot.send("/who grandma"))
    assert "“grandma” isn't one of the answers, so nothing has changed" in reply.plain
    assert bot.snapshot() == before


async def test_who_is_for_a_private_chat(bot: Harness) -> None:
    bot.api.administrators[GROUP] = {ADMIN}
    reply = Harness.only_reply(await bot.send("/who child", chat_id=GROUP,
                                              chat_type="supergroup", user_id=ADMIN))
    assert "only works in a private chat" in reply.plain
    assert bot.rows("SELECT COUNT(*) FROM skin_profiles") == [(0,)]


async def test_help_says_how_to_change_it(bot: Harness) -> None:
    assert "/who — for you or your child" in Harness.only_reply(await bot.send("/help")).plain
