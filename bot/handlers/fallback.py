"""What the bot says to input it has no handler for: friendly, and it changes nothing."""

from __future__ import annotations

from telegram import Update

from bot import views
from bot.context import Context
from bot.replies import reply


async def unknown_command(update: Update, context: Context) -> None:
    """A /command the bot does not know: short help and the topic menu."""
    await reply(update, context, views.topic_menu(context.bot_data.renderer, "unknown_command"))


async def not_text(update: Update, context: Context) -> None:
    """Stickers, photos, voice notes and the like."""
    await reply(update, context, views.topic_menu(context.bot_data.renderer, "not_text"))
