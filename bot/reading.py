"""Which card comes next for a chat: unread first, then the one read longest ago."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from bot.content import Card, Library

__all__ = ["Card", "next_card"]


def next_card(library: Library, last_read: Mapping[str, int], *, after: str | None = None,
              topics: Collection[str] | None = None) -> Card | None:
    """The card to show after `after` (a card id), never `after` itself when another exists.

    Unread cards come first: the rest of the current topic, then the library in menu order.
    When everything has been read, the least recently read card comes round again.
    """
    order = [c for c in library.reading_order() if not topics or c.topic in topics]
    if not order:
        return None
    current = library.cards.get(after) if after else None
    if current is not None and current in order:
        # Start just after the current card so the walk continues through its topic.
        start = order.index(current) + 1
        order = order[start:] + order[:start]
    candidates = [c for c in order if c.id != after] or order
    unread = [c for c in candidates if c.id not in last_read]
    if unread:
        return unread[0]
    return min(candidates, key=lambda c: last_read.get(c.id, 0))
