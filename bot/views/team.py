"""What a conversation with the community's team shows: to the person (who answers, when,
what is shared, the message before it goes, where they are while they wait) and to the team
(each ticket, the person's messages, notes and the claims check). Also each of its outbox rows
rendered when it is sent, with its ticket's topic opened then if it has none."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from bot.context import BotData
from bot.library import dates
from bot.library.helplines import Country
from bot.library.model import Card
from bot.library.render import Renderer
from bot.library.triage import Rule
from bot.services import conversations
from bot.services.conversations import TeamClock
from bot.store import chats, outbox, tickets
from bot.store.tickets import Message, Ticket
from bot.telegram import callbacks
from bot.telegram.message import Button, Outgoing, keyboard
from bot.views import triage as triage_views


# --- the person's side ---------------------------------------------------------------------
def ask_button(renderer: Renderer) -> Button:
    return Button(renderer.library.label("ask_team"), data=callbacks.make("hm", "ask"))


def _clock(clock: TeamClock) -> dict[str, Any]:
    typical = clock.typical_minutes
    shown = None
    if typical is not None:
        shown = f"about {max(1, typical)} minute{'s' if typical != 1 else ''}" if typical < 90 \
            else f"about {round(typical / 60)} hours"
    return {"hours": clock.hours, "zone": clock.zone, "their_time": clock.their_time,
            "around": clock.around, "typical": shown, "claim_hours": clock.claim_hours}


def intro(renderer: Renderer, clock: TeamClock, emergency: str, nonce: str) -> Outgoing:
    """/human: who answers, when they are around, what they will see; then write."""
    rows = [[Button(renderer.library.label("team_not_now"),
                    data=callbacks.make("hm", f"drop:{nonce}"))]]
    return renderer.message("team_intro", keyboard(rows), clock=_clock(clock),
                            emergency=emergency)


def preview(renderer: Renderer, text: str, name: str | None, share_name: bool, urgent: bool,
            nonce: str) -> Outgoing:
    """The message as the team will read it, and the one button that sends it."""
    label = renderer.library.label
    rows = [[Button(label("team_send"), data=callbacks.make("hm", f"send:{nonce}"))]]
    if name:
        rows.append([Button(label("team_leave_name"), data=callbacks.make("hm", f"name:{nonce}:n"))
                     if share_name else
                     Button(label("team_add_name").format(name=name[:24]),
                            data=callbacks.make("hm", f"name:{nonce}:y"))])
    rows.append([Button(label("team_rewrite"), data=callbacks.make("hm", f"edit:{nonce}")),
                 Button(label("team_dont_send"), data=callbacks.make("hm", f"drop:{nonce}"))])
    return renderer.message("team_preview", keyboard(rows), text=text,
                            name=name if share_name else None, urgent=urgent)


def _card_rows(renderer: Renderer, cards: list[Card]) -> list[list[Button]]:
    return [[Button(c.title, data=callbacks.make("card", c.id))] for c in cards[:3]]


def opened(renderer: Renderer, ticket: Ticket, new: bool, clock: TeamClock, cards: list[Card],
           here: Country | None) -> Outgoing:
    """After "Send to the team": its number, where they are, the nearest cards meanwhile and,
    where the first message called for them, the helplines."""
    return renderer.message(
        "team_opened", keyboard(_card_rows(renderer, cards)), number=ticket.id, new=new,
        clock=_clock(clock), support=ticket.support, cards=bool(cards), here=here,
        directory=_directory(renderer))


def status(renderer: Renderer, ticket: Ticket, messages: list[Message], clock: TeamClock,
           zone: str | None) -> Outgoing:
    """/human with a conversation open: where it stands, and the button that closes it."""
    rows = [[Button(renderer.library.label("team_close"),
                    data=callbacks.make("hm", f"close:{ticket.id}"))]]
    replies = [m for m in messages if m.author == tickets.TEAM]
    last = Markup(replies[-1].body).striptags() if replies else None
    return renderer.message(
        "team_status", keyboard(rows), number=ticket.id,
        opened=dates.local(ticket.opened_at, zone, "moment") if zone
        else dates.local(ticket.opened_at, style="utc"),
        claimed=ticket.claimed_by is not None,
        mine=sum(1 for m in messages if m.author == tickets.PERSON), theirs=len(replies),
        last_reply=last, clock=_clock(clock))


def off(renderer: Renderer, why: str, link: str = "") -> Outgoing:
    """No inbox here: switched off, a group (ask in private), or this chat is blocked."""
    rows = [[Button(renderer.library.label("ask_team"), url=link)]] if link else []
    return renderer.message("team_off", keyboard(rows), why=why, link=link)


def ask_under(renderer: Renderer, shown: list[list[dict[str, Any]]]) -> dict[str, Any]:
    """An answer's buttons once it got 👎: its cards and topics, and where 👍/👎 were, the
    community's team."""
    kept = [row for row in shown
            if not any(str(b.get("callback_data", "")).startswith("fb:") for b in row)]
    ask = ask_button(renderer)
    return {"inline_keyboard": [*kept[:-1], [{"text": ask.label, "callback_data": ask.data}],
                                *kept[-1:]]}


def offer(renderer: Renderer) -> Outgoing:
    """Under an answer that got 👎, when its buttons can no longer be changed."""
    return renderer.message("team_offer", keyboard([[ask_button(renderer)]]))


def problem(renderer: Renderer, what: str, **context: Any) -> Outgoing:
    return renderer.message("team_problem", what=what, **{"limit": 0, "over": 0, **context})


def _directory(renderer: Renderer) -> str:
    helplines = renderer.library.helplines
    return helplines.directory if helplines else ""


def note(renderer: Renderer, what: str, ticket: Ticket, *, hours: int = 0,
         cards: list[Card] | None = None, here: Country | None = None) -> Outgoing:
    """To the person: claimed, closed (and did it help?), blocked, nobody yet."""
    rows: list[list[Button]] = []
    label = renderer.library.label
    if what in ("person", "team"):
        rows.append([Button(label("team_helped"),
                            data=callbacks.make("hm", f"rate:{ticket.id}:y")),
                     Button(label("team_not_helped"),
                            data=callbacks.make("hm", f"rate:{ticket.id}:n"))])
    if what == "late":
        rows += _card_rows(renderer, cards or [])
    return renderer.message("team_note", keyboard(rows), what=what, number=ticket.id,
                            hours=hours, support=ticket.support, cards=bool(cards), here=here,
                            directory=_directory(renderer))


def reply_to_person(renderer: Renderer, ticket: Ticket, body_html: str) -> Outgoing:
    return renderer.message("team_reply", number=ticket.id, body=Markup(body_html))


# --- the team's side -----------------------------------------------------------------------
def topic_name(ticket: Ticket) -> str:
    """A topic is named by its ticket's number, never by anything about the person."""
    return f"🚨 #{ticket.id} urgent" if ticket.urgent else f"#{ticket.id}"


def ticket_message(renderer: Renderer, ticket: Ticket, first: str, *, topic: bool,
                   claimer: str = "") -> Outgoing:
    """A new ticket for the team, with ✋ Claim while nobody has; once claimed, Close and
    Block (any moderator may use them)."""
    label = renderer.library.label
    state = "claimed" if ticket.open and ticket.claimed_by else \
        "open" if ticket.open else "closed"
    rows: list[list[Button]] = []
    if state == "open":
        rows.append([Button(label("team_claim").format(n=ticket.id),
                            data=callbacks.make("tk", f"{ticket.id}:claim"))])
    elif state == "claimed":
        rows.append([Button(label("team_close_ticket").format(n=ticket.id),
                            data=callbacks.make("tk", f"{ticket.id}:close")),
                     Button(label("team_block"), data=callbacks.make("tk", f"{ticket.id}:block"))])
    return renderer.message("team_ticket", keyboard(rows), number=ticket.id,
                            name=ticket.first_name, urgent=ticket.urgent, text=first, state=state,
                            topic=topic, claimer=claimer or "a teammate")


def relayed(renderer: Renderer, ticket: Ticket, message: Message) -> Outgoing:
    return renderer.message("team_relayed", number=ticket.id, name=ticket.first_name,
                            urgent=message.urgent, text=message.body)


def notice(renderer: Renderer, what: str, number: int, hours: int = 0) -> Outgoing:
    return renderer.message("team_notice", what=what, number=number, hours=hours)


def held(renderer: Renderer, ticket: Ticket, message_id: int, claims: list[Rule]) -> Outgoing:
    label = renderer.library.label
    rows = [[Button(label("team_send_anyway"),
                    data=callbacks.make("tk", f"{ticket.id}:send:{message_id}")),
             Button(label("team_drop_reply"),
                    data=callbacks.make("tk", f"{ticket.id}:drop:{message_id}"))]]
    return renderer.message("team_held", keyboard(rows), number=ticket.id,
                            reasons=[r.why for r in claims])


def block_ask(renderer: Renderer, ticket: Ticket) -> Outgoing:
    label = renderer.library.label
    rows = [[Button(label("team_block_yes"), data=callbacks.make("tk", f"{ticket.id}:blockyes")),
             Button(label("team_keep"), data=callbacks.make("tk", f"{ticket.id}:keep"))]]
    return renderer.message("team_mod_note", keyboard(rows), what="block_ask", number=ticket.id,
                            over=0)


def mod_note(renderer: Renderer, what: str, number: int = 0, over: int = 0) -> Outgoing:
    return renderer.message("team_mod_note", what=what, number=number, over=over)


# --- outbox rows, rendered when they are sent ------------------------------------------------
async def render_row(data: BotData, row: outbox.Row) -> Outgoing | None:
    """A conversation's outbox row as the message it stands for now; None when there is
    nothing to send any more (the person erased it, or it was deleted)."""
    renderer = data.renderer
    if row.kind in (conversations.NEW, conversations.IN, conversations.OUT):
        message = await tickets.message(data.db, int(row.payload))
        ticket = await tickets.get(data.db, message.ticket_id) if message else None
        if message is None or ticket is None:
            return None
        if row.kind == conversations.OUT:
            return reply_to_person(renderer, ticket, message.body)
        thread = await _topic(data, row, ticket, urgent=message.urgent)
        out = ticket_message(renderer, ticket, message.body, topic=thread is not None) \
            if row.kind == conversations.NEW else relayed(renderer, ticket, message)
        return out.in_topic(thread)
    what, _, rest = row.payload.partition(":")
    raw_number, _, raw_thread = rest.partition(":")
    number = int(raw_number)
    if row.kind == conversations.NOTICE:
        out = notice(renderer, what, number, data.settings.team_claim_hours)
        ticket = await tickets.get(data.db, number)
        if ticket is not None:
            return out.in_topic(await _topic(data, row, ticket, closing=what == "closed"))
        # Withdrawn: the ticket is gone, its topic is in the row.
        thread = int(raw_thread or 0) or None
        team_chat = data.settings.team_chat
        if row.chat_id != team_chat or team_chat is None or thread is None:
            return out
        await data.topics.close(data.bulk_bot, team_chat, thread)
        return out.in_topic(thread)
    ticket = await tickets.get(data.db, number)
    if ticket is None:
        return None
    if what == "late":
        return await _late(data, ticket)
    return note(renderer, what, ticket)


async def _late(data: BotData, ticket: Ticket) -> Outgoing:
    """Nobody claimed it in time: the cards nearest their first message, and help now."""
    first = await tickets.messages(data.db, ticket.id)
    cards = [h.card for h in data.index.search(first[0].body)] if first else []
    zone = await chats.zone_of(data.db, ticket.chat_id)
    language = await chats.language_of(data.db, ticket.chat_id)
    here, _ = triage_views.numbers_for(data.renderer, zone, language)
    return note(data.renderer, "late", ticket, hours=data.settings.team_claim_hours,
                cards=cards, here=here)


async def _topic(data: BotData, row: outbox.Row, ticket: Ticket, *, urgent: bool = False,
                 closing: bool = False) -> int | None:
    """In the team's supergroup a ticket's messages go to its topic, opened with the first
    that needs it (None: the General topic); an urgent message renames it, the person's
    close closes it."""
    team_chat = data.settings.team_chat
    if row.chat_id != team_chat or team_chat is None:
        return None
    bot = data.bulk_bot
    thread = await data.topics.thread_for(bot, data.db, team_chat, ticket, topic_name(ticket))
    if thread is not None and urgent and ticket.thread is not None:
        # It turned urgent after its topic was opened (a new one is named so already).
        await data.topics.rename(bot, team_chat, thread, topic_name(ticket))
    if thread is not None and closing:
        await data.topics.close(bot, team_chat, thread)
    return thread
