"""/report's chart: the POEM score week by week over its bands, the same weeks as the
/skin history picture, drawn in vectors and greys only (the bands told apart by their shade,
their dashed edges and their names)."""

from __future__ import annotations

import math

from bot.services.doctor_report import Report
from bot.services.skin_checks import BANDS, MAX_SCORE
from bot.views.pdf_pen import FAINT, INK, SOFT, Pen, short_day, text_width

PLOT = {True: 118.0, False: 190.0}  # the plot's height: on a one-page report, and larger
# Each band a little darker than the one below it: told apart in greys alone.
SHADES = {"clear": 0.975, "mild": 0.93, "moderate": 0.875, "severe": 0.815, "very_severe": 0.75}


def chart_height(one_page: bool) -> float:
    return 13.5 + PLOT[one_page] + 16


def chart(pen: Pen, report: Report, *, one_page: bool) -> None:
    """The POEM score week by week over its bands: the same weeks as /skin history."""
    c = pen.c
    pen.heading("Weekly POEM score (0–28, lower is better) over POEM's bands")
    plot = PLOT[one_page]
    x0, x1 = pen.left + 18, pen.right - 92
    y0, y1 = pen.y - plot, pen.y

    def y_of(score: float) -> float:
        return y0 + score / MAX_SCORE * (y1 - y0)

    c.setLineWidth(0.35)
    for b in BANDS:
        low, high = y_of(max(b.low - 0.5, 0)), y_of(min(b.high + 0.5, MAX_SCORE))
        c.setFillGray(SHADES[b.id])
        c.rect(x0, low, x1 - x0, high - low, stroke=0, fill=1)
        if b.low > 0:
            c.setStrokeGray(FAINT)
            c.setDash(1.5, 1.5)
            c.line(x0, low, x1, low)
            c.setDash()
        label = f"{b.low}–{b.high} {b.words}"
        size = min(6.5, (high - low) - 1.5)
        while size > 4.5 and text_width(label, size) > pen.right - x1 - 6:
            size -= 0.25
        pen.text(x1 + 5, (low + high) / 2 - size * 0.35, label, size, grey=SOFT)
    c.setStrokeGray(SOFT)
    c.rect(x0, y0, x1 - x0, y1 - y0, stroke=1, fill=0)
    for score in range(0, MAX_SCORE + 1, 7):
        pen.text(x0 - 4, y_of(score) - 2.3, str(score), 6.5, grey=SOFT, align="right")

    weeks = report.weeks
    slot = (x1 - x0) / max(len(weeks), 1)
    centres = [x0 + slot * (i + 0.5) for i in range(len(weeks))]
    for i, week in enumerate(weeks):  # checked but not scored: a gap with a "?"
        if week.checked and week.score is None:
            c.setFillGray(1)
            c.rect(centres[i] - slot * 0.4, y0 + 0.3, slot * 0.8, y1 - y0 - 0.6, stroke=0,
                   fill=1)
            pen.text(centres[i], (y0 + y1) / 2 - 2.5, "?", 7, grey=SOFT, align="centre")
    points = {i: (centres[i], y_of(w.score)) for i, w in enumerate(weeks) if w.score is not None}
    c.setStrokeGray(INK)
    c.setLineWidth(0.9)
    for i, (x, y) in points.items():
        if i + 1 in points:  # only weeks side by side are joined: a gap stays a gap
            c.line(x, y, *points[i + 1])
    c.setFillGray(INK)
    radius = min(2.4, max(slot * 0.3, 1.0))
    for i, (x, y) in points.items():
        c.circle(x, y, radius, stroke=0, fill=1)
        if slot >= 11:
            pen.text(x, y + 4, str(weeks[i].score), 6.5, bold=True, align="centre")
    # The Monday each week starts, about every fourth label, always this week's.
    years = report.spans_years
    every = max(1, math.ceil((44 if years else 32) / slot))
    c.setStrokeGray(SOFT)
    c.setLineWidth(0.35)
    for i in range(len(weeks) - 1, -1, -every):
        start = weeks[i].start
        c.line(centres[i], y0, centres[i], y0 - 2.5)
        pen.text(centres[i], y0 - 9.5, short_day(start, years), 6.3, grey=SOFT,
                 align="centre")
    pen.y = y0 - 16

