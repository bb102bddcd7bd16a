"""A time zone from a shared location: offered in a private chat's zone step, turned into a
zone offline, said back like a typed one, and the location itself kept nowhere."""

from __future__ import annotations

import logging
import struct
from typing import Any

import pytest

from bot.services.location_zone import zone_at
from bot.telegram.offline import BOT_USER, ApiCall
from tests.harness import USER_ID, Harness
from tests.test_reminder_setup import data_of, schedule, zone_step
from tests.test_reminder_times import at

NOW = at("Europe/London", "2026-11-24T09:00")
# Trafalgar Square, with digits distinctive enough to look for afterwards.
LONDON = (51.508039, -0.128069)
MID_ATLANTIC = (38.123457, -35.987653)
GROUP, ADMIN = -100555, 42


@pytest.fixture
def clock(bot: Harness) -> Harness:
    bot.app.bot_data.clock = lambda: NOW
    return bot


async def share(bot: Harness, place: tuple[float, float], **kwargs: Any) -> list[ApiCall]:
    message = bot.message(**kwargs)
    message["location"] = {"latitude": place[0], "longitude": place[1]}
    return await bot.feed({"message": message})


def traces(place: tuple[float, float]) -> list[bytes]:
    """How a coordinate would look if it were written down: as text, or as SQLite's REAL."""
    found = []
    for value in place:
        found += [f"{value:.4f}".encode(), f"{abs(value):.5f}".encode()[:7],
                  struct.pack(">d", value)]
    return found


async def test_a_location_in_london_becomes_europe_london(clock: Harness, caplog: Any) -> None:
    bot = clock
    caplog.set_level(logging.INFO)  # the level the bot runs at
    await bot.send("/remind")
    zone_step(await bot.send("7.30pm"))
    noted, ask_days = Harness.replies(await share(bot, LONDON))
    assert "Your location is in the Europe/London time zone" in noted.plain
    assert "haven't kept it" in noted.plain
    assert noted.removes_keys  # the "Share my location" keyboard goes
    # Then the set-up goes on exactly as after a typed zone.
    assert "19:30, Europe/London. On which days?" in ask_days.plain
    await nowhere(bot, LONDON, caplog.text)  # mid-set-up, with its state written down
    done = Harness.only_reply(await bot.press(data_of(ask_days, "Weekdays")))
    assert "on weekdays at 19:30 (Europe/London)" in done.plain
    assert schedule(bot) == [("card", 19 * 60 + 30, 0b11111, "Europe/London")]
    await nowhere(bot, LONDON, caplog.text)


async def nowhere(bot: Harness, place: tuple[float, float], logged: str) -> None:
    """The coordinates are not in the chat's kept state, the database file or the logs."""
    await bot.app.update_persistence()  # what a restart would read back
    kept = repr(dict(bot.app.chat_data)) + repr(dict(bot.app.user_data))
    stored = b"".join(p.read_bytes() for p in bot.db_path.parent.glob(bot.db_path.name + "*"))
    for trace in traces(place):
        assert trace not in stored
        assert trace.decode("latin-1") not in kept + logged


async def test_a_location_with_a_prefilled_reminder_saves_it(clock: Harness) -> None:
    """"remind me every weekday at 7pm" asks only for the zone; a location answers it."""
    bot = clock
    zone_step(await bot.send("remind me every weekday at 7pm"))
    noted, done = Harness.replies(await share(bot, (-33.8688, 151.2093)))
    assert "Australia/Sydney" in noted.plain and noted.removes_keys
    assert "on weekdays at 19:00 (Australia/Sydney)" in done.plain
    assert schedule(bot) == [("card", 19 * 60, 0b11111, "Australia/Sydney")]


async def test_a_location_at_sea_asks_for_a_city_and_changes_nothing(clock: Harness) -> None:
    bot = clock
    await bot.send("/remind 8am London")
    await bot.send("/remind")
    zone_step(await bot.send("9pm"))
    before = bot.snapshot()
    sorry = Harness.only_reply(await share(bot, MID_ATLANTIC))
    assert "couldn't find a time zone for that spot" in sorry.plain
    assert "type a city" in sorry.plain and "nothing has changed" in sorry.plain
    assert sorry.removes_keys
    assert bot.snapshot() == before
    # The step still waits for a zone, typed this time.
    ask_days = Harness.only_reply(await bot.send("Chicago"))
    assert "21:00, America/Chicago. On which days?" in ask_days.plain


@pytest.mark.parametrize("place", [MID_ATLANTIC, (0.0, 0.0), (91.0, 0.0), (0.0, 181.0),
                                   (float("nan"), 10.0)])
def test_no_zone_where_no_clock_is_set(place: tuple[float, float]) -> None:
    assert zone_at(*place) is None


@pytest.mark.parametrize(("place", "zone"), [
    (LONDON, "Europe/London"), ((40.7128, -74.0060), "America/New_York"),
    ((28.6139, 77.2090), "Asia/Kolkata"), ((-36.8485, 174.7633), "Pacific/Auckland"),
])
def test_zones_of_places(place: tuple[float, float], zone: str) -> None:
    assert zone_at(*place) == zone


async def test_a_location_nobody_asked_for_gets_a_short_word(clock: Harness) -> None:
    bot = clock
    await bot.send("/remind 8am London")
    before = bot.snapshot()
    reply = Harness.only_reply(await share(bot, LONDON))
    assert "I only use a location to find a reminder's time zone" in reply.plain
    assert "/remind" in reply.plain and reply.removes_keys  # a stale keyboard goes too
    assert bot.snapshot() == before


async def test_cancel_in_the_zone_step_takes_the_keyboard_away(clock: Harness) -> None:
    bot = clock
    await bot.send("/remind")
    zone_step(await bot.send("8am"))
    cancelled = Harness.only_reply(await bot.send("/cancel"))
    assert "Your reminder settings are as they were" in cancelled.plain
    assert cancelled.removes_keys


async def test_a_group_is_not_offered_a_location(clock: Harness) -> None:
    bot = clock
    bot.api.administrators[GROUP] = {ADMIN}
    ask_zone = Harness.only_reply(await bot.send("/remind 8am", chat_id=GROUP,
                                                 chat_type="supergroup", user_id=ADMIN))
    assert "Which time zone" in ask_zone.plain
    assert [c for c in bot.api.calls if c.keys] == []
    # A location posted in reply there is not read: a group's zone is not one member's spot.
    message = bot.message(chat_id=GROUP, chat_type="supergroup", user_id=ADMIN)
    message["location"] = {"latitude": LONDON[0], "longitude": LONDON[1]}
    message["reply_to_message"] = {"message_id": 1, "date": 1, "from": BOT_USER, "text": "?",
                                   "chat": {"id": GROUP, "type": "supergroup", "title": "G"}}
    assert Harness.replies(await bot.feed({"message": message})) == []
    assert schedule(bot) == []
    # The private chat's own set-up is offered one, as the zone step always does there.
    await bot.send("/remind", chat_id=USER_ID)
    zone_step(await bot.send("8am", chat_id=USER_ID))
