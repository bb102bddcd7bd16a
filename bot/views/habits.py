"""Messages about habits: the picker, the daily check-in, progress and the weekly summary."""

from __future__ import annotations

from datetime import date, timedelta

from bot.library import dates
from bot.library.model import Habit, Library
from bot.library.render import Renderer
from bot.store import checkins
from bot.store.db import Database
from bot.telegram import callbacks
from bot.telegram.message import Button, Keyboard, Outgoing, keyboard

WEEK_MARKS = {True: "✅", False: "✖️", None: "▫️"}


def picker(renderer: Renderer, nonce: str, mask: int) -> Outgoing:
    habits = renderer.library.habits
    rows = [[Button(("✅ " if mask & (1 << i) else "") + h.label,
                    data=callbacks.make("hab", f"{nonce}:{mask ^ (1 << i)}"))]
            for i, h in enumerate(habits)]
    rows.append([Button(renderer.library.label("done"),
                        data=callbacks.make("hab", f"{nonce}:done{mask}"))])
    chosen = ", ".join(h.label for i, h in enumerate(habits) if mask & (1 << i))
    return renderer.message("habits_pick", keyboard(rows), chosen=chosen)


def ask_time(renderer: Renderer, nonce: str) -> Outgoing:
    times = (19 * 60, 20 * 60, 21 * 60, 22 * 60)
    row = [Button(f"{m // 60:02d}:00", data=callbacks.make("hab", f"{nonce}:t{m}")) for m in times]
    return renderer.message("habits_time", keyboard([row]))


def skin_offer_button(renderer: Renderer) -> Keyboard:
    """Under "Saved": add the weekly skin check, offered with the summary."""
    return keyboard([[Button(renderer.library.label("skin_weekly_on"),
                             data=callbacks.make("sk", "weekly:on"))]])


def checkin(renderer: Renderer, day: date, habits: list[Habit],
            answered: dict[str, bool]) -> Outgoing:
    label = renderer.library.label
    index = {h.id: i for i, h in enumerate(renderer.library.habits)}
    stamp = day.strftime("%Y%m%d")
    rows = []
    for habit in habits:
        if habit.id in answered:
            continue
        rows.append([Button(f"{habit.label}: {label('yes')}",
                            data=callbacks.make("ci", f"{stamp}:{index[habit.id]}:y")),
                     Button(label("not_today"),
                            data=callbacks.make("ci", f"{stamp}:{index[habit.id]}:n"))])
    marks = {h.id: WEEK_MARKS[answered.get(h.id)] if h.id in answered else "•" for h in habits}
    return renderer.message("checkin", keyboard(rows), habits=habits, marks=marks,
                            day=dates.local(day, style="day"))


def week(done: dict[tuple[str, str], bool], habit: str, today: date) -> str:
    days = [today - timedelta(days=offset) for offset in range(6, -1, -1)]
    return "".join(WEEK_MARKS[done.get((habit, d.isoformat()))] for d in days)


async def progress_rows(db: Database, library: Library, chat_id: int,
                        habit_ids: tuple[str, ...], today: date) -> list[dict[str, object]]:
    """Each chosen habit's week, streak and count of days kept, for /progress and the weekly
    summary."""
    answered = await checkins.answers(db, chat_id, today - timedelta(days=6))
    rows = []
    for habit in library.habits:
        if habit.id not in habit_ids:
            continue
        done = await checkins.done_days(db, chat_id, habit.id)
        rows.append({"label": habit.label, "week": week(answered, habit.id, today),
                     "streak": checkins.streak(done, today),
                     "count": sum(1 for (h, _), v in answered.items() if h == habit.id and v)})
    return rows
