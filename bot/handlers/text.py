"""Free text: STOP, an answer a set-up is waiting for, then (in private) a question."""

from __future__ import annotations

from telegram import Update

from bot import views
from bot.context import Context
from bot.handlers import reminders
from bot.replies import reply

STOP_WORDS = frozenset({"stop", "unsubscribe", "stop all"})


async def on_text(update: Update, context: Context) -> None:
    """Route a text message that is not a command."""
    message = update.effective_message
    text = (message.text or "").strip() if message else ""
    if text.lower().strip(" .!") in STOP_WORDS:
        await reminders.stop(update, context)
        return
    if await reminders.typed_answer(update, context):
        return
    await reply(update, context, views.topic_menu(context.bot_data.renderer, "not_understood"))
