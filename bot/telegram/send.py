"""Delivering a rendered Outgoing to the chat an update came from."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from telegram import Bot, InputFile, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, RetryAfter
from telegram.ext import CallbackContext
from telegram.request import RequestData

# RequestData (final) is built from these; PTB's own module, stable within the pinned 22.x.
# Built directly, a value that is already the Bot API's JSON is not inspected again.
from telegram.request._requestparameter import RequestParameter

from bot.telegram.message import Outgoing

log = logging.getLogger(__name__)
T = TypeVar("T")
# Any handler's context: this module sits below the bot's own (bot.context), and only needs
# its .bot.
AnyContext = CallbackContext[Any, Any, Any, Any]
# A reply that meets flood control is tried once more if Telegram asks for at most this long;
# a longer wait would leave the person staring at nothing, and a 400 is never tried again.
SHORT_WAIT = 5.0


def seconds(retry_after: object) -> float:
    """RetryAfter.retry_after as seconds (PTB gives an int or a timedelta)."""
    total = getattr(retry_after, "total_seconds", None)
    return float(total() if callable(total) else retry_after)  # type: ignore[arg-type]


async def once_more_after_short_flood(call: Callable[[], Awaitable[T]]) -> T:
    """Make a request; after a 429 asking for a short wait, wait and make it once more."""
    try:
        return await call()
    except RetryAfter as exc:
        wait = seconds(exc.retry_after)
        if wait > SHORT_WAIT:
            raise
        log.info("flood control on a reply: trying once more in %.0f s", wait)
        await asyncio.sleep(wait)
        return await call()


async def reply(update: Update, context: AnyContext, out: Outgoing, *, edit: bool = False,
                note: str | None = None) -> None:
    """Answer in the update's chat; with edit=True a button press replaces its own message,
    and `note` is shown at the top of the presser's screen."""
    query = update.callback_query
    if query is not None:
        await once_more_after_short_flood(lambda: call(
            context.bot, "answerCallbackQuery", {"callback_query_id": query.id, "text": note}))
        message = query.message
        # An edit carries inline buttons only: a reply keyboard (or its removal) needs a new
        # message.
        if edit and message is not None and message.is_accessible and out.editable:
            try:
                await once_more_after_short_flood(lambda: call(context.bot, "editMessageText", {
                    "chat_id": message.chat.id, "message_id": message.message_id,
                    "text": out.text, "parse_mode": ParseMode.HTML.value,
                    "reply_markup": out.markup_dict()}))
                return
            except BadRequest as exc:
                if "not modified" in str(exc).lower():
                    return  # the same button pressed twice: the message already shows this
                # Too old to edit, or a photo: fall back to a fresh message.
                log.info("edit failed in chat %s (%s); sending instead", message.chat.id, exc)
    await follow_up(update, context, out)


async def follow_up(update: Update, context: AnyContext, out: Outgoing) -> None:
    """A further message in the update's chat (and topic), after the reply: a button press
    is answered once only, so this never answers it again."""
    chat = update.effective_chat
    if chat is None:
        return
    thread = _thread_of(update)
    await once_more_after_short_flood(lambda: send(context.bot, chat.id, out, thread=thread))


def _thread_of(update: Update) -> int | None:
    """The forum topic the update came from, so that an answer lands in the same topic."""
    incoming = update.effective_message
    if incoming is None or not incoming.is_topic_message:
        return None
    return incoming.message_thread_id


async def send(bot: Bot, chat_id: int, out: Outgoing, *, thread: int | None = None) -> None:
    """Send a finished message: a photo with its caption, or text."""
    if out.photo:
        await bot.send_photo(chat_id, out.photo, caption=out.text,
                             reply_markup=out.reply_markup(), message_thread_id=thread,
                             parse_mode=ParseMode.HTML)
    else:
        await call(bot, "sendMessage", {
            "chat_id": chat_id, "text": out.text, "parse_mode": ParseMode.HTML.value,
            "reply_markup": out.markup_dict(), "message_thread_id": thread})


async def call(bot: Bot, method: str, params: dict[str, Any]) -> None:
    """A Bot API request whose answer the bot does not read, through the bot's own request
    layer (so its errors are PTB's: BadRequest, Forbidden, RetryAfter...), but without
    reading the answer at all: turning the Message Telegram sends back into PTB objects cost
    about a quarter of a reply, and even decoding its JSON a twentieth (bench/inbound.py). An
    answer of 2xx is Telegram's "ok"; any other is raised as PTB raises it. None values are
    left out, as PTB does."""
    data = RequestData([RequestParameter(name, value, None) for name, value in params.items()
                        if value is not None])
    # PTB's post() is this wrapper (status to exception) plus the JSON decoding skipped here.
    await bot.request._request_wrapper(f"{bot.base_url}/{method}", "POST", request_data=data)


async def send_file(update: Update, context: AnyContext, out: Outgoing, filename: str,
                    content: bytes) -> None:
    """A file in the update's chat (and topic); the finished message is its caption."""
    chat = update.effective_chat
    if chat is None:
        return
    thread = _thread_of(update)
    await once_more_after_short_flood(lambda: context.bot.send_document(
        chat.id, InputFile(content, filename=filename), caption=out.text,
        message_thread_id=thread, parse_mode=ParseMode.HTML))
