"""A set-up in progress (reminders, topics, habits): one per chat, kept in chat_data, with a
nonce its buttons carry so that a button from an older message is recognised as stale."""

from __future__ import annotations

import secrets
from collections.abc import Collection, Iterable
from typing import Any

from telegram import Update

from bot.context import Context
from bot.handlers.guards import may_change
from bot.telegram.send import reply

FLOW = "remind_flow"  # chat_data key: the set-up in progress {nonce, step, minute, zone}


def flow_state(context: Context) -> dict[str, Any]:
    return context.chat_data.setdefault(FLOW, {}) if context.chat_data is not None else {}


def new_flow(context: Context, step: str, **values: Any) -> str:
    """Start a set-up in this chat, replacing any other; returns the nonce its buttons carry,
    so a button from an older message is recognised as stale."""
    flow = flow_state(context)
    flow.clear()
    flow.update(nonce=secrets.token_hex(2), step=step, **values)
    return str(flow["nonce"])


def end_flow(context: Context) -> None:
    # Removed, not emptied: a chat with nothing in progress keeps no set-up row in the store.
    flow_state(context).clear()
    if context.chat_data is not None:
        context.chat_data.pop(FLOW, None)


def current_flow(context: Context) -> dict[str, Any] | None:
    return context.chat_data.get(FLOW) if context.chat_data else None


def chosen_mask(ids: Iterable[str], chosen: Collection[str]) -> int:
    """Which of `ids` are chosen, as bits (the pickers' buttons carry this number)."""
    return sum(1 << i for i, item in enumerate(ids) if item in chosen)


async def live_flow(update: Update, context: Context, nonce: str) -> dict[str, Any] | None:
    """The set-up a button belongs to, if it is still the one waiting and the presser may
    change it; otherwise they are told (stale, or admins only) and None is returned."""
    flow = current_flow(context)
    if not flow or flow.get("nonce") != nonce:
        await reply(update, context, context.bot_data.renderer.message("stale_setup"))
        return None
    if not await may_change(update, context):
        return None
    return flow
