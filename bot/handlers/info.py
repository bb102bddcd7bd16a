"""/help, /about and /disclaimer."""

from __future__ import annotations

from telegram import Update

from bot.context import Context
from bot.handlers.common import remember_chat
from bot.handlers.guards import private_chat
from bot.store import moderation
from bot.telegram.send import reply
from bot.views import library as views
from bot.views import menus
from bot.views import team as team_views


async def help_command(update: Update, context: Context) -> None:
    """List what the bot can do (and, to a moderator in their own chat, their commands)."""
    await remember_chat(update, context)
    data = context.bot_data
    renderer = data.renderer
    extra = await _moderator_commands(update, context)
    team = data.settings.team_inbox and private_chat(update)
    out = views.topic_menu(renderer, "help", moderator_commands=extra, team=team) if extra \
        else views.topic_menu(renderer, "help", team=team)
    if team:
        out = renderer.with_buttons(out, (*out.buttons, (team_views.ask_button(renderer),)))
    await reply(update, context, out)


async def _moderator_commands(update: Update, context: Context) -> list[tuple[str, str]]:
    """The moderator's (or owner's) own commands with what each does, as their command menu
    has them: in their private chat only, where that menu is shown too. To anyone else these
    commands do not exist, so /help does not name them."""
    user = update.effective_user
    if user is None or not private_chat(update):
        return []
    data = context.bot_data
    owner = user.id in data.settings.admin_ids
    if not owner and not await moderation.is_moderator(data.db, data.settings.admin_ids,
                                                       user.id):
        return []
    described = dict(data.library.commands)
    return [(name, described[name]) for name in (menus.OWNERS if owner else menus.MODERATORS)
            if name in described]


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
