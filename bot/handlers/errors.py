"""The one general error handler: log with context, apologise once, tell the owners sparingly.

Failures must not multiply sends: flood control and network trouble are logged (once per
burst) and answered with nothing, since an apology would meet the same trouble; a real error
gets one apology per update, and the owners at most a few reports an hour (error_reports.py).
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Bot, Update
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter

from bot.context import BotData, Context
from bot.library import dates
from bot.logging_setup import Bursts
from bot.telegram.send import reply, seconds, send

log = logging.getLogger(__name__)
NETWORK = Bursts(log, "network errors while answering")
FLOOD = Bursts(log, "replies refused by flood control")


async def on_error(update: object, context: Context) -> None:
    """Log the failure with the update it came from; the user gets an apology, never a trace."""
    error = context.error
    if isinstance(error, Forbidden | ChatMigrated):
        return  # the user blocked the bot, or the group moved on; nothing to say to anyone
    where = _describe(update)
    if isinstance(error, RetryAfter):
        FLOOD.event("flood control: Telegram asked to wait %.0f s, so %s went unanswered",
                    seconds(error.retry_after), where)
        return
    if isinstance(error, NetworkError) and not isinstance(error, BadRequest):
        # Telegram unreachable for a moment: PTB retries polling; nothing to tell anyone.
        NETWORK.event("network error while handling %s: %s", where, error)
        return
    log.error("error while handling %s", where, exc_info=error)
    data = context.bot_data
    if isinstance(update, Update) and update.effective_chat is not None \
            and data.error_reports.first_apology(update.update_id):
        try:
            await reply(update, context, data.renderer.message("something_went_wrong"))
        except Exception:  # noqa: BLE001 - an apology that fails must not loop
            log.warning("could not apologise in %s", where)
    allowed, held, since = data.error_reports.report(data.now())
    if not allowed:
        log.info("not reported to the owners (at most %d reports an hour)",
                 data.error_reports.per_hour)
        return
    await _tell_owners(context.bot, data, "owner_error_report", where=where,
                       error=repr(error)[:500], held=held, since=_when(since))


async def report_held_back(bot: Bot, data: BotData) -> None:
    """From the minute tick: once the hour has room again, tell the owners how many errors
    were held back, even when no new error comes along to carry the count."""
    due = data.error_reports.summary_due(data.now())
    if due is not None:
        held, since = due
        await _tell_owners(bot, data, "owner_error_summary", held=held, since=_when(since),
                           per_hour=data.error_reports.per_hour)


async def _tell_owners(bot: Bot, data: BotData, template: str, **context: Any) -> None:
    for owner in getattr(data.settings, "admin_ids", ()):
        try:
            await send(bot, owner, data.renderer.message(template, **context))
        except Exception:  # noqa: BLE001
            log.warning("could not report the error to owner %s", owner)


def _when(epoch: int | None) -> str:
    return dates.local(epoch, style="utc") if epoch else ""


def _describe(update: object) -> str:
    if not isinstance(update, Update):
        return "a job"
    chat = update.effective_chat
    kind = ("button" if update.callback_query else
            "message" if update.message else "inline query" if update.inline_query else "update")
    return f"{kind} {update.update_id} in chat {chat.id if chat else '-'}"
