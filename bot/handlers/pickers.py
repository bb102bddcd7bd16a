"""One toggle picker for topics (/focus) and habits (/habits): who may open it, what is
chosen now, and the nonce its buttons carry."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable

from telegram import Update

from bot.context import Context
from bot.handlers.common import chat_id_of, remember_chat
from bot.handlers.flows import chosen_mask, new_flow
from bot.handlers.guards import may_change
from bot.library.model import Library
from bot.library.render import Renderer
from bot.services import subscriptions
from bot.telegram.message import Outgoing
from bot.telegram.send import reply


async def open_picker(update: Update, context: Context, step: str,
                      ids: Callable[[Library], Iterable[str]],
                      chosen: Callable[[subscriptions.Subscription | None], Collection[str]],
                      show: Callable[[Renderer, str, int], Outgoing]) -> None:
    if not await may_change(update, context):
        return
    data = context.bot_data
    await remember_chat(update, context)
    settings = await subscriptions.load(data.db, chat_id_of(update))
    nonce = new_flow(context, step)
    await reply(update, context,
                show(data.renderer, nonce, chosen_mask(ids(data.library), chosen(settings))))
