"""docs/urgent-replies.md is every urgent reply as a person receives it, for a clinician's
review in one sitting: it must be what the bot would send today."""

from __future__ import annotations

from pathlib import Path

from bot.library.urgent_plan import SITUATIONS
from bot.views.urgent_book import book
from tests.harness import Harness

ROOT = Path(__file__).resolve().parent.parent


async def test_the_book_of_urgent_replies_is_current(bot: Harness) -> None:
    written = (ROOT / "docs" / "urgent-replies.md").read_text(encoding="utf-8")
    assert written == book(bot.app.bot_data.renderer), \
        "a template, helpline or plan changed: run python -m bot urgent-book"


async def test_the_book_has_every_situation_and_each_reply_ends_with_the_disclaimer(
        bot: Harness) -> None:
    text = book(bot.app.bot_data.renderer)
    for tier, situations in SITUATIONS.items():
        for situation in situations:
            assert f"## {tier}: {situation}\n" in text
    replies = text.split("\n### ")[1:]
    assert len(replies) > 90
    for reply in replies:
        quoted = reply.split("\n## ")[0].rstrip()  # up to the next situation's heading
        assert quoted.endswith("Full text: /disclaimer_"), quoted[-300:]
