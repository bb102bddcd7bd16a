"""The content as the bot holds it: topics, cards, sources, habits, labels and the library
that ties them together. Immutable: a reload builds a new Library and swaps it whole."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.library.helplines import Helplines
from bot.library.problems import Problem
from bot.library.triage import Triage

CARD_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_CARD_ID = 40  # "card:" + id must stay well inside Telegram's 64-byte callback_data
MAX_TITLE = 80
MAX_BODY = 900  # about one phone screen
MAX_SOURCE_DETAIL = 120  # the "Where this comes from" line must not double the card
MAX_CAUTION = 200  # one short sentence: it is repeated in every excerpt, so it must stay small
AUDIENCES = frozenset({"everyone", "adults", "parents"})


class ContentError(Exception):
    """The content folder is not usable; `problems` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    year: int | None


@dataclass(frozen=True)
class CardSource:
    article: Source
    detail: str


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    emoji: str
    blurb: str

    @property
    def label(self) -> str:
        return f"{self.emoji} {self.title}".strip()


@dataclass(frozen=True)
class Card:
    id: str
    topic: str
    title: str
    audience: str
    order: int
    keywords: tuple[str, ...]
    sources: tuple[CardSource, ...]
    body: str  # as written, for search
    body_html: str  # Telegram HTML, already escaped
    file: str
    # One plain sentence shown with every form of the card (full, excerpt, daily, shared), so
    # a warning such as "ask your child's doctor first" is never cut away with the body.
    caution: str = ""


@dataclass(frozen=True)
class Habit:
    id: str
    label: str
    question: str


# What can bring a question for the doctor into /report (content/doctor_questions.yaml).
QUESTION_SIGNALS = frozenset({"severe", "moderate", "rise", "fall", "steady", "sleep",
                              "bleeding", "weeping", "itch", "child", "self", "always"})
MAX_QUESTION = 200


@dataclass(frozen=True)
class DoctorQuestion:
    """A question a person may want to ask at the appointment, from a card, brought by what
    their report shows (`when`) or by words in their notes (`notes`)."""

    id: str
    card: str
    text: str
    when: frozenset[str] = frozenset()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Library:
    topics: tuple[Topic, ...]
    cards: Mapping[str, Card]
    sources: Mapping[str, Source]
    synonyms: Mapping[str, tuple[str, ...]]
    labels: Mapping[str, str]
    commands: tuple[tuple[str, str], ...]  # the command menu: (command, description)
    zone_buttons: tuple[tuple[str, str], ...] = ()  # (label, IANA name)
    zone_aliases: Mapping[str, str] = field(default_factory=dict)
    habits: tuple[Habit, ...] = ()
    triage: Triage | None = None  # which tier of urgent care a message needs
    helplines: Helplines | None = None  # emergency, advice and crisis numbers by country
    doctor_questions: tuple[DoctorQuestion, ...] = ()  # /report's questions to ask

    def topic(self, topic_id: str) -> Topic | None:
        return next((t for t in self.topics if t.id == topic_id), None)

    def cards_in(self, topic_id: str) -> list[Card]:
        return sorted(
            (c for c in self.cards.values() if c.topic == topic_id), key=lambda c: (c.order, c.id)
        )

    @functools.cached_property
    def _order(self) -> tuple[Card, ...]:
        return tuple(card for topic in self.topics for card in self.cards_in(topic.id))

    def reading_order(self) -> list[Card]:
        """All cards, topic by topic in menu order: the order 'Next card' walks."""
        return list(self._order)

    def order_within(self, topics: frozenset[str] | None
                     ) -> tuple[tuple[Card, ...], Mapping[str, int]]:
        """Reading order limited to some topics (all when None), with each card's position."""
        cache: dict[frozenset[str] | None, tuple[tuple[Card, ...], dict[str, int]]] = \
            self._orders
        if topics not in cache:
            order = tuple(c for c in self._order if topics is None or c.topic in topics)
            cache[topics] = (order, {c.id: i for i, c in enumerate(order)})
        return cache[topics]

    @functools.cached_property
    def _orders(self) -> dict[frozenset[str] | None, tuple[tuple[Card, ...], dict[str, int]]]:
        return {}

    def label(self, key: str) -> str:
        return self.labels[key]
