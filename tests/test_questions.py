"""Questions in a person's own words, urgent symptoms, groups and inline sharing."""

from __future__ import annotations

import pytest
import yaml

from bot.library.model import Library
from tests.harness import Harness


async def test_urgent_guidance_comes_even_in_the_middle_of_a_set_up(bot: Harness) -> None:
    await bot.send("/remind")
    reply = Harness.only_reply(await bot.send("my lips are swelling after peanuts"))
    assert "emergency" in reply.plain.lower() and "000" in reply.plain
    assert reply.buttons == []  # it never waits for a button


@pytest.mark.parametrize(("question", "topic"), [
    ("is kefir good for my skin?", "fermented"),
    ("probiotcs for my son?", "probiotics"),
    ("can't sleep from the itch", "sleep"),
    ("how much fiber should i eat", "fibre"),
    ("do i need to cut out dairy", "triggers"),
])
async def test_a_question_gets_the_best_card_and_a_button_to_open_it(
    bot: Harness, library: Library, question: str, topic: str
) -> None:
    reply = Harness.only_reply(await bot.send(question))
    best = next(c for c in library.cards.values() if f"\n{c.title}\n" in reply.plain)
    assert best.topic == topic
    assert reply.button_labels[0] == "Read the whole card"
    assert reply.buttons[0][0]["callback_data"] == f"card:{best.id}"
    assert reply.button_labels[-1] == "📚 Topics"
    assert len(reply.buttons) <= 5  # the best card, up to two more, 👍/👎, the topics
    assert reply.buttons[-2][0]["text"] == "👍 Helpful"


@pytest.mark.parametrize("text", ["asdfgh qwerty", "what's the weather in paris",
                                  "???!!!", "<b>&amp;</b>", "x" * 5000])
async def test_no_match_is_honest_and_points_to_a_doctor(bot: Harness, text: str) -> None:
    reply = Harness.only_reply(await bot.send(text))
    assert "don't have a card that answers that" in reply.plain
    assert "GP" in reply.plain and reply.buttons


async def test_in_groups_only_addressed_text_is_answered(bot: Harness) -> None:
    group = {"chat_id": -300, "chat_type": "supergroup", "user_id": 41}
    assert Harness.replies(await bot.send("is kefir good for kids", **group)) == []
    assert Harness.replies(await bot.send("/weather@otherbot", **group)) == []
    text = "@gutskin_guide_bot is kefir good for kids"
    mention = bot.message(text, **group)
    mention["entities"] = [{"type": "mention", "offset": 0, "length": 18}]
    reply = Harness.only_reply(await bot.feed({"message": mention}))
    assert "This card may help" in reply.plain
    shown = bot.message("hello", chat_id=-300, chat_type="supergroup")
    shown["from"] = {"id": 7000000001, "is_bot": True, "first_name": "Bot"}
    answer = bot.message("and for babies?", reply_to_message=shown, **group)
    assert Harness.only_reply(await bot.feed({"message": answer}))
    unknown = Harness.only_reply(await bot.send("/nonsense@gutskin_guide_bot", **group))
    assert "don't know that command" in unknown.plain


async def test_inline_mode_offers_cards_that_carry_the_disclaimer(bot: Harness) -> None:
    query = {"id": "q1", "from": {"id": 41, "is_bot": False, "first_name": "A"},
             "query": "fibre", "offset": ""}
    calls = await bot.feed({"inline_query": query})
    [answer] = [c for c in calls if c.method == "answerInlineQuery"]
    results = answer.params["results"]
    results = yaml.safe_load(results) if isinstance(results, str) else results
    assert 1 <= len(results) <= 10
    assert any("ibre" in r["title"] for r in results)
    # The harness has checked each shared message for the disclaimer and Telegram's rules.
    empty = {**query, "id": "q2", "query": ""}
    calls = await bot.feed({"inline_query": empty})
    assert [c for c in calls if c.method == "answerInlineQuery"]


@pytest.mark.parametrize("text", ["a fever of enthusiasm for kefir",
                                  "wheezing with laughter after the kombucha",
                                  "a blister from new shoes"])
async def test_a_symptom_named_in_passing_does_not_lead_with_the_warning_signs(
        bot: Harness, text: str) -> None:
    reply = Harness.only_reply(await bot.send(text))
    assert not reply.plain.startswith(("Please", "Trouble", "This may", "If ", "Before the"))
    assert "Warning signs: call now" not in reply.plain.split("\n")[0]
    first_button = reply.buttons[0][0]["callback_data"] if reply.buttons else ""
    assert first_button != "card:urgent-warning-signs"


async def test_asking_about_warning_signs_still_finds_them(bot: Harness) -> None:
    reply = Harness.only_reply(await bot.send("what are the warning signs I should call an "
                                              "ambulance for?"))
    assert reply.buttons[0][0]["callback_data"] == "card:urgent-warning-signs"
