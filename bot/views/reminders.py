"""The messages of reminder set-up and settings, built from a chat's subscription."""

from __future__ import annotations

from datetime import datetime

from markupsafe import Markup

from bot.delivery import localtime
from bot.library import dates
from bot.library.model import Card
from bot.library.render import Renderer
from bot.services.one_off import DAY_WORDS
from bot.services.spoken_times import ReminderRequest
from bot.services.subscriptions import (
    CARD,
    CHECKIN,
    SKIN_OFFER,
    SUMMARY,
    Replaced,
    Saved,
    Subscription,
)
from bot.telegram import callbacks
from bot.telegram.message import Button, Key, Outgoing, keyboard
from bot.views import notes as note_views

TIME_BUTTONS = (7 * 60, 8 * 60, 12 * 60, 18 * 60, 20 * 60, 21 * 60)


def when(moment: datetime | None) -> str:
    """A local date and time as a person reads it: 'Tue 25 Nov, 08:00'."""
    return dates.local(moment)


def bad_line(renderer: Renderer, request: ReminderRequest, text: str) -> Outgoing:
    """Why a /remind line or a sentence was not set; for a reminder asked for once, the
    repeating ones to type instead, at the time it named."""
    days = request.days or 0
    return renderer.message(
        "bad_remind_line", problem=request.problem or "no_time",
        words=request.unknown or text,
        once=" ".join(w.capitalize() if w in DAY_WORDS else w for w in request.once.split()),
        time=localtime.format_time(request.minute) if request.minute is not None else "",
        weekday=DAY_WORDS[days.bit_length() - 1] if days.bit_count() == 1 else "")


def ask_time(renderer: Renderer, nonce: str) -> Outgoing:
    buttons = [Button(localtime.format_time(m), data=callbacks.make("rt", f"{nonce}:{m}"))
               for m in TIME_BUTTONS]
    return renderer.message("remind_time", keyboard([buttons[:3], buttons[3:]]))


def ask_zone(renderer: Renderer, nonce: str, minute: int, current: str | None) -> Outgoing:
    lib = renderer.library
    rows: list[list[Button]] = []
    if current:
        rows.append([Button(lib.label("keep_zone").format(zone=current),
                            data=callbacks.make("rz", f"{nonce}:keep"))])
    zone_buttons = [Button(label, data=callbacks.make("rz", f"{nonce}:{i}"))
                    for i, (label, _) in enumerate(lib.zone_buttons)]
    rows += [zone_buttons[i:i + 2] for i in range(0, len(zone_buttons), 2)]
    return renderer.message("remind_zone", keyboard(rows), time=localtime.format_time(minute),
                            current=current)


def offer_location(renderer: Renderer) -> Outgoing:
    """Beside the zone question in a private chat: a reply keyboard that shares the location.
    (The zone question keeps its inline buttons; a message carries one kind of keyboard.)"""
    return renderer.message("remind_location").with_keys(
        [[Key(renderer.library.label("share_location"), location=True)]])


def zone_noted(renderer: Renderer, zone_name: str, located: bool) -> Outgoing:
    """The zone said back where the location keyboard was offered, taking that keyboard away."""
    return renderer.message("zone_noted", zone=zone_name, located=located).removing_keys()


def location_without_zone(renderer: Renderer) -> Outgoing:
    """A shared location with no time zone to be had (open sea): type a city instead."""
    return renderer.message("location_no_zone").removing_keys()


def location_not_asked(renderer: Renderer) -> Outgoing:
    """A location shared when no set-up asked for one."""
    return renderer.message("location_not_asked").removing_keys()


def ask_days(renderer: Renderer, nonce: str, minute: int, zone_name: str) -> Outgoing:
    label = renderer.library.label
    rows = [
        [Button(label("every_day"), data=callbacks.make("rd", f"{nonce}:{localtime.EVERY_DAY}"))],
        [Button(label("weekdays"), data=callbacks.make("rd", f"{nonce}:{localtime.WEEKDAYS}")),
         Button(label("weekends"), data=callbacks.make("rd", f"{nonce}:{localtime.WEEKENDS}"))],
        [Button(label("pick_days"), data=callbacks.make("rdt", f"{nonce}:0"))],
    ]
    return renderer.message("remind_days", keyboard(rows), time=localtime.format_time(minute),
                            zone=zone_name)


def pick_days(renderer: Renderer, nonce: str, mask: int) -> Outgoing:
    days = [Button(("✅ " if mask & (1 << i) else "") + name,
                   data=callbacks.make("rdt", f"{nonce}:{mask ^ (1 << i)}"))
            for i, name in enumerate(localtime.DAY_NAMES)]
    rows = [days[:4], days[4:]]
    if mask:
        rows.append([Button(renderer.library.label("done"),
                            data=callbacks.make("rd", f"{nonce}:{mask}"))])
    described = localtime.describe_days(mask).removeprefix("on ") if mask else "none yet"
    return renderer.message("remind_pick_days", keyboard(rows), days=described)


def confirmed(renderer: Renderer, saved: Saved, now: int) -> Outgoing:
    """All set: the daily card's days, time and next one; the card it replaced, with a
    button to put that one back (a chat has one daily card); and a pause that goes on."""
    settings, replaced = saved.settings, saved.replaced
    schedule = settings.schedules[CARD]
    paused_at = settings.paused_at(now)
    rows = [[settings_button(renderer)]]
    if paused_at is not None:
        rows[0].insert(0, resume_button(renderer))
    before = None
    if replaced is not None:
        before = {"days": localtime.describe_days(replaced.days),
                  "time": localtime.format_time(replaced.local_minute),
                  "zone": replaced.zone_name if replaced.zone_name != settings.zone_name
                  else ""}
        undo = undo_button(renderer, replaced)
        if undo is not None:
            rows.insert(0, [undo])
    return renderer.message(
        "remind_done", keyboard(rows),
        days=localtime.describe_days(schedule.days),
        time=localtime.format_time(schedule.local_minute),
        zone=settings.zone_name, next=when(schedule.next_local(settings.zone_name)),
        replaced=before, paused=when(paused_at) if paused_at else None,
    )


def resume_button(renderer: Renderer) -> Button:
    return Button(renderer.library.label("resume"), data=callbacks.make("set", "resume"))


def undo_button(renderer: Renderer, replaced: Replaced) -> Button | None:
    """"↩️ Undo: back to 19:30 on weekdays": sets the replaced card again, zone and all."""
    zone = callbacks.zone_arg(replaced.zone_name)
    if zone is None:
        return None  # a zone no button can carry: the message still names what it replaced
    return Button(renderer.library.label("undo_replaced").format(
        time=localtime.format_time(replaced.local_minute),
        days=localtime.describe_days(replaced.days)),
        data=callbacks.make("rk", f"{replaced.local_minute}:{replaced.days}:{zone}"))


def settings_button(renderer: Renderer) -> Button:
    return Button(renderer.library.label("settings"), data=callbacks.make("set", "show"))


def overview(renderer: Renderer, settings: Subscription | None, now: int) -> Outgoing:
    lib = renderer.library
    label = lib.label
    if settings is None:
        return renderer.message("nothing_scheduled", keyboard(
            [[Button(label("set_up_card"), data=callbacks.make("remind"))]]))
    zone_name = settings.zone_name

    def describe(kind: str) -> dict[str, str] | None:
        schedule = settings.schedules.get(kind)
        if schedule is None:
            return None
        return {"time": localtime.format_time(schedule.local_minute),
                "days": localtime.describe_days(schedule.days),
                "next": when(schedule.next_local(zone_name))}

    topics = [t.title for t in lib.topics if t.id in settings.focus]
    habits = [h.label for h in lib.habits if h.id in settings.habits]
    paused_at = settings.paused_at(now)
    paused = when(paused_at) if paused_at else None
    rows: list[list[Button]] = []
    if settings.status == "stopped":
        rows.append([resume_button(renderer)])
    else:
        if CARD in settings.schedules:
            rows.append([Button(label("change_time"), data=callbacks.make("set", "time")),
                         Button(label("change_days"), data=callbacks.make("set", "days"))])
            rows.append([Button(label("change_zone"), data=callbacks.make("set", "zone")),
                         Button(label("focus"), data=callbacks.make("set", "focus"))])
        else:
            rows.append([Button(label("set_up_card"), data=callbacks.make("remind"))])
        rows.append([Button(label("habits"), data=callbacks.make("set", "habits")),
                     Button(label("progress"), data=callbacks.make("set", "progress"))])
        rows.append([resume_button(renderer) if paused
                     else Button(label("pause_3"), data=callbacks.make("set", "pause")),
                     Button(label("stop_all"), data=callbacks.make("set", "stop"))])
    return renderer.message(
        "reminders", keyboard(rows), status=settings.status, zone=settings.timezone,
        card=describe(CARD), checkin=describe(CHECKIN), summary=describe(SUMMARY),
        skin=describe(SKIN_OFFER),
        focus=", ".join(topics) if topics else "all topics",
        habits=", ".join(habits) if habits else "no habits chosen", paused=paused,
    )


def readded(renderer: Renderer) -> Outgoing:
    """Back in a chat that had removed the bot: its reminders wait for an admin."""
    return renderer.message("readded", keyboard(
        [[Button(renderer.library.label("resume"), data=callbacks.make("set", "resume"))]]))


def focus_picker(renderer: Renderer, nonce: str, mask: int) -> Outgoing:
    topics = renderer.library.topics
    buttons = [Button(("✅ " if mask & (1 << i) else "") + t.label,
                      data=callbacks.make("focus", f"{nonce}:{mask ^ (1 << i)}"))
               for i, t in enumerate(topics)]
    rows = [buttons[i:i + 2] for i in range(0, len(buttons), 2)]
    rows.append([Button(renderer.library.label("done"),
                        data=callbacks.make("focus", f"{nonce}:done{mask}"))])
    chosen = ", ".join(t.title for i, t in enumerate(topics) if mask & (1 << i))
    return renderer.message("focus", keyboard(rows), chosen=chosen)


def reminder_card(renderer: Renderer, card: Card, *, later: bool = False,
                  who: str | None = None, note: bool = False) -> Outgoing:
    """The daily card; `later` is the one more nudge asked for with "Later today". Its
    greeting speaks to a parent and their child when the chat said the cards are for one.
    `note`: a private chat's card has "📝 Add a note" beside the settings."""
    def build() -> Outgoing:
        label = renderer.library.label
        first = [Button(label("next_card"), data=callbacks.make("next", card.id))]
        if not later:
            first.append(Button(label("later_today"), data=callbacks.make("later", card.id)))
        second = [settings_button(renderer)]
        if note:
            second.append(note_views.add_button(renderer))
        rows = [first, second]
        return renderer.message("reminder_card", keyboard(rows), who=who,
                                card_html=Markup(renderer.card_html(card)))

    return renderer.cached(f"reminder:{card.id}:{later}:{who}:{note}", build)
