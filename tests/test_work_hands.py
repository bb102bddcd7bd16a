"""Hand eczema from washing at work: no card covers it, so the answer says so honestly,
points to the GP or pharmacist, and offers the topics instead of stretching a card."""

from __future__ import annotations

import pytest

from bot.library.model import Library
from tests.harness import Harness


@pytest.mark.parametrize("question", [
    "I wash my hands 50 times a day as a nurse",
    "my hands crack from constant hand washing at work",
    "hairdresser with dermatitis on hands",
    "as a chef I wash my hands all day and they're raw",
    "healthcare worker, hand sanitiser makes my eczema flare",
    "I'm a cleaner and my hands are sore and split",
    "constant handwashing at my job is destroying my hands",
])
async def test_washing_at_work_gets_an_honest_answer_and_the_topics(
        bot: Harness, library: Library, question: str) -> None:
    reply = Harness.only_reply(await bot.send(question))
    assert "My cards don't cover hand eczema from washing at work" in reply.plain
    assert "A GP or pharmacist can help" in reply.plain and "emollient" in reply.plain
    # The topics, not the nearest cards: none of them answers this.
    assert reply.button_labels == [t.label for t in library.topics]


@pytest.mark.parametrize(("question", "card"), [
    ("my hands are cracked and bleeding from eczema and work is so stressful",
     "stress-at-work"),
])
async def test_sore_hands_and_work_without_washing_still_find_their_card(
        bot: Harness, library: Library, question: str, card: str) -> None:
    reply = Harness.only_reply(await bot.send(question))
    assert "My cards don't cover" not in reply.plain
    assert library.cards[card].title in reply.plain


@pytest.mark.parametrize("question", [
    "how often should I wash my baby's hands",
    "does hand washing make eczema worse",
    "my son's hands are cracked from washing at school",
])
async def test_washing_without_a_job_is_not_this_answer(bot: Harness, question: str) -> None:
    reply = Harness.only_reply(await bot.send(question))
    assert "washing at work" not in reply.plain
