"""👍 / 👎 under an answer, and /gaps: the questions the cards answered badly or not at all."""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest

from bot.context import Context
from bot.handlers.guards import moderators_only
from bot.library.numbers import whole_number
from bot.store import feedback
from bot.telegram import callbacks
from bot.telegram.send import call, follow_up, reply
from bot.views import team as team_views

log = logging.getLogger(__name__)
GAPS_SHOWN = 15


async def rate(update: Update, context: Context, action: callbacks.Action) -> bool:
    """fb:<id>:y|n: the person's answer to "was this helpful"; a short thank-you, no message."""
    raw_id, _, verdict = action.arg.partition(":")
    feedback_id = whole_number(raw_id)
    query = update.callback_query
    chat = update.effective_chat
    if feedback_id is None or verdict not in ("y", "n") or query is None or chat is None:
        return False
    data = context.bot_data
    # Only in the chat the answer went to: from anywhere else (a forged or copied button),
    # or once the question is gone, it is a stale button and nothing changes.
    if not await feedback.rate(data.db, feedback_id, chat.id, verdict == "y"):
        return False
    await query.answer(data.library.label("feedback_thanks"))
    message = query.message
    if verdict == "n" and chat.type == ChatType.PRIVATE and data.settings.team_inbox \
            and isinstance(message, Message):
        # The cards fell short: under the answer, 👍/👎 give way to the community's team.
        shown = message.reply_markup.to_dict()["inline_keyboard"] if message.reply_markup \
            else []
        try:
            await call(context.bot, "editMessageReplyMarkup", {
                "chat_id": chat.id, "message_id": message.message_id,
                "reply_markup": team_views.ask_under(data.renderer, shown)})
        except BadRequest as exc:  # too old to change: say it in a message of its own
            log.info("could not put Ask the team under an answer: %s", exc)
            await follow_up(update, context, team_views.offer(data.renderer))
    return True


@moderators_only
async def gaps(update: Update, context: Context) -> None:
    """/gaps: the last 30 days' questions that found no card or got a 👎, anonymised."""
    data = context.bot_data
    rows = await feedback.gaps(data.db, data.now() - feedback.KEEP_DAYS * 86_400, GAPS_SHOWN)
    await reply(update, context, data.renderer.message("gaps", rows=rows,
                                                       days=feedback.KEEP_DAYS))
