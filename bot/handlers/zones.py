"""Asking a chat for its time zone, for the daily card (/remind) and the habit check-in
(/habits) alike: zone buttons, a typed city, or in a private chat a shared location."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType

from bot.context import Context
from bot.handlers.flows import flow_state
from bot.telegram.send import follow_up, reply
from bot.views import reminders as reminder_views


async def ask_zone(update: Update, context: Context, minute: int, current: str | None,
                   *, edit: bool = False) -> None:
    """Which time zone: buttons, a typed city, or in a private chat a shared location (a
    group's zone is not where one member happens to be). The answer reaches
    reminders.typed_answer, reminders.button or reminders.shared_location."""
    data = context.bot_data
    flow = flow_state(context)
    await reply(update, context, reminder_views.ask_zone(data.renderer, flow["nonce"], minute,
                                                         current), edit=edit)
    chat = update.effective_chat
    if chat is not None and chat.type == ChatType.PRIVATE:
        flow["location_offered"] = True  # the keyboard it brings is taken away afterwards
        await follow_up(update, context, reminder_views.offer_location(data.renderer))
