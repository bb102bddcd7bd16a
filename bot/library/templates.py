"""The Jinja2 environment for message templates, shared by the renderer and the validator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from bot.library import dates


def environment(folder: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=True,  # whatever a user typed arrives escaped
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        # A template is read once: /reload builds a new environment. Otherwise every message
        # asked the file system whether its template had changed.
        auto_reload=False,
    )
    env.filters["clip"] = clip
    env.filters["local"] = dates.local  # {{ at | local(zone, "moment") }}: the one date format
    return env


def clip(value: Any, limit: int = 200) -> str:
    """Shorten user-supplied text before it is escaped into a message."""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
