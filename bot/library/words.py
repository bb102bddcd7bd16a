"""The one normal form of a message's words, shared by search and its vocabulary."""

from __future__ import annotations

import re
import unicodedata


def normalise(text: str) -> str:
    """Lower case, accents and apostrophes dropped, punctuation as spaces, padded by spaces.

    Rules are written against this form: "Can't BREATHE!!" becomes " cant breathe ".
    """
    if not text.isascii():  # plain ASCII (most messages) has no accents to drop
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.lower().replace("\u2019", "'").replace("'", "")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return f" {text.strip()} "
