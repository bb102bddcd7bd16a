"""The one way out: every text a chat receives is built here and ends with the disclaimer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from markupsafe import Markup

from bot.library import templates
from bot.library.model import Card, Library
from bot.telegram import html as telegram_html
from bot.telegram.message import Keyboard, Outgoing

DISCLAIMER_TEMPLATE = "disclaimer_short"
# Messages kept once built (cards, menus, an answer's text for its cards): bounded, as answers
# are kept per combination of cards.
MESSAGE_CACHE_MAX = 20_000


class RenderError(ValueError):
    """A message could not be built within Telegram's rules."""


class Renderer:
    """Jinja2 templates from content/templates, autoescaped, plus the short disclaimer."""

    def __init__(self, templates_dir: Path, library: Library) -> None:
        self.library = library
        self._env = templates.environment(templates_dir)
        self._env.globals["label"] = library.label
        self._card_cache: dict[str, str] = {}
        self._message_cache: dict[str, Outgoing] = {}
        self.disclaimer = self._env.get_template(f"{DISCLAIMER_TEMPLATE}.html.j2").render().strip()

    def room_for(self, photo: bool = False) -> int:
        """How many characters a body may have before the disclaimer would push it over."""
        limit = telegram_html.MAX_CAPTION_LENGTH if photo else telegram_html.MAX_MESSAGE_LENGTH
        return limit - telegram_html.visible_length(self.disclaimer) - 2

    def body(self, template: str, **context: Any) -> str:
        """A template's HTML without the disclaimer, for composing a larger message."""
        return self._env.get_template(f"{template}.html.j2").render(**context).strip()

    def message(self, template: str, buttons: Keyboard = (), *, photo: str | bytes | None = None,
                **context: Any) -> Outgoing:
        return self.finish(self.body(template, **context), buttons, photo=photo)

    def finish(self, body_html: str, buttons: Keyboard = (), *,
               limit: int | None = None, photo: str | bytes | None = None) -> Outgoing:
        """Append the disclaimer and check the result against Telegram's rules (a photo's
        caption has a limit of its own)."""
        if limit is None:
            limit = (telegram_html.MAX_CAPTION_LENGTH if photo
                     else telegram_html.MAX_MESSAGE_LENGTH)
        text = f"{body_html}\n\n{self.disclaimer}" if body_html else self.disclaimer
        problems = telegram_html.problems(text)
        if problems:
            raise RenderError("; ".join(problems))
        if telegram_html.visible_length(text) > limit:
            raise RenderError(f"message is longer than Telegram's {limit} characters")
        _check_buttons(buttons)
        return Outgoing(text=text, buttons=buttons, photo=photo)

    def with_buttons(self, out: Outgoing, buttons: Keyboard) -> Outgoing:
        """A finished (perhaps cached) message under buttons of its own, checked likewise."""
        _check_buttons(buttons)
        return replace(out, buttons=buttons)

    def cached(self, key: str, build: Callable[[], Outgoing]) -> Outgoing:
        """A message that depends only on the (immutable) library, built once.

        The daily card is the same for everyone who gets a given card, so the minute tick's
        20,000 rows need only as many renders as there are cards.
        """
        out = self._message_cache.get(key)
        if out is None:
            if len(self._message_cache) >= MESSAGE_CACHE_MAX:
                self._message_cache.clear()  # keys come from the library: rarely reached
            out = self._message_cache[key] = build()
        return out

    def cached_or_none(self, key: str) -> Outgoing | None:
        return self._message_cache.get(key)

    def card_html(self, card: Card) -> str:
        """A card's own HTML (title, body, sources), cached: cards are immutable."""
        cached = self._card_cache.get(card.id)
        if cached is None:
            topic = self.library.topic(card.topic)
            cached = self.body("card", card=card, topic=topic, body=Markup(card.body_html))
            self._card_cache[card.id] = cached
        return cached


def _check_buttons(buttons: Keyboard) -> None:
    for row in buttons:
        for b in row:
            if b.data is not None and \
                    len(b.data.encode()) > telegram_html.MAX_CALLBACK_DATA_BYTES:
                raise RenderError(f"callback_data {b.data!r} is over 64 bytes")
