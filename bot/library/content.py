"""Load content/ into an immutable library, naming the file and field of every problem."""

from __future__ import annotations

import re
from pathlib import Path
from types import MappingProxyType

from bot.library.card_files import load_cards
from bot.library.helplines import load_helplines
from bot.library.model import (
    CARD_ID,
    MAX_QUESTION,
    QUESTION_SIGNALS,
    Card,
    ContentError,
    DoctorQuestion,
    Habit,
    Library,
    Source,
    Topic,
)
from bot.library.problems import Problem
from bot.library.triage import MODEL_RULES
from bot.library.triage_rules import load_triage
from bot.library.yaml_fields import entries, read_yaml, text_field


def load_library(root: Path) -> Library:
    """Read and validate everything under root; raise ContentError listing every problem."""
    problems: list[Problem] = []
    sources = _load_sources(root, problems)
    topics = _load_topics(root, problems)
    cards = load_cards(root, {t.id for t in topics}, sources, problems)
    for topic in topics:
        if not any(c.topic == topic.id for c in cards.values()):
            problems.append(Problem("topics.yaml", topic.id, "topic has no cards"))
    synonyms = _load_synonyms(root, problems)
    labels, commands = _load_labels(root, problems)
    zone_buttons, zone_aliases = _load_zones(root, problems)
    habits = _load_habits(root, problems)
    doctor_questions = _load_doctor_questions(root, cards, problems)
    triage = load_triage(root / "triage.yaml", problems)
    helplines = load_helplines(root / "helplines.yaml", problems)
    _check_templates(root / "templates", problems)
    for rule in (*triage.rules, *MODEL_RULES.values()):
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
        doctor_questions=doctor_questions,
    )


def _load_sources(root: Path, problems: list[Problem]) -> dict[str, Source]:
    sources: dict[str, Source] = {}
    for entry in entries(read_yaml(root / "sources.yaml", root, problems), "sources",
                          "sources.yaml", problems):
        sid = text_field(entry, "id", "sources.yaml", problems)
        year = entry.get("year")
        sources[sid] = Source(
            id=sid,
            title=text_field(entry, "title", f"sources.yaml ({sid})", problems),
            publisher=text_field(entry, "publisher", f"sources.yaml ({sid})", problems),
            year=year if isinstance(year, int) else None,
        )
    return sources


def _load_topics(root: Path, problems: list[Problem]) -> list[Topic]:
    topics: list[Topic] = []
    seen: set[str] = set()
    for entry in entries(read_yaml(root / "topics.yaml", root, problems), "topics",
                          "topics.yaml", problems):
        tid = text_field(entry, "id", "topics.yaml", problems)
        where = f"topics.yaml ({tid})"
        if tid in seen:
            problems.append(Problem("topics.yaml", "id", f"duplicate topic id {tid!r}"))
        elif tid and not CARD_ID.match(tid):
            problems.append(Problem(where, "id", "use lowercase letters, digits and dashes"))
        seen.add(tid)
        topics.append(Topic(
            id=tid,
            title=text_field(entry, "title", where, problems),
            emoji=str(entry.get("emoji") or "").strip(),
            blurb=text_field(entry, "blurb", where, problems),
        ))
    return topics


def _load_synonyms(root: Path, problems: list[Problem]) -> dict[str, tuple[str, ...]]:
    data = read_yaml(root / "synonyms.yaml", root, problems)
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
    data = read_yaml(root / "labels.yaml", root, problems)
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

    data = read_yaml(root / "zones.yaml", root, problems)
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
    for entry in entries(read_yaml(root / "habits.yaml", root, problems), "habits",
                          "habits.yaml", problems):
        hid = text_field(entry, "id", "habits.yaml", problems)
        if hid and not CARD_ID.match(hid):
            problems.append(Problem("habits.yaml", f"{hid}.id", "lowercase letters and dashes"))
        habits.append(Habit(hid, text_field(entry, "label", f"habits.yaml ({hid})", problems),
                            text_field(entry, "question", f"habits.yaml ({hid})", problems)))
    return tuple(habits)


def _load_doctor_questions(root: Path, cards: dict[str, Card], problems: list[Problem]
                           ) -> tuple[DoctorQuestion, ...]:
    name = "doctor_questions.yaml"
    found: list[DoctorQuestion] = []
    seen: set[str] = set()
    for entry in entries(read_yaml(root / name, root, problems), "questions", name, problems):
        qid = text_field(entry, "id", name, problems)
        where = f"{name} ({qid})"
        if qid in seen:
            problems.append(Problem(name, "id", f"duplicate question id {qid!r}"))
        seen.add(qid)
        card = text_field(entry, "card", where, problems)
        if card and card not in cards:
            problems.append(Problem(where, "card", f"no card {card!r}"))
        text = text_field(entry, "text", where, problems)
        if len(text) > MAX_QUESTION:
            problems.append(Problem(where, "text", f"over {MAX_QUESTION} characters"))
        when, words = entry.get("when") or [], entry.get("notes") or []
        if not isinstance(when, list) or not isinstance(words, list):
            problems.append(Problem(where, "when", "when and notes are lists"))
            continue
        unknown = sorted(str(w) for w in when if w not in QUESTION_SIGNALS)
        if unknown:
            problems.append(Problem(where, "when", f"unknown signal(s) {', '.join(unknown)}"))
        if not when and not words:
            problems.append(Problem(where, "when", "give `when` signals or `notes` words"))
        found.append(DoctorQuestion(qid, card, text, frozenset(str(w) for w in when),
                                    tuple(str(w).lower() for w in words)))
    if found and not any("always" in q.when for q in found):
        problems.append(Problem(name, "questions", "at least one must be `always`"))
    return tuple(found)


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
