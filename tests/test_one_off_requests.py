"""A reminder asked for once ("tomorrow", "on Friday") is refused with the reason and what to
type instead: the bot's reminders repeat, and reading "8 am tomorrow" as every day at 08:00
replaced a person's weekday reminder without their asking (issue 21)."""

from __future__ import annotations

import pytest

from bot.delivery import localtime
from tests.harness import Harness
from tests.test_reminder_setup import NOW, schedule, zone_step


@pytest.fixture
def clock(bot: Harness) -> Harness:
    bot.app.bot_data.clock = lambda: NOW  # Tue 24 Nov 2026, 09:00 in London
    return bot


WEEKDAYS_1930 = [("card", 19 * 60 + 30, localtime.WEEKDAYS, "Europe/London")]


async def weekday_evenings(bot: Harness) -> None:
    await bot.send("/remind weekdays 19:30 London")
    assert schedule(bot) == WEEKDAYS_1930


@pytest.mark.parametrize(("typed", "once", "instead"), [
    ("remind me 8 am tomorrow", "tomorrow", "/remind 08:00"),
    ("/remind 7am tomorrow", "tomorrow", "/remind 07:00"),
    ("can you remind me tomorrow morning at 7", "tomorrow", "/remind 07:00"),
    ("remind me at 8pm today", "today", "/remind 20:00"),
    ("remind me on Friday at 8am", "on Friday", "/remind every friday 08:00"),
    ("remind me next monday at 9", "next Monday", "/remind every monday 09:00"),
    ("/remind tomorrow Sydney", "tomorrow", "/remind 8am"),
])
async def test_a_one_off_is_refused_and_the_old_reminder_stays(clock: Harness, typed: str,
                                                              once: str, instead: str) -> None:
    await weekday_evenings(clock)
    before = clock.snapshot()
    reply = Harness.only_reply(await clock.send(typed))
    assert "nothing has changed" in reply.plain
    assert f"just once {once}" in reply.plain
    assert "every day or on the days of the week you choose" in reply.plain
    assert instead in reply.plain
    assert clock.snapshot() == before
    assert schedule(clock) == WEEKDAYS_1930


async def test_a_one_off_typed_at_the_time_step_is_refused(clock: Harness) -> None:
    await clock.send("/remind")
    before = clock.snapshot()
    reply = Harness.only_reply(await clock.send("8am tomorrow"))
    assert "nothing has changed" in reply.plain
    assert "every day or on the days you choose, not just once tomorrow" in reply.plain
    assert clock.snapshot() == before
    zone_step(await clock.send("8am"))  # the set-up still waits for a time


@pytest.mark.parametrize(("typed", "days"), [
    ("remind me every friday at 8am", 1 << 4),
    ("remind me on fridays at 8am", 1 << 4),
    ("remind me every day at 8am starting tomorrow", localtime.EVERY_DAY),
    ("remind me mon wed fri at 8am", 0b10101),
])
async def test_repeating_days_are_still_taken(clock: Harness, typed: str,
                                              days: int) -> None:
    await clock.send("/remind 07:00 London")
    reply = Harness.only_reply(await clock.send(typed))
    assert "All set" in reply.plain
    assert schedule(clock) == [("card", 8 * 60, days, "Europe/London")]


async def test_the_weekly_summary_takes_a_day_named_alone(clock: Harness) -> None:
    await clock.send("/remind 8am London")
    moved = Harness.only_reply(await clock.send("/summary friday at 7pm"))
    assert "Fri at 19:00 (Europe/London)" in moved.plain
    refused = Harness.only_reply(await clock.send("/summary tomorrow at 7pm"))
    assert "nothing has changed" in refused.plain
