"""Free text: STOP, an answer a set-up is waiting for, then (in private) a question."""

from __future__ import annotations

from telegram import Update

from bot.context import Context
from bot.handlers import campaigning, fallback, questions, reminders

STOP_WORDS = frozenset({"stop", "unsubscribe", "stop all"})


async def on_text(update: Update, context: Context) -> None:
    """Route a text message that is not a command. In groups only text addressed to the bot
    (a mention, or a reply to the bot) is read at all."""
    text = questions.addressed_text(update, context)
    if text is None:
        return
    if await campaigning.composed(update, context):
        return  # a moderator's broadcast (or its send time) is not a question
    # Urgent guidance comes before anything else, a half-finished set-up included.
    urgent = questions.urgent_guidance(context.bot_data.renderer, text)
    if urgent is not None:
        await questions.reply(update, context, urgent)
        return
    if text.strip().lower().strip(" .!") in STOP_WORDS:
        await reminders.stop(update, context)
        return
    if await reminders.typed_answer(update, context):
        return
    await questions.on_question(update, context, text)


async def on_media(update: Update, context: Context) -> None:
    """A photo, sticker or voice note: part of a broadcast being composed, or not text."""
    if not await campaigning.composed(update, context):
        await fallback.not_text(update, context)
