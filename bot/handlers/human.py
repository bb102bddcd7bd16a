"""/human: a person asks the community's team, with consent; then their side of the
conversation. Nothing reaches the team without a tap on "Send to the team"; everything the
person writes while it is open has passed the urgent-care triage first (bot/handlers/text.py).
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot.context import Context
from bot.handlers import flows, questions
from bot.handlers.common import remember_chat
from bot.library.helplines import Country
from bot.library.numbers import whole_number
from bot.library.triage import Finding
from bot.services import conversations
from bot.store import chats, tickets
from bot.store.tickets import Ticket
from bot.telegram import callbacks
from bot.telegram.send import reply
from bot.views import team as views
from bot.views import triage as triage_views

log = logging.getLogger(__name__)
DRAFT = "team_draft"  # chat_data: the message being prepared {nonce, at, text, urgent, ...}
# A message for the team left unwritten this long is forgotten: a question typed the next
# day is a question, not a message for the team.
DRAFT_SECONDS = 3600
PASSED_ON = "👌"  # the reaction that says a message reached the team's queue


async def human_command(update: Update, context: Context) -> None:
    """/human: who answers, when they are around and what is shared; or the conversation
    already open. `/human <message>` writes the message at once."""
    await remember_chat(update, context)
    data = context.bot_data
    chat = update.effective_chat
    if chat is None:
        return
    if not data.settings.team_inbox:
        await reply(update, context, views.off(data.renderer, "off"))
        return
    if chat.type != ChatType.PRIVATE:
        link = f"https://t.me/{context.bot.username}?start=human"
        await reply(update, context, views.off(data.renderer, "group", link))
        return
    if await tickets.blocked_since(data.db, chat.id) is not None:
        await reply(update, context, views.off(data.renderer, "blocked"))
        return
    ticket = await tickets.open_for(data.db, chat.id)
    if ticket is not None:
        await _status(update, context, ticket)
        return
    nonce = secrets.token_hex(2)
    context.chat_data[DRAFT] = {"nonce": nonce, "at": data.now()}  # type: ignore[index]
    typed = " ".join(context.args or []).strip()
    if typed:
        # A command's words never passed the triage in text.py: they do here, first.
        finding = await _triaged(update, context, typed)
        await _take_draft(update, context, typed, finding)
        return
    here = await _country(update, context)
    await reply(update, context, views.intro(
        data.renderer, await _clock(context), here.emergency if here else
        "your local emergency number", nonce))


async def _triaged(update: Update, context: Context, text: str) -> Finding:
    finding = questions.triage(context, text)
    if finding.alarming:
        await questions.reply_to_finding(update, context, finding, text)
    return finding


async def _clock(context: Context) -> conversations.TeamClock:
    data = context.bot_data
    return await conversations.team_clock(data.db, data.settings, data.now())


async def _country(update: Update, context: Context) -> Country | None:
    """The person's country for helplines: their chat's zone, or their language tag."""
    data = context.bot_data
    chat, user = update.effective_chat, update.effective_user
    zone = await chats.zone_of(data.db, chat.id) if chat else None
    language = user.language_code if user else None
    if language is None and chat is not None:
        language = await chats.language_of(data.db, chat.id)
    here, _ = triage_views.numbers_for(data.renderer, zone, language)
    return here


async def _status(update: Update, context: Context, ticket: Ticket) -> None:
    data = context.bot_data
    await reply(update, context, views.status(
        data.renderer, ticket, await tickets.messages(data.db, ticket.id), await _clock(context),
        await chats.zone_of(data.db, ticket.chat_id)))


# --- text from the person ------------------------------------------------------------------
async def from_person(update: Update, context: Context, text: str, finding: Finding) -> bool:
    """A message while one for the team is being written (it becomes that message) or while
    a conversation is open (it is passed on); False otherwise, and while a set-up such as
    /remind waits for its answer."""
    chat = update.effective_chat
    data = context.bot_data
    if chat is None or chat.type != ChatType.PRIVATE or not data.settings.team_inbox:
        return False
    flow = flows.current_flow(context)
    if flow and flow.get("step"):
        return False
    draft = context.chat_data.get(DRAFT) if context.chat_data else None
    if draft is not None and data.now() - int(draft.get("at", 0)) > DRAFT_SECONDS:
        drop_draft(context)  # left an hour ago: this is something else
    elif draft is not None:
        await _take_draft(update, context, text, finding)
        return True
    ticket = await tickets.open_for(data.db, chat.id)
    if ticket is None:
        return False
    await _relay(update, context, ticket, text, urgent=finding.alarming)
    return True


async def after_urgent(update: Update, context: Context, text: str, finding: Finding) -> None:
    """The urgent reply has gone: a message being written keeps it, marked urgent, and an open
    conversation passes it on, marked urgent, for the team to see at once."""
    await from_person(update, context, text, finding)


async def _take_draft(update: Update, context: Context, text: str, finding: Finding) -> None:
    data = context.bot_data
    draft = context.chat_data.setdefault(DRAFT, {"nonce": secrets.token_hex(2)})  # type: ignore
    draft["at"] = data.now()
    over = len(text) - conversations.MAX_CHARS
    if over > 0:
        await reply(update, context, views.problem(data.renderer, "too_long", over=over))
        return
    draft.update(text=text, urgent=finding.alarming, support=finding.tier == "distress",
                 name=False)
    await _preview(update, context, draft)


async def _preview(update: Update, context: Context, draft: dict[str, Any], *,
                   edit: bool = False) -> None:
    user = update.effective_user
    await reply(update, context, views.preview(
        context.bot_data.renderer, draft["text"], user.first_name if user else None,
        bool(draft.get("name")), bool(draft.get("urgent")), draft["nonce"]), edit=edit)


async def _relay(update: Update, context: Context, ticket: Ticket, text: str, *,
                 urgent: bool) -> None:
    data = context.bot_data
    over = len(text) - conversations.MAX_CHARS
    if over > 0:
        await reply(update, context, views.problem(data.renderer, "too_long", over=over))
        return
    result = await conversations.from_person(data.db, data.settings, ticket, text,
                                             urgent=urgent, now=data.now())
    if result != "relayed":
        await reply(update, context, views.problem(data.renderer, result,
                                                   limit=data.settings.team_flood))
        return
    data.sender.wake()
    message = update.effective_message
    if message is not None:
        try:
            await context.bot.set_message_reaction(message.chat.id, message.message_id,
                                                   PASSED_ON)
        except TelegramError as exc:  # a reaction is a courtesy: the message is queued
            log.info("no reaction on a passed-on message: %s", exc)


async def media(update: Update, context: Context) -> bool:
    """A photo, voice note or file while writing to the team or talking with it: only words
    reach the team. A caption is read as a message (triage first)."""
    chat = update.effective_chat
    data = context.bot_data
    if chat is None or chat.type != ChatType.PRIVATE or not data.settings.team_inbox:
        return False
    draft = context.chat_data.get(DRAFT) if context.chat_data else None
    writing = draft is not None and data.now() - int(draft.get("at", 0)) <= DRAFT_SECONDS
    if not writing and await tickets.open_for(data.db, chat.id) is None:
        return False
    message = update.effective_message
    caption = (message.caption or "").strip() if message is not None else ""
    if caption:
        finding = await _triaged(update, context, caption)
        await from_person(update, context, caption, finding)
    await reply(update, context, views.problem(data.renderer, "words_only"))
    return True


# --- /cancel -------------------------------------------------------------------------------
def drop_draft(context: Context) -> bool:
    """/cancel while a message for the team is being written: nothing is sent."""
    return bool(context.chat_data is not None and context.chat_data.pop(DRAFT, None))


async def close_open(update: Update, context: Context) -> bool:
    """/cancel with a conversation open (and nothing else to cancel): it closes."""
    chat = update.effective_chat
    data = context.bot_data
    if chat is None or chat.type != ChatType.PRIVATE:
        return False
    ticket = await tickets.open_for(data.db, chat.id)
    if ticket is None:
        return False
    await _close(update, context, ticket)
    return True


async def _close(update: Update, context: Context, ticket: Ticket, *, edit: bool = False) -> None:
    data = context.bot_data
    if await conversations.close(data.db, data.settings, ticket, "person", data.now(),
                                 tell_person=False):
        data.sender.wake()
    await reply(update, context, views.note(data.renderer, "person", ticket), edit=edit)


# --- buttons -------------------------------------------------------------------------------
async def button(update: Update, context: Context, action: callbacks.Action) -> bool:
    """hm:...: the person's buttons: ask, the message's send / name / rewrite / don't send,
    close, and whether it helped."""
    data = context.bot_data
    chat = update.effective_chat
    query = update.callback_query
    if chat is None or query is None:
        return False
    step, _, rest = action.arg.partition(":")
    if step == "ask":
        context.args = []
        await human_command(update, context)
        return True
    if step in ("close", "rate"):
        return await _ticket_button(update, context, step, rest)
    nonce, _, value = rest.partition(":")
    draft = context.chat_data.get(DRAFT) if context.chat_data else None
    if not draft or draft.get("nonce") != nonce or chat.type != ChatType.PRIVATE:
        await reply(update, context, views.problem(data.renderer, "stale"))
        return True
    if step == "drop":
        drop_draft(context)
        await reply(update, context, views.problem(data.renderer, "nothing"), edit=True)
    elif "text" not in draft:
        return False  # the message is not written yet: only "Not now" is on that screen
    elif step == "name" and value in ("y", "n"):
        draft["name"] = value == "y"
        await _preview(update, context, draft, edit=True)
    elif step == "edit":
        draft.pop("text", None)
        await reply(update, context, views.problem(data.renderer, "rewrite"), edit=True)
    elif step == "send":
        await _send(update, context, draft)
    else:
        return False
    return True


async def _send(update: Update, context: Context, draft: dict[str, Any]) -> None:
    """The one tap that sends: the ticket opens and the team is told."""
    data = context.bot_data
    chat_id = update.effective_chat.id  # type: ignore[union-attr]
    user = update.effective_user
    name = user.first_name if user is not None and draft.get("name") else None
    opened = await conversations.open_conversation(
        data.db, data.settings, chat_id, name, draft["text"], urgent=bool(draft.get("urgent")),
        support=bool(draft.get("support")), now=data.now())
    drop_draft(context)
    if opened is None:
        await reply(update, context, views.off(data.renderer, "blocked"), edit=True)
        return
    data.sender.wake()
    # The nearest cards meanwhile; none under an urgent message (its urgent reply stands).
    cards = [] if draft.get("urgent") else [h.card for h in data.index.search(draft["text"])]
    await reply(update, context, views.opened(
        data.renderer, opened.ticket, opened.new, await _clock(context), cards,
        await _country(update, context)), edit=True)


async def _ticket_button(update: Update, context: Context, step: str, rest: str) -> bool:
    data = context.bot_data
    raw_id, _, verdict = rest.partition(":")
    ticket_id = whole_number(raw_id)
    chat = update.effective_chat
    ticket = await tickets.get(data.db, ticket_id) if ticket_id is not None else None
    # Only in the chat whose conversation it is: from anywhere else it is a stale button.
    if ticket is None or chat is None or ticket.chat_id != chat.id:
        return False
    if step == "close":
        if not ticket.open:
            return False
        await _close(update, context, ticket, edit=True)
        return True
    if verdict not in ("y", "n") or not await conversations.rate(data.db, ticket.id, chat.id,
                                                                 verdict == "y"):
        return False
    await update.callback_query.answer(data.library.label("team_rated"))  # type: ignore
    return True
