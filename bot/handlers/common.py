"""Small steps every handler shares."""

from __future__ import annotations

from datetime import date, datetime

from telegram import Update
from telegram.constants import ChatType

from bot.context import Context
from bot.delivery import localtime
from bot.services import subscriptions
from bot.store import chats
from bot.telegram.send import reply


async def remember_chat(update: Update, context: Context) -> None:
    """Record the chat on a valid interaction. One that had blocked the bot and now writes
    again is active again and gets its reminders back: the block switched its schedules off."""
    chat = update.effective_chat
    if chat is None:
        return
    user = update.effective_user
    language = user.language_code if user is not None else None
    data = context.bot_data
    status = await chats.record_chat(data.db, chat.id, chat.type, language, data.now())
    if status == "blocked":
        await subscriptions.resume(data.db, chat.id, data.now())


def chat_id_of(update: Update) -> int:
    """The chat an update belongs to. Handlers are only registered for updates that have one,
    so a missing chat is a bug, not a user's input."""
    chat = update.effective_chat
    if chat is None:
        raise ValueError(f"update {update.update_id} has no chat")
    return chat.id


async def today_of(context: Context, chat_id: int) -> date:
    """The chat's local day (in its reminder time zone; UTC when it has none)."""
    data = context.bot_data
    zone = await chats.zone_of(data.db, chat_id) or "UTC"
    return datetime.fromtimestamp(data.now(), localtime.zone(zone)).date()


async def skin_check_usable(update: Update, context: Context, private_only: str) -> bool:
    """The skin check is on (the operator's setting) and this is a private chat; otherwise
    say which, with `private_only` the template for a group (the skin check, the report)."""
    data = context.bot_data
    chat = update.effective_chat
    if not data.settings.skin_check:
        await reply(update, context, data.renderer.message("skin_off"))
        return False
    if chat is None or chat.type != ChatType.PRIVATE:
        await reply(update, context, data.renderer.message(private_only))
        return False
    return True
