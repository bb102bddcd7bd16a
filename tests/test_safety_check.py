"""When unsure, ask: a message neither the rules nor the model call urgent, but that the model
is unsure of, gets one safety question before its card, in a private chat."""

from __future__ import annotations

from bot.library.model import Library
from tests.harness import USER_ID, Harness

# Messages that sit near the model's line. Which of them falls between its two thresholds
# moves a little each time it is retrained, so the test takes the first that does and fails
# only when none of them does.
NEAR_THE_LINE = ["she keeps waking up screaming and scratching",
                 "he keeps scratching until it bleeds",
                 "my job is so stressful and my skin is getting worse",
                 "any quick stress things i can do at my desk without looking weird",
                 "worried my 2 year old isn't eating enough veg, she spits everything green out"]


def unsure(library: Library) -> str:
    assert library.triage is not None
    found = [t for t in NEAR_THE_LINE if library.triage.assess(t).check_first]
    assert found, "no message near the line gets the one-tap check any more"
    return found[0]


def buttons(call: object) -> list[tuple[str, str]]:
    return [(b["text"], b["callback_data"]) for row in call.buttons for b in row]  # type: ignore[attr-defined]


async def test_an_unsure_message_gets_one_question_before_the_card(bot: Harness,
                                                                   library: Library) -> None:
    ask = Harness.only_reply(await bot.send(unsure(library)))
    assert ask.plain.startswith("Before the card: is anyone having trouble breathing, very "
                                "hard to wake, or thinking of harming themselves right now?")
    labels = [text for text, _ in buttons(ask)]
    assert labels == ["🚑 Yes: trouble breathing or very hard to wake",
                      "💬 Yes: thoughts of harming themselves", "No, show me the answer"]
    no = buttons(ask)[2][1]
    answer = Harness.only_reply(await bot.press(no))
    assert not answer.plain.startswith("Before the card")
    assert any(data.startswith("card:") for _, data in buttons(answer))  # the held-back card


async def test_yes_opens_the_emergency_or_the_crisis_reply(bot: Harness,
                                                           library: Library) -> None:
    ask = Harness.only_reply(await bot.send(unsure(library)))
    unwell, harm, _ = (data for _, data in buttons(ask))
    emergency = Harness.only_reply(await bot.press(unwell))
    assert emergency.plain.startswith("If this is happening now, please call")
    assert emergency.buttons == []
    crisis = Harness.only_reply(await bot.press(harm))
    assert crisis.plain.startswith("I'm really glad you told me")


async def test_no_answer_changes_nothing_and_another_chat_cannot_open_the_answer(
        bot: Harness, library: Library) -> None:
    ask = Harness.only_reply(await bot.send(unsure(library)))
    no = buttons(ask)[2][1]
    before = bot.snapshot()
    stale = Harness.only_reply(await bot.press(no, chat_id=USER_ID + 1))
    assert "card:" not in str(stale.buttons)  # not the other chat's held-back answer
    after = bot.snapshot()
    assert {k: v for k, v in after.items() if k != "chats"} == \
        {k: v for k, v in before.items() if k != "chats"}


async def test_groups_and_ordinary_questions_are_not_asked(bot: Harness,
                                                         library: Library) -> None:
    plain = Harness.only_reply(await bot.send("is kefir good for kids?"))
    assert not plain.plain.startswith("Before the card")
    group = Harness.replies(await bot.send(f"@{bot.app.bot.username} {unsure(library)}",
                                           chat_id=-100123, chat_type="group"))
    assert all(not c.plain.startswith("Before the card") for c in group)
