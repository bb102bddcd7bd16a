"""Urgent-care triage: the right tier for messages nobody here wrote, and what the chat sees."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.library.content import load_library
from bot.library.model import ContentError, Library
from bot.library.triage import ALARM_TIERS
from bot.library.urgent_plan import tiers_shown
from tests.harness import Harness

ROOT = Path(__file__).resolve().parent.parent
SETS = sorted((Path(__file__).parent / "data" / "triage").glob("*.yaml"))
ACCEPT = {  # as bench/triage_eval.py counts them
    "emergency": {"emergency"},
    "same_day": {"emergency", "same_day"},
    "distress": {"emergency", "crisis", "same_day", "distress"},
    "caution": {"emergency", "crisis", "same_day", "caution"},
}
# An ordinary message the rules still alarm on, each with the reason it was left alone.
KNOWN_FALSE_ALARMS = {
    # "she's completely fine this morning" after a night of wheezing: the rules keep a wheezy
    # child sensitive rather than read the resolution two clauses later.
    "last night was scary, she was wheezy, but after her inhaler and a steamy bathroom she's "
    "completely fine this morning. should I mention it to the GP?",
}


def _items() -> list[tuple[str, dict[str, str]]]:
    return [(path.stem, item) for path in SETS
            for item in yaml.safe_load(path.read_text(encoding="utf-8"))]


# What the bot (rules and model, the model trained on every set) still gets wrong in the sets,
# measured when the model was last rebuilt: kept so that a change that adds a miss or a false
# alarm fails here. Shrink it; never add to it without saying why in the commit. These are
# training data, so this is no measure of the triage: bench/triage_eval.py --loso is.
KNOWN = yaml.safe_load((Path(__file__).parent / "data" / "triage_known_errors.yaml")
                       .read_text(encoding="utf-8"))


def test_every_set_is_there() -> None:
    assert {p.stem for p in SETS} >= {"blind1", "blind2", "blind3", "blind4", "regressions"}


def test_every_urgent_message_in_the_sets_reaches_its_tier(library: Library) -> None:
    """The blind sets and every message quoted in the issue: emergency and crisis recall 100%."""
    assert library.triage is not None
    missed = []
    for name, item in _items():
        if item["tier"] in ("none", "not_english"):
            continue
        finding = library.triage.assess(item["text"])
        tiers = tiers_shown(finding, item["text"])
        if item["tier"] == "crisis":
            ok = "crisis" in tiers and finding.tier in ("emergency", "crisis")
        else:
            ok = finding.tier in ACCEPT[item["tier"]]
        if not ok:
            missed.append((name, item["tier"], finding.tier, item["text"]))
    assert [m for m in missed if m[3] not in KNOWN["misses"]] == []


def test_ordinary_messages_raise_no_alarm(library: Library) -> None:
    assert library.triage is not None
    alarmed = [(name, item["text"], library.triage.assess(item["text"]).tier)
               for name, item in _items() if item["tier"] == "none"
               and library.triage.assess(item["text"]).alarming
               and item["text"] not in KNOWN_FALSE_ALARMS
               and item["text"] not in KNOWN["false_alarms"]]
    assert alarmed == []


def test_messages_in_other_languages_are_recognised(library: Library) -> None:
    assert library.triage is not None
    unrecognised = [item["text"] for _, item in _items() if item["tier"] == "not_english"
                    and (library.triage.assess(item["text"]).language is None
                         or library.triage.assess(item["text"]).alarming)]
    assert unrecognised == []


# --- what the chat receives ----------------------------------------------------------------

async def test_an_emergency_gets_the_call_now_steps_and_no_buttons(bot: Harness) -> None:
    reply = Harness.only_reply(await bot.send("hives everywhere and i feel faint after eating "
                                              "peanuts"))
    text = reply.plain
    assert text.startswith("This may be a severe allergic reaction (anaphylaxis)")
    # The adrenaline pen comes before the call, and lying down before standing.
    assert text.index("adrenaline pen") < text.index("Call your emergency number")
    assert "Do not let them stand or walk" in text
    assert "UK 999" in text and "US 911" in text and "Australia 000" in text
    assert reply.buttons == []


async def test_the_persons_own_country_comes_first(bot: Harness) -> None:
    await bot.send("/remind 8am Sydney")
    text = Harness.only_reply(await bot.send("my baby is breathing really fast")).plain
    assert "Call 000 now" in text
    assert "Emergency number (Australia): 000." in text
    assert text.index("Australia") < text.index("UK 999")


async def test_a_language_tag_with_a_region_names_the_country(bot: Harness) -> None:
    text = Harness.only_reply(await bot.send("I want to sleep and never wake up",
                                             language="en-GB")).plain
    assert text.startswith("I'm really glad you told me")
    assert text.index("UK: Samaritans 116 123") < text.index("US: 988")
    assert "findahelpline.com" in text


async def test_a_crisis_gets_kind_words_and_lines_not_a_card(bot: Harness) -> None:
    reply = Harness.only_reply(await bot.send("i can't cope with my baby's screaming, i'm "
                                              "scared i might shake him"))
    assert "put your baby down on their back somewhere safe" in reply.plain
    assert "988" in reply.plain and "116 123" in reply.plain
    assert "This card may help" not in reply.plain
    assert reply.buttons == []


async def test_an_overdose_gets_the_ambulance_and_the_crisis_lines(bot: Harness) -> None:
    """Told in the first person: spoken to "you", the poison line beside the emergency
    number, and the crisis lines, each once."""
    text = Harness.only_reply(await bot.send("i took all my tablets")).plain
    assert text.startswith("If you have taken too many tablets")
    assert "And you matter." in text
    assert "Lifeline 13 11 14" in text and text.count("Lifeline 13 11 14") == 1
    assert "Poison Help 1-800-222-1222" in text and "Poisons Information Centre 13 11 26" in text
    assert "Help today" not in text and "That sounds really hard" not in text


async def test_a_child_s_overdose_speaks_of_them_and_gives_the_poison_line(bot: Harness) -> None:
    await bot.send("/remind 8am London")
    text = Harness.only_reply(await bot.send("my toddler swallowed a whole strip of "
                                             "antihistamine tablets")).plain
    assert text.startswith("If someone has taken too many tablets")
    assert "Poison information (UK): NHS 111" in text
    assert "Talk to someone now" not in text  # an accident: no crisis lines


async def test_same_day_signs_get_a_doctor_today(bot: Harness) -> None:
    text = Harness.only_reply(await bot.send("my whole body is red, hot and peeling and i'm "
                                             "shivering and feel really ill")).plain
    assert text.startswith("Please see a doctor today.")
    assert "NHS 111" in text and "healthdirect 1800 022 222" in text


async def test_distress_gets_support_and_the_topics_not_a_cold_no_card(bot: Harness) -> None:
    reply = Harness.only_reply(await bot.send("everything feels hopeless 😭"))
    assert reply.plain.startswith("That sounds really hard")
    assert "don't have a card" not in reply.plain
    assert "Your GP can help too" in reply.plain
    assert any("Topics" in b["text"] or "Fibre" in b["text"]
               for row in reply.buttons for b in row)


@pytest.mark.parametrize(("text", "opening"), [
    ("should I stop the steroid cream", "Please don't stop or change a prescribed treatment"),
    ("can I try diet instead of protopic", "Please don't stop or change a prescribed treatment"),
    ("is this eczema or something else?", "I can't tell what a rash is"),
    ("can i give kefir to my 3 month old", "For a baby under 12 months, ask your child's doctor"),
])
async def test_questions_that_need_a_fixed_safe_answer(bot: Harness, text: str,
                                                       opening: str) -> None:
    reply = Harness.only_reply(await bot.send(text))
    assert reply.plain.startswith(opening)
    assert reply.buttons  # the related cards and the topics, below the safe answer


@pytest.mark.parametrize("text", [
    "my husband is wheezing with laughter", "the yoghurt has a yellow crust on top",
    # ("hot and swollen with pride" is in triage_known_errors.yaml: the model reads it as
    # same-day skin, which the rules' idiom had right.)
    "is it an emergency if i forget my probiotic one day",
    "I'm dying to try kimchi", "does eczema cause wheezing?",
])
async def test_figures_of_speech_and_questions_get_an_ordinary_answer(bot: Harness,
                                                                      text: str) -> None:
    reply = Harness.only_reply(await bot.send(text))
    assert not reply.plain.startswith(("Please", "Trouble", "This may", "If ", "I'm really"))
    assert reply.buttons


async def test_a_message_in_another_language_is_told_the_bot_reads_english(bot: Harness) -> None:
    reply = Harness.only_reply(await bot.send("¿qué crema es buena para el eccema de mi hijo?"))
    assert reply.plain.startswith("I can only read English")
    assert "112" in reply.plain and "911" in reply.plain
    assert "Solo puedo leer inglés" in reply.plain


@pytest.mark.parametrize(("text", "translated"), [
    ("мой ребёнок не дышит", "Я понимаю только английский"),
    ("mi bebé no puede respirar", "Solo puedo leer inglés"),
])
async def test_an_emergency_in_another_language_gets_the_emergency_tier(
        bot: Harness, text: str, translated: str) -> None:
    reply = Harness.only_reply(await bot.send(text))
    assert reply.plain.startswith("If this is happening now, please call")
    assert translated in reply.plain
    assert reply.buttons == []


def _photo(caption: str | None = None) -> dict[str, object]:
    extra: dict[str, object] = {"photo": [{"file_id": "p1", "file_unique_id": "u1",
                                           "width": 90, "height": 90}]}
    if caption is not None:
        extra["caption"] = caption
    return extra


async def test_a_photo_is_triaged_on_its_caption(bot: Harness) -> None:
    message = bot.message(None, **_photo("little punched out sores spreading on his neck"))
    reply = Harness.only_reply(await bot.feed({"message": message}))
    assert reply.plain.startswith("Please see a doctor today. Do not wait.")


async def test_a_photo_alone_gets_a_kind_word_and_when_to_see_a_doctor(bot: Harness) -> None:
    reply = Harness.only_reply(await bot.feed({"message": bot.message(None, **_photo())}))
    assert reply.plain.startswith("I can't look at photos")
    assert "today" in reply.plain and "emergency number" in reply.plain
    assert reply.buttons


async def test_urgent_care_changes_nothing_stored(bot: Harness) -> None:
    await bot.send("/start")
    before = bot.snapshot()
    await bot.send("her lips look a bit blue")
    after = bot.snapshot()
    before.pop("chats"), after.pop("chats")  # last_seen moves on; nothing else may
    assert before == after


# --- the rules as data -------------------------------------------------------------------

def _broken_copy(tmp_path: Path, old: str, new: str) -> Path:
    import shutil

    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    path = root / "triage.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root


@pytest.mark.parametrize(("old", "new", "field"), [
    ("    all: [struggle, breath]", "    all: [struggle, breathing_badly]",
     "breathing_difficulty.all"),
    ("negators: ['no', not,", "negators: [no, not,", "negators"),
    ("  - id: breathing_difficulty\n    tier: emergency",
     "  - id: breathing_difficulty\n    tier: urgent", "breathing_difficulty.tier"),
])
def test_a_broken_rule_names_its_field(tmp_path: Path, old: str, new: str, field: str) -> None:
    with pytest.raises(ContentError) as caught:
        load_library(_broken_copy(tmp_path, old, new))
    assert any(p.file == "triage.yaml" and p.field == field for p in caught.value.problems), \
        caught.value.problems


def test_every_rule_says_why_it_exists(library: Library) -> None:
    assert library.triage is not None
    assert all(len(rule.why) > 20 for rule in library.triage.rules)
    assert {rule.tier for rule in library.triage.rules} >= ALARM_TIERS | {"distress", "caution"}
