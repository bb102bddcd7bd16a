"""What a new user sees: welcome, topics, cards, next card, deep links, the command menu."""

from __future__ import annotations

from bot.library.model import Library
from tests.harness import USER_ID, Harness
from tests.test_reminder_setup import data_of


async def test_start_greets_by_first_name_and_shows_every_topic(bot: Harness,
                                                                  library: Library) -> None:
    reply = Harness.only_reply(await bot.send("/start", first_name="Priya"))
    assert reply.plain.startswith("Hi Priya!")
    assert "not a doctor" in reply.plain
    assert reply.button_labels == [t.label for t in library.topics] + ["🙋 For me",
                                                                       "👶 For my child"]
    assert len(library.topics) >= 10


async def test_command_menu_is_registered_at_start_up(bot: Harness) -> None:
    calls = [c for c in bot.api.calls if c.method == "setMyCommands"
             and _json(c.params["scope"])["type"] == "all_private_chats"]  # people's menu
    assert len(calls) == 1
    commands = {c["command"] for c in _json(calls[0].params["commands"])}
    assert {"start", "topics", "card", "help", "about", "disclaimer"} <= commands


async def test_topic_button_lists_its_cards_then_a_card_opens(bot: Harness,
                                                                library: Library) -> None:
    topic = library.topics[1]
    listing = Harness.only_reply(await bot.press(f"topic:{topic.id}"))
    assert listing.method == "editMessageText"  # the menu turns into the topic in place
    cards = library.cards_in(topic.id)
    assert listing.button_labels == [c.title for c in cards] + ["⬅ Back to topics"]
    for card in cards:
        assert card.title in listing.plain

    shown = Harness.only_reply(await bot.press(f"card:{cards[0].id}"))
    assert shown.text.startswith("<b>") and shown.plain.startswith(cards[0].title)
    assert "Where this comes from:" in shown.text
    assert cards[0].sources[0].article.publisher in shown.text
    assert shown.button_labels == ["Next card ▶", "⬅ Back to topics", "⏰ Daily reminders"]
    assert bot.rows("SELECT card_id FROM card_views WHERE chat_id = ?", (USER_ID,)) == [
        (cards[0].id,)
    ]

    again = Harness.only_reply(await bot.press(f"topic:{topic.id}"))
    assert f"✓ {cards[0].title}" in again.button_labels


async def test_next_card_prefers_unread_and_never_repeats(bot: Harness,
                                                           library: Library) -> None:
    order = library.reading_order()
    await bot.send(f"/card {order[0].id}")
    await bot.send(f"/card {order[2].id}")
    # After card 0: card 1 is unread and next in order.
    first = Harness.only_reply(await bot.press(f"next:{order[0].id}"))
    assert first.plain.startswith(f"{order[1].title}")
    # After card 1: card 2 was read already, so card 3 (unread) comes first.
    second = Harness.only_reply(await bot.press(f"next:{order[1].id}"))
    assert second.plain.startswith(f"{order[3].title}")


async def test_when_everything_is_read_the_oldest_comes_back(bot: Harness,
                                                              library: Library) -> None:
    order = library.reading_order()
    for minute, card in enumerate(order):
        bot.app.bot_data.clock = lambda minute=minute: 1_000 + 60 * minute
        await bot.send(f"/card {card.id}")
    last = order[-1]
    reply = Harness.only_reply(await bot.press(f"next:{last.id}"))
    assert reply.plain.startswith(f"{order[0].title}")


async def test_deep_link_opens_a_card(bot: Harness, library: Library) -> None:
    card = library.reading_order()[4]
    reply = Harness.only_reply(await bot.send(f"/start card-{card.id}"))
    assert reply.plain.startswith(f"{card.title}")


async def test_card_command_and_back_to_topics(bot: Harness, library: Library) -> None:
    card = library.reading_order()[0]
    reply = Harness.only_reply(await bot.send(f"/card {card.id.upper()}"))
    assert reply.plain.startswith(f"{card.title}")
    menu = Harness.only_reply(await bot.press("menu"))
    assert menu.button_labels == [t.label for t in library.topics]


async def test_first_visit_records_the_chat(bot: Harness) -> None:
    await bot.send("/start", language="de")
    rows = bot.rows("SELECT id, kind, language, status FROM chats")
    assert rows == [(USER_ID, "private", "de", "active")]
    first_seen = bot.rows("SELECT first_seen FROM chats")[0][0]
    assert first_seen > 1_600_000_000


async def test_help_about_and_disclaimer(bot: Harness, library: Library) -> None:
    help_ = Harness.only_reply(await bot.send("/help"))
    for command in ("/topics", "/card", "/about", "/disclaimer"):
        assert command in help_.text
    about = Harness.only_reply(await bot.send("/about"))
    for source in library.sources.values():
        assert source.publisher in about.text
    assert f"{len(library.cards)} cards" in about.text
    full = Harness.only_reply(await bot.send("/disclaimer"))
    assert "emergency" in full.text and "000" in full.text and "911" in full.text


def _json(value: object) -> list[dict[str, str]]:
    import json

    return json.loads(value) if isinstance(value, str) else value  # type: ignore[return-value]


async def test_card_with_a_topic_word_opens_the_topic(bot: Harness) -> None:
    reply = Harness.only_reply(await bot.send("/card fibre"))
    assert reply.plain.startswith("🥦 Fibre")
    assert "Fibre feeds your helpful gut bacteria" in reply.button_labels


async def test_card_with_a_subject_word_suggests_the_nearest_cards(bot: Harness) -> None:
    reply = Harness.only_reply(await bot.send("/card kefir"))
    assert "No card is called “kefir”, but these are about it" in reply.plain
    assert "Fermented foods and your gut" in reply.button_labels


async def test_a_first_chat_asks_who_it_is_for_and_offers_the_daily_card(bot: Harness) -> None:
    welcome = Harness.only_reply(await bot.send("/start"))
    assert "Is this for you, or for your child?" in welcome.plain
    assert welcome.button_labels[-2:] == ["🙋 For me", "👶 For my child"]
    saved = Harness.only_reply(await bot.press(data_of(welcome, "👶 For my child")))
    assert "Cards for parents will come first" in saved.plain
    assert "⏰ Yes, a daily card" in saved.button_labels
    assert bot.rows("SELECT about FROM skin_profiles") == [("child",)]
    again = Harness.only_reply(await bot.send("/start"))
    assert "Is this for you" not in again.plain  # asked once
    asked = Harness.only_reply(await bot.press(data_of(saved, "⏰ Yes, a daily card")))
    assert "What time" in asked.plain


async def test_a_who_or_later_press_from_an_unknown_chat_is_answered(bot: Harness) -> None:
    for data in ("who:child", "later:fibre-gentle-start"):
        replies = Harness.replies(await bot.press(data, chat_id=4242))
        assert len(replies) == 1  # answered, not an error
    assert bot.rows("SELECT about FROM skin_profiles WHERE chat_id = 4242") == [("child",)]
