"""A chat has one daily card: setting another replaces it, and the confirmation says which one
it replaced, with a button that puts it back (issue 21: the weekday 19:30 reminder was
replaced without a word)."""

from __future__ import annotations

import pytest

from bot.delivery import localtime
from tests.harness import Harness
from tests.test_reminder_setup import NOW, data_of, schedule

UNDO = "↩️ Undo: back to 19:30 on weekdays"

# The save's SQL changed for this: each test runs on SQLite and on PostgreSQL.
BOTH_ENGINES = True


@pytest.fixture
def clock(bot: Harness) -> Harness:
    bot.app.bot_data.clock = lambda: NOW  # Tue 24 Nov 2026, 09:00 in London
    return bot


async def test_the_confirmation_names_what_it_replaced_and_undo_puts_it_back(
        clock: Harness) -> None:
    await clock.send("/remind weekdays 19:30 London")
    done = Harness.only_reply(await clock.send("remind me every day at 8am"))
    assert "every day at 08:00 (Europe/London)" in done.plain
    assert "This replaces your card on weekdays at 19:30." in done.plain
    assert UNDO in done.button_labels
    assert schedule(clock) == [("card", 8 * 60, localtime.EVERY_DAY, "Europe/London")]

    back = Harness.only_reply(await clock.press(data_of(done, UNDO)))
    assert "on weekdays at 19:30 (Europe/London)" in back.plain
    assert "Tue 24 Nov, 19:30" in back.plain
    assert "This replaces your card every day at 08:00." in back.plain  # and back again
    assert "↩️ Undo: back to 08:00 every day" in back.button_labels
    assert schedule(clock) == [("card", 19 * 60 + 30, localtime.WEEKDAYS, "Europe/London")]


async def test_undo_brings_the_old_time_zone_back_too(clock: Harness) -> None:
    await clock.send("/remind weekdays 19:30 London")
    done = Harness.only_reply(await clock.send("/remind 8am Sydney"))
    assert "This replaces your card on weekdays at 19:30 (Europe/London)." in done.plain
    await clock.press(data_of(done, UNDO))
    assert schedule(clock) == [("card", 19 * 60 + 30, localtime.WEEKDAYS, "Europe/London")]


@pytest.mark.parametrize("zone", ["America/Argentina/ComodRivadavia", "UTC+05:30",
                                  "America/Port-au-Prince", "UTC-03:00"])
async def test_undo_carries_any_zone(clock: Harness, zone: str) -> None:
    await clock.send("/remind weekdays 19:30 London")
    # As a shared location or a zone button may have set it (not every name can be typed).
    await clock.app.bot_data.db.execute("UPDATE chats SET timezone = ?", (zone,))
    done = Harness.only_reply(await clock.send("/remind 8am London"))
    await clock.press(data_of(done, UNDO))
    assert schedule(clock) == [("card", 19 * 60 + 30, localtime.WEEKDAYS, zone)]


async def test_the_same_time_again_replaces_nothing(clock: Harness) -> None:
    await clock.send("/remind weekdays 19:30 London")
    again = Harness.only_reply(await clock.send("/remind weekdays 19:30"))
    assert "replaces" not in again.plain
    assert again.button_labels == ["⚙️ Reminder settings"]
    first = Harness.only_reply(await clock.send("/remind 8am London", chat_id=4242))
    assert "replaces" not in first.plain


async def test_only_a_group_admin_may_undo(clock: Harness) -> None:
    group = -100555
    clock.api.administrators[group] = {42}
    await clock.send("/remind weekdays 19:30 London", chat_id=group, chat_type="supergroup",
                     user_id=42)
    done = Harness.only_reply(await clock.send("/remind 8am", chat_id=group,
                                               chat_type="supergroup", user_id=42))
    before = clock.snapshot()
    refused = Harness.only_reply(await clock.press(data_of(done, UNDO), chat_id=group,
                                                   chat_type="supergroup", user_id=77))
    assert "Only this group's admins" in refused.plain
    assert clock.snapshot() == before


@pytest.mark.parametrize("forged", ["rk:1440:31:europe:london", "rk:600:0:europe:london",
                                    "rk:600:31:mars:olympus", "rk:600:31", "rk:x:y:z"])
async def test_a_forged_undo_changes_nothing(clock: Harness, forged: str) -> None:
    await clock.send("/remind weekdays 19:30 London")
    before = clock.snapshot()
    reply = Harness.only_reply(await clock.press(forged))
    assert "All set" not in reply.plain
    assert clock.snapshot() == before
