"""Turn an outbox row into the message it stands for, at the moment it is sent."""

from __future__ import annotations

from datetime import date, timedelta

from bot import habit_views, reminder_views, subscriptions
from bot.context import BotData
from bot.handlers.habits import progress_rows
from bot.outbox import Row
from bot.render import Outgoing
from bot.store import checkins


async def render_row(data: BotData, row: Row) -> Outgoing | None:
    """None when there is nothing to send any more (card removed, habits switched off)."""
    renderer = data.renderer
    if row.kind == "card":
        card = data.library.cards.get(row.payload)
        return reminder_views.reminder_card(renderer, card) if card else None
    if row.kind in ("checkin", "summary"):
        settings = await subscriptions.load(data.db, row.chat_id)
        if settings is None or not settings.habits:
            return None
        day = date.fromisoformat(row.payload)
        if row.kind == "checkin":
            habits = [h for h in data.library.habits if h.id in settings.habits]
            answered = await checkins.answers(data.db, row.chat_id, day)
            return habit_views.checkin(renderer, day, habits,
                                       {h: v for (h, d), v in answered.items()
                                        if d == day.isoformat()})
        rows = await progress_rows(data, row.chat_id, settings.habits, day)
        first = day - timedelta(days=6)
        read = await data.db.fetchone(
            "SELECT COUNT(*) FROM card_views WHERE chat_id = ? AND last_read >= ?",
            (row.chat_id, data.now() - 7 * 86_400))
        return renderer.message("summary", rows=rows, first=f"{first:%a} {first.day}",
                                last=f"{day:%a} {day.day}", cards_read=read[0] if read else 0)
    return None
