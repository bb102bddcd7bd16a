"""Text and shapes on a PDF page, for /report: the embedded fonts (DejaVu Sans, from
content/fonts/), wrapping and measuring text in them, and a pen that goes down the page.
Sizes are in points; greys from 0 (black) to 1 (white), so that a page prints in black and
white as it looks on screen."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

REGULAR, BOLD = "ReportSans", "ReportSans-Bold"
FONT_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
MARGIN, FOOTER = 34.0, 42.0
BODY, LEADING = 8.3, 10.4  # body text: size and line pitch
ROW = 10.0  # a table row
GAP = 9.0  # between blocks
INK, SOFT, FAINT = 0.0, 0.35, 0.55
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def register_fonts(fonts: Path) -> None:
    """The two fonts, parsed once per process (ReportLab keeps them by name)."""
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


def day_words(day: date, year: bool = False) -> str:
    return f"{day.day} {MONTHS[day.month - 1]}" + (f" {day.year}" if year else "")


def short_day(day: date, years: bool) -> str:
    """A week's Monday in the table and the chart: "7 Sep", or "7 Sep ’25" when the report
    spans more than one year."""
    return day_words(day) + (f" ’{day.year % 100:02d}" if years else "")

