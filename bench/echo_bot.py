"""A bare python-telegram-bot echo bot on the bot's own aiohttp transport: the baseline of
bench/inbound.py.

It makes the same Bot API calls per update as the bot does, and nothing else: a message gets
one sendMessage (its own text), a button press an answerCallbackQuery and an
editMessageText. Same connection pools as the bot (bot/app.py), same number of updates in
flight, long polling for every update type.

    TELEGRAM_BOT_TOKEN=... TELEGRAM_BASE_URL=http://127.0.0.1:PORT/bot python bench/echo_bot.py
"""

from __future__ import annotations

import inspect
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from telegram import Update
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, ContextTypes, MessageHandler
from telegram.ext import filters as message_filters

from bot.app import REPLY_CONNECTIONS
from bot.telegram.transport import AiohttpRequest
from bot.telegram.update_order import OnePerChat

# The bot's bound on updates handled at once.
RUNNING: int = inspect.signature(OnePerChat).parameters["running"].default


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is not None and message.text:
        await context.bot.send_message(message.chat.id, message.text)


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    if query is not None:
        await query.answer()
        await query.edit_message_text(query.data or "?")


def main() -> None:
    app = (ApplicationBuilder().token(os.environ["TELEGRAM_BOT_TOKEN"])
           .base_url(os.environ["TELEGRAM_BASE_URL"])
           .request(AiohttpRequest(connections=REPLY_CONNECTIONS))
           .get_updates_request(AiohttpRequest(connections=1))
           # As many updates in flight as the bot allows (update_order.OnePerChat), with PTB's
           # own processor: no per-chat order to keep.
           .concurrent_updates(RUNNING)
           .build())
    app.add_handler(MessageHandler(message_filters.ALL, echo))
    app.add_handler(CallbackQueryHandler(pressed))
    app.run_polling(allowed_updates=Update.ALL_TYPES)


if __name__ == "__main__":
    main()
