"""Turn an outbox row into the message it stands for, at the moment it is sent."""

from __future__ import annotations

from datetime import date, timedelta

from bot.context import BotData
from bot.library import dates
from bot.services import subscriptions
from bot.store import campaigns, chats, checkins, outbox
from bot.store import skin_checks as skin_store
from bot.store.outbox import Row
from bot.telegram.message import Outgoing
from bot.views import campaigns as campaign_views
from bot.views import habits as habit_views
from bot.views import reminders as reminder_views
from bot.views import skin as skin_views
from bot.views import team as team_views

_UNKNOWN = object()
_PREPARED_MAX = 10_000  # rows claimed but skipped never pop theirs: start afresh past this


async def prepare(data: BotData, rows: list[Row]) -> None:
    """Before a batch is sent: whom each daily card is for, in one query rather than one per
    row (on PostgreSQL a round trip per message would cost a third of the send rate)."""
    ids = sorted({r.chat_id for r in rows if r.kind in ("card", "card_later")})
    if not ids:
        return
    if len(data.audiences) > _PREPARED_MAX:
        data.audiences.clear()
    data.audiences.update(await skin_store.about_many(data.db, ids))


async def render_row(data: BotData, row: Row) -> Outgoing | None:
    """None when there is nothing to send any more (card removed, habits switched off)."""
    if row.kind in ("card", "card_later"):
        card = data.library.cards.get(row.payload)
        if card is None:
            return None
        # Read when sent (prepared with its batch), so a changed answer (/who) shows in the
        # very next card.
        who = data.audiences.pop(row.chat_id, _UNKNOWN)
        if who is _UNKNOWN:
            who = await skin_store.about(data.db, row.chat_id)
        assert who is None or isinstance(who, str)
        # A person's own chat (Telegram's user ids are positive) gets "📝 Add a note".
        return reminder_views.reminder_card(data.renderer, card, later=row.kind == "card_later",
                                            who=who, note=row.chat_id > 0)
    if row.kind in ("checkin", "summary"):
        return await _habits_message(data, row)
    if row.kind == "broadcast":
        return await _campaign_message(data, int(row.payload))
    if row.kind == "report":
        return await _campaign_report(data, int(row.payload))
    if row.kind == "skin_offer":
        return await skin_views.offer_message(data, row)
    if row.kind in outbox.CONVERSATION:
        return await team_views.render_row(data, row)
    return None


async def _habits_message(data: BotData, row: Row) -> Outgoing | None:
    settings = await subscriptions.load(data.db, row.chat_id)
    if settings is None or not settings.habits:
        return None
    day = date.fromisoformat(row.payload)
    if row.kind == "checkin":
        habits = [h for h in data.library.habits if h.id in settings.habits]
        answered = await checkins.answers(data.db, row.chat_id, day)
        return habit_views.checkin(data.renderer, day, habits,
                                   {h: v for (h, d), v in answered.items()
                                    if d == day.isoformat()})
    rows = await habit_views.progress_rows(data.db, data.library, row.chat_id, settings.habits,
                                          day)
    first = day - timedelta(days=6)
    read = await chats.cards_read_since(data.db, row.chat_id, data.now() - 7 * 86_400)
    return data.renderer.message("summary", rows=rows, first=dates.local(first, style="weekday"),
                                 last=dates.local(day, style="weekday"), cards_read=read)


async def _campaign_message(data: BotData, campaign_id: int) -> Outgoing | None:
    """Every recipient gets the same message: build it once per campaign and renderer."""
    key = f"campaign:{campaign_id}"
    cached = data.renderer.cached_or_none(key)
    if cached is not None:
        return cached
    campaign = await campaigns.get(data.db, campaign_id)
    if campaign is None:
        return None
    try:
        out = campaign_views.delivered(data.renderer, campaign)
    except LookupError:
        return None  # the pushed card was removed from the library meanwhile
    return data.renderer.cached(key, lambda: out)


async def _campaign_report(data: BotData, campaign_id: int) -> Outgoing | None:
    campaign = await campaigns.get(data.db, campaign_id)
    if campaign is None:
        return None
    renderer = data.renderer
    return renderer.message(
        "campaign_report", number=campaign.number, recipients=campaign.recipients,
        what=campaign_views.summary_line(renderer, campaign),
        audience=campaign_views.describe_audience(renderer, campaign.audience),
        counts=await campaigns.progress(data.db, campaign.id))
