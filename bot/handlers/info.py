"""/help, /about and /disclaimer."""

from __future__ import annotations

from telegram import Update

from bot.context import Context
from bot.handlers.common import remember_chat
from bot.telegram.send import reply
from bot.views import library as views


async def help_command(update: Update, context: Context) -> None:
    """List what the bot can do."""
    await remember_chat(update, context)
    await reply(update, context, views.topic_menu(context.bot_data.renderer, "help"))


async def about(update: Update, context: Context) -> None:
    """What the bot is, where its content comes from, and the full disclaimer."""
    await remember_chat(update, context)
    data = context.bot_data
    lib = data.library
    out = data.renderer.message(
        "about", sources=list(lib.sources.values()), card_count=len(lib.cards),
        topic_count=len(lib.topics), skin_check=data.settings.skin_check,
    )
    await reply(update, context, out)


async def disclaimer(update: Update, context: Context) -> None:
    """The full disclaimer."""
    await remember_chat(update, context)
    await reply(update, context, context.bot_data.renderer.message("disclaimer"))
