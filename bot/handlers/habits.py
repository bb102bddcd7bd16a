"""Habit nudges: /habits chooses them and a check-in time, answers are kept, /progress shows."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from telegram import Update

from bot.context import Context
from bot.delivery import localtime
from bot.handlers.common import chat_id_of, remember_chat
from bot.handlers.flows import current_flow, end_flow, flow_state
from bot.handlers.guards import may_change
from bot.handlers.pickers import open_picker
from bot.handlers.zones import ask_zone
from bot.library import dates
from bot.library.numbers import whole_number
from bot.services import skin_offers, subscriptions
from bot.services.spoken_times import parse_reminder
from bot.services.subscriptions import CHECKIN, SKIN_OFFER, SUMMARY
from bot.store import checkins
from bot.telegram import callbacks
from bot.telegram.send import follow_up, reply
from bot.views import habits as habit_views
from bot.views import reminders as reminder_views


async def habits_command(update: Update, context: Context) -> None:
    """/habits: pick habits to track, then a check-in time."""
    await open_picker(update, context, "habits", lambda library: (h.id for h in library.habits),
                      lambda settings: settings.habits if settings else (), habit_views.picker)


async def habit_button(update: Update, context: Context, action: callbacks.Action) -> bool:
    data = context.bot_data
    nonce, _, value = action.arg.partition(":")
    flow = current_flow(context)
    if not flow or flow.get("nonce") != nonce:
        await reply(update, context, data.renderer.message("stale_setup"))
        return True
    if not await may_change(update, context):
        return True
    habits = data.library.habits
    minute = whole_number(value[1:], most=24 * 60 - 1) if value.startswith("t") else None
    if minute is not None and flow.get("step") == "habit_time":
        await save_checkin_time(update, context, minute)
        return True
    done = value.startswith("done")
    mask = whole_number(value.removeprefix("done"), most=(1 << len(habits)) - 1)
    if flow.get("step") != "habits" or mask is None:
        await reply(update, context, data.renderer.message("stale_setup"))
        return True
    if not done:
        await reply(update, context, habit_views.picker(data.renderer, nonce, mask), edit=True)
        return True
    chosen = [h.id for i, h in enumerate(habits) if mask & (1 << i)]
    chat_id = chat_id_of(update)
    await subscriptions.set_habits(data.db, chat_id, chosen)
    if not chosen:
        await subscriptions.remove_schedule(data.db, chat_id, CHECKIN)
        await subscriptions.remove_schedule(data.db, chat_id, SUMMARY)
        end_flow(context)
        await reply(update, context, data.renderer.message("habits_off"), edit=True)
        return True
    flow["step"] = "habit_time"
    await reply(update, context, habit_views.ask_time(data.renderer, nonce), edit=True)
    return True


async def save_checkin_time(update: Update, context: Context, minute: int,
                            typed_zone: str | None = None, *, fresh: bool = False) -> None:
    """The check-in at this local time, in the chat's zone. A chat with none yet is asked for
    it first, as /remind does (assuming UTC sent "21:00" at 21:00 UTC); a zone typed with the
    time ("9pm London") is its answer. `fresh`: the zone was said back in a message of its
    own, so the confirmation comes as a new message rather than in place of the last."""
    data = context.bot_data
    chat_id = chat_id_of(update)
    settings = await subscriptions.load(data.db, chat_id)
    zone_name = settings.timezone if settings and settings.timezone else typed_zone
    if zone_name is None:
        flow_state(context).update(step="zone", minute=minute, checkin=True)
        await ask_zone(update, context, minute, None, edit=True)
        return
    now = data.now()
    checkin = await subscriptions.set_schedule(data.db, chat_id, CHECKIN, zone_name, minute,
                                               localtime.EVERY_DAY, now)
    summary = settings.schedules.get(SUMMARY) if settings else None
    if summary is None:
        summary_minute, summary_days = subscriptions.DEFAULT_SUMMARY
        summary = await subscriptions.set_schedule(data.db, chat_id, SUMMARY, zone_name,
                                                   summary_minute, summary_days, now)
    end_flow(context)
    await skin_offers.follow_summary(data.db, chat_id, now)
    settings = await subscriptions.load(data.db, chat_id)
    assert settings is not None
    names = ", ".join(h.label for h in data.library.habits if h.id in settings.habits)
    # The weekly skin check can come with the summary: offered here, once, if it is on.
    skin_offer = data.settings.skin_check and SKIN_OFFER not in settings.schedules
    paused_at = settings.paused_at(now)
    out = data.renderer.message(
        "habits_saved", habit_views.skin_offer_button(data.renderer) if skin_offer else (),
        skin_offer=skin_offer, habits=names, days="every day", time=localtime.format_time(minute),
        zone=zone_name, next=reminder_views.when(checkin.next_local(zone_name)),
        paused=reminder_views.when(paused_at) if paused_at else None,
        summary=f"{localtime.describe_days(summary.days).removeprefix('on ')} at "
                f"{localtime.format_time(summary.local_minute)}",
    )
    if fresh:
        await follow_up(update, context, out)
    else:
        await reply(update, context, out, edit=True)


async def summary_command(update: Update, context: Context) -> None:
    """/summary <day> <time>: move the weekly summary."""
    data = context.bot_data
    args = context.args or []
    if not args:  # /summary alone: what is set now, and how to change it
        settings = await subscriptions.load(data.db, chat_id_of(update))
        summary = settings.schedules.get(SUMMARY) if settings else None
        await reply(update, context, data.renderer.message(
            "summary_now", set=summary is not None,
            days=localtime.describe_days(summary.days) if summary else "",
            time=localtime.format_time(summary.local_minute) if summary else "",
            zone=settings.zone_name if settings else ""))
        return
    request = parse_reminder(" ".join(args), data.library.zone_aliases, weekly=True)
    days, minute = request.days, request.minute
    if days is None or minute is None or request.problem:
        await reply(update, context, data.renderer.message("bad_summary"))
        return
    if not await may_change(update, context):
        return
    await remember_chat(update, context)
    chat_id = chat_id_of(update)
    settings = await subscriptions.load(data.db, chat_id)
    zone_name = settings.zone_name if settings else "UTC"
    await subscriptions.set_schedule(data.db, chat_id, SUMMARY, zone_name, minute, days,
                                     data.now())
    await skin_offers.follow_summary(data.db, chat_id, data.now())
    await reply(update, context, data.renderer.message(
        "summary_saved", days=localtime.describe_days(days), time=localtime.format_time(minute),
        zone=zone_name))


async def checkin_answer(update: Update, context: Context, action: callbacks.Action) -> bool:
    """A Yes / Not today press on a check-in message."""
    data = context.bot_data
    parts = action.arg.split(":")
    habits = data.library.habits
    index = whole_number(parts[1], most=len(habits) - 1) if len(parts) == 3 else None
    if index is None or parts[2] not in ("y", "n"):
        return False
    try:
        day = datetime.strptime(parts[0], "%Y%m%d").date()
    except ValueError:
        return False
    chat_id = chat_id_of(update)
    settings = await subscriptions.load(data.db, chat_id)
    today = _today(data.now(), settings.zone_name if settings else "UTC")
    if not today - timedelta(days=7) <= day <= today:
        return False  # an answer for a week-old check-in would rewrite history
    await remember_chat(update, context)
    await checkins.record(data.db, chat_id, day, habits[index].id, parts[2] == "y", data.now())
    chosen = [h for h in habits if settings and h.id in settings.habits] or [habits[index]]
    answered = await checkins.answers(data.db, chat_id, day)
    out = habit_views.checkin(data.renderer, day, chosen,
                              {h: v for (h, d), v in answered.items() if d == day.isoformat()})
    await reply(update, context, out, edit=True)
    return True


async def progress(update: Update, context: Context) -> None:
    """/progress: streaks and the last 7 days per habit."""
    data = context.bot_data
    await remember_chat(update, context)
    chat_id = chat_id_of(update)
    settings = await subscriptions.load(data.db, chat_id)
    today = _today(data.now(), settings.zone_name if settings else "UTC")
    rows = await habit_views.progress_rows(data.db, data.library, chat_id,
                                           settings.habits if settings else (), today)
    first = today - timedelta(days=6)
    await reply(update, context, data.renderer.message(
        "progress", rows=rows, first=dates.local(first, style="weekday"),
        last=dates.local(today, style="weekday")))


def _today(now: int, zone_name: str) -> date:
    return datetime.fromtimestamp(now, localtime.zone(zone_name)).date()
