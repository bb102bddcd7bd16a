"""A small RGB canvas that writes a PNG without an imaging library.

Rectangles, thick straight lines and a 5x7 bitmap font (capitals, digits and a little
punctuation) are all the bot's charts need: the moderators' activity chart (stats.py) and a
person's weekly skin chart (skin_chart.py).
"""

from __future__ import annotations

import struct
import zlib

Color = tuple[int, int, int]

# Each glyph: 7 rows, each a base-32 digit whose 5 bits are the pixels, leftmost highest.
FONT = dict(zip("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ.-(),:/+'?", [
    "ehjlphe", "4c4444e", "eh1248v", "v2421he", "26aiv22", "vgu11he", "68guhhe", "v124888",
    "ehhehhe", "ehhf12c", "ehhvhhh", "uhhuhhu", "ehggghe", "sihhhis", "vgguggv", "vgguggg",
    "ehgnhhf", "hhhvhhh", "e44444e", "72222ic", "hikokih", "ggggggv", "hrllhhh", "hhpljhh",
    "ehhhhhe", "uhhuggg", "ehhhlid", "uhhukih", "fgge11u", "v444444", "hhhhhhe", "hhhhha4",
    "hhhllla", "hha4ahh", "hha4444", "v1248gv", "00000cc", "000e000", "2488842", "8422248",
    "0000c48", "0cc0cc0", "11248gg", "044v440", "4480000", "eh12404",
]))
MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]


def text_width(s: str, scale: int = 3) -> int:
    return len(s) * 6 * scale - scale


class Canvas:
    """width x height pixels, three bytes each, drawn on in place."""

    def __init__(self, width: int, height: int, background: Color = (255, 255, 255)) -> None:
        self.width, self.height = width, height
        self.px = bytearray(bytes(background) * (width * height))

    def rect(self, x0: int, y0: int, x1: int, y1: int, color: Color) -> None:
        """Fill [x0, x1) x [y0, y1), clipped to the canvas."""
        w = self.width
        x0, x1, y0, y1 = max(x0, 0), min(x1, w), max(y0, 0), min(y1, self.height)
        if x1 > x0:
            row = bytes(color) * (x1 - x0)
            for y in range(y0, y1):
                self.px[(y * w + x0) * 3:(y * w + x1) * 3] = row

    def text(self, x: int, y: int, s: str, color: Color, scale: int = 3,
             align: str = "left") -> None:
        """`s` in capitals from (x, y), its top left corner; align moves x to its centre or
        right end. Characters the font lacks are left blank."""
        x -= {"left": 0, "center": text_width(s, scale) // 2, "right": text_width(s, scale)}[align]
        for i, ch in enumerate(s.upper()):
            for row, digit in enumerate(FONT.get(ch, "0000000")):
                bits = int(digit, 32)
                for col in range(5):
                    if bits & (16 >> col):
                        cx, cy = x + (i * 6 + col) * scale, y + row * scale
                        self.rect(cx, cy, cx + scale, cy + scale, color)

    def line(self, xa: int, ya: int, xb: int, yb: int, color: Color, half: int = 1) -> None:
        """A straight line of square dots, 2 * half + 1 pixels thick."""
        steps = max(abs(xb - xa), abs(yb - ya), 1)
        for s in range(steps + 1):
            x, y = xa + (xb - xa) * s // steps, ya + (yb - ya) * s // steps
            self.rect(x - half, y - half, x + half + 1, y + half + 1, color)

    def png(self) -> bytes:
        """The canvas as an 8-bit RGB PNG: one IDAT chunk, no filtering."""
        w, h, px = self.width, self.height, self.px
        raw = b"".join(b"\0" + px[y * w * 3:(y + 1) * w * 3] for y in range(h))
        return b"\x89PNG\r\n\x1a\n" + b"".join(
            struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))
            for tag, data in ((b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)),
                              (b"IDAT", zlib.compress(raw, 9)), (b"IEND", b"")))


def step(top: int) -> int:
    """The smallest 1, 2 or 5 x 10^k whose four steps reach `top`."""
    magnitude = 1
    while True:
        for m in (1, 2, 5):
            if 4 * m * magnitude >= top:
                return m * magnitude
        magnitude *= 10
