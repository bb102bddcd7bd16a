"""A person's conversation with the community's team, with no Telegram in it: open it, pass
messages each way through the durable outbox, claim, close, block, and the honest figures
about waiting.

Where the team reads: the moderators' supergroup (BOT_TEAM_CHAT, one topic per ticket), or
without one the private chats of the owners and moderators who have started the bot (after a
claim, the claimer's alone). Every message either way is an outbox row: rendered when sent
(bot/views/team.py), never lost across a restart, never sent twice beyond what the outbox
allows.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.config import Settings
from bot.library import dates
from bot.store import Database, moderation, outbox, tickets
from bot.store.outbox import Entry
from bot.store.tickets import PERSON, TEAM, Ticket

DAY = 86_400
TYPICAL_DAYS = 30  # "the team usually answers within ...": the median of this many days
TYPICAL_AT_LEAST = 3  # ... once this many conversations had a first reply; else the limit
MAX_CHARS = 3_500  # one message either way: room for its heading and the disclaimer
# Who a ticket row is for and what it says (outbox kinds; rendered by bot/views/team.py).
NEW, IN, OUT, NOTE, NOTICE = "team_new", "team_in", "team_out", "team_note", "team_notice"


@dataclass(frozen=True)
class TeamClock:
    """What a person is told about waiting, before they write and while they wait."""

    hours: str | None  # "Mon–Fri 09:00–17:00", or None when the owners set none
    zone: str
    their_time: str  # the team's time now, "23:10"
    around: bool | None  # within their hours now (None: no hours set)
    typical_minutes: int | None  # the median first reply of the last 30 days
    claim_hours: int


async def team_clock(db: Database, settings: Settings, now: int) -> TeamClock:
    there = datetime.fromtimestamp(now, UTC).astimezone(dates.zone(settings.team_zone))
    hours = settings.team_hours
    waits = [reply - opened for opened, reply, _ in
             await tickets.figures(db, now - TYPICAL_DAYS * DAY) if reply is not None]
    typical = int(statistics.median(waits) // 60) if len(waits) >= TYPICAL_AT_LEAST else None
    return TeamClock(
        hours=hours.describe() if hours else None, zone=settings.team_zone,
        their_time=f"{there:%H:%M}",
        around=hours.covers(there.weekday(), there.hour * 60 + there.minute) if hours else None,
        typical_minutes=typical, claim_hours=settings.team_claim_hours)


# --- where the team reads --------------------------------------------------------------------
async def team_chats(db: Database, settings: Settings, claimed_by: int | None = None,
                     asker: int | None = None) -> list[int]:
    """The chats a ticket's team messages go to: the team's supergroup; else the claimer's
    private chat, or before a claim every owner's and moderator's who has started the bot
    (but the asker's own: a moderator who asks the team is not their own team)."""
    if settings.team_chat is not None:
        return [settings.team_chat]
    if claimed_by:
        return [claimed_by]
    people = set(settings.admin_ids) | {user for user, _, _ in await moderation.listing(db)}
    return sorted(await moderation.reachable(db, people - {asker} if asker else people))


async def _to_team(db: Database, settings: Settings, ticket: Ticket, kind: str, key: str,
                   payload: str, now: int) -> int:
    entries = [Entry(chat, kind, f"{kind}:{key}:{chat}", payload)
               for chat in await team_chats(db, settings, ticket.claimed_by, ticket.chat_id)]
    return await outbox.enqueue(db, entries, now)


async def _to_person(db: Database, ticket: Ticket, kind: str, key: str, payload: str,
                     now: int) -> None:
    await outbox.enqueue(db, [Entry(ticket.chat_id, kind, f"{kind}:{key}", payload)], now)


# --- the person's side -----------------------------------------------------------------------
@dataclass(frozen=True)
class Opened:
    ticket: Ticket
    new: bool  # False: the chat already had this one open


async def open_conversation(db: Database, settings: Settings, chat_id: int,
                            first_name: str | None, text: str, *, urgent: bool,
                            support: bool, now: int) -> Opened | None:
    """Open a ticket with its first message and tell the team; None when the chat is
    blocked from the inbox. A chat with one open gets that one back."""
    if await tickets.blocked_since(db, chat_id) is not None:
        return None
    opened = await tickets.open_ticket(db, chat_id, first_name, text[:MAX_CHARS], urgent=urgent,
                                       support=support, now=now)
    if opened is None:
        existing = await tickets.open_for(db, chat_id)
        return Opened(existing, new=False) if existing else None
    ticket, message_id = opened
    await _to_team(db, settings, ticket, NEW, str(ticket.id), str(message_id), now)
    return Opened(ticket, new=True)


async def from_person(db: Database, settings: Settings, ticket: Ticket, text: str, *,
                      urgent: bool, now: int) -> str:
    """The person wrote again: 'relayed', or 'flood' (over the hourly limit, not passed on),
    or 'closed' (it closed meanwhile)."""
    if await tickets.sent_by_person_since(db, ticket.chat_id, now - 3600) >= settings.team_flood:
        return "flood"
    message_id = await tickets.add_message(db, ticket.id, PERSON, text[:MAX_CHARS], now,
                                           urgent=urgent)
    if message_id is None:
        return "closed"
    await _to_team(db, settings, ticket, IN, str(message_id), str(message_id), now)
    return "relayed"


async def rate(db: Database, ticket_id: int, chat_id: int, helpful: bool) -> bool:
    return await tickets.rate(db, ticket_id, chat_id, helpful)


# --- the team's side -------------------------------------------------------------------------
async def claim(db: Database, ticket: Ticket, moderator: int, now: int) -> bool:
    """One moderator takes the ticket; the person is told someone is on it."""
    if not await tickets.claim(db, ticket.id, moderator, now):
        return False
    await _to_person(db, ticket, NOTE, f"claimed:{ticket.id}", f"claimed:{ticket.id}", now)
    return True


async def team_reply(db: Database, ticket: Ticket, moderator: int, body_html: str, *,
                     held: bool, now: int) -> int | None:
    """The claimer's answer: on its way to the person, or held for a second tap (the claims
    check tripped). None when the ticket closed meanwhile."""
    message_id = await tickets.add_message(db, ticket.id, TEAM, body_html, now,
                                           moderator=moderator, held=held)
    if message_id is not None and not held:
        await _to_person(db, ticket, OUT, str(message_id), str(message_id), now)
    return message_id


async def release(db: Database, ticket: Ticket, message_id: int, now: int) -> bool:
    """A held answer goes after its second tap (once, and only while the ticket is open)."""
    if not await tickets.release_held(db, message_id, now):
        return False
    await _to_person(db, ticket, OUT, str(message_id), str(message_id), now)
    return True


async def close(db: Database, settings: Settings, ticket: Ticket, by: str, now: int, *,
                tell_person: bool = True) -> bool:
    """End the conversation from either side ('person', 'team' or 'blocked'): the person is
    asked whether it helped (unless they are answered directly), the team is told when the
    person closed it."""
    if not await tickets.close(db, ticket.id, by, now):
        return False
    if tell_person:
        await _to_person(db, ticket, NOTE, f"{by}:{ticket.id}", f"{by}:{ticket.id}", now)
    if by == "person":
        await _to_team(db, settings, ticket, NOTICE, f"closed:{ticket.id}",
                       f"closed:{ticket.id}:{ticket.thread or 0}", now)
    return True


async def block(db: Database, settings: Settings, ticket: Ticket, moderator: int,
                now: int) -> None:
    """Keep the chat out of the inbox until /unblock <number>, and close the ticket (the
    person is told kindly)."""
    await tickets.block(db, ticket.chat_id, ticket.id, moderator, now)
    await close(db, settings, ticket, "blocked", now)


async def withdrawn(db: Database, settings: Settings, ticket: Ticket, now: int) -> None:
    """The person erased their data (/forget) with this conversation open: the team is told
    only that they withdrew (the ticket and its messages are gone already)."""
    number, thread = ticket.id, ticket.thread
    destinations = await team_chats(db, settings, ticket.claimed_by, ticket.chat_id)
    await outbox.enqueue(db, [Entry(chat, NOTICE, f"{NOTICE}:withdrew:{number}:{chat}",
                                    f"withdrew:{number}:{thread or 0}")
                              for chat in destinations], now)


# --- the minute tick: waiting too long, and retention ----------------------------------------
async def tick(db: Database, settings: Settings, now: int) -> list[tuple[int, int | None]]:
    """Tell each person nobody has claimed theirs within the owners' limit (once) and remind
    the team; delete conversations past their retention. Returns (number, topic) of each
    deleted one that had a topic, for the topic to go too."""
    for ticket in await tickets.overdue(db, now - settings.team_claim_hours * 3600):
        await _to_person(db, ticket, NOTE, f"late:{ticket.id}", f"late:{ticket.id}", now)
        await _to_team(db, settings, ticket, NOTICE, f"late:{ticket.id}",
                       f"late:{ticket.id}:{ticket.thread or 0}", now)
    expired = await tickets.expire(db, now - settings.team_keep_days * DAY)
    return [(number, thread) for number, thread, _ in expired if thread]


# --- figures for /stats ----------------------------------------------------------------------
@dataclass(frozen=True)
class TeamFigures:
    opened: int
    median_first_reply_minutes: int | None
    answered_within_limit: float | None  # share of those whose limit has passed (or answered)
    helpful: int
    not_helpful: int


def summarise(rows: list[tuple[int, int | None, int | None]], limit_hours: int,
              now: int) -> TeamFigures:
    """/stats' figures from (opened at, first reply at, rating) of a month's conversations:
    the share answered within the limit counts those answered and those whose limit has
    passed unanswered (one still inside its limit is not judged yet)."""
    limit = limit_hours * 3600
    waits = [reply - opened for opened, reply, _ in rows if reply is not None]
    judged = [(opened, reply) for opened, reply, _ in rows
              if reply is not None or opened + limit <= now]
    within = sum(1 for opened, reply in judged if reply is not None and reply - opened <= limit)
    return TeamFigures(
        opened=len(rows),
        median_first_reply_minutes=int(statistics.median(waits) // 60) if waits else None,
        answered_within_limit=within / len(judged) if judged else None,
        helpful=sum(1 for *_, rating in rows if rating == 1),
        not_helpful=sum(1 for *_, rating in rows if rating == 0))
