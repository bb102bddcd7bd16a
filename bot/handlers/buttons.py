"""Every inline button goes through here: parse what the bot made, route it, or say stale."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType

from bot.context import Context
from bot.handlers import campaigning, guards, habits, library, privacy, reminders, settings, skin
from bot.telegram import callbacks

LIBRARY_KINDS = frozenset({"menu", "topic", "card", "next", "remind"})
SETUP_KINDS = frozenset({"rt", "rz", "rd", "rdt"})


async def button(update: Update, context: Context) -> None:
    """Route a button press; forged or outdated data gets the stale answer and changes nothing."""
    query = update.callback_query
    if query is None:
        return
    chat = update.effective_chat
    if chat is None:
        # A message shared by inline mode (inline_message_id, no message): there is no chat
        # here to read, change or answer in. Stop the spinner with a short note, change nothing.
        await query.answer(context.bot_data.library.label("button_elsewhere"))
        return
    if chat.type == ChatType.CHANNEL and not await guards.may_change(update, context):
        return  # a subscriber's press under a channel post: answered quietly, nothing changes
    action = callbacks.parse(query.data)
    handled = False
    if action is None:
        handled = False
    elif action.kind in LIBRARY_KINDS:
        handled = await library.button(update, context, action)
    elif action.kind in SETUP_KINDS:
        handled = await reminders.button(update, context, action)
    elif action.kind == "set":
        handled = await settings.settings_button(update, context, action.arg)
    elif action.kind == "focus":
        handled = await settings.focus_button(update, context, action)
    elif action.kind == "hab":
        handled = await habits.habit_button(update, context, action)
    elif action.kind == "ci":
        handled = await habits.checkin_answer(update, context, action)
    elif action.kind == "forget":
        handled = await privacy.button(update, context, action)
    elif action.kind == "bc":
        handled = await campaigning.button(update, context, action)
    elif action.kind == "sk":
        handled = await skin.button(update, context, action)
    if not handled:
        await library.stale(update, context)
