"""Questions people asked that once found no card (or the wrong one) now get the card written
for them: another fermented food than kefir, work stress with sore hands, a child's tummy
aches beside eczema. Each is sent to the real Application as a person would type it."""

from __future__ import annotations

import pytest

from bot.library.model import Library
from tests.harness import Harness

KEFIR = "fermented-foods-beyond-kefir"
WORK = "stress-at-work"
CHILD_TUMMY = "child-tummy-aches-and-eczema"


def best_card_id(reply_plain: str, library: Library) -> str | None:
    """The card an answer leads with: its title stands on a line of its own."""
    for card in library.cards.values():
        if f"\n{card.title}\n" in reply_plain:
            return card.id
    return None


@pytest.mark.parametrize(("question", "card_id"), [
    # the questions as they reached /gaps
    ("ngl kefir tastes gross, any other options?", KEFIR),
    ("my hands are cracked and bleeding from eczema and work is so stressful", WORK),
    ("my daughter is 4 with eczema and tummy aches all the time, should we see someone",
     CHILD_TUMMY),
    # other ways of asking the same thing
    ("i hate the taste of kefir what else can i eat", KEFIR),
    ("can't stand kefir, which fermented foods could I try", KEFIR),
    ("not a fan of kefir, what else is fermented?", KEFIR),
    ("stress at work is making my eczema flare", WORK),
    ("my job is so stressful and my skin is getting worse", WORK),
    ("my boss is stressing me out and my eczema is worse", WORK),
    ("my son has eczema and keeps getting stomach aches", CHILD_TUMMY),
    ("my toddler has eczema and constipation, should i see a doctor", CHILD_TUMMY),
    ("child with eczema and diarrhoea, gp?", CHILD_TUMMY),
])
async def test_the_question_is_answered_by_the_card_written_for_it(
    bot: Harness, library: Library, question: str, card_id: str
) -> None:
    reply = Harness.only_reply(await bot.send(question))
    card = library.cards[card_id]
    assert "This card may help" in reply.plain, reply.plain
    assert best_card_id(reply.plain, library) == card_id, reply.plain
    assert reply.buttons[0][0]["callback_data"] == f"card:{card_id}"
    if card.caution:
        assert f"⚠️ {card.caution}" in reply.plain


@pytest.mark.parametrize(("question", "not_card"), [
    # "kefir" alone still leads to the general fermented-food cards, not the "don't like it" one
    ("is kefir good for my skin?", KEFIR),
    ("what are my treatment options", KEFIR),
    ("i don't like my steroid cream", KEFIR),
    ("how do i cope with stress", WORK),
])
async def test_the_new_cards_do_not_take_over_questions_they_do_not_answer(
    bot: Harness, library: Library, question: str, not_card: str
) -> None:
    reply = Harness.only_reply(await bot.send(question))
    assert best_card_id(reply.plain, library) != not_card, reply.plain


async def test_the_work_stress_card_sends_cracked_bleeding_hands_to_a_professional(
    bot: Harness, library: Library
) -> None:
    card = library.cards[WORK]
    reply = Harness.only_reply(await bot.send(f"/card {WORK}"))
    assert card.title in reply.plain
    assert "cracked or bleeding" in reply.plain and "GP or pharmacist" in reply.plain
    assert "the same day if it is hot, weeping, crusted or has pus" in reply.plain


async def test_the_child_tummy_card_points_to_the_gp_and_names_same_day_signs(
    bot: Harness, library: Library
) -> None:
    card = library.cards[CHILD_TUMMY]
    assert card.audience == "parents"
    reply = Harness.only_reply(await bot.send(f"/card {CHILD_TUMMY}"))
    assert "worth seeing your GP" in reply.plain
    assert f"⚠️ {card.caution}" in reply.plain


RED_FLAGS = ("Call your emergency number now", "green vomit", "a swollen, hard tummy",
             "severe tummy pain with blood in their poo", "is floppy",
             "See a doctor today", "not drinking")


async def test_the_child_tummy_red_flags_reach_a_parent_who_only_reads_the_excerpt(
    bot: Harness, library: Library
) -> None:
    # The answer shows only the card's opening lines and its caution, so the signs that need
    # help today or now must open the card, above the advice to book the GP.
    reply = Harness.only_reply(await bot.send("my son has eczema and keeps getting stomach aches"))
    assert best_card_id(reply.plain, library) == CHILD_TUMMY, reply.plain
    for sign in RED_FLAGS:
        assert sign in reply.plain, sign
    full = Harness.only_reply(await bot.send(f"/card {CHILD_TUMMY}")).plain
    assert full.index("green vomit") < full.index("worth seeing your GP")


async def test_the_kefir_alternatives_keep_the_baby_caution(bot: Harness,
                                                             library: Library) -> None:
    card = library.cards[KEFIR]
    assert "Kombucha is for adults only" in card.caution
    assert "kefir is not a drink for babies under 12 months" in card.caution
    reply = Harness.only_reply(await bot.send(f"/card {KEFIR}"))
    for food in ("yoghurt", "sauerkraut", "kimchi", "miso", "kombucha"):
        assert food in reply.plain
    assert f"⚠️ {card.caution}" in reply.plain
