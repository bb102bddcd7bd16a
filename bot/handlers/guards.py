"""Who may do what: change a chat's settings (anyone in a private chat, only admins in a group
or a channel), and moderate (owners and the moderators they add; to anyone else a moderator
command is exactly an unknown command)."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType

from bot.context import Context
from bot.handlers import fallback
from bot.store import moderation
from bot.telegram.send import reply


async def may_change(update: Update, context: Context) -> bool:
    """Whether this update may change the chat's set-up (see `may_change_quietly`); anyone
    else is told so: in a group by a message, in a channel quietly, at the top of their own
    screen (a channel's subscribers must not fill it with replies)."""
    if await may_change_quietly(update, context):
        return True
    chat = update.effective_chat
    query = update.callback_query
    if chat is None:
        return False
    if query is not None and chat.type == ChatType.CHANNEL:
        await query.answer(context.bot_data.library.label("channel_admins_only"))
    else:
        await reply(update, context, context.bot_data.renderer.message("admins_only"))
    return False


async def may_change_quietly(update: Update, context: Context) -> bool:
    """Anyone in a private chat; in a group or a channel, only its administrators.

    A channel's own posts are its admins'; so is a group message sent as the group itself (an
    anonymous admin). A button press is always judged by the person who pressed it.
    """
    chat = update.effective_chat
    if chat is None:
        return False
    if chat.type == ChatType.PRIVATE:
        return True
    message = update.effective_message
    if update.callback_query is None and (chat.type == ChatType.CHANNEL or (
            message is not None and message.sender_chat is not None
            and message.sender_chat.id == chat.id)):
        return True
    user = update.effective_user
    if user is None:
        return False
    member = await context.bot.get_chat_member(chat.id, user.id)
    return member.status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)


Handler = Callable[[Update, Context], Awaitable[None]]


async def allowed(update: Update, context: Context, *, owners_only: bool = False) -> bool:
    data = context.bot_data
    user = update.effective_user
    user_id = user.id if user else None
    owners = data.settings.admin_ids
    ok = (user_id in owners) if owners_only else await moderation.is_moderator(
        data.db, owners, user_id)
    if not ok:
        await fallback.unknown_command(update, context)
    return ok


def moderators_only(handler: Handler) -> Handler:
    @functools.wraps(handler)
    async def guarded(update: Update, context: Context) -> None:
        if await allowed(update, context):
            await handler(update, context)
    return guarded


def owners_only(handler: Handler) -> Handler:
    @functools.wraps(handler)
    async def guarded(update: Update, context: Context) -> None:
        if await allowed(update, context, owners_only=True):
            await handler(update, context)
    return guarded


def private_chat(update: Update) -> bool:
    chat = update.effective_chat
    return chat is not None and chat.type == ChatType.PRIVATE


def user_id_of(update: Update) -> int:
    return update.effective_user.id  # type: ignore[union-attr]
