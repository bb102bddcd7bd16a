"""Delivering a rendered Outgoing to the chat an update came from."""

from __future__ import annotations

import logging

from telegram import Bot, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.context import Context
from bot.render import Outgoing

log = logging.getLogger(__name__)


async def reply(update: Update, context: Context, out: Outgoing, *, edit: bool = False) -> None:
    """Answer in the update's chat; with edit=True a button press replaces its own message."""
    query = update.callback_query
    if query is not None:
        await query.answer()
        message = query.message
        if edit and message is not None and message.is_accessible and not out.photo:
            try:
                await query.edit_message_text(out.text, reply_markup=out.reply_markup())
                return
            except BadRequest as exc:
                if "not modified" in str(exc).lower():
                    return  # the same button pressed twice: the message already shows this
                # Too old to edit, or a photo: fall back to a fresh message.
                log.info("edit failed in chat %s (%s); sending instead", message.chat.id, exc)
    chat = update.effective_chat
    if chat is None:
        return
    incoming = update.effective_message
    in_topic = incoming is not None and incoming.is_topic_message
    thread = incoming.message_thread_id if in_topic and incoming is not None else None
    await send(context.bot, chat.id, out, thread=thread)


async def send(bot: Bot, chat_id: int, out: Outgoing, *, thread: int | None = None) -> None:
    """Send a finished message: a photo with its caption, or text."""
    if out.photo:
        await bot.send_photo(chat_id, out.photo, caption=out.text,
                             reply_markup=out.reply_markup(), message_thread_id=thread,
                             parse_mode=ParseMode.HTML)
    else:
        await bot.send_message(chat_id, out.text, reply_markup=out.reply_markup(),
                               message_thread_id=thread, parse_mode=ParseMode.HTML)
