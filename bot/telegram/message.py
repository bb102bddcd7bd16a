"""A finished message: Telegram HTML (already ending with the disclaimer) and its buttons.

Built only by the renderer (bot/library/render.py); sent only by bot/telegram/send.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup


@dataclass(frozen=True)
class Button:
    label: str
    data: str | None = None  # callback_data
    url: str | None = None
    share_query: str | None = None  # switch_inline_query: share a card into another chat


Keyboard = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True)
class Outgoing:
    """A finished message: Telegram HTML that already ends with the disclaimer."""

    text: str
    buttons: Keyboard = ()
    photo: str | bytes | None = None  # a file_id, URL or PNG bytes; `text` is then its caption

    def reply_markup(self) -> InlineKeyboardMarkup | None:
        if not self.buttons:
            return None
        return InlineKeyboardMarkup([
            [InlineKeyboardButton(b.label, callback_data=b.data, url=b.url,
                                  switch_inline_query=b.share_query) for b in row]
            for row in self.buttons
        ])

    def markup_dict(self) -> dict[str, Any] | None:
        markup = self.reply_markup()
        return markup.to_dict() if markup else None


def keyboard(rows: Iterable[Sequence[Button]]) -> Keyboard:
    return tuple(tuple(row) for row in rows if row)
