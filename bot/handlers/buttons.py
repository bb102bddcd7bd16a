"""Inline buttons: the screen every press passes first, and the route from each kind of
callback data to the feature that answers it (PTB's CallbackQueryHandler patterns)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from bot.context import Context
from bot.handlers import (
    campaigning,
    feedback,
    guards,
    habits,
    human,
    library,
    notes,
    privacy,
    questions,
    reminders,
    report,
    settings,
    skin,
    team,
)
from bot.telegram import callbacks

LIBRARY_KINDS = frozenset({"menu", "topic", "card", "next", "remind", "later", "who"})
SETUP_KINDS = frozenset({"rt", "rz", "rd", "rdt"})


async def screen(update: Update, context: Context) -> None:
    """Before any feature sees a press (handler group -1): a press with no chat, a channel
    subscriber's press and data this bot never made stop here, answered and changing nothing.
    """
    query = update.callback_query
    if query is None:
        raise ApplicationHandlerStop
    chat = update.effective_chat
    if chat is None:
        # A message shared by inline mode (inline_message_id, no message): there is no chat
        # here to read, change or answer in. Stop the spinner with a short note, change nothing.
        await query.answer(context.bot_data.library.label("button_elsewhere"))
        raise ApplicationHandlerStop
    if chat.type == ChatType.CHANNEL and not await guards.may_change(update, context):
        raise ApplicationHandlerStop  # answered quietly by may_change; nothing changes
    if callbacks.parse(query.data) is None:
        await library.stale(update, context)
        raise ApplicationHandlerStop


Feature = Callable[[Update, Context, callbacks.Action], Awaitable[bool]]


def routed(feature: Feature) -> Callable[[Update, Context], Coroutine[Any, Any, None]]:
    """A feature's button handler; a press it does not recognise gets the stale answer."""
    async def handle(update: Update, context: Context) -> None:
        query = update.callback_query
        action = callbacks.parse(query.data if query else None)
        if action is None or not await feature(update, context, action):
            await library.stale(update, context)
    handle.__doc__ = feature.__doc__
    return handle


async def stale(update: Update, context: Context) -> None:
    """Any other press: an old button of a feature that is gone."""
    await library.stale(update, context)


# (the kinds of callback data, the feature that answers them), registered in this order.
ROUTES: tuple[tuple[frozenset[str], Feature], ...] = (
    (LIBRARY_KINDS, library.button),
    (SETUP_KINDS, reminders.button),
    (frozenset({"set"}), settings.settings_button),
    (frozenset({"rk"}), settings.undo_button),
    (frozenset({"focus"}), settings.focus_button),
    (frozenset({"hab"}), habits.habit_button),
    (frozenset({"ci"}), habits.checkin_answer),
    (frozenset({"forget"}), privacy.button),
    (frozenset({"safe"}), questions.safety_answer),
    (frozenset({"bc"}), campaigning.button),
    (frozenset({"sk"}), skin.button),
    (frozenset({"nt"}), notes.button),
    (frozenset({"rp"}), report.button),
    (frozenset({"fb"}), feedback.rate),
    (frozenset({"hm"}), human.button),
    (frozenset({"tk"}), team.button),
)
