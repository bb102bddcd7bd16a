"""The bot's own membership of a chat: removed from it, or added back."""

from __future__ import annotations

from telegram import ChatMember, ChatMemberRestricted, Update
from telegram.constants import ChatType

from bot.context import Context
from bot.store import chats
from bot.telegram.send import reply
from bot.views import reminders as reminder_views

_PRESENT = frozenset({ChatMember.OWNER, ChatMember.ADMINISTRATOR, ChatMember.MEMBER})


async def bot_membership_changed(update: Update, context: Context) -> None:
    """Removed from a group or channel (or blocked in a private chat): nothing more is sent
    there, and it leaves every audience. Added back to a group or channel: its reminders stay
    off until an admin turns them on, and a message says how."""
    changed = update.my_chat_member
    if changed is None:
        return
    was_in, is_in = _present(changed.old_chat_member), _present(changed.new_chat_member)
    data = context.bot_data
    chat = changed.chat
    if was_in and not is_in:
        await chats.mark_unreachable(data.db, chat.id)
    elif is_in and not was_in and chat.type != ChatType.PRIVATE \
            and await chats.rejoined(data.db, chat.id):
        await reply(update, context, reminder_views.readded(data.renderer))


def _present(member: ChatMember) -> bool:
    if isinstance(member, ChatMemberRestricted):
        return member.is_member
    return member.status in _PRESENT
