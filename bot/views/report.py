"""What /report shows in the chat: the choice of weeks, the PDF's caption, and the answers
when there is nothing to report. Texts come from content/templates/report_*; the PDF itself is
bot/views/report_pdf.py."""

from __future__ import annotations

from datetime import date

from bot.library import dates
from bot.library.render import Renderer
from bot.services.doctor_report import Report
from bot.telegram import callbacks
from bot.telegram.html import MAX_CAPTION_LENGTH
from bot.telegram.message import Button, Outgoing, keyboard

WHICH = {"4": "the last 4 weeks", "12": "the last 12 weeks", "all": "all your weeks"}


def picker(renderer: Renderer, nonce: str, child: bool, name_hint: str = "") -> Outgoing:
    label = renderer.library.label
    return renderer.message("report_pick", keyboard([
        [Button(label("report_4"), data=callbacks.make("rp", f"{nonce}:4")),
         Button(label("report_12"), data=callbacks.make("rp", f"{nonce}:12"))],
        [Button(label("report_all"), data=callbacks.make("rp", f"{nonce}:all"))]]),
        child=child, name_hint=name_hint)


def none_in_period(renderer: Renderer, nonce: str, period: str, last: date) -> Outgoing:
    """No check in these weeks: one tap to everything instead."""
    return renderer.message("report_none_in_period", keyboard([[Button(
        renderer.library.label("report_all"), data=callbacks.make("rp", f"{nonce}:all"))]]),
        which=WHICH[period], last=dates.local(last, style="day"))


def making(renderer: Renderer, period: str) -> Outgoing:
    return renderer.message("report_making", which=WHICH[period])


def caption(renderer: Renderer, report: Report, pages: int) -> Outgoing:
    """The PDF's caption, within a caption's 1,024 characters with the disclaimer."""
    return renderer.finish(renderer.body(
        "report_caption", child=report.about == "child", which=WHICH[report.period],
        checks=report.checks, notes=len(report.notes), pages=pages), limit=MAX_CAPTION_LENGTH)


def filename(report: Report) -> str:
    """The file's name: the day it was made, nothing about who."""
    return f"skin-report-{report.today.isoformat()}.pdf"
