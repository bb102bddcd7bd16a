"""What arrives: the daily card (unread, from followed topics), check-ins, weekly summary."""

from __future__ import annotations

from bot.delivery import scheduling
from bot.library.model import Library
from bot.store import outbox
from bot.store.outbox import Entry
from tests.harness import USER_ID, Harness, assert_lands_well
from tests.test_reminder_setup import data_of
from tests.test_reminder_times import at

# Each test here runs on SQLite and on PostgreSQL (tests/conftest.py).
BOTH_ENGINES = True

ZONE = "Europe/London"


async def deliver_day(bot: Harness, day: str, hhmm: str = "08:00") -> list:  # type: ignore[type-arg]
    """Run the tick at the reminder minute and drain the sender; return what landed."""
    data = bot.app.bot_data
    now = at(ZONE, f"{day}T{hhmm}") + 1
    data.clock = lambda: now
    before = len(bot.api.calls)
    await scheduling.enqueue_due(data.db, data.library, now)
    await data.sender.drain()
    landed = [c for c in bot.api.calls[before:] if c.method == "sendMessage"]
    for call in landed:
        assert_lands_well(call, bot.disclaimer)
    return landed


async def subscribe(bot: Harness, line: str = "08:00 London") -> None:
    bot.app.bot_data.clock = lambda: at(ZONE, "2026-11-01T00:00")
    await bot.send(f"/remind {line}")


async def test_the_daily_card_arrives_with_next_and_settings_buttons(bot: Harness,
                                                                     library: Library) -> None:
    await subscribe(bot)
    [call] = await deliver_day(bot, "2026-11-01")
    assert call.chat_id == USER_ID
    assert call.plain.startswith("☀️ Your card for today")
    first = library.reading_order()[0]
    assert first.title in call.plain
    # In a person's own chat, a note can be added from the card (issue 26).
    assert call.button_labels == ["Next card ▶", "⏰ Later today", "⚙️ Reminder settings",
                                  "📝 Add a note"]


async def test_unread_cards_first_never_twice_in_a_row_then_oldest(bot: Harness,
                                                                  library: Library) -> None:
    await subscribe(bot)
    read_by_hand = library.reading_order()[1]
    await bot.send(f"/card {read_by_hand.id}")
    seen = []
    for n in range(len(library.cards) + 3):
        [call] = await deliver_day(bot, f"2026-11-{1 + n % 30:02d}" if n < 30 else
                                   f"2026-12-{n - 29:02d}")
        title = next(c.title for c in library.cards.values() if c.title in call.plain)
        seen.append(title)
    unread_phase = seen[: len(library.cards) - 1]
    assert read_by_hand.title not in unread_phase  # read by hand: not sent while others unread
    assert len(set(unread_phase)) == len(unread_phase)
    assert all(a != b for a, b in zip(seen, seen[1:]))  # no card twice in a row
    # Then the least recently read comes round: the card read by hand before any reminder.
    assert seen[len(library.cards) - 1] == read_by_hand.title


async def test_focus_topics_limit_the_daily_card(bot: Harness, library: Library) -> None:
    await subscribe(bot)
    picker = Harness.only_reply(await bot.send("/focus"))
    sleep = next(t for t in library.topics if t.id == "sleep")
    picker = Harness.only_reply(await bot.press(data_of(picker, sleep.label)))
    saved = Harness.only_reply(await bot.press(data_of(picker, "✅ Done")))
    assert "Sleep" in saved.plain
    titles = {c.title for c in library.cards_in("sleep")}
    for day in ("2026-11-01", "2026-11-02", "2026-11-03"):
        [call] = await deliver_day(bot, day)
        assert any(t in call.plain for t in titles)


async def test_enqueueing_the_same_reminder_twice_is_a_no_op(bot: Harness) -> None:
    data = bot.app.bot_data
    await bot.send("/start")
    entry = Entry(USER_ID, "card", f"card:{USER_ID}:2026-11-01", "x")
    assert await outbox.enqueue(data.db, [entry], 1) == 1
    assert await outbox.enqueue(data.db, [entry, entry], 2) == 0
    assert bot.rows("SELECT COUNT(*) FROM outbox") == [(1,)]


async def test_a_reminder_moved_later_the_same_day_brings_no_second_card(bot: Harness) -> None:
    """The day's card went at 08:00; moved to 20:00 that day, the reminder waits for
    tomorrow: one daily card per local day, whatever the time says."""
    await subscribe(bot)
    assert len(await deliver_day(bot, "2026-11-01")) == 1
    bot.app.bot_data.clock = lambda: at(ZONE, "2026-11-01T09:00")
    await bot.send("/remind 20:00 London")
    assert await deliver_day(bot, "2026-11-01", "20:00") == []
    assert len(await deliver_day(bot, "2026-11-02", "20:00")) == 1


async def test_habit_check_in_answers_progress_and_weekly_summary(bot: Harness) -> None:
    await subscribe(bot)
    picker = Harness.only_reply(await bot.send("/habits"))
    picker = Harness.only_reply(await bot.press(data_of(picker, "🥦 Fibre-rich meal")))
    picker = Harness.only_reply(await bot.press(data_of(picker, "😴 Good night's sleep")))
    ask_time = Harness.only_reply(await bot.press(data_of(picker, "✅ Done")))
    saved = Harness.only_reply(await bot.press(data_of(ask_time, "21:00")))
    assert "every day at 21:00 (Europe/London)" in saved.plain and "Sun at 18:00" in saved.plain

    for day in ("2026-11-01", "2026-11-02", "2026-11-03"):
        landed = await deliver_day(bot, day, "21:00")
        [checkin] = [c for c in landed if "Daily check-in" in c.plain]
        assert checkin.button_labels == ["🥦 Fibre-rich meal: Yes ✅", "Not today",
                                         "😴 Good night's sleep: Yes ✅", "Not today"]
        after = Harness.only_reply(await bot.press(data_of(checkin, "🥦 Fibre-rich meal: Yes ✅")))
        assert after.button_labels == ["😴 Good night's sleep: Yes ✅", "Not today"]
        await bot.press(data_of(after, "Not today"))
    assert bot.rows("SELECT day, habit, done FROM checkins ORDER BY day, habit") == [
        ("2026-11-01", "fibre", 1), ("2026-11-01", "sleep", 0),
        ("2026-11-02", "fibre", 1), ("2026-11-02", "sleep", 0),
        ("2026-11-03", "fibre", 1), ("2026-11-03", "sleep", 0)]
    # At most one check-in a day: a second tick the same evening sends nothing.
    assert await deliver_day(bot, "2026-11-03", "21:05") == []

    progress = Harness.only_reply(await bot.send("/progress"))
    assert "🥦 Fibre-rich meal\n▫️▫️▫️▫️✅✅✅  streak: 3 days" in progress.plain
    assert "😴 Good night's sleep\n▫️▫️▫️▫️✖️✖️✖️  streak: 0 days" in progress.plain

    summary = [c for c in await deliver_day(bot, "2026-11-08", "18:00") if "Your week" in c.plain]
    assert len(summary) == 1
    # The week is Mon 2 to Sun 8 Nov: two fibre days in it, and the streak has broken since.
    assert "🥦 Fibre-rich meal: 2 of 7 days\n" in summary[0].plain
    assert "😴 Good night's sleep: 0 of 7 days" in summary[0].plain


async def test_a_stale_check_in_answer_is_refused(bot: Harness) -> None:
    await subscribe(bot)
    before = bot.snapshot()
    for data in ("ci:20260101:0:y", "ci:20261301:0:y", "ci:20261101:9:y", "ci:20261101:0:maybe"):
        reply = Harness.only_reply(await bot.press(data))
        assert "out of date" in reply.plain
    assert bot.snapshot() == before


async def test_old_settled_rows_are_pruned_and_the_rest_kept(bot: Harness) -> None:
    data = bot.app.bot_data
    now = at(ZONE, "2026-11-24T12:00")
    day = 86_400
    rows = [("old-sent", "sent", now - 50 * day), ("old-failed", "failed", now - 46 * day),
            ("old-pending", "pending", now - 50 * day), ("recent", "sent", now - 44 * day),
            ("today", "sent", now)]
    await data.db.executemany(
        "INSERT INTO outbox (chat_id, kind, dedupe_key, status, not_before, created) "
        "VALUES (1, 'card', ?, ?, 0, ?)", rows)
    assert await outbox.prune(data.db, now) == 2
    assert bot.rows("SELECT dedupe_key FROM outbox ORDER BY id") == [
        ("old-pending",), ("recent",), ("today",)]
    assert await outbox.prune(data.db, now) == 0


async def test_later_today_sends_the_card_once_more_three_hours_on(bot: Harness) -> None:
    await subscribe(bot)
    [card] = await deliver_day(bot, "2026-11-01")
    data = bot.app.bot_data
    pressed_at = at(ZONE, "2026-11-01T09:00")
    data.clock = lambda: pressed_at
    said = Harness.only_reply(await bot.press(data_of(card, "⏰ Later today")))
    assert "once more around Sun 1 Nov, 12:00" in said.plain
    again = Harness.only_reply(await bot.press(data_of(card, "⏰ Later today")))
    assert "already asked" in again.plain
    assert bot.rows("SELECT COUNT(*) FROM outbox WHERE kind = 'card_later'") == [(1,)]
    await data.sender.drain()  # not before 12:00: nothing yet
    assert bot.rows("SELECT status FROM outbox WHERE kind = 'card_later'") == [("pending",)]
    data.clock = lambda: pressed_at + 3 * 3600 + 1
    before = len(bot.api.calls)
    await data.sender.drain()
    [later] = [c for c in bot.api.calls[before:] if c.method == "sendMessage"]
    assert later.plain == card.plain  # the same card, the same words
    assert later.button_labels == ["Next card ▶", "⚙️ Reminder settings",  # only once
                                   "📝 Add a note"]


async def test_a_daily_card_counts_as_read_once_it_arrives(bot: Harness,
                                                           library: Library) -> None:
    """/mydata lists the cards read: the daily card is among them once it has reached the
    chat, and a card Telegram refused (the person blocked the bot) is not."""
    await subscribe(bot)
    bot.api.fail("sendMessage", 403, "Forbidden: bot was blocked by the user")
    [refused] = await deliver_day(bot, "2026-11-01")
    assert "Your card for today" in refused.plain
    assert "Cards read (0): none yet" in Harness.only_reply(await bot.send("/mydata")).plain
    await bot.send("/start")  # back again: the reminder is on again
    [call] = await deliver_day(bot, "2026-11-02")
    title = next(card.title for card in library.cards.values() if card.title in call.plain)
    shown = Harness.only_reply(await bot.send("/mydata")).plain
    assert f"Cards read (1): {title}" in shown
