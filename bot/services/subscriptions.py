"""What a chat asked to receive: daily card, habit check-ins, weekly summary and skin check
offer; pause and stop."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from bot.delivery import localtime
from bot.delivery.scheduling import next_due_minute, occasion_key, occasion_of
from bot.store import outbox, schedules
from bot.store.db import Database

CARD, CHECKIN, SUMMARY = "card", "checkin", "summary"
SKIN_OFFER = "skin_offer"  # the weekly skin check, offered with the summary (skin_offers.py)
CARD_LATER = "card_later"  # "Later today": the day's card once more, three hours on
# What a pause cancels in the outbox: everything scheduled, and a card asked for later.
SCHEDULED_KINDS = (CARD, CHECKIN, SUMMARY, SKIN_OFFER, CARD_LATER)
MAX_PAUSE_DAYS = 365
DEFAULT_SUMMARY = (18 * 60, 1 << 6)  # Sunday 18:00 local, until the person changes it


@dataclass(frozen=True)
class Schedule:
    kind: str
    local_minute: int
    days: int
    next_due: int | None  # epoch minute

    def next_local(self, zone_name: str) -> datetime | None:
        if self.next_due is None:
            return None
        return datetime.fromtimestamp(self.next_due * 60, UTC).astimezone(
            localtime.zone(zone_name))


@dataclass(frozen=True)
class Subscription:
    chat_id: int
    status: str
    timezone: str | None
    paused_until: int | None
    focus: tuple[str, ...]
    habits: tuple[str, ...]
    schedules: dict[str, Schedule] = field(default_factory=dict)

    @property
    def zone_name(self) -> str:
        return self.timezone or "UTC"

    def paused_at(self, now: int) -> datetime | None:
        """When the chat's pause ends, in its zone, while one lasts."""
        if not self.paused_until or self.paused_until <= now:
            return None
        return datetime.fromtimestamp(self.paused_until, localtime.zone(self.zone_name))


@dataclass(frozen=True)
class Replaced:
    """The schedule a save replaced, when its time or days changed, with the zone the chat
    had then: what the confirmation names and its undo button puts back."""
    local_minute: int
    days: int
    zone_name: str


@dataclass(frozen=True)
class Saved:
    settings: Subscription  # all the chat's settings afterwards
    replaced: Replaced | None  # None for a first schedule, or the same time and days again


async def load(db: Database, chat_id: int) -> Subscription | None:
    found = await schedules.chat_settings(db, chat_id)
    if found is None:
        return None
    chat, rows = found
    return Subscription(
        chat_id=chat_id, status=chat["status"], timezone=chat["timezone"],
        paused_until=chat["paused_until"],
        focus=tuple(t for t in chat["focus"].split(",") if t),
        habits=tuple(h for h in chat["habits"].split(",") if h),
        schedules={r["kind"]: Schedule(r["kind"], r["local_minute"], r["days"], r["next_due"])
                   for r in rows},
    )


async def set_schedule(db: Database, chat_id: int, kind: str, zone_name: str, local_minute: int,
                       days: int, now: int) -> Schedule:
    """Create or change one scheduled message; the chat is active again afterwards."""
    saved = await save_schedule(db, chat_id, kind, zone_name, local_minute, days, now)
    return saved.settings.schedules[kind]


async def save_schedule(db: Database, chat_id: int, kind: str, zone_name: str,
                        local_minute: int, days: int, now: int) -> Saved:
    """set_schedule, returning all the chat's settings afterwards (what a confirmation
    shows), read once rather than read again by the caller, and what it replaced."""
    localtime.zone(zone_name)  # raises ValueError for a zone we cannot use
    if not 0 <= local_minute < 24 * 60 or not days & localtime.EVERY_DAY:
        raise ValueError("time or days out of range")
    due = next_due_minute(zone_name, local_minute, days, now)
    before = await schedules.save(db, chat_id, kind, zone_name, local_minute, days, due)
    replaced = None
    if before is not None and before["local_minute"] is not None \
            and (before["local_minute"], before["days"]) != (local_minute, days):
        replaced = Replaced(before["local_minute"], before["days"], before["timezone"] or "UTC")
    settings = await _reschedule(db, chat_id, now)  # a new zone moves the others too
    if settings is None:  # the chat row is gone (erased meanwhile): what was asked for
        settings = Subscription(chat_id, "active", zone_name, None, (), (),
                                {kind: Schedule(kind, local_minute, days, due)})
    return Saved(settings, replaced)


async def remove_schedule(db: Database, chat_id: int, kind: str) -> None:
    await schedules.remove(db, chat_id, kind)


async def stop(db: Database, chat_id: int) -> bool:
    """End every scheduled message at once; returns whether anything was scheduled."""
    settings = await load(db, chat_id)
    if settings is None:
        return False
    await schedules.mark_stopped(db, chat_id)
    await outbox.cancel_for_chat(db, chat_id)
    return bool(settings.schedules) and settings.status == "active"


async def resume(db: Database, chat_id: int, now: int) -> None:
    """Back from a stop, a pause or a block: every schedule is live again from now."""
    await schedules.mark_active(db, chat_id)
    await _reschedule(db, chat_id, now)


async def pause(db: Database, chat_id: int, days: int, now: int) -> int:
    """No scheduled messages for `days` days; returns when the pause ends (epoch seconds)."""
    if not 1 <= days <= MAX_PAUSE_DAYS:
        raise ValueError("pause days out of range")
    until = now + days * 86_400
    await schedules.set_paused_until(db, chat_id, until)
    await _reschedule(db, chat_id, until)
    await outbox.cancel_for_chat(db, chat_id, SCHEDULED_KINDS)
    return until


async def set_focus(db: Database, chat_id: int, topics: list[str]) -> None:
    await schedules.set_focus(db, chat_id, topics)


async def set_habits(db: Database, chat_id: int, habits: list[str]) -> None:
    await schedules.set_habits(db, chat_id, habits)


async def _reschedule(db: Database, chat_id: int, after: int) -> Subscription | None:
    """Every schedule of an active chat moved to its next time from `after` (in its zone),
    or from the end of its pause; returns the chat's settings with the times it now has."""
    settings = await load(db, chat_id)
    if settings is None or settings.status != "active":
        return settings
    # A pause outlives a change of time or zone: the next time shown is the first after it.
    after = max(after, settings.paused_until or 0)
    dues = {s.kind: next_due_minute(settings.zone_name, s.local_minute, s.days, after)
            for s in settings.schedules.values()}
    dues = await _skip_served_occasions(db, settings, dues, after)
    moves = [(due, chat_id, kind) for kind, due in dues.items()
             if due != settings.schedules[kind].next_due]
    if not moves:  # setting one schedule usually leaves the others where they were
        return settings
    await schedules.move_due(db, moves)
    moved = {kind: replace(settings.schedules[kind], next_due=due) for due, _, kind in moves}
    return replace(settings, schedules={**settings.schedules, **moved})


async def _skip_served_occasions(db: Database, settings: Subscription, dues: dict[str, int],
                                 after: int) -> dict[str, int]:
    """Each schedule comes once an occasion (a local day; a week for the skin check offer):
    the outbox's key makes a second enqueue a no-op. Moved later on a day its message already
    came, a schedule would show a next time that never comes (issue 21: "next Tue 8 Dec,
    11:01"), so it moves on to its next occasion, and the time shown is the one that comes.

    Only an occasion that has begun can hold a row, so the outbox is read only for a next
    time that falls in the current one (today, mostly), and not at all otherwise."""
    zone_name, chat_id = settings.zone_name, settings.chat_id
    dues = dict(dues)
    now_keys = {kind: occasion_of(kind, chat_id, after // 60, zone_name) for kind in dues}
    for _ in range(7):  # a weekly offer on several days may step more than once
        current = {kind: key for kind, due in dues.items()
                   if (key := occasion_of(kind, chat_id, due, zone_name)) == now_keys[kind]}
        taken = await outbox.taken_keys(db, list(current.values())) if current else set()
        served = [kind for kind, key in current.items() if key in taken]
        if not served:
            return dues
        for kind in served:
            schedule = settings.schedules[kind]
            dues[kind] = next_due_minute(zone_name, schedule.local_minute, schedule.days,
                                         dues[kind] * 60)
    return dues


LATER_SECONDS = 3 * 3600  # "Later today": the card once more, three hours on


async def send_later(db: Database, chat_id: int, card_id: str, now: int) -> int | None:
    """The daily card once more in three hours, once a local day; when it will come (epoch
    seconds), or None when it was already asked for today."""
    settings = await load(db, chat_id)
    zone_name = settings.zone_name if settings else "UTC"
    day = datetime.fromtimestamp(now, localtime.zone(zone_name)).date().isoformat()
    when = now + LATER_SECONDS
    new = await outbox.enqueue(db, [outbox.Entry(chat_id, CARD_LATER,
                                                 occasion_key(CARD_LATER, chat_id, day),
                                                 card_id,
                                                 not_before=when)], now)
    return when if new else None
