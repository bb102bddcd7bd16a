"""A card's caution travels with it: full card, answer excerpt, daily card and inline share."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.library.model import MAX_CAUTION, Card, Library
from bot.telegram.offline import ApiCall
from bot.views.answers import EXCERPT_CHARS
from tests.conftest import CONTENT
from tests.harness import USER_ID, Harness
from tests.test_reminder_delivery import deliver_day, subscribe
from tests.test_reminder_setup import data_of

SOURCES_LINE = "Where this comes from"


def caution_line(card: Card) -> str:
    return f"⚠️ {card.caution}"


def assert_caution_before_sources(plain: str, card: Card) -> None:
    """The caution is shown once, on its own line, and above the sources so it is seen."""
    assert plain.count(caution_line(card)) == 1, plain
    assert caution_line(card) in plain.splitlines(), plain
    assert plain.index(caution_line(card)) < plain.index(SOURCES_LINE), plain


def test_the_cards_that_need_a_caution_carry_one(library: Library) -> None:
    for card_id in ("probiotic-strains-for-children", "fermented-foods-basics",
                    "fermented-foods-start-small", "leaky-gut-explained",
                    "dont-cut-foods-alone", "probiotics-before-you-start"):
        caution = library.cards[card_id].caution
        assert caution and len(caution) <= MAX_CAUTION and "\n" not in caution, card_id


def test_every_card_on_kefir_or_kombucha_for_children_gives_the_age_rules(
    library: Library
) -> None:
    """Kombucha is for adults only, and no cow's-milk kefir as a drink before 12 months."""
    young = re.compile(r"\b(child|children|kids?|babies|baby|toddlers?)\b", re.I)
    found = []
    for card in library.cards.values():
        text = f"{card.body} {card.caution}"
        mentions = re.search(r"kefir|kombucha", text, re.I)
        if mentions and (card.audience == "parents" or young.search(text)):
            found.append(card.id)
            assert "kombucha is for adults only" in text.lower(), card.id
            assert "12 months" in text and "kefir" in text.lower(), card.id
    assert {"fermented-foods-basics", "fermented-foods-beyond-kefir",
            "fermented-foods-start-small", "growing-kids-gut-friendly-food"} <= set(found)


def test_cards_on_cutting_foods_send_people_to_the_gp_and_doubt_a_test_alone(
    library: Library
) -> None:
    """Dairy lines say to talk to the GP before cutting it out; a positive test is no proof."""
    for card in library.cards.values():
        if re.search(r"\bdairy\b", card.body, re.I):
            assert "talk to your GP before cutting it out" in card.body, card.id
    for card_id in ("dont-cut-foods-alone", "gut-health-and-food-sensitivities"):
        body = library.cards[card_id].body
        assert "fit what" in body and "on its own" in body, card_id
    assert "test result alone" in library.cards["dont-cut-foods-alone"].caution
    doctor = library.cards["when-to-see-your-doctor"].body
    assert "naturopath" in doctor
    assert "wary of anyone who tells you to stop prescribed creams, cut out foods or buy tests" \
        in doctor


async def test_the_full_card_shows_its_caution(bot: Harness, library: Library) -> None:
    card = library.cards["probiotic-strains-for-children"]
    reply = Harness.only_reply(await bot.send(f"/card {card.id}"))
    assert card.title in reply.plain
    assert_caution_before_sources(reply.plain, card)


async def test_a_card_without_a_caution_shows_no_warning_line(bot: Harness,
                                                               library: Library) -> None:
    card = library.cards["fibre-feeds-good-bacteria"]
    assert card.caution == ""
    reply = Harness.only_reply(await bot.send(f"/card {card.id}"))
    assert "⚠️" not in reply.plain


@pytest.mark.parametrize("question", ["probiotics for my 5 year old", "is leaky gut real",
                                      "should i cut out dairy for my son"])
async def test_an_answer_cut_short_still_carries_the_caution(bot: Harness, library: Library,
                                                            question: str) -> None:
    reply = Harness.only_reply(await bot.send(question))
    assert "This card may help" in reply.plain
    best = library.cards[reply.buttons[0][0]["callback_data"].removeprefix("card:")]
    assert best.caution, f"{question!r} found {best.id}, which has no caution"
    # The excerpt really was cut: the body is longer than the excerpt and its end is missing.
    assert len(best.body) > EXCERPT_CHARS
    last_line = best.body.splitlines()[-1]
    assert last_line not in reply.plain
    assert reply.plain.count(caution_line(best)) == 1, reply.plain
    assert caution_line(best) in reply.plain.splitlines()


async def test_the_daily_card_carries_the_caution(bot: Harness, library: Library) -> None:
    await subscribe(bot)
    # Follow only the probiotics topic, where every card carries a caution, so the daily
    # card is bound to be one of them.
    probiotics = next(t for t in library.topics if t.id == "probiotics")
    assert all(c.caution for c in library.cards_in("probiotics"))
    picker = Harness.only_reply(await bot.send("/focus"))
    picker = Harness.only_reply(await bot.press(data_of(picker, probiotics.label)))
    Harness.only_reply(await bot.press(data_of(picker, "✅ Done")))
    for day in ("2026-11-01", "2026-11-02"):
        [call] = await deliver_day(bot, day)
        assert call.chat_id == USER_ID
        assert call.plain.startswith("☀️ Your card for today")
        card = next(c for c in library.cards_in("probiotics") if c.title in call.plain)
        assert_caution_before_sources(call.plain, card)


async def test_a_card_shared_inline_carries_the_caution(bot: Harness, library: Library) -> None:
    query = {"id": "q1", "from": {"id": 41, "is_bot": False, "first_name": "A"},
             "query": "probiotics for children", "offset": ""}
    calls = await bot.feed({"inline_query": query})
    [answer] = [c for c in calls if c.method == "answerInlineQuery"]
    results = answer.params["results"]
    results = json.loads(results) if isinstance(results, str) else results
    shared = {r["id"]: ApiCall("sendMessage", {
        "text": r["input_message_content"]["message_text"]}) for r in results}
    cautious = [library.cards[card_id] for card_id in shared if library.cards[card_id].caution]
    assert library.cards["probiotic-strains-for-children"] in cautious
    for card in cautious:  # what the other chat receives when the card is picked
        assert_caution_before_sources(shared[card.id].plain, card)


@pytest.fixture
def content_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(CONTENT, copy)
    monkeypatch.setenv("BOT_CONTENT_DIR", str(copy))
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    return copy


@pytest.mark.parametrize(("value", "message"), [
    ('"' + "Ask your doctor first. " * 10 + '"', f"keep it to {MAX_CAUTION}"),
    ("[ask, your, doctor]", "must be one sentence of text"),
    ('""', "must be one sentence of text"),
    ('"Ask your **doctor** first."', "plain text only"),
])
def test_check_content_names_the_card_and_its_bad_caution(
    content_copy: Path, capsys: pytest.CaptureFixture[str], value: str, message: str
) -> None:
    card = content_copy / "cards" / "fibre-feeds-good-bacteria.md"
    text = card.read_text(encoding="utf-8")
    card.write_text(text.replace("\nsources:", f"\ncaution: {value}\nsources:", 1),
                    encoding="utf-8")
    assert main(["check-content"]) == 1
    err = capsys.readouterr().err
    assert f"cards/{card.name}: caution: " in err and message in err, err
