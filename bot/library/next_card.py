"""Which card comes next for a chat: unread first, then the one read longest ago; and the cards
for whom the chat said it is (a parent, or someone with eczema themselves) before the rest."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from bot.library.model import Card, Library

# Who a chat's cards are for (asked in a first private chat, /who) and the audience it
# prefers; cards for everyone sit between, the other audience's come last, and none is hidden.
_PREFERRED = {"child": "parents", "self": "adults"}
_OTHER = {"child": "adults", "self": "parents"}


def audience_rank(card: Card, who: str | None) -> int:
    """0 for a card meant for this reader (every card when `who` is unknown), 1 for one
    meant for everyone, 2 for one meant for the other audience."""
    preferred = _PREFERRED.get(who or "")
    if preferred is None or card.audience == preferred:
        return 0
    return 2 if card.audience == _OTHER[who or ""] else 1


def for_reader(cards: Iterable[Card], who: str | None) -> list[Card]:
    """The cards, this reader's first; otherwise in the order given (the sort is stable)."""
    return sorted(cards, key=lambda card: audience_rank(card, who))


def next_card(library: Library, last_read: Mapping[str, int], *, after: str | None = None,
              topics: Iterable[str] | None = None, who: str | None = None) -> Card | None:
    """The card to show after `after` (a card id), never `after` itself when another exists.

    Unread cards come first: the rest of the current topic, then the library in menu order,
    wrapping round; within each of those two, the reader's own audience first, then cards for
    everyone, then the rest (audience_rank). When everything has been read, the least
    recently read comes round again. The minute tick calls this for every due chat, so it
    walks a cached tuple, no copies, and stops at the first card nothing later can beat.
    """
    order, position = library.order_within(frozenset(topics) if topics else None)
    count = len(order)
    if count == 0:
        return None
    here = position.get(after) if after is not None else None
    start = here + 1 if here is not None else 0
    topic = order[here].topic if here is not None else None
    best: Card | None = None
    best_key = (2, 3)
    oldest: Card | None = None
    oldest_time = 0
    for step in range(count):
        index = start + step
        card = order[index % count]
        # Still in the rest of the current topic: the same topic, not yet wrapped round.
        if topic is not None and (index >= count or card.topic != topic):
            topic = None
        if card.id == after:
            continue
        when = last_read.get(card.id)
        if when is None:
            rank = audience_rank(card, who)
            key = (0 if topic is not None else 1, rank)
            if key < best_key:
                best, best_key = card, key
            if rank == 0:
                return best  # later cards are no nearer and no better suited
            continue
        if oldest is None or when < oldest_time:
            oldest, oldest_time = card, when
    return best or oldest or order[0]
