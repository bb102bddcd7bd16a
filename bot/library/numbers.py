"""Whole numbers a person typed or a button carries: ASCII digits only, within bounds.

`str.isdigit()` accepts superscripts ("²") and other digits `int()` refuses, and `int()` of
5,000 digits raises too; SQLite refuses integers past 64 bits. Every number read from a
message or from callback data comes through here, so none of that can reach int() or SQL.
"""

from __future__ import annotations

import re

MAX_INT64 = 2**63 - 1  # SQLite's INTEGER; ids outside it cannot be stored, so none can match
_DIGITS = re.compile(r"[0-9]{1,19}")


def whole_number(text: str, *, most: int = MAX_INT64) -> int | None:
    """The number `text` is (plain ASCII digits, nothing else), or None; None above `most`."""
    if not _DIGITS.fullmatch(text):
        return None
    number = int(text)
    return number if number <= most else None
