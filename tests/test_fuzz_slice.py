"""A deterministic slice of bench/fuzz.py in the suite, and proof that its checks can fail.

400 generated updates (seed 14) through the real process must leave every must-be-zero
figure at zero. The validator and the checkers are shown to catch what they look for, and
every generated update to be one python-telegram-bot accepts (a malformed one would stall
polling and prove nothing about the bot).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from telegram import Bot, Update

from bot.library.model import Library
from bot.library.render import Renderer
from tests import strict_html
from tests.conftest import CONTENT
from tests.fuzzing import OWNER, Findings, Generator, check_log, check_messages, run_fuzz
from tests.loopback_api import Call


@pytest.mark.slow
async def test_four_hundred_fuzzed_updates_break_nothing(tmp_path: Path) -> None:
    found = await run_fuzz(tmp_path, updates=400, seed=14)
    print(f"\n{found.updates} updates, {found.messages} messages checked in "
          f"{found.seconds:.1f} s; {found.moderator_attempts} moderator attempts by others")
    assert found.updates == 400 and found.messages > 200
    assert found.examples == []
    assert (found.tracebacks, found.error_lines, found.no_disclaimer, found.bad_html,
            found.other_chats_changed, found.moderator_effects) == (0, 0, 0, 0, 0, 0)
    assert found.moderator_attempts > 20


def test_the_strict_validator_catches_every_negative_control() -> None:
    caught, passed, wrong = strict_html.controls()
    assert wrong == []
    assert caught == len(strict_html.NEGATIVE_CONTROLS) >= 30
    assert passed == len(strict_html.POSITIVE_CONTROLS)


def test_every_card_passes_the_strict_validator(library: Library) -> None:
    renderer = Renderer(CONTENT / "templates", library)
    for card in library.cards.values():
        text = renderer.finish(renderer.card_html(card)).text
        assert strict_html.problems(text) == [], card.id


def test_the_checks_count_what_they_look_for(library: Library) -> None:
    disclaimer = Renderer(CONTENT / "templates", library).disclaimer
    good = f"Hi\n\n{disclaimer}"
    calls = [
        Call("sendMessage", {"chat_id": 5, "text": good, "parse_mode": "HTML"}, 0.0),
        Call("sendMessage", {"chat_id": 5, "text": "no disclaimer", "parse_mode": "HTML"}, 0.0),
        Call("sendMessage", {"chat_id": 5, "text": f"<b>x\n\n{disclaimer}",
                             "parse_mode": "HTML"}, 0.0),
        Call("sendMessage", {"chat_id": 6, "text": f"✍️ <b>New broadcast</b>\n\n{disclaimer}",
                             "parse_mode": "HTML"}, 0.0),
        Call("sendMessage", {"chat_id": OWNER, "text": f"✍️ New broadcast\n\n{disclaimer}",
                             "parse_mode": "HTML"}, 0.0),
        Call("answerInlineQuery", {"results": json.dumps([{"input_message_content": {
            "message_text": "shared without it"}}])}, 0.0),
    ]
    found = Findings()
    check_messages(calls, disclaimer, found)
    assert (found.messages, found.no_disclaimer, found.bad_html, found.moderator_effects) == (
        6, 2, 1, 1)
    check_log("2026 INFO x: fine\n2026 ERROR bot: boom\nTraceback (most recent call last):\n"
              '  File "x"\nValueError: boom\n', found)
    assert (found.tracebacks, found.error_lines) == (1, 1)


def test_every_generated_update_is_one_telegram_could_send(library: Library) -> None:
    generator = Generator(14, [name for name, _ in library.commands], sorted(library.cards))
    generator.owner_buttons = ["bc:1:now", "bc:1:x"]
    bot = Bot("123:x")
    updates = generator.batch(3000)
    for number, update in enumerate(updates, start=1):
        Update.de_json(json.loads(json.dumps({"update_id": number, **update})), bot)
    assert len(generator.kinds) == 13  # every kind of update came up
