"""The one general error handler: log with context, tell the user and the owners."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError

from bot.context import Context
from bot.replies import reply, send

log = logging.getLogger(__name__)


async def on_error(update: object, context: Context) -> None:
    """Log the failure with the update it came from; the user gets an apology, never a trace."""
    error = context.error
    if isinstance(error, Forbidden):
        return  # the user blocked the bot; the outbox marks such chats, nothing to say
    where = _describe(update)
    if isinstance(error, NetworkError) and not isinstance(error, BadRequest):
        # Telegram unreachable for a moment: PTB retries polling; nothing to tell anyone.
        log.warning("network error while handling %s: %s", where, error)
        return
    log.error("error while handling %s", where, exc_info=error)
    data = context.bot_data
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await reply(update, context, data.renderer.message("something_went_wrong"))
        except Exception:  # noqa: BLE001 - an apology that fails must not loop
            log.warning("could not apologise in %s", where)
    for owner in getattr(data.settings, "admin_ids", ()):
        try:
            out = data.renderer.message(
                "owner_error_report", where=where, error=repr(error)[:500]
            )
            await send(context.bot, owner, out)
        except Exception:  # noqa: BLE001
            log.warning("could not report the error to owner %s", owner)


def _describe(update: object) -> str:
    if not isinstance(update, Update):
        return "a job"
    chat = update.effective_chat
    kind = ("button" if update.callback_query else
            "message" if update.message else "inline query" if update.inline_query else "update")
    return f"{kind} {update.update_id} in chat {chat.id if chat else '-'}"
