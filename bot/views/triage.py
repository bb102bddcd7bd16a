"""What the urgent-care triage shows: the guidance for each tier, the person's own numbers
first, and a word in their language when they wrote in another one."""

from __future__ import annotations

from bot.library.helplines import Country
from bot.library.model import Card
from bot.library.render import Renderer
from bot.library.triage import ALARM_TIERS, Finding
from bot.library.urgent_plan import plan_for
from bot.telegram import callbacks
from bot.telegram.message import Button, Outgoing, keyboard
from bot.views import library as views


def numbers_for(renderer: Renderer, zone: str | None,
                language: str | None) -> tuple[Country | None, list[Country]]:
    helplines = renderer.library.helplines
    if helplines is None:
        return None, []
    return helplines.for_chat(zone, language)


def triage_reply(renderer: Renderer, finding: Finding, here: Country | None,
                 others: list[Country], cards: list[Card], text: str = "") -> Outgoing:
    """The reply for a message that reached a tier: one plan for its most urgent situation
    (bot/library/urgent_plan.py), the numbers for that plan once, no buttons when it is
    urgent (nothing should wait on a tap), the related cards under a caution, the topics
    under distress."""
    plan = plan_for(finding, text)
    assert plan is not None, "a reply to a finding that reached no tier"
    helplines = renderer.library.helplines
    context = {
        "tiers": plan.number_tiers, "here": here, "others": others,
        "situation": plan.situation, "poison": plan.poison, "writer_took": plan.writer_took,
        "directory": helplines.directory if helplines else "",
        "emergency": here.emergency if here else "your emergency number",
        "notice": _notice(renderer, finding.language),
    }
    sections = [renderer.body(f"triage_{plan.situation}", **context)]
    if plan.crisis_too:
        sections.append(renderer.body("triage_crisis_beside", **context))
    if plan.tier in ALARM_TIERS:
        sections.append(renderer.body("triage_numbers", **context))
    if context["notice"]:
        sections.append(renderer.body("triage_language", **context))
    body = "\n\n".join(s for s in sections if s)
    if finding.alarming:
        return renderer.finish(body)
    # Distress, and a question no card covers (a rule with `cards: false`), get the topics:
    # the nearest search results would stretch a card to fit.
    if finding.tier == "distress" or not all(rule.cards for rule in finding.rules):
        return renderer.finish(body, views.topic_buttons(renderer))
    label = renderer.library.label
    rows = [[Button(c.title, data=callbacks.make("card", c.id))] for c in cards[:3]]
    rows.append([Button(label("topics"), data=callbacks.make("menu"))])
    return renderer.finish(body, keyboard(rows))


def safety_check(renderer: Renderer, feedback_id: int) -> Outgoing:
    """One question before the answer, when the model is unsure whether a message is urgent:
    a tap opens the emergency or crisis reply, or the answer it held back."""
    label = renderer.library.label
    rows = [[Button(label("check_unwell"), data=callbacks.make("safe", "e"))],
            [Button(label("check_harm"), data=callbacks.make("safe", "c"))],
            [Button(label("check_no"), data=callbacks.make("safe", f"n:{feedback_id}"))]]
    return renderer.message("triage_check", keyboard(rows))


def not_english(renderer: Renderer, language: str) -> Outgoing:
    """A message in another language that needs no urgent care."""
    return renderer.message("not_english", views.topic_buttons(renderer),
                            notice=_notice(renderer, language))


def photo_only(renderer: Renderer) -> Outgoing:
    return views.topic_menu(renderer, "photo_only")


def _notice(renderer: Renderer, language: str | None) -> str:
    """The "I read only English" line in the message's own language ("-" when there is no
    translation, "" when the message was English)."""
    if not language:
        return ""
    triage = renderer.library.triage
    rules = triage.languages.get(language) if triage else None
    return rules.notice if rules and rules.notice else "-"
