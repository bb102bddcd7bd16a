"""The team's side of a conversation: claim a ticket, answer inside its topic (or, without a
supergroup, by replying to its message in a moderator's own chat), close it, block a person
from the inbox, /unblock. Moderators only; they see only the messages sent to the team.

A reply passes the broadcast guard first (a promised cure, stopping a treatment): one that
trips it is held until a second tap, and the moderators' log says it went anyway.
"""

from __future__ import annotations

import logging
import re

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot.context import Context
from bot.handlers.guards import allowed, moderators_only, user_id_of
from bot.library.numbers import whole_number
from bot.services import conversations
from bot.store import moderation, tickets
from bot.store.tickets import Ticket
from bot.telegram import callbacks
from bot.telegram.html import from_entities, to_plain, visible_length
from bot.telegram.send import reply
from bot.views import team as views

log = logging.getLogger(__name__)
# The first words of every message the team gets about a ticket: "🎫 #12 · ..."
TICKET_MARK = re.compile(r"^🎫 #(\d+)\b")
ANSWERED = "👍"  # the reaction that says a reply is on its way to the person
HEADING_ROOM = 200  # the team reply's heading and footer, beside the disclaimer


async def _ticket_of(update: Update, context: Context) -> Ticket | None:
    """The ticket a team message is about: its topic in the team's supergroup, or the ticket
    message it replies to (the supergroup's General, a moderator's own chat)."""
    data = context.bot_data
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None:
        return None
    in_team_chat = chat.id == data.settings.team_chat
    if not in_team_chat and chat.type != ChatType.PRIVATE:
        return None
    if in_team_chat and message.is_topic_message and message.message_thread_id:
        found = await tickets.by_thread(data.db, message.message_thread_id)
        if found is not None:
            return found
    replied = message.reply_to_message
    if replied is None or replied.from_user is None or replied.from_user.id != context.bot.id:
        return None
    mark = TICKET_MARK.match(replied.text or replied.caption or "")
    number = whole_number(mark.group(1)) if mark else None
    return await tickets.get(data.db, number) if number is not None else None


async def from_team(update: Update, context: Context) -> bool:
    """A moderator's message about a ticket: their answer to the person when they claimed
    it, otherwise a note of why it was not sent. False when the message is about no ticket
    (or, in a private chat, is not a moderator's): then it is read as anything else."""
    data = context.bot_data
    if not data.settings.team_inbox:
        return False
    ticket = await _ticket_of(update, context)
    if ticket is None:
        return False
    message = update.effective_message
    assert message is not None
    user = update.effective_user
    moderator = user is not None and await moderation.is_moderator(
        data.db, data.settings.admin_ids, user.id)
    if not moderator:
        if update.effective_chat.id != data.settings.team_chat:  # type: ignore[union-attr]
            return False  # a person replying to a message of their own: theirs to read
        await _note(update, context, "not_moderator", ticket)
        return True
    if not message.text:
        await _note(update, context, "text_only", ticket)
        return True
    refusal = "closed" if not ticket.open else "claim_first" if ticket.claimed_by is None \
        else "taken" if ticket.claimed_by != user.id else None  # type: ignore[union-attr]
    if refusal is not None:
        await _note(update, context, refusal, ticket)
        return True
    await _answer(update, context, ticket, message)
    return True


async def _answer(update: Update, context: Context, ticket: Ticket, message: Message) -> None:
    data = context.bot_data
    body = from_entities(message.text, message.entities)
    over = visible_length(body) - (data.renderer.room_for() - HEADING_ROOM)
    if over > 0:
        await reply(update, context, views.mod_note(data.renderer, "too_long", ticket.id, over))
        return
    triage = data.library.triage
    claims = triage.check_claims(to_plain(body)) if triage is not None else []
    message_id = await conversations.team_reply(data.db, ticket, user_id_of(update), body,
                                                held=bool(claims), now=data.now())
    if message_id is None:
        await _note(update, context, "closed", ticket)
        return
    if claims:
        await reply(update, context, views.held(data.renderer, ticket, message_id, claims))
        return
    data.sender.wake()
    try:
        await context.bot.set_message_reaction(message.chat.id, message.message_id, ANSWERED)
    except TelegramError as exc:
        log.info("no reaction on a team reply: %s", exc)


async def _note(update: Update, context: Context, what: str, ticket: Ticket) -> None:
    await reply(update, context, views.mod_note(context.bot_data.renderer, what, ticket.id))


async def _moderators_ticket(update: Update, context: Context) -> Ticket | None:
    """The ticket a moderator's message is about. None when the inbox is off, the message is
    about no ticket or its sender is no moderator: then it is read as anything else."""
    data = context.bot_data
    if not data.settings.team_inbox:
        return None
    ticket = await _ticket_of(update, context)
    user = update.effective_user
    if ticket is None or user is None or not await moderation.is_moderator(
            data.db, data.settings.admin_ids, user.id):
        return None
    return ticket


async def media(update: Update, context: Context) -> bool:
    """A photo or file about a ticket: only text is passed on, and the moderator is told."""
    ticket = await _moderators_ticket(update, context)
    if ticket is None:
        return False
    await _note(update, context, "text_only", ticket)
    return True


async def media_in_team_chat(update: Update, context: Context) -> None:
    """Anything but text in the team's supergroup."""
    await media(update, context)


async def cancel(update: Update, context: Context) -> bool:
    """/cancel inside a ticket's topic, or replying to its message: the team closes it."""
    ticket = await _moderators_ticket(update, context)
    if ticket is None:
        return False
    await _close(update, context, ticket)
    return True


async def _close(update: Update, context: Context, ticket: Ticket) -> None:
    data = context.bot_data
    if not await conversations.close(data.db, data.settings, ticket, "team", data.now()):
        await _note(update, context, "closed", ticket)
        return
    data.sender.wake()
    await moderation.audit(data.db, user_id_of(update), "team close", data.now(),
                           f"#{ticket.id}")
    await _close_topic(context, ticket)
    await _note(update, context, "closed_by_you", ticket)


async def _close_topic(context: Context, ticket: Ticket) -> None:
    data = context.bot_data
    current = await tickets.get(data.db, ticket.id)
    team_chat = data.settings.team_chat
    if current is not None and current.thread is not None and team_chat is not None:
        await data.topics.close(context.bot, team_chat, current.thread)


# --- buttons -------------------------------------------------------------------------------
async def button(update: Update, context: Context, action: callbacks.Action) -> bool:
    """tk:<ticket>:<step>[:<message id>]. Not a moderator: the unknown-command answer."""
    if not await allowed(update, context):
        return True
    data = context.bot_data
    raw_id, _, step = action.arg.partition(":")
    step, _, raw_message = step.partition(":")
    ticket_id = whole_number(raw_id)
    ticket = await tickets.get(data.db, ticket_id) if ticket_id is not None else None
    query = update.callback_query
    if ticket is None or query is None:
        return False
    renderer = data.renderer
    if step == "claim":
        await _claim(update, context, ticket)
    elif step == "close":
        await _close(update, context, ticket)
    elif step == "block" and ticket.open:
        await reply(update, context, views.block_ask(renderer, ticket))
    elif step == "blockyes" and ticket.open:
        await conversations.block(data.db, data.settings, ticket, user_id_of(update), data.now())
        data.sender.wake()
        await moderation.audit(data.db, user_id_of(update), "team block", data.now(),
                               f"#{ticket.id}")
        await _close_topic(context, ticket)
        await reply(update, context, views.mod_note(renderer, "blocked", ticket.id), edit=True)
    elif step == "keep":
        await reply(update, context, views.mod_note(renderer, "kept", ticket.id), edit=True)
    elif step in ("send", "drop") and whole_number(raw_message) is not None:
        await _held(update, context, ticket, step, int(raw_message))
    elif step in ("block", "blockyes"):
        await _note(update, context, "closed", ticket)
    else:
        return False
    return True


async def _claim(update: Update, context: Context, ticket: Ticket) -> None:
    data = context.bot_data
    query = update.callback_query
    assert query is not None
    user = update.effective_user
    if not await conversations.claim(data.db, ticket, user_id_of(update), data.now()):
        await query.answer(data.library.label("team_taken"))
        return
    data.sender.wake()
    await moderation.audit(data.db, user_id_of(update), "team claim", data.now(),
                           f"#{ticket.id}")
    claimed = await tickets.get(data.db, ticket.id)
    first = await tickets.messages(data.db, ticket.id)
    if claimed is None or not first:
        return
    in_topic = claimed.thread is not None and \
        update.effective_chat.id == data.settings.team_chat  # type: ignore[union-attr]
    out = views.ticket_message(data.renderer, claimed, first[0].body, topic=in_topic,
                               claimer=user.first_name if user else "")
    await reply(update, context, out, edit=True, note=data.library.label("team_yours"))


async def _held(update: Update, context: Context, ticket: Ticket, step: str,
                message_id: int) -> None:
    """A held reply's second tap: its writer sends it anyway, or drops it."""
    data = context.bot_data
    held = await tickets.message(data.db, message_id)
    if held is None or held.ticket_id != ticket.id or held.status != "held" \
            or held.moderator != user_id_of(update):
        await reply(update, context, views.mod_note(data.renderer, "gone", ticket.id),
                    edit=True)
        return
    if step == "drop":
        await tickets.drop_held(data.db, message_id)
        await reply(update, context, views.mod_note(data.renderer, "dropped", ticket.id),
                    edit=True)
        return
    if not await conversations.release(data.db, ticket, message_id, data.now()):
        await reply(update, context, views.mod_note(data.renderer, "gone", ticket.id),
                    edit=True)
        return
    data.sender.wake()
    triage = data.library.triage
    claims = triage.check_claims(to_plain(held.body)) if triage is not None else []
    await moderation.audit(data.db, user_id_of(update), "team reply sent", data.now(),
                           f"#{ticket.id} (sent despite warning: "
                           f"{', '.join(r.id for r in claims)})")
    await reply(update, context, views.mod_note(data.renderer, "sent_anyway", ticket.id),
                edit=True)


@moderators_only
async def unblock(update: Update, context: Context) -> None:
    """/unblock <ticket number>: the person blocked from that ticket may write again."""
    data = context.bot_data
    number = whole_number((context.args or [""])[0]) if context.args else None
    if number is None:
        await reply(update, context, views.mod_note(data.renderer, "unblock_usage"))
        return
    if not await tickets.unblock(data.db, number):
        await reply(update, context, views.mod_note(data.renderer, "no_block", number))
        return
    await moderation.audit(data.db, user_id_of(update), "team unblock", data.now(), f"#{number}")
    await reply(update, context, views.mod_note(data.renderer, "unblocked", number))
