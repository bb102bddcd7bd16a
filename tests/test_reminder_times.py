"""A reminder arrives once per chosen local day at the chosen local minute, DST or not.

The clock is injected: each test walks it minute by minute through a daylight-saving change
(or midnight) and runs the real minute tick against a real SQLite file.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.delivery import scheduling
from tests.harness import USER_ID, Harness


def at(zone: str, text: str) -> int:
    """Epoch seconds of a local wall time (first occurrence if repeated)."""
    naive = datetime.fromisoformat(text)
    return int(naive.replace(tzinfo=ZoneInfo(zone)).timestamp())


async def walk(bot: Harness, start: int, minutes: int) -> list[tuple[int, int]]:
    """Tick once a minute from `start`; return (tick time, outbox rows new at that tick)."""
    data = bot.app.bot_data
    sends: list[tuple[int, int]] = []
    for minute in range(minutes):
        now = start + 60 * minute + 1  # the tick runs a second into the minute
        data.clock = lambda now=now: now
        result = await scheduling.enqueue_due(data.db, data.library, now)
        if result.enqueued:
            sends.append((now, result.enqueued))
    return sends


def local(epoch: int, zone: str) -> datetime:
    return datetime.fromtimestamp(epoch, ZoneInfo(zone))


CASES = [
    # zone, transition day, reminder time, the local time it must arrive at on that day
    ("Europe/London", "2026-03-29", "01:30", "02:00"),      # spring forward: 01:00 -> 02:00
    ("Europe/London", "2026-10-25", "01:30", "01:30"),      # fall back: 01:30 happens twice
    ("Europe/London", "2026-03-29", "08:00", "08:00"),
    ("America/New_York", "2026-03-08", "02:30", "03:00"),   # 02:00 -> 03:00
    ("America/New_York", "2026-11-01", "01:15", "01:15"),   # 01:00-02:00 repeats
    ("Australia/Sydney", "2026-10-04", "02:45", "03:00"),   # 02:00 -> 03:00
    ("Australia/Sydney", "2026-04-05", "02:30", "02:30"),   # 02:00-03:00 repeats
    ("Australia/Sydney", "2026-04-05", "00:00", "00:00"),   # midnight
]


@pytest.mark.parametrize(("zone", "day", "wall", "expected"), CASES)
async def test_once_a_day_at_the_right_local_minute_through_dst(
    bot: Harness, zone: str, day: str, wall: str, expected: str
) -> None:
    transition = date.fromisoformat(day)
    start = at(zone, f"{transition - timedelta(days=2)}T12:00")
    bot.app.bot_data.clock = lambda: start
    await bot.send(f"/remind {wall} {zone}")
    sends = await walk(bot, start, 3 * 24 * 60)
    days = [local(t, zone).date() for t, _ in sends]
    assert days == [transition + timedelta(days=n) for n in (-1, 0, 1)]  # never twice or zero
    assert all(count == 1 for _, count in sends)
    on_the_day = local(sends[1][0], zone)
    assert on_the_day.strftime("%H:%M") == expected
    for t, _ in (sends[0], sends[2]):  # ordinary days on either side
        assert local(t, zone).strftime("%H:%M") == wall
    rows = bot.rows("SELECT COUNT(*) FROM outbox WHERE chat_id = ? AND kind = 'card'", (USER_ID,))
    assert rows == [(3,)]


async def test_weekdays_only_skips_the_weekend(bot: Harness) -> None:
    zone = "Europe/London"
    start = at(zone, "2026-11-27T09:00")  # a Friday, after 08:00
    bot.app.bot_data.clock = lambda: start
    data = bot.app.bot_data
    await bot.send(f"/remind 08:00 {zone}")
    await data.db.execute("UPDATE schedules SET days = 31 WHERE chat_id = ?", (USER_ID,))
    from bot.services import subscriptions

    await subscriptions.resume(data.db, USER_ID, start)
    sends = await walk(bot, start, 4 * 24 * 60)
    assert [local(t, zone).strftime("%a %H:%M") for t, _ in sends] == ["Mon 08:00", "Tue 08:00"]


async def test_confirmation_states_the_next_reminder_in_local_time(bot: Harness) -> None:
    now = at("Australia/Sydney", "2026-11-24T21:00")
    bot.app.bot_data.clock = lambda: now
    reply = Harness.only_reply(await bot.send("/remind 7.30am Sydney"))
    assert "every day at 07:30 (Australia/Sydney)" in reply.plain
    assert "Wed 25 Nov, 07:30" in reply.plain


async def test_after_downtime_recent_misses_go_once_and_old_ones_are_skipped(
    bot: Harness
) -> None:
    zone = "UTC"
    data = bot.app.bot_data
    start = at(zone, "2026-06-01T00:00")
    data.clock = lambda: start
    await bot.send("/remind 08:00 UTC", chat_id=101)
    await bot.send("/remind 10:30 UTC", chat_id=102)
    # The bot is down from 06:00 to 11:00: 08:00 is 3 h late (too old), 10:30 is 30 min late.
    back = at(zone, "2026-06-01T11:01")
    result = await scheduling.enqueue_due(data.db, data.library, back)
    assert (result.enqueued, result.skipped_late) == (1, 1)
    assert bot.rows("SELECT chat_id FROM outbox") == [(102,)]
    # A second tick in the same minute changes nothing; the next day both are on time.
    assert (await scheduling.enqueue_due(data.db, data.library, back + 5)).enqueued == 0
    next_day = await walk(bot, at(zone, "2026-06-02T07:59"), 160)
    assert [local(t, zone).strftime("%H:%M") for t, _ in next_day] == ["08:00", "10:30"]


async def test_a_miss_older_than_the_catch_up_window_is_not_piled_up(bot: Harness) -> None:
    data = bot.app.bot_data
    start = at("UTC", "2026-06-01T00:00")
    data.clock = lambda: start
    await bot.send("/remind 08:00 UTC")
    late = at("UTC", "2026-06-01T08:00") + (scheduling.CATCH_UP_MINUTES + 1) * 60
    result = await scheduling.enqueue_due(data.db, data.library, late)
    assert (result.enqueued, result.skipped_late) == (0, 1)
    assert bot.rows("SELECT COUNT(*) FROM outbox") == [(0,)]
    nxt = bot.rows("SELECT next_due FROM schedules")[0][0]
    assert datetime.fromtimestamp(nxt * 60, UTC).isoformat() == \
        "2026-06-02T08:00:00+00:00"
