"""/habits in a chat with no time zone yet asks for one, as /remind does, before the check-in
is saved (issue 21: it was saved in UTC without asking, so a check-in "at 21:00" came at
21:00 UTC)."""

from __future__ import annotations

import pytest

from bot.telegram.offline import ApiCall
from tests.harness import USER_ID, Harness
from tests.test_reminder_setup import NOW, after_zone, data_of, zone_step
from tests.test_reminder_times import at


@pytest.fixture
def clock(bot: Harness) -> Harness:
    bot.app.bot_data.clock = lambda: NOW  # Tue 24 Nov 2026, 09:00 in London
    return bot


async def choose_fibre(bot: Harness, **chat: object) -> ApiCall:
    """/habits, one habit, Done: the check-in time question."""
    picker = Harness.only_reply(await bot.send("/habits", **chat))  # type: ignore[arg-type]
    picker = Harness.only_reply(await bot.press(data_of(picker, "🥦 Fibre-rich meal"),
                                                **chat))  # type: ignore[arg-type]
    return Harness.only_reply(await bot.press(data_of(picker, "✅ Done"),
                                              **chat))  # type: ignore[arg-type]


def check_in(bot: Harness, chat_id: int = USER_ID) -> list[tuple[object, ...]]:
    return bot.rows("SELECT s.local_minute, c.timezone, s.next_due FROM schedules s "
                    "JOIN chats c ON c.id = s.chat_id WHERE s.kind = 'checkin' "
                    "AND s.chat_id = ?", (chat_id,))


async def test_a_first_check_in_asks_the_time_zone(clock: Harness) -> None:
    ask_time = await choose_fibre(clock)
    ask_zone = zone_step(await clock.press(data_of(ask_time, "21:00")))
    assert "21:00" in ask_zone.plain
    assert check_in(clock) == []  # nothing saved in a zone nobody chose
    saved = after_zone(await clock.press(data_of(ask_zone, "🇬🇧 UK")))
    assert "every day at 21:00 (Europe/London)" in saved.plain
    assert "next Tue 24 Nov, 21:00" in saved.plain
    assert check_in(clock) == [(21 * 60, "Europe/London",
                                at("Europe/London", "2026-11-24T21:00") // 60)]


async def test_a_typed_time_then_a_typed_city(clock: Harness) -> None:
    await choose_fibre(clock)
    zone_step(await clock.send("9pm"))
    saved = after_zone(await clock.send("Sydney"))
    assert "every day at 21:00 (Australia/Sydney)" in saved.plain
    assert check_in(clock)[0][:2] == (21 * 60, "Australia/Sydney")


async def test_a_zone_typed_with_the_time_is_taken(clock: Harness) -> None:
    await choose_fibre(clock)
    saved = Harness.only_reply(await clock.send("9pm London"))
    assert "every day at 21:00 (Europe/London)" in saved.plain
    assert check_in(clock)[0][:2] == (21 * 60, "Europe/London")


async def test_a_group_is_asked_too_without_the_location_button(clock: Harness) -> None:
    group = -100555
    clock.api.administrators[group] = {42}
    chat = {"chat_id": group, "chat_type": "supergroup", "user_id": 42}
    ask_time = await choose_fibre(clock, **chat)
    ask_zone = Harness.only_reply(await clock.press(data_of(ask_time, "20:00"), **chat))
    assert "Which time zone" in ask_zone.plain
    saved = Harness.only_reply(await clock.press(data_of(ask_zone, "🇳🇿 New Zealand"), **chat))
    assert "every day at 20:00 (Pacific/Auckland)" in saved.plain
    assert check_in(clock, group)[0][:2] == (20 * 60, "Pacific/Auckland")


async def test_a_saved_zone_is_not_asked_again(clock: Harness) -> None:
    await clock.send("/remind 8am Sydney")
    ask_time = await choose_fibre(clock)
    saved = Harness.only_reply(await clock.press(data_of(ask_time, "21:00")))
    assert "every day at 21:00 (Australia/Sydney)" in saved.plain
