"""The minute tick: subscriptions due in this UTC minute become outbox rows, in one go.

One repeating job for everybody, not one job per subscriber, so memory and start-up time do
not grow with the number of subscribers; the schedule itself lives in SQLite.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from bot.delivery import localtime
from bot.library import next_card as reading
from bot.library.model import Card, Library
from bot.store import readers, schedules
from bot.store.db import Database
from bot.store.outbox import Entry

log = logging.getLogger(__name__)

CATCH_UP_MINUTES = 180  # after downtime, reminders missed in the last 3 hours still go out once
CHUNK = 50_000
WEEKLY_KINDS = frozenset({"skin_offer"})  # at most one a week per chat

@dataclass
class TickResult:
    enqueued: int = 0
    skipped_late: int = 0
    deferred: int = 0


def occasion_key(kind: str, chat_id: int, occasion: str) -> str:
    """A scheduled message's dedupe key: one per chat, kind and occasion (a local day, or a
    week), so a second enqueue of the same occasion is a no-op.

    The occasion comes before the chat: a minute's new keys then sit together in the key's
    index, in today's part of it, instead of each beside that chat's older keys. At 1M
    subscribers with 45 days of rows kept, that is thousands of index pages fewer rewritten in
    the busiest minute (bench/tick_scale.py)."""
    return f"{kind}:{occasion}:{chat_id}"


def occasion_of(kind: str, chat_id: int, due: int, zone_name: str) -> str:
    """The key a schedule due at this epoch minute is enqueued under (its local day's, or for
    a weekly offer its week's): the tick's own, for a settings change to look up."""
    day = datetime.fromtimestamp(due * 60, UTC).astimezone(localtime.zone(zone_name)).date()
    return occasion_key(kind, chat_id, _occasion(kind, day.isoformat()))


def next_due_minute(zone_name: str, minute_of_day: int, days: int, after: int) -> int:
    """The epoch minute of the next occurrence strictly after `after` (epoch seconds)."""
    at = localtime.next_occurrence(localtime.zone(zone_name), minute_of_day, days,
                                   datetime.fromtimestamp(after, UTC))
    return int(at.timestamp()) // 60


async def enqueue_due(db: Database, library: Library, now: int) -> TickResult:
    """Turn every schedule due by `now` (epoch seconds) into outbox rows and move it on."""
    result = TickResult()
    now_minute = now // 60
    upcoming: dict[tuple[str, int, int, int], int] = {}  # many chats share a zone and time
    days_of: dict[tuple[int, str], str] = {}  # and the local day they were due on

    def following(zone_name: str, minute: int, days: int, after: int) -> int:
        key = (zone_name, minute, days, after)
        if key not in upcoming:
            upcoming[key] = next_due_minute(zone_name, minute, days, after)
        return upcoming[key]

    def local_day(due: int, zone_name: str) -> str:
        key = (due, zone_name)
        if key not in days_of:
            days_of[key] = datetime.fromtimestamp(due * 60, UTC).astimezone(
                localtime.zone(zone_name)).date().isoformat()
        return days_of[key]

    while True:
        rows = await schedules.due(db, now_minute, CHUNK)
        if not rows:
            return result
        # Who each chat's cards are for: its own audience's cards come first.
        who = await readers.due_readers(db, now_minute)
        entries: list[Entry] = []
        moves: list[tuple[int | None, str | None, int, str]] = []

        for r in rows:
            chat_id, kind, zone_name = r["chat_id"], r["kind"], r["timezone"] or "UTC"
            last_card = r["last_card"]
            paused_until = r["paused_until"] or 0
            if r["status"] != "active":
                moves.append((None, last_card, chat_id, kind))
                continue
            if paused_until > now:
                after = following(zone_name, r["local_minute"], r["days"], paused_until)
                moves.append((after, last_card, chat_id, kind))
                result.deferred += 1
                continue
            nxt = following(zone_name, r["local_minute"], r["days"], now_minute * 60)
            due = r["next_due"]
            if now_minute - due > CATCH_UP_MINUTES:
                result.skipped_late += 1  # missed long ago while the bot was down: not piled up
                moves.append((nxt, last_card, chat_id, kind))
                continue
            day = local_day(due, zone_name)
            if kind == "card":
                card = _pick_card(library, r["reads"], last_card, r["focus"], who.get(chat_id))
                if card is None:
                    moves.append((nxt, last_card, chat_id, kind))
                    continue
                entries.append(Entry(chat_id, "card", occasion_key("card", chat_id, day),
                                     card.id))
                last_card = card.id
            else:
                entries.append(Entry(chat_id, kind,
                                     occasion_key(kind, chat_id, _occasion(kind, day)), day))
            moves.append((nxt, last_card, chat_id, kind))
        result.enqueued += await schedules.record_tick(db, entries, now, moves)
        if len(rows) < CHUNK:
            return result


def _occasion(kind: str, day: str) -> str:
    """What makes a message unique besides its chat: its local day, or for a weekly offer its
    week (the Monday), so moving the offer to another day of the same week sends no second."""
    if kind not in WEEKLY_KINDS:
        return day
    local = date.fromisoformat(day)
    return f"week-{(local - timedelta(days=local.weekday())).isoformat()}"


def _pick_card(library: Library, reads: str | None, last_card: str | None,
               focus: str | None, who: str | None) -> Card | None:
    last_read: dict[str, int] = {}
    for item in (reads or "").split(","):
        card_id, _, when = item.partition(" ")
        if card_id:
            last_read[card_id] = int(when or 0)
    topics = [t for t in (focus or "").split(",") if t] or None
    return reading.next_card(library, last_read, after=last_card, topics=topics, who=who)
