"""A break asked for with /pause lasts until it ends or /resume: changing the time, the zone or
the check-in during it keeps it, and the confirmation says so (issue 21: /remind 7am after
/pause 3 lifted the pause without a word)."""

from __future__ import annotations

import pytest

from bot.delivery import scheduling
from tests.harness import USER_ID, Harness
from tests.test_reminder_setup import NOW, after_zone, data_of, zone_step
from tests.test_reminder_times import at

UNTIL = NOW + 3 * 86400  # /pause 3 on Tue 24 Nov 2026, 09:00 in London: Fri 27 Nov, 09:00

# The save's SQL changed for this: each test runs on SQLite and on PostgreSQL.
BOTH_ENGINES = True


@pytest.fixture
async def paused(bot: Harness) -> Harness:
    bot.app.bot_data.clock = lambda: NOW
    await bot.send("/remind 08:00 London")
    await bot.send("/pause 3")
    return bot


def paused_until(bot: Harness) -> int | None:
    return bot.rows("SELECT paused_until FROM chats WHERE id = ?", (USER_ID,))[0][0]


def next_due(bot: Harness, kind: str) -> int:
    return bot.rows("SELECT next_due FROM schedules WHERE kind = ?", (kind,))[0][0] * 60


async def test_a_new_time_keeps_the_break_and_says_so(paused: Harness) -> None:
    bot = paused
    done = Harness.only_reply(await bot.send("/remind 7am"))
    assert "every day at 07:00 (Europe/London)" in done.plain
    assert "You're on a break until Fri 27 Nov, 09:00" in done.plain
    assert "Your next one arrives Sat 28 Nov, 07:00" in done.plain  # the first after it
    assert "▶️ Resume" in done.button_labels
    assert paused_until(bot) == UNTIL
    assert next_due(bot, "card") == at("Europe/London", "2026-11-28T07:00")
    # Nothing comes during the break; the first card the morning after it ends.
    data = bot.app.bot_data
    for day in ("2026-11-25", "2026-11-26", "2026-11-27", "2026-11-28"):
        now = at("Europe/London", f"{day}T07:00") + 1
        sent = (await scheduling.enqueue_due(data.db, data.library, now)).enqueued
        assert sent == (1 if day == "2026-11-28" else 0), day
    resumed = Harness.only_reply(await bot.press(data_of(done, "▶️ Resume")))
    assert "reminders are on again" in resumed.plain
    assert paused_until(bot) is None


async def test_a_new_time_zone_keeps_the_break(paused: Harness) -> None:
    bot = paused
    overview = Harness.only_reply(await bot.send("/reminders"))
    ask = zone_step(await bot.press(data_of(overview, "🌍 Change time zone")))
    done = after_zone(await bot.press(data_of(ask, "🇳🇿 New Zealand")))
    assert "(Pacific/Auckland)" in done.plain
    assert "You're on a break until" in done.plain
    assert paused_until(bot) == UNTIL
    assert next_due(bot, "card") > UNTIL


async def test_a_check_in_set_during_the_break_waits_for_its_end(paused: Harness) -> None:
    bot = paused
    picker = Harness.only_reply(await bot.send("/habits"))
    picker = Harness.only_reply(await bot.press(data_of(picker, "🥦 Fibre-rich meal")))
    ask_time = Harness.only_reply(await bot.press(data_of(picker, "✅ Done")))
    saved = Harness.only_reply(await bot.press(data_of(ask_time, "21:00")))
    assert "You're on a break until Fri 27 Nov, 09:00" in saved.plain
    assert "next Fri 27 Nov, 21:00" in saved.plain
    assert paused_until(bot) == UNTIL
    assert next_due(bot, "checkin") == at("Europe/London", "2026-11-27T21:00")


async def test_a_stopped_chat_that_sets_a_reminder_starts_afresh(paused: Harness) -> None:
    bot = paused
    await bot.send("/stop")
    done = Harness.only_reply(await bot.send("/remind 7am"))
    assert "You're on a break" not in done.plain
    assert "Wed 25 Nov, 07:00" in done.plain
    assert paused_until(bot) is None
    assert bot.rows("SELECT status FROM chats") == [("active",)]
