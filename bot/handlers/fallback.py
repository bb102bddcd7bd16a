"""What the bot says to input it has no handler for: friendly, and it changes nothing."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType

from bot.context import Context
from bot.telegram.send import reply
from bot.views import library as views


async def unknown_command(update: Update, context: Context) -> None:
    """A /command the bot does not know: short help and the topic menu.

    In a group, /commands meant for other bots are none of our business: answer only
    /command@thisbot (or a button press, which is always ours).
    """
    message = update.effective_message
    chat = update.effective_chat
    if update.callback_query is None and chat is not None and chat.type != ChatType.PRIVATE:
        command = (message.text or "").split()[0] if message and message.text else ""
        if f"@{(context.bot.username or '').lower()}" not in command.lower():
            return
    await reply(update, context, views.topic_menu(context.bot_data.renderer, "unknown_command"))


async def not_text(update: Update, context: Context) -> None:
    """Stickers, photos, voice notes and the like."""
    await reply(update, context, views.topic_menu(context.bot_data.renderer, "not_text"))
