"""Who may change a chat's settings: anyone in a private chat, only admins in a group or a
channel. Shared by every handler that changes a chat's set-up."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType

from bot.context import Context
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
