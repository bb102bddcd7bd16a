"""One clear plan in an emergency: each reply is composed for the most urgent situation found,
its first aid in the order the guidance gives, and nothing from a lower tier beneath it.

Every message here was quoted in the medical review (issue 23); each goes through the real
Application, as a person would send it.
"""

from __future__ import annotations

import re

import pytest

from tests.harness import Harness

# About one phone screen of plain text, with the disclaimer and the numbers.
SCREEN = 1_400
EMERGENCIES = [
    "wheezing and her lips are swelling after peanut butter",
    "my son is choking on a grape",
    "hives all over and vomiting after egg",
    "my 6 week old is really hot, 38.4 on the thermometer",
    "my 9 month old is floppy and won't wake up properly",
    "his rash doesn't fade when I press a glass on it",
    "i took all my tablets",
]


async def reply_to(bot: Harness, text: str) -> str:
    return Harness.only_reply(await bot.send(text)).plain


async def test_anaphylaxis_gives_adrenaline_first_and_never_the_breathing_plan(
        bot: Harness) -> None:
    text = await reply_to(bot, "wheezing and her lips are swelling after peanut butter")
    assert text.startswith("This may be a severe allergic reaction (anaphylaxis)")
    steps = [text.index(s) for s in ("adrenaline pen", 'say "anaphylaxis"', "legs raised",
                                     "second pen", "reliever inhaler", "CPR")]
    assert steps == sorted(steps)
    assert "do not lay them flat" not in text.lower()
    assert "reliever inhaler or adrenaline pen" not in text


async def test_choking_gets_back_blows_then_thrusts(bot: Harness) -> None:
    text = await reply_to(bot, "my son is choking on a grape")
    assert text.startswith("Choking: act now.")
    assert text.index("keep coughing") < text.index("5 firm back blows") \
        < text.index("abdominal thrusts") < text.index("CPR")
    assert "chest thrusts" in text  # under 1 year
    assert "inhaler" not in text and "adrenaline" not in text


async def test_hives_and_vomiting_after_a_food_is_anaphylaxis_with_nothing_for_today(
        bot: Harness) -> None:
    text = await reply_to(bot, "hives all over and vomiting after egg")
    assert text.startswith("This may be a severe allergic reaction (anaphylaxis)")
    assert "today" not in text.lower()


@pytest.mark.parametrize("message", EMERGENCIES)
async def test_no_emergency_reply_carries_a_lower_tier_or_two_plans(bot: Harness,
                                                                    message: str) -> None:
    await bot.send("/remind 8am London")  # a known country: its numbers, then the others
    text = await reply_to(bot, message)
    lowered = text.lower()
    assert "today" not in lowered, "a same-day line under 'call now'"
    assert "that sounds really hard" not in lowered  # the distress reply
    assert not ("do not lay them flat" in lowered and "lie them" in lowered)
    assert len(text) <= SCREEN, len(text)
    assert text.count("Emergency number") <= 1 and text.count("Emergency numbers") <= 1


async def test_a_floppy_baby_gets_the_ambulance_plan_only(bot: Harness) -> None:
    text = await reply_to(bot, "my 9 month old is floppy and won't wake up properly")
    assert text.startswith("Someone who is not responding")
    assert "have your child seen today" not in text


async def test_a_wish_to_die_gets_kind_words_and_each_helpline_once(bot: Harness) -> None:
    await bot.send("/remind 8am London")
    reply = Harness.only_reply(await bot.send("I want to die"))
    text = reply.plain
    assert text.startswith("I'm really glad you told me")
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == len(set(lines)), "a line said twice"
    assert text.count("UK: Samaritans 116 123") == 1 and text.count("US: 988") == 1
    assert "That sounds really hard" not in text and "topics below" not in text
    assert len(text) <= SCREEN
    assert reply.buttons == []


async def test_weeping_eczema_is_skin_not_distress(bot: Harness) -> None:
    text = await reply_to(bot, "the eczema behind her knees is weeping")
    assert text.startswith("Weeping or oozing eczema is worth a look by a doctor today")
    assert "Samaritans" not in text and "988" not in text and "That sounds" not in text


async def test_a_carer_afraid_of_harming_a_child_puts_the_child_first(bot: Harness) -> None:
    text = await reply_to(bot, "i can't cope with my baby's screaming, i'm scared i might "
                               "shake him")
    assert "If your child is hurt, or you can't keep them safe, call" in text
    assert text.index("keep them safe") < text.index("Talk to someone now")
    assert "If you are in danger now" not in text


async def test_blood_in_a_child_s_stool_with_bad_tummy_pain_is_for_today(bot: Harness) -> None:
    text = await reply_to(bot, "blood in my sons poo and he has really bad tummy pain")
    assert text.startswith("Blood in the poo with bad tummy pain needs a doctor today.")
    assert "Help today" in text


async def test_crisis_lines_say_their_hours(bot: Harness) -> None:
    await bot.send("/remind 8am Sydney")
    text = await reply_to(bot, "I want to die")
    line = next(x for x in text.splitlines() if x.startswith("• Australia:"))
    assert "Lifeline 13 11 14, day or night" in line
    assert re.search(r"PANDA .*1300 726 306, Monday to Saturday, 9am to 7.30pm", line)
