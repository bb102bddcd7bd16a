"""What people asked that the cards did not answer well, kept without anyone in it: numbers,
links, e-mail addresses, @handles and names are masked before a question is stored."""

from __future__ import annotations

import re

MAX_QUESTION = 200
_MASKS = (
    (re.compile(r"https?://\S+|www\.\S+"), "[link]"),
    (re.compile(r"\S+@\S+\.\w+"), "[email]"),
    (re.compile(r"@\w+"), "[handle]"),
    (re.compile(r"\d+"), "#"),
)
# A capitalised word that does not start a sentence is most likely a name ("my son Jack").
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+\b")
_KEEP_CAPITALISED = frozenset({"I", "I'm", "I've", "I'd", "I'll", "GP", "NHS", "TSW"})


def masked(question: str) -> str:
    """The question as it may be kept: one line, at most MAX_QUESTION characters, with
    anything that could say who asked it masked."""
    text = " ".join(question.split())[:MAX_QUESTION]
    for pattern, replacement in _MASKS:
        text = pattern.sub(replacement, text)
    return _NAME.sub(lambda m: m.group() if m.group() in _KEEP_CAPITALISED else "[name]", text)
