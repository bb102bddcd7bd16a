"""The next time a confirmation shows is the one that comes. Each scheduled message comes once
a local day (a week for the skin check offer): moved later on a day it already came, it next
comes tomorrow, and the confirmation says tomorrow (issue 21: a check-in moved to 11:01 after
the day's 11:00 one said "next Tue 8 Dec, 11:01" and never came)."""

from __future__ import annotations

import pytest

from bot.delivery import scheduling
from tests.harness import Harness
from tests.test_reminder_setup import data_of
from tests.test_reminder_times import at

BOTH_ENGINES = True  # the outbox is read for this: each test runs on SQLite and PostgreSQL
ZONE = "Europe/London"


def set_clock(bot: Harness, when: str) -> int:
    now = at(ZONE, when)
    bot.app.bot_data.clock = lambda: now
    return now


async def tick(bot: Harness, when: str) -> int:
    """The minute tick a second into this local minute: how many messages it enqueued."""
    now = set_clock(bot, when) + 1
    data = bot.app.bot_data
    return (await scheduling.enqueue_due(data.db, data.library, now)).enqueued


async def check_in_at(bot: Harness, typed: str) -> str:
    picker = Harness.only_reply(await bot.send("/habits"))
    if "✅ 🥦 Fibre-rich meal" not in picker.button_labels:
        picker = Harness.only_reply(await bot.press(data_of(picker, "🥦 Fibre-rich meal")))
    await bot.press(data_of(picker, "✅ Done"))
    return Harness.only_reply(await bot.send(typed)).plain


@pytest.fixture
async def london(bot: Harness) -> Harness:
    set_clock(bot, "2026-12-08T10:00")  # a Tuesday
    await bot.send("/remind 8am London")
    return bot


async def test_a_check_in_moved_a_minute_on_after_it_came_says_tomorrow(london: Harness) -> None:
    bot = london
    assert "next Tue 8 Dec, 11:00" in await check_in_at(bot, "11:00")
    assert await tick(bot, "2026-12-08T11:00") == 1  # today's check-in is on its way
    set_clock(bot, "2026-12-08T11:00:30")
    saved = await check_in_at(bot, "11:01")
    assert "next Wed 9 Dec, 11:01" in saved
    overview = Harness.only_reply(await bot.send("/reminders"))
    assert "Habit check-in: 11:01 (🥦 Fibre-rich meal), next Wed 9 Dec, 11:01" in overview.plain
    assert await tick(bot, "2026-12-08T11:01") == 0
    assert await tick(bot, "2026-12-09T11:01") == 1


async def test_a_check_in_moved_before_it_came_today_comes_today(london: Harness) -> None:
    bot = london
    await check_in_at(bot, "11:00")
    set_clock(bot, "2026-12-08T10:30")
    assert "next Tue 8 Dec, 10:45" in await check_in_at(bot, "10:45")
    assert await tick(bot, "2026-12-08T10:45") == 1


async def test_the_daily_card_moved_later_on_a_day_it_came_says_tomorrow(bot: Harness) -> None:
    set_clock(bot, "2026-12-08T07:00")
    await bot.send("/remind 8am London")
    assert await tick(bot, "2026-12-08T08:00") == 1
    set_clock(bot, "2026-12-08T09:00")
    done = Harness.only_reply(await bot.send("/remind 8pm"))
    assert "Your next one arrives Wed 9 Dec, 20:00" in done.plain
    assert await tick(bot, "2026-12-08T20:00") == 0
    assert await tick(bot, "2026-12-09T20:00") == 1
