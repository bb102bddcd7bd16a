"""Setting up and changing scheduled messages: /remind, /reminders, /focus, /pause, /stop."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType

from bot.context import Context
from bot.delivery import localtime
from bot.handlers import habits
from bot.handlers.common import chat_id_of, remember_chat
from bot.handlers.flows import FLOW, current_flow, end_flow, flow_state, live_flow, new_flow
from bot.handlers.guards import may_change, may_change_quietly
from bot.handlers.zones import ask_zone
from bot.library.numbers import whole_number
from bot.services import subscriptions
from bot.services.location_zone import zone_at
from bot.services.spoken_times import (
    ReminderRequest,
    parse_reminder,
    reminder_request,
    time_answer,
    zone_answer,
)
from bot.services.subscriptions import CARD
from bot.telegram import callbacks
from bot.telegram.message import Outgoing
from bot.telegram.send import follow_up, reply
from bot.views import reminders as reminder_views


async def remind(update: Update, context: Context) -> None:
    """/remind walks through time, zone and days; /remind 08:00 Europe/London does it at once."""
    if not await may_change(update, context):
        return
    if context.args:
        await _one_line(update, context, " ".join(context.args))
        return
    await remember_chat(update, context)
    await begin(update, context)


async def begin(update: Update, context: Context, only: str | None = None) -> None:
    """Ask for the time, zone and days in turn; with `only` and a daily card already set,
    ask just for that one and keep the rest."""
    data = context.bot_data
    settings = await subscriptions.load(data.db, chat_id_of(update))
    card = settings.schedules.get(CARD) if settings else None
    if card is None or settings is None:
        only = None
    nonce = new_flow(context, only or "time")
    if only is None or card is None or settings is None:
        await reply(update, context, reminder_views.ask_time(data.renderer, nonce))
        return
    flow_state(context).update(only=only, minute=card.local_minute, zone=settings.zone_name,
                          days=card.days)
    if only == "time":
        await reply(update, context, reminder_views.ask_time(data.renderer, nonce))
    elif only == "zone":
        await ask_zone(update, context, card.local_minute, settings.timezone)
    else:
        await reply(update, context, reminder_views.ask_days(
            data.renderer, nonce, card.local_minute, settings.zone_name))


async def _one_line(update: Update, context: Context, text: str,
                    request: ReminderRequest | None = None) -> None:
    """/remind 8am PST, /remind every weekday at 7pm, or (with its `request` already read) a
    sentence asking for a reminder: what was understood is filled in, and the set-up asks
    only for the rest. A sentence that says nothing of when starts the whole set-up."""
    data = context.bot_data
    sentence = request is not None
    if request is None:
        request = parse_reminder(text, data.library.zone_aliases)
    nothing = request.minute is None and request.zone is None and request.days is None
    if request.problem or (nothing and not sentence):
        await reply(update, context, reminder_views.bad_line(data.renderer, request, text))
        return
    await remember_chat(update, context)
    if nothing:  # "can you remind me to put her cream on?": time, zone and days in turn
        await begin(update, context)
        return
    zone_name = request.zone
    if zone_name is None:
        settings = await subscriptions.load(data.db, chat_id_of(update))
        zone_name = settings.timezone if settings and settings.timezone else None
    days = request.days if request.days is not None else localtime.EVERY_DAY
    if request.minute is None:
        nonce = new_flow(context, "time", zone=zone_name, days=days, prefilled=True)
        await reply(update, context, reminder_views.ask_time(data.renderer, nonce))
        return
    if zone_name is None:  # no zone given and none saved: ask for it
        new_flow(context, "zone", minute=request.minute, days=days, prefilled=True)
        await ask_zone(update, context, request.minute, None)
        return
    await _save(update, context, request.minute, zone_name, days)


async def from_sentence(update: Update, context: Context, text: str) -> bool:
    """"remind me every weekday at 7pm" typed as a message starts the reminder set-up. While
    a set-up waits for an answer, only a message that asks for a reminder in words does:
    "every day at 8pm" is then that set-up's answer."""
    flow = current_flow(context)
    waiting = bool(flow and flow.get("step"))
    request = reminder_request(text, context.bot_data.library.zone_aliases, bare_ok=not waiting)
    if request is None:
        return False
    if not await may_change(update, context):
        return True
    await _one_line(update, context, text, request)
    return True


async def _save(update: Update, context: Context, minute: int, zone_name: str, days: int,
                *, fresh: bool = False) -> None:
    data = context.bot_data
    chat_id = chat_id_of(update)
    saved = await subscriptions.save_schedule(data.db, chat_id, CARD, zone_name, minute, days,
                                              data.now())
    end_flow(context)
    await _next(update, context, reminder_views.confirmed(data.renderer, saved, data.now()), fresh)


async def _next(update: Update, context: Context, out: Outgoing, fresh: bool) -> None:
    """The set-up's next message: in place of the one whose button was pressed, or (`fresh`)
    as a new one after a message that was already sent in answer."""
    if fresh:
        await follow_up(update, context, out)
    else:
        await reply(update, context, out, edit=True)


async def typed_answer(update: Update, context: Context) -> bool:
    """A typed time or zone while a set-up waits for one; False when no set-up is waiting.

    In a group the answer is checked like a button press: only an admin's finishes the
    set-up. Someone else's message that is not an answer at all is not the set-up's business
    (False: it may be a question); one that is gets the admins-only reply.
    """
    flow = context.chat_data.get(FLOW) if context.chat_data else None
    message = update.effective_message
    if not flow or flow.get("step") not in ("time", "zone", "habit_time") or message is None \
            or not message.text:
        return False
    data = context.bot_data
    text = message.text.strip()
    aliases = data.library.zone_aliases
    timed = time_answer(text, aliases) if flow["step"] in ("time", "habit_time") else None
    if flow["step"] in ("time", "habit_time"):
        minute = timed.minute if timed is not None and not timed.problem else None
        zone_name = None
        answered = minute is not None
    else:
        minute = None
        zone_name = zone_answer(text, aliases)
        answered = zone_name is not None
    if message.chat.type != ChatType.PRIVATE:
        if not answered and not await may_change_quietly(update, context):
            return False
        if answered and not await may_change(update, context):
            return True
    if flow["step"] in ("time", "habit_time"):
        if minute is None and timed is not None and timed.problem == "unknown_zone":
            await reply(update, context, data.renderer.message("bad_zone", text=timed.unknown))
        elif minute is None:
            await reply(update, context, data.renderer.message(
                "bad_time", text=text, problem=timed.problem if timed else "",
                once=timed.once if timed else ""))
        elif flow["step"] == "habit_time":  # the /habits check-in time, typed not tapped
            assert timed is not None
            await habits.save_checkin_time(update, context, minute, timed.zone)
        else:
            assert timed is not None
            await _after_time(update, context, minute, timed.zone, timed.days)
        return True
    if zone_name is None:
        await reply(update, context, data.renderer.message("bad_zone", text=text))
        return True
    await _after_zone(update, context, zone_name)
    return True


async def _after_time(update: Update, context: Context, minute: int, zone: str | None = None,
                      days: int | None = None) -> None:
    """The time is known; a zone or days typed with it ("7pm GMT", "weekdays 7am") are taken
    too, and the set-up asks only for what is still missing."""
    data = context.bot_data
    flow = flow_state(context)
    if flow.get("only") == "time":
        await _save(update, context, minute, zone or flow["zone"], days or flow["days"])
        return
    if zone:
        flow["zone"] = zone
    if days:
        flow.update(days=days, days_given=True)
    if flow.get("zone") and (flow.get("prefilled") or flow.get("days_given")):
        await _save(update, context, minute, flow["zone"], flow["days"])
        return
    if flow.get("zone"):  # said with the time: the days are next
        flow.update(step="days", minute=minute)
        await reply(update, context, reminder_views.ask_days(
            data.renderer, flow["nonce"], minute, flow["zone"]), edit=True)
        return
    flow.update(step="zone", minute=minute)
    settings = await subscriptions.load(data.db, chat_id_of(update))
    await ask_zone(update, context, minute, settings.timezone if settings else None, edit=True)


async def _after_zone(update: Update, context: Context, zone_name: str,
                      located: bool = False) -> None:
    data = context.bot_data
    flow = flow_state(context)
    # Where the location keyboard was offered, the zone is said back in a message of its own
    # that takes the keyboard away, and the next step follows as a new message.
    fresh = bool(flow.pop("location_offered", False)) or located
    if fresh:
        await reply(update, context, reminder_views.zone_noted(data.renderer, zone_name,
                                                               located))
    if flow.get("checkin"):  # asked by /habits, for a chat that had no zone yet
        await habits.save_checkin_time(update, context, flow["minute"], zone_name, fresh=fresh)
        return
    if flow.get("only") == "zone" or flow.get("prefilled") or flow.get("days_given"):
        await _save(update, context, flow["minute"], zone_name, flow["days"], fresh=fresh)
        return
    flow.update(step="days", zone=zone_name)
    await _next(update, context, reminder_views.ask_days(data.renderer, flow["nonce"],
                                                         flow["minute"], zone_name), fresh)


async def shared_location(update: Update, context: Context) -> None:
    """A location shared in a private chat. While the set-up asks for a time zone it becomes
    one, offline; otherwise it gets a short word. The coordinates are read here and nowhere
    else: never stored, logged or kept in the set-up's state, only the zone's name."""
    data = context.bot_data
    message = update.effective_message
    location = message.location if message is not None else None
    if location is None:
        return
    flow = current_flow(context)
    if not flow or flow.get("step") != "zone":
        await reply(update, context, reminder_views.location_not_asked(data.renderer))
        return
    zone_name = zone_at(location.latitude, location.longitude)
    if zone_name is None:
        flow.pop("location_offered", None)  # its keyboard goes with this answer
        await reply(update, context, reminder_views.location_without_zone(data.renderer))
        return
    await _after_zone(update, context, zone_name, located=True)


async def button(update: Update, context: Context, action: callbacks.Action) -> bool:
    """Set-up and settings buttons; returns False for a stale one (the caller says so)."""
    data = context.bot_data
    nonce, _, value = action.arg.partition(":")
    flow = await live_flow(update, context, nonce)
    if flow is None:
        return True
    number = whole_number(value)
    if action.kind == "rt" and flow.get("step") == "time" and number is not None \
            and number < 24 * 60:
        await _after_time(update, context, number)
    elif action.kind == "rz" and flow.get("step") == "zone":
        zone_name = await _zone_from_button(update, context, value)
        if zone_name is None:
            return False
        await _after_zone(update, context, zone_name)
    elif action.kind == "rdt" and flow.get("step") == "days" and number is not None \
            and number <= localtime.EVERY_DAY:
        await reply(update, context, reminder_views.pick_days(data.renderer, nonce, number),
                    edit=True)
    elif action.kind == "rd" and flow.get("step") == "days" and number is not None \
            and 0 < number <= localtime.EVERY_DAY:
        await _save(update, context, flow["minute"], flow["zone"], number)
    else:
        await reply(update, context, data.renderer.message("stale_setup"))
    return True


async def _zone_from_button(update: Update, context: Context, value: str) -> str | None:
    data = context.bot_data
    if value == "keep":
        settings = await subscriptions.load(data.db, chat_id_of(update))
        return settings.timezone if settings else None
    index = whole_number(value, most=len(data.library.zone_buttons) - 1)
    if index is not None:
        return data.library.zone_buttons[index][1]
    return None
