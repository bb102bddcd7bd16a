"""What the weekly skin check shows: the questions with their buttons, the result, the chart's
caption, the weekly offer and its switches. Texts come from content/templates/skin_*."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.context import BotData
from bot.library import dates
from bot.library.render import Renderer
from bot.services.skin_checks import ANSWERS, ITEMS, Result, band
from bot.services.skin_offers import RECENT
from bot.store import skin_checks as store
from bot.store.outbox import Row
from bot.telegram import callbacks
from bot.telegram.message import Button, Keyboard, Outgoing, keyboard
from bot.views import notes as note_views
from bot.views import triage as triage_views

CHILD = "child"


def day_words(day: date) -> str:
    return dates.local(day, style="day")


def ask_who(renderer: Renderer) -> Outgoing:
    label = renderer.library.label
    return renderer.message("skin_who", keyboard([[
        Button(label("skin_me"), data=callbacks.make("sk", "for:self")),
        Button(label("skin_child"), data=callbacks.make("sk", "for:child"))]]))


def question(renderer: Renderer, check_id: int, about: str, item: int) -> Outgoing:
    """Question `item` (0-6) of check `check_id`, one button per answer and a skip."""
    label = renderer.library.label

    def answer(value: str, text: str) -> Button:
        return Button(text, data=callbacks.make("sk", f"a:{check_id}:{item}:{value}"))

    values = [answer(str(v), label(f"skin_{v}")) for v in range(ANSWERS)]
    rows = [values[:3], values[3:], [answer("s", label("skin_skip"))]]
    return renderer.message("skin_question", keyboard(rows), child=about == CHILD,
                            item=ITEMS[item], number=item + 1, total=len(ITEMS))


def result(renderer: Renderer, about: str, outcome: Result, day: date,
           previous_day: date | None, weekly: bool) -> Outgoing:
    """The score, its range, the change and any reason to see a doctor; buttons for a weekly
    offer (when there is none yet), for weeping with a fever, and to add a note."""
    label = renderer.library.label
    rows: list[list[Button]] = []
    if "weeping" in outcome.concerns:
        rows.append([Button(label("skin_fever"), data=callbacks.make("sk", "fever"))])
    if not weekly:
        rows.append([Button(label("skin_weekly_on"), data=callbacks.make("sk", "weekly:on"))])
    rows.append([note_views.add_button(renderer)])
    return renderer.message(
        "skin_result", keyboard(rows), child=about == CHILD, day=day_words(day),
        score=outcome.score, band=outcome.band, unanswered=outcome.unanswered,
        previous=outcome.previous, change=outcome.change, noticeable=outcome.noticeable,
        previous_day=day_words(previous_day) if previous_day else "", concerns=outcome.concerns)


def chart_caption(renderer: Renderer, about: str, png: bytes, checks: int,
                  latest: int | None) -> Outgoing:
    """The chart as a photo; its caption ends with the disclaimer, within 1,024 characters."""
    return renderer.message(
        "skin_chart_caption", photo=png, child=about == CHILD, checks=checks, latest=latest,
        band=band(latest).words if latest is not None else "")


def offer(renderer: Renderer, about: str | None) -> Outgoing:
    label = renderer.library.label
    return renderer.message("skin_offer", keyboard([
        [Button(label("skin_start"), data=callbacks.make("sk", "start"))],
        [Button(label("skin_weekly_off"), data=callbacks.make("sk", "weekly:off"))]]),
        child=about == CHILD)


def chart_button(renderer: Renderer) -> Keyboard:
    return keyboard([[Button(renderer.library.label("skin_chart"),
                             data=callbacks.make("sk", "chart"))]])


def weekly_on(renderer: Renderer, when: str, zone: str, next_offer: str) -> Outgoing:
    return renderer.message("skin_weekly_on", when=when, zone=zone, next=next_offer)


def same_day(renderer: Renderer, zone: str | None, language: str | None) -> Outgoing:
    """Weeping with a fever: the triage's own same-day guidance, the chat's numbers first."""
    here, others = triage_views.numbers_for(renderer, zone, language)
    helplines = renderer.library.helplines
    context = {"tiers": {"same_day"}, "here": here, "others": others, "poison": False,
               "situation": "infection",
               "directory": helplines.directory if helplines else "",
               "emergency": here.emergency if here else "your emergency number"}
    sections: Sequence[str] = (renderer.body("triage_infection", **context),
                               renderer.body("triage_numbers", **context))
    return renderer.finish("\n\n".join(s for s in sections if s))


async def offer_message(data: BotData, row: Row) -> Outgoing | None:
    """The offer as it is sent; nothing when the operator switched the check off, or the
    person did a check in the last few days anyway."""
    if not data.settings.skin_check:
        return None
    last = await store.last_finished_at(data.db, row.chat_id)
    if last is not None and data.now() - last < RECENT:
        return None
    return offer(data.renderer, await store.about(data.db, row.chat_id))
