"""The weekly skin check offer: a schedule of its own that keeps the weekly summary's day and
time, delivered through the outbox as kind 'skin_offer' (one a week per chat)."""

from __future__ import annotations

from bot.services import subscriptions
from bot.services.subscriptions import DEFAULT_SUMMARY, SKIN_OFFER, SUMMARY, Schedule
from bot.store.db import Database

RECENT = 3 * 86_400  # a check this recent makes the week's offer unnecessary


async def opt_in(db: Database, chat_id: int, now: int) -> tuple[Schedule, str]:
    """Offer the check every week with the summary (Sunday 18:00 until there is one);
    returns the schedule and the chat's zone."""
    settings = await subscriptions.load(db, chat_id)
    zone = settings.zone_name if settings else "UTC"
    summary = settings.schedules.get(SUMMARY) if settings else None
    minute, days = (summary.local_minute, summary.days) if summary else DEFAULT_SUMMARY
    schedule = await subscriptions.set_schedule(db, chat_id, SKIN_OFFER, zone, minute, days, now)
    return schedule, zone


async def opt_out(db: Database, chat_id: int) -> None:
    await subscriptions.remove_schedule(db, chat_id, SKIN_OFFER)


async def follow_summary(db: Database, chat_id: int, now: int) -> None:
    """The summary moved (or came back): the offer moves with it."""
    settings = await subscriptions.load(db, chat_id)
    if settings is None:
        return
    offer, summary = settings.schedules.get(SKIN_OFFER), settings.schedules.get(SUMMARY)
    if offer and summary and (offer.local_minute, offer.days) != (summary.local_minute,
                                                                   summary.days):
        await subscriptions.set_schedule(db, chat_id, SKIN_OFFER, settings.zone_name,
                                         summary.local_minute, summary.days, now)


async def offered(db: Database, chat_id: int) -> bool:
    settings = await subscriptions.load(db, chat_id)
    return settings is not None and SKIN_OFFER in settings.schedules
