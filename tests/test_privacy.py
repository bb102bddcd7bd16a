"""A person can see everything stored about their chat, and erase it."""

from __future__ import annotations

from tests.harness import USER_ID, Harness
from tests.test_reminder_setup import data_of

# Each test here runs on SQLite and on PostgreSQL (tests/conftest.py).
BOTH_ENGINES = True


async def test_mydata_shows_it_and_forget_erases_it_all(bot: Harness) -> None:
    await bot.send("/remind 8am london")
    await bot.send("/card fibre-gentle-start")
    shown = Harness.only_reply(await bot.send("/mydata"))
    assert "Time zone: Europe/London" in shown.plain
    assert "Scheduled: daily card at 08:00 every day" in shown.plain
    assert "Cards read (1): Adding fibre gently" in shown.plain
    ask = Harness.only_reply(await bot.press(data_of(shown, "🗑 Erase my data…")))
    kept = Harness.only_reply(await bot.press(data_of(ask, "Keep it")))
    assert "Nothing was erased" in kept.plain
    assert bot.rows("SELECT COUNT(*) FROM card_views") == [(1,)]
    done = Harness.only_reply(await bot.press(data_of(ask, "🗑 Yes, erase everything")))
    assert "erased" in done.plain
    for table in ("chats", "card_views", "schedules", "checkins", "outbox"):
        assert bot.rows(f"SELECT COUNT(*) FROM {table}") == [(0,)], table
    empty = Harness.only_reply(await bot.send("/mydata"))
    assert "no record of this chat" in empty.plain
    assert bot.rows("SELECT COUNT(*) FROM chats WHERE id = ?", (USER_ID,)) == [(0,)]


async def test_mydata_uses_names_people_read(bot: Harness) -> None:
    await bot.send("/remind 8am London")
    await bot.app.bot_data.db.execute(
        "UPDATE chats SET focus = 'fibre,sleep', habits = 'fibre,sleep'")
    shown = Harness.only_reply(await bot.send("/mydata")).plain
    assert "Topics followed: 🥦 Fibre, 😴 Sleep" in shown
    assert "habits: 🥦 Fibre-rich meal, 😴 Good night's sleep" in shown
    assert "Cards read (0): none yet" in shown
    assert "(Europe/London)" in shown  # first and last seen in the chat's own time
