"""A person's skin chart: the POEM score week by week over the bands, and beneath it, week by
week, the days each habit was kept. A PNG drawn with drawing.py, no imaging library.

The two panels share the weeks and nothing else: the chart never joins a habit to a score.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.library.drawing import MONTHS, Canvas, Color, text_width
from bot.services.skin_checks import BANDS, MAX_SCORE, Week

W = 800
MAX_HABIT_ROWS = 6
_X0, _X1, _Y0, _Y1 = 70, 640, 80, 360  # the score panel: 10 pixels a point
_LABELS_X = 652  # band and habit names, right of the panels
_ROW, _CELL = 26, 20  # a habit row's pitch and a cell's height
_INK, _AXIS, _GRID, _SOFT = (40, 40, 40), (120, 120, 120), (255, 255, 255), (150, 150, 150)
_POINT, _POINT_LINE = (30, 80, 150), (70, 120, 190)
# Band shades, lightest where the skin is clearest, and the darker ink of their names.
_SHADES: dict[str, tuple[Color, Color]] = {
    "clear": ((225, 242, 228), (40, 120, 60)),
    "mild": ((236, 245, 214), (95, 125, 30)),
    "moderate": ((252, 242, 208), (150, 110, 10)),
    "severe": ((252, 225, 205), (175, 80, 20)),
    "very_severe": ((247, 207, 207), (160, 30, 30)),
}
_NO_DAYS, _EVERY_DAY = (238, 240, 242), (46, 139, 87)  # a habit cell's shade, 0 to 7 days
_BAND_NAMES = {"clear": "CLEAR", "mild": "MILD", "moderate": "MODERATE", "severe": "SEVERE",
               "very_severe": "VERY SEVERE"}


def y_of(score: float) -> int:
    """The pixel row of a score on the chart."""
    return round(_Y1 - score * (_Y1 - _Y0) / MAX_SCORE)


def x_of(index: int, weeks: int) -> int:
    """The pixel column of the middle of week `index` of `weeks`."""
    return round(_X0 + (_X1 - _X0) / max(weeks, 1) * (index + 0.5))


def _mix(a: Color, b: Color, share: float) -> Color:
    r, g, bl = (round(x + (y - x) * share) for x, y in zip(a, b))
    return r, g, bl


def size(habit_rows: int) -> tuple[int, int]:
    """The chart's width and height with this many habit rows (an empty panel keeps one)."""
    rows = max(1, min(habit_rows, MAX_HABIT_ROWS))
    return W, _Y1 + 62 + rows * _ROW + 44


def draw(weeks: Sequence[Week], habits: Sequence[tuple[str, str]]) -> bytes:
    """`weeks` oldest first; `habits` the (id, name) rows of the habit panel, in order."""
    habits = list(habits)[:MAX_HABIT_ROWS]
    width, height = size(len(habits))
    canvas = Canvas(width, height)
    rect, text = canvas.rect, canvas.text
    text(W // 2, 12, "WEEKLY SKIN CHECK (POEM SCORE 0-28)", _INK, 3, "center")
    text(W // 2, 44, "LOWER IS BETTER. SHADED: THE BANDS. ?: NOT SCORED",
         _AXIS, 2, "center")

    # The bands, each from half a point below its lowest score to half above its highest.
    for b in BANDS:
        shade, ink = _SHADES[b.id]
        top, bottom = y_of(min(b.high + 0.5, MAX_SCORE)), y_of(max(b.low - 0.5, 0))
        rect(_X0, top, _X1, bottom, shade)
        text(_LABELS_X, (top + bottom) // 2 - 7, _BAND_NAMES[b.id], ink, 2)
    for score in range(0, MAX_SCORE + 1, 7):
        y = y_of(score)
        rect(_X0, y, _X1, y + 1, _GRID if score else _AXIS)
        text(_X0 - 10, y - 7, str(score), _AXIS, 2, "right")
    rect(_X0 - 1, _Y0, _X0, _Y1 + 1, _AXIS)

    slot = (_X1 - _X0) / max(len(weeks), 1)
    centres = [x_of(i, len(weeks)) for i in range(len(weeks))]
    cell = max(int(slot) - 4, 4)
    # A week checked but not scored (two or more questions skipped) is a gap through the
    # bands with its "?" in it: a "?" drawn over a band read as a score in that band.
    for i, week in enumerate(weeks):
        if week.checked and week.score is None:
            rect(centres[i] - cell // 2, _Y0, centres[i] - cell // 2 + cell, _Y1, _GRID)
            text(centres[i], (_Y0 + _Y1) // 2 - 7, "?", _AXIS, 2, "center")
    points = {i: (centres[i], y_of(w.score)) for i, w in enumerate(weeks) if w.score is not None}
    for i, (x, y) in points.items():
        if i + 1 in points:  # only weeks side by side are joined: a gap stays a gap
            canvas.line(x, y, *points[i + 1], _POINT_LINE)
    for i, week in enumerate(weeks):
        if week.score is not None:
            x, y = points[i]
            rect(x - 5, y - 5, x + 6, y + 6, _POINT)
            text(x, y - 22, str(week.score), _POINT, 2, "center")
    if not points and not any(w.checked for w in weeks):
        text((_X0 + _X1) // 2, (_Y0 + _Y1) // 2 - 10, "NO CHECKS YET", _AXIS, 3, "center")

    # The habits kept, one row each, a cell a week, darker for more days.
    top = _Y1 + 24
    text(_X0, top, "DAYS EACH HABIT WAS KEPT THAT WEEK (0-7)", _INK, 2)
    top += 24
    for row, (habit_id, name) in enumerate(habits):
        y = top + row * _ROW
        text(_LABELS_X, y + 3, name[:11], _INK, 2)
        for i, week in enumerate(weeks):
            days = min(week.kept.get(habit_id, 0), 7)
            shade = _mix(_NO_DAYS, _EVERY_DAY, days / 7)
            rect(centres[i] - cell // 2, y, centres[i] - cell // 2 + cell, y + _CELL, shade)
            if days and cell >= text_width("7", 2):
                text(centres[i], y + 3, str(days), _GRID if days >= 4 else _INK, 2, "center")
    if not habits:
        text(_X0, top + 3, "NO HABIT CHECK-INS IN THESE WEEKS (SEE /HABITS)", _SOFT, 2)

    # Weeks along the bottom: the Monday each starts, about every fourth week.
    bottom = top + max(len(habits), 1) * _ROW + 6
    every = max(1, round(len(weeks) / 6))
    for i in range(len(weeks) - 1, -1, -every):  # always label this week
        start = weeks[i].start
        rect(centres[i], _Y1 + 1, centres[i] + 1, _Y1 + 6, _AXIS)
        text(centres[i], bottom, f"{start.day} {MONTHS[start.month - 1]}", _INK, 2, "center")
    return canvas.png()
