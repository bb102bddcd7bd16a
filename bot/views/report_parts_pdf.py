"""The parts of /report's pages below the chart: the change over the weeks and the answers
behind it, the weeks as a table with the habits beside them, the notes in date order and the
questions to ask. Each part has its height, for the plan in report_pdf.py, and draws itself
with a Pen from where the last one ended."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.services.doctor_report import Report
from bot.services.skin_checks import ITEMS, MOST_DAYS, Week, band, value
from bot.store.notes import Note
from bot.views.pdf_pen import (
    BODY,
    GAP,
    INK,
    LEADING,
    ROW,
    SOFT,
    Pen,
    day_words,
    printable,
    short_day,
    text_width,
    wrap,
)

DAYS = {0: "0", 1: "1–2", 2: "3–4", 3: "5–6", 4: "7"}  # POEM's answers as days in the week
ITEM_HEADS = {"itch": "Itch", "sleep": "Sleep", "bleeding": "Bleed", "weeping": "Weep",
              "cracked": "Crack", "flaking": "Flake", "dry": "Dry"}
DRIVERS = ("sleep", "bleeding", "weeping")  # the answers the summary names
CAVEAT = ("A change of about 3 to 4 points is the smallest change people tend to notice "
          "(Howells L et al., Br J Dermatol 2018;178:1135–42); a smaller one may be ordinary "
          "week-to-week variation. The report cannot tell what caused a change.")


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
                      f"({band(change.first).words}) in the week of "
                      f"{day_words(change.first_week)} to {change.last} "
                      f"({band(change.last).words}) in the week of "
                      f"{day_words(change.last_week)}.", True))
        lines.append((CAVEAT, False))
    elif scored:
        only = scored[0]
        assert only.score is not None
        lines.append((f"One scored check in these weeks: {only.score} "
                      f"({band(only.score).words}) in the week of {day_words(only.start)}. "
                      "A change needs two.", True))
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


def summary_height(report: Report, span: float) -> float:
    return sum(len(wrap(t, span, bold=b)) * LEADING + 2 for t, b in _summary_lines(report))


def summary(pen: Pen, report: Report) -> None:
    for words, bold in _summary_lines(report):
        pen.paragraph(pen.left, pen.span, words, bold=bold)
        pen.y -= 2
    pen.y -= GAP - 2



# --- the weeks as a table -------------------------------------------------------------------

def table_height(rows: int) -> float:
    return 13.5 + 2 * ROW + 2 + rows * ROW


def table(pen: Pen, report: Report, rows: Sequence[Week], earlier: int) -> None:
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
    years = report.spans_years
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
    cells: list[tuple[str, bool]] = [(short_day(week.start, years), False)]
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

def columns(span: float) -> tuple[float, float]:
    """The widths of the notes (left) and the questions (right) on a one-page report."""
    return span * 0.52, span * 0.48 - 14


def _note_lines(note: Note, width: float, years: bool) -> list[str]:
    return wrap(f"{_weekday(note.day, years)} {note.text}", width)


def note_height(note: Note, width: float, years: bool) -> float:
    return len(_note_lines(note, width, years)) * LEADING + 1.5


def _weekday(day: date, years: bool) -> str:
    """A note's day: "Wed 9 Sep", with its year when the report spans more than one."""
    return f"{day:%a} {day_words(day, years)}"


def _hidden_words(hidden: int) -> str:
    return (f"{hidden} earlier note{'s' if hidden != 1 else ''} in these weeks did not fit "
            "here (the bot's /notes lists them all).")


def notes_fitting(notes: Sequence[Note], heights: list[float], width: float,
                   years: bool) -> tuple[list[Note], int]:
    """The latest notes that fit columns of these heights, in date order, and how many earlier
    ones do not. A note is never split; the line saying what is left out takes room at the top
    of the first column."""
    def fits(chosen: Sequence[Note], reserve: float) -> bool:
        room = [h - (reserve if i == 0 else 0) for i, h in enumerate(heights)]
        column, used = 0, 0.0
        for note in chosen:
            need = note_height(note, width, years)
            while column < len(room) and used + need > room[column]:
                column, used = column + 1, 0.0
            if column == len(room):
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


def notes_block(pen: Pen, x: float, width: float, notes: Sequence[Note], years: bool,
                 columns: int = 1, gutter: float = 0) -> None:
    """The notes that fit between `y` and the foot, the latest ones, in date order."""
    pen.heading("Notes, in date order", x)
    start = pen.y
    shown, hidden = notes_fitting(notes, [start - pen.bottom] * columns, width, years)
    if hidden:
        pen.paragraph(x, width, _hidden_words(hidden), 7, grey=SOFT)
    if not notes:
        pen.paragraph(x, width, "No notes in these weeks.", grey=SOFT)
    column = 0
    for note in shown:
        lines = _note_lines(note, width, years)
        if pen.y - note_height(note, width, years) < pen.bottom and column + 1 < columns:
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


def notes_and_questions(pen: Pen, report: Report) -> None:
    left, right = columns(pen.span)
    top = pen.y
    questions(pen, report, pen.right - right, right)
    pen.y = top
    notes_block(pen, pen.left, left, report.notes, report.spans_years)


def _question_lines(report: Report, width: float) -> list[tuple[list[str], list[str]]]:
    return [(wrap(f"{n}. {q.text}", width),
             wrap(f"From the card “{q.card_title}”", width - 9, 6.8) if q.card_title else [])
            for n, q in enumerate(report.questions, 1)]


def questions_height(report: Report, width: float) -> float:
    return 13.5 + sum(len(a) * LEADING + len(b) * 8.5 + 3
                      for a, b in _question_lines(report, width))


def questions(pen: Pen, report: Report, x: float, width: float) -> None:
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

