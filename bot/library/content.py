"""Load content/ into an immutable library, naming the file and field of every problem."""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from bot.library.helplines import Helplines, load_helplines
from bot.library.problems import Problem
from bot.library.triage import Triage, load_triage
from bot.telegram import html as telegram_html

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


def load_library(root: Path) -> Library:
    """Read and validate everything under root; raise ContentError listing every problem."""
    problems: list[Problem] = []
    sources = _load_sources(root, problems)
    topics = _load_topics(root, problems)
    cards = _load_cards(root, {t.id for t in topics}, sources, problems)
    for topic in topics:
        if not any(c.topic == topic.id for c in cards.values()):
            problems.append(Problem("topics.yaml", topic.id, "topic has no cards"))
    synonyms = _load_synonyms(root, problems)
    labels, commands = _load_labels(root, problems)
    zone_buttons, zone_aliases = _load_zones(root, problems)
    habits = _load_habits(root, problems)
    triage = load_triage(root / "triage.yaml", problems)
    helplines = load_helplines(root / "helplines.yaml", problems)
    _check_templates(root / "templates", problems)
    for rule in triage.rules:
        if not (root / "templates" / f"triage_{rule.guidance}.html.j2").is_file():
            problems.append(Problem("triage.yaml", rule.id,
                                    f"no template triage_{rule.guidance}.html.j2"))
    if problems:
        raise ContentError(problems)
    return Library(
        topics=tuple(topics),
        cards=MappingProxyType(cards),
        sources=MappingProxyType(sources),
        synonyms=MappingProxyType(synonyms),
        labels=MappingProxyType(labels),
        commands=commands,
        zone_buttons=zone_buttons,
        zone_aliases=MappingProxyType(zone_aliases),
        habits=habits,
        triage=triage,
        helplines=helplines,
    )


def _read_yaml(path: Path, root: Path, problems: list[Problem]) -> Any:
    name = str(path.relative_to(root))
    if not path.is_file():
        problems.append(Problem(name, "-", "file is missing"))
        return None
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        problems.append(Problem(name, "-", f"not valid YAML: {_one_line(exc)}"))
        return None


def _entries(data: Any, key: str, name: str, problems: list[Problem]) -> list[dict[str, Any]]:
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        problems.append(Problem(name, key, "must be a list of mappings"))
        return []
    return items


def _text(entry: dict[str, Any], key: str, name: str, problems: list[Problem]) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.append(Problem(name, key, "is missing or empty"))
        return ""
    return value.strip()


def _load_sources(root: Path, problems: list[Problem]) -> dict[str, Source]:
    sources: dict[str, Source] = {}
    for entry in _entries(_read_yaml(root / "sources.yaml", root, problems), "sources",
                          "sources.yaml", problems):
        sid = _text(entry, "id", "sources.yaml", problems)
        year = entry.get("year")
        sources[sid] = Source(
            id=sid,
            title=_text(entry, "title", f"sources.yaml ({sid})", problems),
            publisher=_text(entry, "publisher", f"sources.yaml ({sid})", problems),
            year=year if isinstance(year, int) else None,
        )
    return sources


def _load_topics(root: Path, problems: list[Problem]) -> list[Topic]:
    topics: list[Topic] = []
    seen: set[str] = set()
    for entry in _entries(_read_yaml(root / "topics.yaml", root, problems), "topics",
                          "topics.yaml", problems):
        tid = _text(entry, "id", "topics.yaml", problems)
        where = f"topics.yaml ({tid})"
        if tid in seen:
            problems.append(Problem("topics.yaml", "id", f"duplicate topic id {tid!r}"))
        elif tid and not CARD_ID.match(tid):
            problems.append(Problem(where, "id", "use lowercase letters, digits and dashes"))
        seen.add(tid)
        topics.append(Topic(
            id=tid,
            title=_text(entry, "title", where, problems),
            emoji=str(entry.get("emoji") or "").strip(),
            blurb=_text(entry, "blurb", where, problems),
        ))
    return topics


def _load_cards(root: Path, topic_ids: set[str], sources: dict[str, Source],
                problems: list[Problem]) -> dict[str, Card]:
    cards: dict[str, Card] = {}
    files = sorted((root / "cards").glob("*.md"))
    if not files:
        problems.append(Problem("cards/", "-", "no card files (*.md) found"))
    for path in files:
        card = _load_card(path, root, topic_ids, sources, problems)
        if card is None:
            continue
        if card.id in cards:
            problems.append(Problem(card.file, "id",
                                    f"duplicate card id {card.id!r} (also {cards[card.id].file})"))
            continue
        cards[card.id] = card
    return cards


def _load_card(path: Path, root: Path, topic_ids: set[str], sources: dict[str, Source],
               problems: list[Problem]) -> Card | None:
    name = str(path.relative_to(root))
    before = len(problems)
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems.append(Problem(name, "-", "is not UTF-8 text"))
        return None
    match = re.match(r"\A---\s*\n(.*?)\n---\s*\n(.*)\Z", raw, re.S)
    if not match:
        problems.append(Problem(name, "front matter", "must start with a --- YAML block ---"))
        return None
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        problems.append(Problem(name, "front matter", f"not valid YAML: {_one_line(exc)}"))
        return None
    if not isinstance(meta, dict):
        problems.append(Problem(name, "front matter", "must be a mapping of fields"))
        return None

    card_id = _text(meta, "id", name, problems)
    if card_id and (not CARD_ID.match(card_id) or len(card_id) > MAX_CARD_ID):
        problems.append(Problem(name, "id", f"use up to {MAX_CARD_ID} lowercase letters, "
                                            "digits and dashes"))
    elif card_id and card_id != path.stem:
        problems.append(Problem(name, "id", f"{card_id!r} differs from the file name"))
    topic = _text(meta, "topic", name, problems)
    if topic and topic not in topic_ids:
        problems.append(Problem(name, "topic", f"unknown topic {topic!r}"))
    title = _text(meta, "title", name, problems)
    if len(title) > MAX_TITLE:
        problems.append(Problem(name, "title", f"longer than {MAX_TITLE} characters"))
    audience = str(meta.get("audience") or "everyone")
    if audience not in AUDIENCES:
        problems.append(Problem(name, "audience", f"must be one of {sorted(AUDIENCES)}"))
    order = meta.get("order", 100)
    if not isinstance(order, int):
        problems.append(Problem(name, "order", "must be a whole number"))
        order = 100
    keywords = meta.get("keywords") or []
    if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
        problems.append(Problem(name, "keywords", "must be a list of words"))
        keywords = []
    card_sources = _card_sources(meta.get("sources"), sources, name, problems)
    caution = _caution(meta, name, problems)

    body = match.group(2).strip()
    body_html = body_to_html(body)
    if not body:
        problems.append(Problem(name, "body", "is empty"))
    elif len(body) > MAX_BODY:
        problems.append(Problem(name, "body", f"{len(body)} characters; a card must fit one "
                                              f"screen ({MAX_BODY} at most)"))
    for reason in telegram_html.problems(body_html):
        problems.append(Problem(name, "body", f"markup Telegram would reject: {reason}"))
    if "**" in body_html or re.search(r"(?<!\w)_|_(?!\w)", body_html):
        problems.append(Problem(name, "body", "unbalanced ** or _ markers"))
    if len(problems) > before:
        return None
    return Card(
        id=card_id, topic=topic, title=title, audience=audience, order=order,
        keywords=tuple(k.strip().lower() for k in keywords if k.strip()),
        sources=tuple(card_sources), body=body, body_html=body_html, file=name,
        caution=caution,
    )


def _caution(meta: dict[str, Any], name: str, problems: list[Problem]) -> str:
    """The optional caution: one plain line, since it is shown as-is beside every excerpt."""
    if "caution" not in meta:
        return ""
    raw = meta["caution"]
    if not isinstance(raw, str) or not raw.strip():
        problems.append(Problem(name, "caution", "must be one sentence of text, or left out"))
        return ""
    caution = raw.strip()
    if "\n" in caution:
        problems.append(Problem(name, "caution", "must be a single line"))
    if len(caution) > MAX_CAUTION:
        problems.append(Problem(name, "caution", f"{len(caution)} characters; "
                                                 f"keep it to {MAX_CAUTION}"))
    if re.search(r"\*\*|(?<!\w)_|_(?!\w)", caution):
        # It is shown escaped, not converted, so the markers would reach the reader as symbols.
        problems.append(Problem(name, "caution", "plain text only: no ** or _ markers"))
    return caution


def _card_sources(raw: Any, sources: dict[str, Source], name: str,
                  problems: list[Problem]) -> list[CardSource]:
    if not isinstance(raw, list) or not raw:
        problems.append(Problem(name, "sources", "name at least one article it comes from"))
        return []
    found: list[CardSource] = []
    for entry in raw:
        if not isinstance(entry, dict):
            problems.append(Problem(name, "sources", "each entry needs article and detail"))
            continue
        article = sources.get(str(entry.get("article")))
        if article is None:
            problems.append(Problem(name, "sources",
                                    f"unknown article {entry.get('article')!r}; "
                                    f"known: {sorted(sources)}"))
            continue
        detail = str(entry.get("detail") or "").strip()
        if len(detail) > MAX_SOURCE_DETAIL:
            problems.append(Problem(name, "sources", f"detail is {len(detail)} characters; "
                                                     f"keep it to {MAX_SOURCE_DETAIL}"))
        found.append(CardSource(article=article, detail=detail))
    return found


def body_to_html(body: str) -> str:
    """The cards' small markup (**bold**, _italic_, '- ' bullets) as escaped Telegram HTML."""
    text = html.escape(body, quote=False)
    text = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text, flags=re.S)
    text = re.sub(r"(?<!\w)_(.+?)_(?!\w)", r"<i>\1</i>", text, flags=re.S)
    text = re.sub(r"^- ", "• ", text, flags=re.M)
    return text


def _load_synonyms(root: Path, problems: list[Problem]) -> dict[str, tuple[str, ...]]:
    data = _read_yaml(root / "synonyms.yaml", root, problems)
    table = data.get("synonyms") if isinstance(data, dict) else None
    if not isinstance(table, dict):
        problems.append(Problem("synonyms.yaml", "synonyms",
                                "must be a mapping of word: [variants]"))
        return {}
    result: dict[str, tuple[str, ...]] = {}
    for word, variants in table.items():
        if not isinstance(variants, list):
            problems.append(Problem("synonyms.yaml", str(word), "variants must be a list"))
            continue
        result[str(word).lower()] = tuple(str(v).lower() for v in variants)
    return result


def _load_labels(root: Path, problems: list[Problem]
                 ) -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    data = _read_yaml(root / "labels.yaml", root, problems)
    table = data.get("labels") if isinstance(data, dict) else None
    commands = data.get("commands") if isinstance(data, dict) else None
    if not isinstance(table, dict):
        problems.append(Problem("labels.yaml", "labels", "must be a mapping of key: text"))
        table = {}
    if not isinstance(commands, dict):
        problems.append(Problem("labels.yaml", "commands", "must be a mapping of command: text"))
        commands = {}
    for key in table:
        if not isinstance(key, str):
            problems.append(Problem("labels.yaml", f"labels.{key}",
                                    "quote this key: YAML reads it as a non-string"))
    for command in commands:
        if not re.match(r"^[a-z0-9_]{1,32}$", str(command)):
            problems.append(Problem("labels.yaml", f"commands.{command}",
                                    "a command is 1-32 lowercase letters, digits or _"))
    return ({str(k): str(v) for k, v in table.items()},
            tuple((str(k), str(v)) for k, v in commands.items()))


def _load_zones(root: Path, problems: list[Problem]
                ) -> tuple[tuple[tuple[str, str], ...], dict[str, str]]:
    from zoneinfo import ZoneInfo

    data = _read_yaml(root / "zones.yaml", root, problems)
    if not isinstance(data, dict):
        problems.append(Problem("zones.yaml", "-", "must have buttons and aliases"))
        return (), {}
    buttons: list[tuple[str, str]] = []
    aliases: dict[str, str] = {}
    named = [("buttons", pair) for pair in data.get("buttons") or []]
    named += [("aliases", (k, v)) for k, v in (data.get("aliases") or {}).items()]
    for section, pair in named:
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            problems.append(Problem("zones.yaml", section, f"{pair!r} is not a pair"))
            continue
        label, name = str(pair[0]), str(pair[1])
        try:
            ZoneInfo(name)
        except Exception:  # noqa: BLE001 - any failure means the name is unusable
            problems.append(Problem("zones.yaml", f"{section}.{label}", f"unknown zone {name!r}"))
            continue
        if section == "buttons":
            buttons.append((label, name))
        else:
            aliases[label.lower()] = name
    return tuple(buttons), aliases


def _load_habits(root: Path, problems: list[Problem]) -> tuple[Habit, ...]:
    habits = []
    for entry in _entries(_read_yaml(root / "habits.yaml", root, problems), "habits",
                          "habits.yaml", problems):
        hid = _text(entry, "id", "habits.yaml", problems)
        if hid and not CARD_ID.match(hid):
            problems.append(Problem("habits.yaml", f"{hid}.id", "lowercase letters and dashes"))
        habits.append(Habit(hid, _text(entry, "label", f"habits.yaml ({hid})", problems),
                            _text(entry, "question", f"habits.yaml ({hid})", problems)))
    return tuple(habits)


def _check_templates(folder: Path, problems: list[Problem]) -> None:
    """Every message template compiles, and the ones the bot cannot do without exist."""
    import jinja2

    from bot.library.templates import environment

    env = environment(folder)
    for path in sorted(folder.glob("*.j2")):
        try:
            env.get_template(path.name)
        except jinja2.TemplateSyntaxError as exc:
            problems.append(Problem(f"templates/{path.name}", f"line {exc.lineno}",
                                    exc.message or "syntax error"))
    for required in ("disclaimer_short", "welcome", "card", "stale_button", "unknown_command"):
        if not (folder / f"{required}.html.j2").is_file():
            problems.append(Problem(f"templates/{required}.html.j2", "-", "file is missing"))


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())
