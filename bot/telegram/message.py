"""A finished message: Telegram HTML (already ending with the disclaimer) and its buttons.

Built only by the renderer (bot/library/render.py); sent only by bot/telegram/send.py.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove


@dataclass(frozen=True)
class Button:
    label: str
    data: str | None = None  # callback_data
    url: str | None = None
    share_query: str | None = None  # switch_inline_query: share a card into another chat


@dataclass(frozen=True)
class Key:
    """A button of the reply keyboard under the typing field: pressing it sends its label as
    a message, or with `location` asks the person to share where they are."""

    label: str
    location: bool = False


Keyboard = tuple[tuple[Button, ...], ...]
Keys = tuple[tuple[Key, ...], ...]


@dataclass(frozen=True)
class Outgoing:
    """A finished message: Telegram HTML that already ends with the disclaimer.

    A message carries one markup at most (Telegram's rule): buttons under the message, or a
    reply keyboard under the typing field (`keys`), or the order to take that keyboard away
    (`remove_keys`).
    """

    text: str
    buttons: Keyboard = ()
    photo: str | bytes | None = None  # a file_id, URL or PNG bytes; `text` is then its caption
    keys: Keys = ()
    remove_keys: bool = False
    # The forum topic it goes to, when sent from the outbox (a ticket's topic in the team's
    # supergroup); a reply goes to the topic its update came from.
    thread: int | None = None

    def __post_init__(self) -> None:
        if sum((bool(self.buttons), bool(self.keys), self.remove_keys)) > 1:
            raise ValueError("a message has inline buttons, a reply keyboard or its removal, "
                             "not two of them")

    @property
    def editable(self) -> bool:
        """Whether it can replace a message in place: an edit carries inline buttons only."""
        return not self.photo and not self.keys and not self.remove_keys

    def with_keys(self, rows: Iterable[Sequence[Key]]) -> Outgoing:
        """The same message with a reply keyboard instead of inline buttons."""
        return dataclasses.replace(self, buttons=(), keys=tuple(tuple(r) for r in rows if r),
                                   remove_keys=False)

    def in_topic(self, thread: int | None) -> Outgoing:
        return dataclasses.replace(self, thread=thread)

    def removing_keys(self) -> Outgoing:
        """The same message, taking away a reply keyboard shown earlier."""
        return dataclasses.replace(self, buttons=(), keys=(), remove_keys=True)

    def reply_markup(self) -> Markup | None:
        if self.buttons:
            return self.inline_markup()
        if self.keys:
            # One tap and it folds away; resized so two buttons do not fill half the screen.
            return ReplyKeyboardMarkup(
                [[KeyboardButton(k.label, request_location=k.location or None) for k in row]
                 for row in self.keys],
                resize_keyboard=True, one_time_keyboard=True)
        if self.remove_keys:
            return ReplyKeyboardRemove()
        return None

    def inline_markup(self) -> InlineKeyboardMarkup | None:
        """The inline buttons alone: what an edit or an inline result can carry."""
        if not self.buttons:
            return None
        return InlineKeyboardMarkup([
            [InlineKeyboardButton(b.label, callback_data=b.data, url=b.url,
                                  switch_inline_query=b.share_query) for b in row]
            for row in self.buttons
        ])

    def markup_dict(self) -> dict[str, Any] | None:
        return self._markup_json

    @functools.cached_property
    def _markup_json(self) -> dict[str, Any] | None:
        # The markup as the Bot API's JSON, written directly (PTB's objects cost more to build
        # and serialise than the rest of a reply) and once per message: a cached card goes to
        # many chats. cached_property writes the instance's __dict__, which a frozen
        # dataclass allows.
        if self.buttons:
            return {"inline_keyboard": [[_button_json(b) for b in row] for row in self.buttons]}
        if self.keys:
            return {"keyboard": [[{"text": k.label, "request_location": True} if k.location
                                  else {"text": k.label} for k in row] for row in self.keys],
                    "resize_keyboard": True, "one_time_keyboard": True}
        if self.remove_keys:
            return {"remove_keyboard": True}
        return None


def _button_json(button: Button) -> dict[str, str]:
    found = {"text": button.label, "callback_data": button.data, "url": button.url,
             "switch_inline_query": button.share_query}
    return {name: value for name, value in found.items() if value is not None}


def keyboard(rows: Iterable[Sequence[Button]]) -> Keyboard:
    return tuple(tuple(row) for row in rows if row)
