"""Small steps every handler shares."""

from __future__ import annotations

from telegram import Update

from bot.context import Context
from bot.store import chats


async def remember_chat(update: Update, context: Context) -> None:
    """Record the chat (and revive it if it had blocked us) on a valid interaction."""
    chat = update.effective_chat
    if chat is None:
        return
    user = update.effective_user
    language = user.language_code if user is not None else None
    data = context.bot_data
    await chats.record_chat(data.db, chat.id, chat.type, language, data.now())
