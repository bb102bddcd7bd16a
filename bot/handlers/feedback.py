"""👍 / 👎 under an answer, and /gaps: the questions the cards answered badly or not at all."""

from __future__ import annotations

from telegram import Update

from bot.context import Context
from bot.handlers.guards import moderators_only
from bot.library.numbers import whole_number
from bot.store import feedback
from bot.telegram import callbacks
from bot.telegram.send import reply

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
    return True


@moderators_only
async def gaps(update: Update, context: Context) -> None:
    """/gaps: the last 30 days' questions that found no card or got a 👎, anonymised."""
    data = context.bot_data
    rows = await feedback.gaps(data.db, data.now() - feedback.KEEP_DAYS * 86_400, GAPS_SHOWN)
    await reply(update, context, data.renderer.message("gaps", rows=rows,
                                                       days=feedback.KEEP_DAYS))
