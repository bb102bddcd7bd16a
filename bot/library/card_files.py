"""One card file: Markdown with a YAML front matter, checked field by field."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import yaml

from bot.library.model import (
    AUDIENCES,
    CARD_ID,
    MAX_BODY,
    MAX_CARD_ID,
    MAX_CAUTION,
    MAX_SOURCE_DETAIL,
    MAX_TITLE,
    Card,
    CardSource,
    Source,
)
from bot.library.problems import Problem
from bot.library.yaml_fields import one_line, text_field
from bot.telegram import html as telegram_html


def load_cards(root: Path, topic_ids: set[str], sources: dict[str, Source],
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
        problems.append(Problem(name, "front matter", f"not valid YAML: {one_line(exc)}"))
        return None
    if not isinstance(meta, dict):
        problems.append(Problem(name, "front matter", "must be a mapping of fields"))
        return None

    card_id = text_field(meta, "id", name, problems)
    if card_id and (not CARD_ID.match(card_id) or len(card_id) > MAX_CARD_ID):
        problems.append(Problem(name, "id", f"use up to {MAX_CARD_ID} lowercase letters, "
                                            "digits and dashes"))
    elif card_id and card_id != path.stem:
        problems.append(Problem(name, "id", f"{card_id!r} differs from the file name"))
    topic = text_field(meta, "topic", name, problems)
    if topic and topic not in topic_ids:
        problems.append(Problem(name, "topic", f"unknown topic {topic!r}"))
    title = text_field(meta, "title", name, problems)
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
