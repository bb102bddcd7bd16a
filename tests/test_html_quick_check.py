"""The quick pass of bot.telegram.html.problems never clears a text the full parse would
refuse: checked on every card and template the bot has, Telegram's own rejected examples,
and thousands of damaged copies of them."""

from __future__ import annotations

import random
from pathlib import Path

from bot.library.model import Library
from bot.telegram import html as telegram_html
from tests.strict_html import NEGATIVE_CONTROLS, POSITIVE_CONTROLS

ROOT = Path(__file__).resolve().parent.parent
DAMAGE = ["<", ">", "&", '"', "/", "</b>", "<b>", "<i>", "&amp;", "&nbsp;", "=", " ", "a"]


def _corpus(library: Library) -> list[str]:
    renderer_texts = [card.body_html for card in library.cards.values()]
    templates = [p.read_text("utf-8") for p in (ROOT / "content" / "templates").glob("*.j2")]
    return renderer_texts + templates + list(NEGATIVE_CONTROLS) + list(POSITIVE_CONTROLS)


def test_the_quick_pass_clears_only_what_the_full_parse_accepts(library: Library) -> None:
    rng = random.Random(12)
    texts = _corpus(library)
    cleared = 0
    for base in texts:
        variants = [base]
        for _ in range(25):
            cut = rng.randrange(len(base) + 1)
            variants.append(base[:cut] + rng.choice(DAMAGE) + base[cut + rng.randrange(3):])
        for text in variants:
            if telegram_html._plainly_fine(text):
                cleared += 1
                assert telegram_html.parsed_problems(text) == [], text
    assert cleared > len(texts) // 2  # it does clear the usual message


def test_the_answers_are_the_same_as_the_full_parse(library: Library) -> None:
    for text in _corpus(library):
        assert telegram_html.problems(text) == telegram_html.parsed_problems(text)
