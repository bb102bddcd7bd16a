"""Which card comes next for a chat: unread first, then the one read longest ago."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from bot.library.model import Card, Library


def next_card(library: Library, last_read: Mapping[str, int], *, after: str | None = None,
              topics: Collection[str] | None = None) -> Card | None:
    """The card to show after `after` (a card id), never `after` itself when another exists.

    Unread cards come first: the rest of the current topic, then the library in menu order,
    wrapping round. When everything has been read, the least recently read comes round again.
    The minute tick calls this for every due chat, so it walks a cached tuple, no copies.
    """
    order, position = library.order_within(frozenset(topics) if topics else None)
    count = len(order)
    if count == 0:
        return None
    start = position[after] + 1 if after is not None and after in position else 0
    oldest: Card | None = None
    oldest_time = 0
    for step in range(count):
        card = order[(start + step) % count]
        if card.id == after:
            continue
        when = last_read.get(card.id)
        if when is None:
            return card
        if oldest is None or when < oldest_time:
            oldest, oldest_time = card, when
    return oldest or order[0]
