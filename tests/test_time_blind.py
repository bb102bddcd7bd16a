"""The blind sets of reminder times (tests/data/times/blind*.yaml, each written by someone who
had read neither the parser nor the other sets) as a regression, through the real
Application: each answer is typed at /remind's time step, each sentence as a message, and the
set-up is then followed to its end as a person would (a zone if asked, "Every day" if the
days are asked) to see what was saved. bench/time_eval.py measures the same sets with
accuracy per category."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.delivery import localtime
from bot.telegram.offline import ApiCall
from tests.harness import Harness
from tests.test_reminder_setup import data_of

DAYS = {name.lower(): 1 << i for i, name in enumerate(localtime.DAY_NAMES)}
ASKED_ZONE = "UTC"  # what the person answers when asked for their zone


def _minute(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def _question(replies: list[ApiCall]) -> tuple[str, ApiCall] | None:
    for call in replies:
        text = call.plain
        if "What time would you like your card" in text:
            return "time", call
        if "Which time zone are you in?" in text:
            return "zone", call
        if "On which days?" in text:
            return "days", call
        if "All set" in text:
            return "done", call
    return None


SETS = sorted((Path(__file__).parent / "data" / "times").glob("blind*.yaml"))


@pytest.mark.parametrize("path", SETS, ids=[p.stem for p in SETS])
async def test_blind_set(bot: Harness, path: Path) -> None:
    """Every case of one set, each in a chat of its own on one bot (a bot per case took half
    a minute of the suite); all misses are listed together."""
    misses = []
    for number, case in enumerate(yaml.safe_load(path.read_text(encoding="utf-8"))):
        try:
            await _one_case(bot, case, chat_id=7_000_000 + number)
        except AssertionError as exc:
            misses.append(f"{case['text']!r}: {exc}")
    assert misses == [], "\n".join(misses)


def _schedule_of(bot: Harness, chat_id: int) -> list[tuple[object, ...]]:
    return bot.rows("SELECT s.kind, s.local_minute, s.days, c.timezone FROM schedules s "
                    "JOIN chats c ON c.id = s.chat_id WHERE s.chat_id = ?", (chat_id,))


async def _one_case(bot: Harness, case: dict[str, Any], chat_id: int) -> None:
    text, kind = str(case["text"]), case.get("kind", "answer")
    if kind == "answer":
        asked_time = _question(Harness.replies(await bot.send("/remind", chat_id=chat_id)))
        assert asked_time is not None and asked_time[0] == "time"
    replies = Harness.replies(await bot.send(text, chat_id=chat_id))
    if case.get("refuse"):
        assert len(replies) == 1 and "nothing has changed" in replies[0].plain, \
            [r.plain for r in replies]
        assert _schedule_of(bot, chat_id) == []
        return
    asked: list[str] = []
    for _ in range(5):
        found = _question(replies)
        assert found is not None, f"not taken: {[r.plain for r in replies]}"
        step, call = found
        if step == "done":
            break
        asked.append(step)
        if step == "time":
            replies = Harness.replies(await bot.send("08:00", chat_id=chat_id))
        elif step == "zone":
            shown = re.search(r"Got it: (\d\d:\d\d)", call.plain)
            assert shown is not None
            if case.get("time") is not None:  # the time it read, said back before the zone
                assert _minute(shown.group(1)) == _minute(case["time"])
            replies = Harness.replies(await bot.send(ASKED_ZONE, chat_id=chat_id))
        else:
            replies = Harness.replies(await bot.press(data_of(call, "Every day"),
                                                      chat_id=chat_id))
    [(kind_saved, minute, days, zone)] = _schedule_of(bot, chat_id)
    assert kind_saved == "card"
    # The time: read from the text, or asked for when the text had none.
    if case.get("time") is None:
        assert "time" in asked
    else:
        assert "time" not in asked and minute == _minute(case["time"]), (minute, asked)
    # The zone: read from the text, or asked for.
    if case.get("zone"):
        assert "zone" not in asked and zone == case["zone"], (zone, asked)
    else:
        assert "zone" in asked and zone == ASKED_ZONE, (zone, asked)
    # The days: read from the text (then not asked again), or every day.
    if case.get("days"):
        assert "days" not in asked and days == sum(DAYS[d] for d in case["days"]), days
    else:
        assert days == localtime.EVERY_DAY, days
