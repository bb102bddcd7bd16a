"""/report's PDF: what a person can take to the doctor, on one page (two at most for
everything). Drawn in memory with ReportLab's canvas: the chart in vectors and in greys only,
so that it prints in black and white as it looks on screen, the text in DejaVu Sans
(content/fonts/), which has Cyrillic and the other scripts people type their notes in.
Nothing here is stored; every page ends with the citation, the licence and the disclaimer.

One page: the heading, the chart, the change and the answers behind it, the weeks as a table
with the habits beside them, and the notes beside the questions. Everything over more than
12 weeks (or with more notes than fit) takes two: the picture and the questions first, then
the weeks and the notes. Whatever does not fit is the oldest, and the page says how much.
"""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from bot.services import doctor_report
from bot.services.doctor_report import Report
from bot.services.skin_checks import BANDS, ITEMS, MAX_SCORE, MOST_DAYS, Week, band, value
from bot.store.notes import Note

REGULAR, BOLD = "ReportSans", "ReportSans-Bold"
FONT_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
ONE_PAGE_WEEKS = 12  # the weeks a 4- or 12-week report lists (everything: as many as fit)
MOST_ONE_PAGE_ROWS = 26  # everything over more weeks than this takes two pages
MARGIN, FOOTER = 34.0, 42.0
BODY, LEADING = 8.3, 10.4  # body text: size and line pitch, in points
ROW = 10.0  # a table row
GAP = 9.0  # between blocks
INK, SOFT, FAINT = 0.0, 0.35, 0.55  # greys: 0 black, 1 white
# Each band a little darker than the one below it: told apart in greys alone.
SHADES = {"clear": 0.975, "mild": 0.93, "moderate": 0.875, "severe": 0.815, "very_severe": 0.75}
DAYS = {0: "0", 1: "1–2", 2: "3–4", 3: "5–6", 4: "7"}  # POEM's answers as days in the week
ITEM_HEADS = {"itch": "Itch", "sleep": "Sleep", "bleeding": "Bleed", "weeping": "Weep",
              "cracked": "Crack", "flaking": "Flake", "dry": "Dry"}
DRIVERS = ("sleep", "bleeding", "weeping")  # the answers the summary names
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

TITLE = "Eczema skin report"
CITATION = ("POEM, the Patient-Oriented Eczema Measure © The University of Nottingham (Charman "
            "CR, Venn AJ, Williams HC. Arch Dermatol 2004;140:1513–9); bands from Charman CR "
            "et al., Br J Dermatol 2013;169:1326–32. Free for non-commercial use once "
            "registered with the University of Nottingham; commercial use needs its licence.")
DISCLAIMER = ("General education from the Gut–skin guide bot, not medical advice: it cannot "
              "diagnose, and it does not replace a doctor's care. Scores are self-reported.")
CAVEAT = ("A change of about 3 to 4 points is the smallest change people tend to notice "
          "(Howells L et al., Br J Dermatol 2018;178:1135–42); a smaller one may be ordinary "
          "week-to-week variation. The report cannot tell what caused a change.")

_LOCK = threading.Lock()  # fonts are registered once; one document is drawn at a time


def draw(report: Report, fonts: Path) -> tuple[bytes, int]:
    """The PDF, built in memory, and how many pages it has."""
    with _LOCK:
        _register(fonts)
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


def _register(fonts: Path) -> None:
    registered = pdfmetrics.getRegisteredFontNames()
    for name, file in FONT_FILES.items():
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(fonts / file)))


class Pen:
    """Text and shapes on one page, from the top down: `y` is where the next block starts."""

    def __init__(self, canvas: Canvas, width: float, height: float) -> None:
        self.c = canvas
        self.width, self.height = width, height
        self.left, self.right = MARGIN, width - MARGIN
        self.y = height - MARGIN
        self.bottom = MARGIN + FOOTER

    @property
    def span(self) -> float:
        return self.right - self.left

    def text(self, x: float, y: float, words: str, size: float = BODY, *, bold: bool = False,
             grey: float = INK, align: str = "left") -> None:
        words = printable(words)
        self.c.setFillGray(grey)
        self.c.setFont(BOLD if bold else REGULAR, size)
        if align == "right":
            self.c.drawRightString(x, y, words)
        elif align == "centre":
            self.c.drawCentredString(x, y, words)
        else:
            self.c.drawString(x, y, words)

    def paragraph(self, x: float, width: float, words: str, size: float = BODY, *,
                  bold: bool = False, grey: float = INK, leading: float = LEADING) -> None:
        """Wrapped text from `y` down; `y` ends below it."""
        for line in wrap(words, width, size, bold=bold):
            self.text(x, self.y - size, line, size, bold=bold, grey=grey)
            self.y -= leading

    def heading(self, words: str, x: float | None = None) -> None:
        self.text(self.left if x is None else x, self.y - 9.5, words, 9.5, bold=True)
        self.y -= 13.5


def printable(words: str) -> str:
    """The text with anything the font has no glyph for (emoji, mostly) left out."""
    glyphs = pdfmetrics.getFont(REGULAR).face.charToGlyph
    return "".join(ch for ch in words if ord(ch) in glyphs)


def wrap(words: str, width: float, size: float = BODY, *, bold: bool = False) -> list[str]:
    lines: list[str] = simpleSplit(printable(words), BOLD if bold else REGULAR, size, width)
    return lines or [""]


def text_width(words: str, size: float, bold: bool = False) -> float:
    return float(pdfmetrics.stringWidth(printable(words), BOLD if bold else REGULAR, size))


# --- the plan: which blocks go on which page ----------------------------------------------

Block = Callable[[Pen], None]


def _plan(report: Report, size: tuple[float, float]) -> list[list[Block]]:
    width, height = size
    body = height - 2 * MARGIN - FOOTER
    span = width - 2 * MARGIN
    rows = list(report.weeks if report.period == "all" else report.weeks[-ONE_PAGE_WEEKS:])
    top = _header_height(report, span) + _chart_height(one_page=True) + _summary_height(
        report, span) + _table_height(len(rows)) + 4 * GAP
    left, right = _columns(span)
    room = body - top - 13.5 - LEADING  # a line to spare: the estimate errs short
    hidden = _notes_fitting(report.notes, [room], left, _spans_years(report))[1]
    one_page = (len(rows) <= MOST_ONE_PAGE_ROWS and not hidden
                and _questions_height(report, right) <= room)
    if report.period != "all" or one_page:
        return [[
            lambda pen: _header(pen, report),
            lambda pen: _chart(pen, report, one_page=True),
            lambda pen: _summary(pen, report),
            lambda pen: _table(pen, report, rows, 0),
            lambda pen: _notes_and_questions(pen, report),
        ]]
    # Everything, on two pages: the picture and the questions first, then the weeks (those
    # with a check or a habit) and the notes, each as many of the latest as fit.
    listed = [w for w in report.weeks if w.checked or w.kept]
    gutter = 14.0
    column = (span - gutter) / 2
    years = _spans_years(report)
    notes_need = 13.5 + 2 * LEADING + sum(_note_height(n, column, years)
                                          for n in report.notes) / 2
    frame = _table_height(0) + 2 * LEADING + 2 * GAP + 22  # heading, "earlier" line, gaps
    fits = max(int((body - notes_need - frame) // ROW),
               min(len(listed), int((body * 0.55 - frame) // ROW)))
    listed_rows = listed[-fits:] if fits > 0 else []
    earlier = len(listed) - len(listed_rows)
    return [
        [lambda pen: _header(pen, report),
         lambda pen: _chart(pen, report, one_page=False),
         lambda pen: _summary(pen, report),
         lambda pen: _questions(pen, report, pen.left, pen.span)],
        [lambda pen: _continued(pen, report),
         lambda pen: _table(pen, report, listed_rows, earlier),
         lambda pen: _notes_block(pen, pen.left, column, report.notes, _spans_years(report),
                                  2, gutter)],
    ]


def _columns(span: float) -> tuple[float, float]:
    """The widths of the notes (left) and the questions (right) on a one-page report."""
    return span * 0.52, span * 0.48 - 14


# --- the heading ------------------------------------------------------------------------------

def _day(day: date, year: bool = False) -> str:
    return f"{day.day} {MONTHS[day.month - 1]}" + (f" {day.year}" if year else "")


def _short_day(day: date, years: bool) -> str:
    """A week's Monday in the table and the chart: "7 Sep", or "7 Sep ’25" when the report
    spans more than one year."""
    return _day(day) + (f" ’{day.year % 100:02d}" if years else "")


def _spans_years(report: Report) -> bool:
    return report.weeks[0].start.year != report.today.year


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
    return (f"Weeks: {_day(first, first.year != last.year)} to {_day(last, True)} ({which})"
            f" · {checks} · made on {_day(report.today, True)}")


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


# --- the chart ------------------------------------------------------------------------------

def _chart_height(one_page: bool) -> float:
    return 13.5 + (118 if one_page else 190) + 16


def _chart(pen: Pen, report: Report, *, one_page: bool) -> None:
    """The POEM score week by week over its bands: the same weeks as /skin history."""
    c = pen.c
    pen.heading("Weekly POEM score (0–28, lower is better) over POEM's bands")
    plot = 118 if one_page else 190
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
    years = _spans_years(report)
    every = max(1, math.ceil((44 if years else 32) / slot))
    c.setStrokeGray(SOFT)
    c.setLineWidth(0.35)
    for i in range(len(weeks) - 1, -1, -every):
        start = weeks[i].start
        c.line(centres[i], y0, centres[i], y0 - 2.5)
        pen.text(centres[i], y0 - 9.5, _short_day(start, years), 6.3, grey=SOFT,
                 align="centre")
    pen.y = y0 - 16


# --- the change and the answers behind it -----------------------------------------------------

def _summary_lines(report: Report) -> list[tuple[str, bool]]:
    """(text, bold) paragraphs under the chart."""
    lines: list[tuple[str, bool]] = []
    change = report.change
    scored = report.scored
    if change is not None:
        direction = ("no change" if change.points == 0 else
                     f"{'down' if change.points < 0 else 'up'} {abs(change.points)} "
                     f"point{'s' if abs(change.points) != 1 else ''}")
        lines.append((f"Change over these weeks: {direction}, from {change.first} "
                      f"({band(change.first).words}) in the week of {_day(change.first_week)} "
                      f"to {change.last} ({band(change.last).words}) in the week of "
                      f"{_day(change.last_week)}.", True))
        lines.append((CAVEAT, False))
    elif scored:
        only = scored[0]
        assert only.score is not None
        lines.append((f"One scored check in these weeks: {only.score} "
                      f"({band(only.score).words}) in the week of {_day(only.start)}. A change "
                      "needs two.", True))
        lines.append((CAVEAT, False))
    else:
        lines.append(("No check in these weeks has a score: POEM gives none when two or more "
                      "questions are skipped.", True))
    checked = len(report.checked)
    counts = "; ".join(
        f"{_driver_words(item)} in {report.most_days(item)}"
        + (f" of {checked} checked week{'s' if checked != 1 else ''}" if i == 0 else "")
        for i, item in enumerate(DRIVERS))
    lines.append((f"Answers of 5 or more days (or nights) in the week: {counts}. The table "
                  "gives every answer; those of 5 or more days are in bold.", False))
    if report.habits:
        lines.append(("Habits are the days kept each week (out of 7), from the bot's daily "
                      "check-ins, shown beside the scores: the report does not say whether they "
                      "made a difference.", False))
    else:
        lines.append(("No habit check-ins were answered in these weeks.", False))
    return lines


def _driver_words(item: str) -> str:
    return {"sleep": "sleep disturbed", "bleeding": "bleeding",
            "weeping": "weeping or oozing"}[item]


def _summary_height(report: Report, span: float) -> float:
    return sum(len(wrap(t, span, bold=b)) * LEADING + 2 for t, b in _summary_lines(report))


def _summary(pen: Pen, report: Report) -> None:
    for words, bold in _summary_lines(report):
        pen.paragraph(pen.left, pen.span, words, bold=bold)
        pen.y -= 2
    pen.y -= GAP - 2


# --- the weeks as a table -------------------------------------------------------------------

def _table_height(rows: int) -> float:
    return 13.5 + 2 * ROW + 2 + rows * ROW


def _table(pen: Pen, report: Report, rows: Sequence[Week], earlier: int) -> None:
    c = pen.c
    pen.heading("Week by week: score, band, POEM's answers and habits kept")
    habits = list(report.habits)
    widths = [50.0, 27.0, 50.0] + [27.0] * len(ITEMS)
    rest = pen.span - sum(widths)
    habit_width = min(rest / max(len(habits), 1), 70.0)
    widths += [habit_width] * len(habits)
    xs = [pen.left]
    for w in widths:
        xs.append(xs[-1] + w)
    size = 7.0
    years = _spans_years(report)
    # Two header rows: what each group of columns is, then each column.
    top = pen.y
    answers_from, answers_to = xs[3], xs[3 + len(ITEMS)]
    pen.text((answers_from + answers_to) / 2, top - 7, "POEM answers: days in the week "
             "(nights, for sleep)", 6.2, grey=SOFT, align="centre")
    if habits:
        pen.text((answers_to + xs[-1]) / 2, top - 7, "Habits: days kept", 6.2, grey=SOFT,
                 align="centre")
    heads = ["Week of", "Score", "Band"] + [ITEM_HEADS[i] for i in ITEMS]
    heads += [_short(_plain_label(name), habit_width - 2, 6.2) for _, name in habits]
    for i, head in enumerate(heads):
        key = i - 3
        bold = 0 <= key < len(ITEMS) and ITEMS[key] in DRIVERS
        pen.text(xs[i] + 1.5, top - ROW - 7, head, 6.2, bold=bold)
    c.setStrokeGray(SOFT)
    c.setLineWidth(0.5)
    line_y = top - 2 * ROW - 1
    c.line(pen.left, line_y, xs[-1], line_y)
    y = line_y - ROW + 2.5
    for n, week in enumerate(rows):
        if n % 2:
            c.setFillGray(0.95)
            c.rect(pen.left, y - 2.5, xs[-1] - pen.left, ROW, stroke=0, fill=1)
        cells = _row(week, habits, years)
        for i, (words, bold) in enumerate(cells):
            pen.text(xs[i] + 1.5, y, words, size, bold=bold, grey=INK if words else SOFT)
        y -= ROW
    if not rows:
        pen.text(pen.left + 1.5, y, "No weeks to list.", size, grey=SOFT)
        y -= ROW
    pen.y = y + ROW - 2.5 - 2
    if earlier:
        pen.y -= 1
        pen.paragraph(pen.left, pen.span, f"{earlier} earlier week{'s' if earlier != 1 else ''}"
                      " with a check or a habit are in the chart but not listed here.",
                      7, grey=SOFT)
    pen.y -= GAP


def _row(week: Week, habits: Sequence[tuple[str, str]], years: bool
         ) -> list[tuple[str, bool]]:
    cells: list[tuple[str, bool]] = [(_short_day(week.start, years), False)]
    if week.score is not None:
        cells += [(str(week.score), True), (band(week.score).words, False)]
    elif week.checked:
        cells += [("?", False), ("not scored", False)]
    else:
        cells += [("", False), ("no check", False)]
    for index in range(len(ITEMS)):
        if len(week.answers) != len(ITEMS):
            cells.append(("", False))
            continue
        given = value(week.answers, index)
        cells.append(("skip", False) if given is None else (DAYS[given], given >= MOST_DAYS))
    cells += [(str(min(week.kept.get(h, 0), 7)) if week.kept or week.checked else "", False)
              for h, _ in habits]
    return cells


def _plain_label(label: str) -> str:
    """A habit's button label without its emoji: "🥦 Fibre-rich meal" -> "Fibre-rich meal"."""
    start = next((i for i, ch in enumerate(label) if ch.isalnum()), len(label))
    return label[start:]


def _short(words: str, width: float, size: float) -> str:
    words = printable(words).strip()
    if text_width(words, size) <= width:
        return words
    while words and text_width(words + "…", size) > width:
        words = words[:-1]
    return words.rstrip() + "…"


# --- notes and questions ----------------------------------------------------------------------

def _note_lines(note: Note, width: float, years: bool) -> list[str]:
    return wrap(f"{_weekday(note.day, years)} {note.text}", width)


def _note_height(note: Note, width: float, years: bool) -> float:
    return len(_note_lines(note, width, years)) * LEADING + 1.5


def _weekday(day: date, years: bool) -> str:
    """A note's day: "Wed 9 Sep", with its year when the report spans more than one."""
    return f"{day:%a} {_day(day, years)}"


def _hidden_words(hidden: int) -> str:
    return (f"{hidden} earlier note{'s' if hidden != 1 else ''} in these weeks did not fit "
            "here (the bot's /notes lists them all).")


def _notes_fitting(notes: Sequence[Note], columns: list[float], width: float,
                   years: bool) -> tuple[list[Note], int]:
    """The latest notes that fit these columns (heights) in date order, and how many earlier
    ones do not. A note is never split; the line saying what is left out takes room at the top
    of the first column."""
    def fits(chosen: Sequence[Note], reserve: float) -> bool:
        heights = [h - (reserve if i == 0 else 0) for i, h in enumerate(columns)]
        column, used = 0, 0.0
        for note in chosen:
            need = _note_height(note, width, years)
            while column < len(heights) and used + need > heights[column]:
                column, used = column + 1, 0.0
            if column == len(heights):
                return False
            used += need
        return True

    if fits(notes, 0):
        return list(notes), 0
    reserve = len(wrap(_hidden_words(len(notes)), width, 7)) * LEADING
    count = 0
    while count < len(notes) and fits(notes[len(notes) - count - 1:], reserve):
        count += 1
    return list(notes[len(notes) - count:]), len(notes) - count


def _notes_block(pen: Pen, x: float, width: float, notes: Sequence[Note], years: bool,
                 columns: int = 1, gutter: float = 0) -> None:
    """The notes that fit between `y` and the foot, the latest ones, in date order."""
    pen.heading("Notes, in date order", x)
    start = pen.y
    shown, hidden = _notes_fitting(notes, [start - pen.bottom] * columns, width, years)
    if hidden:
        pen.paragraph(x, width, _hidden_words(hidden), 7, grey=SOFT)
    if not notes:
        pen.paragraph(x, width, "No notes in these weeks.", grey=SOFT)
    column = 0
    for note in shown:
        lines = _note_lines(note, width, years)
        if pen.y - _note_height(note, width, years) < pen.bottom and column + 1 < columns:
            column += 1
            pen.y = start
        left = x + column * (width + gutter)
        day = _weekday(note.day, years)
        for n, line in enumerate(lines):
            if n == 0 and line.startswith(day + " "):
                pen.text(left, pen.y - BODY, day, bold=True)
                pen.text(left + text_width(day + "  ", BODY, bold=True), pen.y - BODY,
                         line[len(day) + 1:])
            else:
                pen.text(left, pen.y - BODY, line)
            pen.y -= LEADING
        pen.y -= 1.5


def _notes_and_questions(pen: Pen, report: Report) -> None:
    left, right = _columns(pen.span)
    top = pen.y
    _questions(pen, report, pen.right - right, right)
    pen.y = top
    _notes_block(pen, pen.left, left, report.notes, _spans_years(report))


def _question_lines(report: Report, width: float) -> list[tuple[list[str], list[str]]]:
    return [(wrap(f"{n}. {q.text}", width),
             wrap(f"From the card “{q.card_title}”", width - 9, 6.8) if q.card_title else [])
            for n, q in enumerate(report.questions, 1)]


def _questions_height(report: Report, width: float) -> float:
    return 13.5 + sum(len(a) * LEADING + len(b) * 8.5 + 3
                      for a, b in _question_lines(report, width))


def _questions(pen: Pen, report: Report, x: float, width: float) -> None:
    pen.heading("Questions you may want to ask", x)
    for lines, source in _question_lines(report, width):
        for line in lines:
            pen.text(x, pen.y - BODY, line)
            pen.y -= LEADING
        for line in source:
            pen.text(x + 9, pen.y - 6.8, line, 6.8, grey=SOFT)
            pen.y -= 8.5
        pen.y -= 3
    pen.y -= GAP


# --- every page's foot ------------------------------------------------------------------------

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
