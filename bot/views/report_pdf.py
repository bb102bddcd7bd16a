"""/report's PDF: what a person can take to the doctor, on one page (two at most for
everything). Drawn in memory with ReportLab's canvas: the chart in vectors and in greys only,
so that it prints in black and white as it looks on screen, the text in DejaVu Sans
(content/fonts/), which has Cyrillic and the other scripts people type their notes in.
Nothing here is stored; every page ends with the citation, the licence and the disclaimer.

One page: the heading, the chart, the change and the answers behind it, the weeks as a table
with the habits beside them, and the notes beside the questions. Everything over more than
26 weeks (or with more notes than fit) takes two: the picture and the questions first, then
the weeks and the notes. Whatever does not fit is the oldest, and the page says how much.
The chart is report_chart_pdf.py, the other parts report_parts_pdf.py, the pen pdf_pen.py.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from pathlib import Path

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.pdfgen.canvas import Canvas

from bot.services import doctor_report
from bot.services.doctor_report import Report
from bot.views.pdf_pen import (
    BODY,
    FAINT,
    FOOTER,
    GAP,
    LEADING,
    MARGIN,
    ROW,
    SOFT,
    Pen,
    day_words,
    register_fonts,
    wrap,
)
from bot.views.report_chart_pdf import chart, chart_height
from bot.views.report_parts_pdf import (
    columns,
    note_height,
    notes_and_questions,
    notes_block,
    notes_fitting,
    questions,
    questions_height,
    summary,
    summary_height,
    table,
    table_height,
)

ONE_PAGE_WEEKS = 12  # the weeks a 4- or 12-week report lists (everything: as many as fit)
MOST_ONE_PAGE_ROWS = 26  # everything over more weeks than this takes two pages
TITLE = "Eczema skin report"
CITATION = ("POEM, the Patient-Oriented Eczema Measure © The University of Nottingham (Charman "
            "CR, Venn AJ, Williams HC. Arch Dermatol 2004;140:1513–9); bands from Charman CR "
            "et al., Br J Dermatol 2013;169:1326–32. Free for non-commercial use once "
            "registered with the University of Nottingham; commercial use needs its licence.")
DISCLAIMER = ("General education from the Gut–skin guide bot, not medical advice: it cannot "
              "diagnose, and it does not replace a doctor's care. Scores are self-reported.")

# Fonts are registered once, and one document is drawn at a time (in a worker thread).
DRAWING = threading.Lock()


def draw(report: Report, fonts: Path) -> tuple[bytes, int]:
    """The PDF, built in memory, and how many pages it has."""
    with DRAWING:
        register_fonts(fonts)
        size = LETTER if report.paper == doctor_report.LETTER else A4
        buffer = io.BytesIO()
        # invariant: no creation time or random id in the file, only what the report shows.
        canvas = Canvas(buffer, pagesize=size, invariant=1, pageCompression=1)
        canvas.setTitle(TITLE)
        canvas.setAuthor("")
        canvas.setSubject("POEM scores, habits and notes")
        canvas.setCreator("Gut–skin guide bot")
        pages = _plan(report, size)
        for number, page in enumerate(pages, 1):
            pen = Pen(canvas, *size)
            for block in page:
                block(pen)
            _footer(pen, number, len(pages))
            canvas.showPage()
        canvas.save()
        return buffer.getvalue(), len(pages)



# --- the plan: which blocks go on which page ----------------------------------------------

Block = Callable[[Pen], None]


def _plan(report: Report, size: tuple[float, float]) -> list[list[Block]]:
    width, height = size
    body = height - 2 * MARGIN - FOOTER
    span = width - 2 * MARGIN
    rows = list(report.weeks if report.period == "all" else report.weeks[-ONE_PAGE_WEEKS:])
    top = _header_height(report, span) + chart_height(one_page=True) + summary_height(
        report, span) + table_height(len(rows)) + 4 * GAP
    left, right = columns(span)
    room = body - top - 13.5 - LEADING  # a line to spare: the estimate errs short
    hidden = notes_fitting(report.notes, [room], left, report.spans_years)[1]
    one_page = (len(rows) <= MOST_ONE_PAGE_ROWS and not hidden
                and questions_height(report, right) <= room)
    if report.period != "all" or one_page:
        return [[
            lambda pen: _header(pen, report),
            lambda pen: chart(pen, report, one_page=True),
            lambda pen: summary(pen, report),
            lambda pen: table(pen, report, rows, 0),
            lambda pen: notes_and_questions(pen, report),
        ]]
    # Everything, on two pages: the picture and the questions first, then the weeks (those
    # with a check or a habit) and the notes, each as many of the latest as fit.
    listed = [w for w in report.weeks if w.checked or w.kept]
    gutter = 14.0
    column = (span - gutter) / 2
    years = report.spans_years
    notes_need = 13.5 + 2 * LEADING + sum(note_height(n, column, years)
                                          for n in report.notes) / 2
    frame = table_height(0) + 2 * LEADING + 2 * GAP + 22  # heading, "earlier" line, gaps
    fits = max(int((body - notes_need - frame) // ROW),
               min(len(listed), int((body * 0.55 - frame) // ROW)))
    listed_rows = listed[-fits:] if fits > 0 else []
    earlier = len(listed) - len(listed_rows)
    return [
        [lambda pen: _header(pen, report),
         lambda pen: chart(pen, report, one_page=False),
         lambda pen: summary(pen, report),
         lambda pen: questions(pen, report, pen.left, pen.span)],
        [lambda pen: _continued(pen, report),
         lambda pen: table(pen, report, listed_rows, earlier),
         lambda pen: notes_block(pen, pen.left, column, report.notes, report.spans_years,
                                  2, gutter)],
    ]



# --- the heading and every page's foot --------------------------------------------------------

def _whose(report: Report) -> str:
    child = report.about == "child"
    if report.name:
        who = f"{report.name} ({'a child' if child else 'adult'})"
        return f"Whose skin: {who}, {'as answered by a parent' if child else 'self-reported'}"
    return ("Whose skin: a child's, as answered by their parent" if child
            else "Whose skin: the person's own, self-reported")


def _period_words(report: Report) -> str:
    last = report.weeks[-1].start.fromordinal(report.weeks[-1].start.toordinal() + 6)
    first = report.first_day
    which = {"4": "the last 4 weeks", "12": "the last 12 weeks"}.get(
        report.period, f"everything: {len(report.weeks)} weeks")
    checks = f"{report.checks} skin check{'s' if report.checks != 1 else ''}"
    return (f"Weeks: {day_words(first, first.year != last.year)} to {day_words(last, True)} "
            f"({which}) · {checks} · made on {day_words(report.today, True)}")


def _header_lines(report: Report, span: float) -> list[str]:
    return [_whose(report), _period_words(report)]


def _header_height(report: Report, span: float) -> float:
    return 20 + LEADING * sum(len(wrap(line, span)) for line in _header_lines(report, span))


def _header(pen: Pen, report: Report) -> None:
    pen.text(pen.left, pen.y - 15, TITLE, 15, bold=True)
    pen.text(pen.right, pen.y - 15, "POEM scores, habits and notes", BODY, grey=SOFT,
             align="right")
    pen.y -= 20
    for line in _header_lines(report, pen.span):
        pen.paragraph(pen.left, pen.span, line)
    pen.y -= GAP


def _continued(pen: Pen, report: Report) -> None:
    pen.text(pen.left, pen.y - 9, f"{TITLE}, continued", 9, bold=True)
    pen.text(pen.right, pen.y - 9, _whose(report), BODY, grey=SOFT, align="right")
    pen.y -= 13 + GAP


def _footer(pen: Pen, number: int, pages: int) -> None:
    c = pen.c
    c.setStrokeGray(FAINT)
    c.setLineWidth(0.4)
    top = MARGIN + FOOTER - 6
    c.line(pen.left, top, pen.right, top)
    pen.y = top - 1.5
    pen.paragraph(pen.left, pen.span - 50, CITATION, 6.2, grey=SOFT, leading=7.4)
    pen.paragraph(pen.left, pen.span - 50, DISCLAIMER, 7.2, bold=True, leading=8.6)
    pen.text(pen.right, top - 8, f"Page {number} of {pages}", 7, grey=SOFT, align="right")

