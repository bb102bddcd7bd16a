"""Habit check-in answers, and the streaks and weeks made from them."""

from __future__ import annotations

from datetime import date, timedelta

from bot.store.db import Database


async def record(db: Database, chat_id: int, day: date, habit: str, done: bool,
                 now: int) -> None:
    await db.execute(
        """
        INSERT INTO checkins (chat_id, day, habit, done, answered_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (chat_id, day, habit) DO UPDATE SET
            done = excluded.done, answered_at = excluded.answered_at
        """, (chat_id, day.isoformat(), habit, int(done), now))


async def answers(db: Database, chat_id: int, since: date) -> dict[tuple[str, str], bool]:
    """(habit, iso day) -> done, for days from `since` on."""
    rows = await db.fetchall(
        "SELECT habit, day, done FROM checkins WHERE chat_id = ? AND day >= ?",
        (chat_id, since.isoformat()))
    return {(r["habit"], r["day"]): bool(r["done"]) for r in rows}


def streak(done_days: set[str], today: date) -> int:
    """Days in a row with the habit done, ending today (or yesterday, if today is unanswered)."""
    day = today if today.isoformat() in done_days else today - timedelta(days=1)
    count = 0
    while day.isoformat() in done_days:
        count += 1
        day -= timedelta(days=1)
    return count


async def done_days(db: Database, chat_id: int, habit: str) -> set[str]:
    rows = await db.fetchall(
        "SELECT day FROM checkins WHERE chat_id = ? AND habit = ? AND done = 1",
        (chat_id, habit))
    return {r["day"] for r in rows}
