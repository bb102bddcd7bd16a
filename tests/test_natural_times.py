"""Reminder times, days and zones as people write them."""

from __future__ import annotations

import pytest

from bot.delivery import localtime
from bot.library.model import Library
from bot.services.spoken_times import parse_reminder
from tests.harness import Harness
from tests.test_reminder_setup import after_zone, data_of, schedule, zone_step


@pytest.mark.parametrize(("typed", "expected"), [
    ("8", "08:00"), ("8am", "08:00"), ("8 am", "08:00"), ("8 a.m.", "08:00"),
    ("8.30pm", "20:30"), ("8:30 p.m.", "20:30"), ("8:00 AM", "08:00"), ("20h", "20:00"),
    ("20h30", "20:30"), ("noon", "12:00"), ("12 noon", "12:00"), ("midnight", "00:00"),
    ("half past 7", "07:30"), ("half past seven", "07:30"), ("quarter to 9", "08:45"),
    ("7 in the evening", "19:00"), ("9 tonight", "21:00"), ("7:30 tomorrow morning", "07:30"),
    ("at 8pm", "20:00"), ("8 o'clock", "08:00"), ("12am", "00:00"), ("12pm", "12:00"),
])
def test_times_people_type(typed: str, expected: str) -> None:
    minute = localtime.parse_time(typed)
    assert minute is not None and localtime.format_time(minute) == expected


@pytest.mark.parametrize("typed", ["25", "8:75", "13pm", "hello", "", "half past banana"])
def test_what_is_not_a_time(typed: str) -> None:
    assert localtime.parse_time(typed) is None


@pytest.mark.parametrize(("typed", "minute", "zone", "days"), [
    ("8am PST", "08:00", "America/Los_Angeles", None),
    ("8:00 AM EST", "08:00", "America/New_York", None),
    ("7pm AEST", "19:00", "Australia/Sydney", None),
    ("9am BST", "09:00", "Europe/London", None),
    ("remind me every weekday at 7pm", "19:00", None, localtime.WEEKDAYS),
    ("every day at 8pm", "20:00", None, localtime.EVERY_DAY),
    ("weekends 10:00 Europe/Berlin", "10:00", "Europe/Berlin", localtime.WEEKENDS),
    ("mon wed fri 9am Sydney", "09:00", "Australia/Sydney", 0b10101),
    ("every monday and thursday at 6pm", "18:00", None, 0b1001),
    ("half past 7 in the evening London", "19:30", "Europe/London", None),
])
def test_a_reminder_in_a_persons_own_words(library: Library, typed: str, minute: str,
                                           zone: str | None, days: int | None) -> None:
    request = parse_reminder(typed, library.zone_aliases)
    assert request.minute is not None and localtime.format_time(request.minute) == minute
    assert (request.zone, request.days, request.unknown) == (zone, days, "")


async def test_remind_with_a_zone_abbreviation_keeps_daylight_saving(bot: Harness) -> None:
    reply = Harness.only_reply(await bot.send("/remind 8am PST"))
    assert "08:00 (America/Los_Angeles)" in reply.plain
    assert schedule(bot) == [("card", 480, localtime.EVERY_DAY, "America/Los_Angeles")]


async def test_a_sentence_asking_for_a_reminder_starts_the_set_up(bot: Harness) -> None:
    zone_step(await bot.send("remind me every weekday at 7pm"))
    done = after_zone(await bot.send("London"))
    assert "on weekdays at 19:00 (Europe/London)" in done.plain
    assert schedule(bot) == [("card", 19 * 60, localtime.WEEKDAYS, "Europe/London")]


async def test_a_sentence_without_a_time_asks_for_it(bot: Harness) -> None:
    await bot.send("/remind 9am Sydney")
    ask_time = Harness.only_reply(await bot.send("please remind me on weekends"))
    assert "What time" in ask_time.plain
    done = Harness.only_reply(await bot.send("half past 7"))
    assert "at weekends at 07:30 (Australia/Sydney)" in done.plain


async def test_an_unknown_zone_word_changes_nothing(bot: Harness) -> None:
    reply = Harness.only_reply(await bot.send("/remind 8pm banana"))
    assert "“banana” is not a time zone I know" in reply.plain
    assert schedule(bot) == []


async def test_a_typed_check_in_time_is_taken_in_habits(bot: Harness) -> None:
    await bot.send("/remind 8am London")
    picker = Harness.only_reply(await bot.send("/habits"))
    chosen = Harness.only_reply(await bot.press(data_of(picker, "🥦 Fibre-rich meal")))
    ask = Harness.only_reply(await bot.press(data_of(chosen, "✅ Done")))
    assert "What time should the daily check-in come" in ask.plain
    saved = Harness.only_reply(await bot.send("8pm"))
    assert "every day at 20:00 (Europe/London)" in saved.plain
    assert ("checkin", 20 * 60) in [(k, m) for k, m, _, _ in schedule(bot)]


async def test_summary_alone_says_what_is_set_and_words_move_it(bot: Harness) -> None:
    nothing = Harness.only_reply(await bot.send("/summary"))
    assert "There is no weekly summary yet" in nothing.plain
    await bot.send("/remind 8am London")
    moved = Harness.only_reply(await bot.send("/summary friday at 7pm"))
    assert "Fri at 19:00 (Europe/London)" in moved.plain
    now = Harness.only_reply(await bot.send("/summary"))
    assert "Your weekly summary comes on Fri at 19:00 (Europe/London)" in now.plain


async def test_a_zone_typed_with_the_time_skips_the_zone_question(bot: Harness) -> None:
    await bot.send("/remind")
    ask_days = Harness.only_reply(await bot.send("7pm GMT"))
    assert "19:00, Europe/London. On which days?" in ask_days.plain
    done = Harness.only_reply(await bot.press(data_of(ask_days, "Weekdays")))
    assert "on weekdays at 19:00 (Europe/London)" in done.plain


async def test_days_typed_with_the_time_are_not_asked_again(bot: Harness) -> None:
    await bot.send("/remind")
    zone_step(await bot.send("weekdays 7am"))
    done = after_zone(await bot.send("I'm in Toronto"))  # a zone said in passing
    assert "on weekdays at 07:00 (America/Toronto)" in done.plain
    assert schedule(bot) == [("card", 7 * 60, localtime.WEEKDAYS, "America/Toronto")]


async def test_a_request_with_no_time_starts_the_whole_set_up(bot: Harness) -> None:
    ask_time = Harness.only_reply(await bot.send("hi, can you remind me to put my son's cream on"))
    assert "What time would you like your card" in ask_time.plain
    ask_zone = zone_step(await bot.send("half 7 in the evening"))
    assert "Got it: 19:30" in ask_zone.plain
    ask_days = after_zone(await bot.send("Glasgow"))
    assert "19:30, Europe/London. On which days?" in ask_days.plain


@pytest.mark.parametrize("question", ["can you remind me what fibre does?",
                                      "my reminder didn't arrive at 8",
                                      "I apply cream every day at 7am"])
async def test_sentences_about_reminders_or_times_are_not_requests(bot: Harness,
                                                                  question: str) -> None:
    reply = Harness.only_reply(await bot.send(question))
    assert "What time would you like your card" not in reply.plain
    assert "nothing has changed" not in reply.plain
    assert schedule(bot) == []


@pytest.mark.parametrize(("typed", "said"), [
    ("remind me every other day at 8pm", "not every other day or several times a day"),
    ("remind me at 7am on weekdays and 9am on weekends", "at one time"),
    ("remind me in an hour", "rather than “in an hour”"),
])
async def test_what_the_bot_cannot_do_is_said_and_changes_nothing(bot: Harness, typed: str,
                                                                 said: str) -> None:
    await bot.send("/remind 8am London")
    before = bot.snapshot()
    reply = Harness.only_reply(await bot.send(typed))
    assert "nothing has changed" in reply.plain and said in reply.plain
    assert bot.snapshot() == before


async def test_two_times_at_the_time_step_ask_for_one(bot: Harness) -> None:
    await bot.send("/remind")
    before = bot.snapshot()
    reply = Harness.only_reply(await bot.send("between 7 and 8pm"))
    assert "isn't a time I can read" in reply.plain and "just one time" in reply.plain
    assert bot.snapshot() == before
