"""/note keeps a short dated note between skin checks ("flare after swimming"); /notes lists
them, newest first, each with a delete button. In private chats only: a note is about one
person's skin (or their child's). /mydata shows them and /forget erases them."""

from __future__ import annotations

from datetime import date

from telegram import Update
from telegram.constants import ChatType

from bot.context import Context
from bot.handlers import questions
from bot.handlers.common import chat_id_of, remember_chat, today_of
from bot.handlers.flows import current_flow, end_flow, new_flow
from bot.library.numbers import whole_number
from bot.library.triage import Finding
from bot.store import notes as store
from bot.store import skin_checks
from bot.telegram import callbacks
from bot.telegram.send import follow_up, reply
from bot.views import notes as views

MAX_NOTE = 200  # characters: a line on the report
STEP = "note"  # the set-up step that waits for a note's text


async def note_command(update: Update, context: Context) -> None:
    """/note <text> keeps it; /note alone asks for it; /note list is /notes."""
    if not await _private(update, context):
        return
    await remember_chat(update, context)
    text = _after_command(update)
    if text.lower() in ("list", "all", "show"):
        await show(update, context, 0)
    elif not text:
        await ask(update, context)
    else:
        finding = questions.triage(context, text)
        if finding.alarming:  # urgent care first, as for any message
            await questions.reply_to_finding(update, context, finding, text)
            await after_urgent(update, context, text, finding, waiting=False)
            return
        await keep(update, context, text)


async def notes_command(update: Update, context: Context) -> None:
    """/notes: the chat's notes, newest first, each with a delete button."""
    if not await _private(update, context):
        return
    await remember_chat(update, context)
    await show(update, context, 0)


async def button(update: Update, context: Context, action: callbacks.Action) -> bool:
    """nt:add, nt:list:<offset>, nt:del:<id>:<offset>."""
    if not await _private(update, context):
        return True
    await remember_chat(update, context)
    parts = action.arg.split(":")
    if parts == ["add"]:
        await ask(update, context)
        return True
    if parts[0] == "list" and len(parts) == 2:
        offset = whole_number(parts[1])
        if offset is None:
            return False
        await show(update, context, offset, edit=True)
        return True
    if parts[0] == "del" and len(parts) == 3:
        note_id, offset = whole_number(parts[1]), whole_number(parts[2])
        if note_id is None or offset is None:
            return False
        data = context.bot_data
        chat_id = chat_id_of(update)
        gone = await store.day_of(data.db, chat_id, note_id)
        deleted = gone is not None and await store.delete(data.db, chat_id, note_id)
        await show(update, context, offset, edit=True, deleted=gone if deleted else None,
                   gone=not deleted)
        return True
    return False


async def ask(update: Update, context: Context) -> None:
    """Wait for the note's text (a set-up step, so /cancel stops it)."""
    data = context.bot_data
    chat_id = chat_id_of(update)
    new_flow(context, STEP)
    who = await skin_checks.about(data.db, chat_id)
    await reply(update, context, views.ask(data.renderer, await today_of(context, chat_id),
                                           who == "child"))


async def typed_note(update: Update, context: Context, text: str) -> bool:
    """The text of a note the chat was asked for; False when no note is waited for."""
    flow = current_flow(context)
    if not flow or flow.get("step") != STEP:
        return False
    await keep(update, context, text)
    return True


async def after_urgent(update: Update, context: Context, text: str, finding: Finding, *,
                       waiting: bool = True) -> None:
    """After the urgent-care reply to a note's text: a same-day note (weeping with a fever,
    say) is kept, and said so in a message of its own, since it belongs on the report; an
    emergency or a crisis gets its reply alone and nothing is kept."""
    flow = current_flow(context)
    if waiting and (not flow or flow.get("step") != STEP):
        return
    if finding.tier == "same_day":
        await keep(update, context, text, fresh=True)


async def keep(update: Update, context: Context, text: str, *, fresh: bool = False) -> None:
    data = context.bot_data
    chat_id = chat_id_of(update)
    text = " ".join(text.split())
    if len(text) > MAX_NOTE:
        await reply(update, context, views.too_long(data.renderer, len(text), MAX_NOTE))
        flow = current_flow(context)
        if not flow or flow.get("step") != STEP:
            new_flow(context, STEP)  # /note with a long text: the shorter one is awaited
        return
    end_flow(context)
    await remember_chat(update, context)
    day = await today_of(context, chat_id)
    await store.add(data.db, chat_id, day, text, data.now())
    out = views.saved(data.renderer, day, text, await store.count(data.db, chat_id))
    if fresh:
        await follow_up(update, context, out)
    else:
        await reply(update, context, out)


async def show(update: Update, context: Context, offset: int, *, edit: bool = False,
               deleted: date | None = None, gone: bool = False) -> None:
    data = context.bot_data
    chat_id = chat_id_of(update)
    total = await store.count(data.db, chat_id)
    if offset >= total:
        offset = max(0, (total - 1) // views.PAGE * views.PAGE)
    page = await store.latest(data.db, chat_id, views.PAGE, offset)
    await reply(update, context, views.listing(
        data.renderer, page, total, offset, deleted=deleted, gone=gone), edit=edit)


def _after_command(update: Update) -> str:
    """What was typed after /note, spacing and all (context.args splits it into words)."""
    message = update.effective_message
    text = message.text if message is not None and message.text else ""
    first, _, rest = text.partition(" ")
    if "\n" in first:
        first, _, more = first.partition("\n")
        rest = f"{more} {rest}"
    return rest.strip()


async def _private(update: Update, context: Context) -> bool:
    chat = update.effective_chat
    if chat is None or chat.type != ChatType.PRIVATE:
        await reply(update, context, context.bot_data.renderer.message("notes_private_only"))
        return False
    return True
