"""Changing what is already set up: /reminders (the overview and its buttons), /pause,
/resume, /stop, /focus, and putting back a daily card that a new one replaced."""

from __future__ import annotations

from datetime import datetime

from telegram import Update

from bot.context import Context
from bot.delivery import localtime
from bot.handlers import habits, reminders
from bot.handlers.common import chat_id_of, remember_chat
from bot.handlers.flows import end_flow, live_flow
from bot.handlers.guards import may_change
from bot.handlers.pickers import open_picker
from bot.library.numbers import whole_number
from bot.services import subscriptions
from bot.services.subscriptions import CARD
from bot.telegram import callbacks
from bot.telegram.send import reply
from bot.views import reminders as reminder_views


async def settings_button(update: Update, context: Context, action: callbacks.Action) -> bool:
    """The /reminders overview's buttons."""
    what = action.arg
    if what == "show":
        await show_settings(update, context)
        return True
    if what not in ("time", "zone", "days", "focus", "habits", "progress", "pause", "resume",
                    "stop"):
        return False
    if not await may_change(update, context):
        return True
    await remember_chat(update, context)
    if what in ("time", "zone", "days"):
        await reminders.begin(update, context, only=what)
    elif what == "focus":
        await focus(update, context)
    elif what == "habits":
        await habits.habits_command(update, context)
    elif what == "progress":
        await habits.progress(update, context)
    elif what == "pause":
        await _pause(update, context, 3)
    elif what == "resume":
        await resume(update, context)
    elif what == "stop":
        await stop(update, context)
    return True


async def undo_button(update: Update, context: Context, action: callbacks.Action) -> bool:
    """"↩️ Undo: back to 19:30 on weekdays" under a confirmation: the daily card it replaced
    set again, time, days and zone, and confirmed like any other."""
    minute_text, days_text, zone_text = (action.arg.split(":", 2) + ["", ""])[:3]
    minute = whole_number(minute_text, most=24 * 60 - 1)
    days = whole_number(days_text, most=localtime.EVERY_DAY)
    zone_name = callbacks.zone_from_arg(zone_text)
    if minute is None or not days or zone_name is None:
        return False  # forged, or from a version that wrote it otherwise
    if not await may_change(update, context):
        return True
    data = context.bot_data
    await remember_chat(update, context)
    try:
        saved = await subscriptions.save_schedule(data.db, chat_id_of(update), CARD, zone_name,
                                                  minute, days, data.now())
    except ValueError:  # a zone this machine's tzdata does not have
        return False
    await reply(update, context, reminder_views.confirmed(data.renderer, saved, data.now()),
                edit=True)
    return True


async def show_settings(update: Update, context: Context) -> None:
    """/reminders: everything scheduled for this chat, with buttons to change it."""
    data = context.bot_data
    await remember_chat(update, context)
    settings = await subscriptions.load(data.db, chat_id_of(update))
    if settings is not None and not settings.schedules and settings.status != "stopped":
        settings = None
    await reply(update, context, reminder_views.overview(data.renderer, settings, data.now()))


async def pause_command(update: Update, context: Context) -> None:
    """/pause N: no scheduled messages for N days."""
    data = context.bot_data
    text = " ".join(context.args or []).strip() or "3"
    days = whole_number(text, most=subscriptions.MAX_PAUSE_DAYS)
    if days is None or days < 1:
        await reply(update, context, data.renderer.message(
            "bad_pause", text=text[:40], max_days=subscriptions.MAX_PAUSE_DAYS))
        return
    if not await may_change(update, context):
        return
    await _pause(update, context, days)


async def _pause(update: Update, context: Context, days: int) -> None:
    data = context.bot_data
    chat_id = chat_id_of(update)
    settings = await subscriptions.load(data.db, chat_id)
    if settings is None or not settings.schedules:
        await reply(update, context, data.renderer.message("nothing_scheduled"))
        return
    until = await subscriptions.pause(data.db, chat_id, days, data.now())
    local = datetime.fromtimestamp(until, localtime.zone(settings.zone_name))
    await reply(update, context, data.renderer.message("paused", until=reminder_views.when(local)))


async def resume(update: Update, context: Context) -> None:
    """/resume: reminders on again from now."""
    if not await may_change(update, context):
        return
    await resume_quietly(update, context, announce=True)


async def resume_quietly(update: Update, context: Context, *, announce: bool) -> bool:
    """Turn a stopped or paused chat's schedules back on; True if there was anything."""
    data = context.bot_data
    chat_id = chat_id_of(update)
    await remember_chat(update, context)
    settings = await subscriptions.load(data.db, chat_id)
    if settings is None or not settings.schedules:
        if announce:
            await reply(update, context, data.renderer.message("nothing_scheduled"))
        return False
    await subscriptions.resume(data.db, chat_id, data.now())
    settings = await subscriptions.load(data.db, chat_id)
    card = settings.schedules.get(CARD) if settings else None
    nxt = reminder_views.when(card.next_local(settings.zone_name)) if card and settings else ""
    if announce:
        await reply(update, context, data.renderer.message("resumed", next=nxt))
    return True


async def stop(update: Update, context: Context) -> None:
    """/stop or STOP: end all scheduled messages at once and say how to come back."""
    if not await may_change(update, context):
        return
    data = context.bot_data
    await remember_chat(update, context)
    await subscriptions.stop(data.db, chat_id_of(update))
    end_flow(context)
    await reply(update, context, data.renderer.message("stopped"))


async def focus(update: Update, context: Context) -> None:
    """/focus: choose which topics the daily card comes from."""
    await open_picker(update, context, "focus", lambda library: (t.id for t in library.topics),
                      lambda settings: settings.focus if settings else (),
                      reminder_views.focus_picker)


async def focus_button(update: Update, context: Context, action: callbacks.Action) -> bool:
    """The /focus picker's toggles and Done."""
    nonce, _, value = action.arg.partition(":")
    flow = await live_flow(update, context, nonce)
    if flow is None:
        return True
    if flow.get("step") != "focus":
        return False
    data = context.bot_data
    topics = data.library.topics
    done = value.startswith("done")
    mask = whole_number(value.removeprefix("done"), most=(1 << len(topics)) - 1)
    if mask is None:
        return False
    if not done:
        await reply(update, context, reminder_views.focus_picker(data.renderer, nonce, mask),
                    edit=True)
        return True
    chosen = [t.id for i, t in enumerate(topics) if mask & (1 << i)]
    await subscriptions.set_focus(data.db, chat_id_of(update), chosen)
    end_flow(context)
    names = ", ".join(t.title for t in topics if t.id in chosen)
    await reply(update, context, data.renderer.message("focus_saved", chosen=names), edit=True)
    return True
