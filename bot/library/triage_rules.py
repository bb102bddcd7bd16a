"""Reading content/triage.yaml into a Triage, naming the file and field of every problem."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from bot.library.problems import Problem
from bot.library.triage import DEFAULT_WITHIN, TIERS, LanguageRules, Rule, Triage
from bot.library.triage_model import TriageModel, load_model
from bot.library.triage_terms import Concept, compile_concept


def load_triage(path: Path, problems: list[Problem]) -> Triage:
    """Read content/triage.yaml, naming the file and field of every problem."""
    name = path.name
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(Problem(name, "-", "file is missing"))
        return Triage({}, (), frozenset())
    except yaml.YAMLError as exc:
        problems.append(Problem(name, "-", f"not valid YAML: {' '.join(str(exc).split())}"))
        return Triage({}, (), frozenset())
    if not isinstance(data, dict):
        problems.append(Problem(name, "-", "must be a mapping"))
        return Triage({}, (), frozenset())
    concepts = _load_concepts(data.get("concepts"), name, problems)
    rules = _load_rules(data.get("rules"), concepts, name, problems)
    raw_negators = data.get("negators") or []
    if any(not isinstance(w, str) for w in raw_negators):
        problems.append(Problem(name, "negators", "every word must be text: put no in quotes"))
    negators = frozenset(str(w) for w in raw_negators)
    if not negators:
        problems.append(Problem(name, "negators", "must be a non-empty list"))
    emoji = {str(k): str(v) for k, v in (data.get("emoji") or {}).items()}
    languages = _load_languages(data.get("languages"), name, problems)
    claims = _load_rules(data.get("claims"), concepts, name, problems, tiers=("claim",))
    model = _load_model(path.with_name(MODEL_FILE), problems)
    return Triage(concepts, rules, negators, emoji, languages, claims,
                  model=model).prepare()


MODEL_FILE = "triage_model.json"


def _load_model(path: Path, problems: list[Problem]) -> TriageModel | None:
    """The learned half of the triage, beside the rules: required, since the rules alone miss
    far more (bench/triage_eval.py)."""
    try:
        return load_model(path)
    except FileNotFoundError:
        problems.append(Problem(path.name, "-", "file is missing: build it with "
                                                "python -m bot train-triage"))
    except (ValueError, KeyError, TypeError) as exc:
        problems.append(Problem(path.name, "-", f"not a triage model ({exc})"))
    return None


def _load_concepts(raw: Any, name: str, problems: list[Problem]) -> dict[str, Concept]:
    if not isinstance(raw, dict) or not raw:
        problems.append(Problem(name, "concepts", "must be a non-empty mapping"))
        return {}
    concepts = {}
    for key, terms in raw.items():
        if not isinstance(terms, list) or not terms:
            problems.append(Problem(name, f"concepts.{key}", "must be a non-empty list"))
            continue
        odd = [t for t in terms if not isinstance(t, str)
               or not t.startswith("re:") and any(c in t for c in "()[]?|\\{")]
        if odd:
            # YAML reads a bare no as false and "a: b" as a mapping: quote such terms.
            problems.append(Problem(name, f"concepts.{key}",
                                    f"{odd[0]!r} is not a term: quote plain words, and start "
                                    "a regular expression with re:"))
            continue
        try:
            concepts[str(key)] = compile_concept(str(key), (str(t) for t in terms))
        except re.error as exc:
            problems.append(Problem(name, f"concepts.{key}", f"bad pattern: {exc}"))
    for needed in ("figure_of_speech", "asking_about", "personal_report", "long_past",
                   "happening_now"):
        if needed not in concepts:
            problems.append(Problem(name, f"concepts.{needed}", "is required"))
    return concepts


def _load_rules(raw: Any, concepts: Mapping[str, Concept], name: str,
                problems: list[Problem], tiers: tuple[str, ...] = TIERS) -> tuple[Rule, ...]:
    if not isinstance(raw, list) or not raw:
        problems.append(Problem(name, "rules", "must be a non-empty list"))
        return ()
    rules = []
    for index, entry in enumerate(raw):
        rid = str(entry.get("id")) if isinstance(entry, dict) and entry.get("id") \
            else f"#{index + 1}"
        if not isinstance(entry, dict):
            problems.append(Problem(name, rid, "each rule is a mapping"))
            continue
        rule = _rule_from(entry, rid, name, problems, tiers)
        if rule is None:
            continue
        unknown = [c for c in (*rule.all, *rule.unless, *rule.unless_near) if c not in concepts]
        if unknown:
            problems.append(Problem(name, f"{rid}.all", f"unknown concepts {unknown}"))
            continue
        rules.append(rule)
    return tuple(rules)


def _rule_from(entry: dict[str, Any], rid: str, name: str, problems: list[Problem],
               tiers: tuple[str, ...]) -> Rule | None:
    tier = entry.get("tier")
    if tier not in tiers:
        problems.append(Problem(name, f"{rid}.tier", f"must be one of {tiers}"))
        return None
    concepts = entry.get("all")
    if isinstance(concepts, str):
        concepts = [concepts]
    if not isinstance(concepts, list) or not concepts:
        problems.append(Problem(name, f"{rid}.all", "must name at least one concept"))
        return None
    why = str(entry.get("why") or "").strip()
    if not why:
        problems.append(Problem(name, f"{rid}.why", "say why the rule exists"))
        return None
    return Rule(
        id=rid, tier=str(tier), guidance=str(entry.get("guidance") or tier), why=why,
        all=tuple(str(c) for c in concepts), within=int(entry.get("within") or DEFAULT_WITHIN),
        unless=tuple(str(c) for c in entry.get("unless") or ()),
        unless_near=tuple(str(c) for c in entry.get("unless_near") or ()),
        asked_about_ok=bool(entry.get("asked_about_ok")), past_ok=bool(entry.get("past_ok")),
        negatable=entry.get("negatable", True) is not False,
        cards=entry.get("cards", True) is not False,
        clinical=bool(entry.get("clinical")),
    )


def _load_languages(raw: Any, name: str, problems: list[Problem]) -> dict[str, LanguageRules]:
    languages: dict[str, LanguageRules] = {}
    if not isinstance(raw, dict):
        problems.append(Problem(name, "languages", "must be a mapping of language codes"))
        return languages
    for code, entry in raw.items():
        field_name = f"languages.{code}"
        if not isinstance(entry, dict):
            problems.append(Problem(name, field_name, "must be a mapping"))
            continue
        try:
            script = re.compile(entry["script"]) if entry.get("script") else None
            urgent = []
            for tier, phrases in (entry.get("urgent") or {}).items():
                if tier not in TIERS:
                    problems.append(Problem(name, f"{field_name}.urgent.{tier}",
                                            f"must be one of {TIERS}"))
                    continue
                rule = Rule(id=f"{code}_{tier}", tier=tier, guidance=tier,
                            why=f"{tier} words in {entry.get('name', code)}", all=(), within=0)
                pattern = re.compile("|".join(f"(?:{p})" for p in phrases))
                urgent.append((rule, pattern))
        except re.error as exc:
            problems.append(Problem(name, field_name, f"bad pattern: {exc}"))
            continue
        languages[str(code)] = LanguageRules(
            code=str(code), name=str(entry.get("name") or code),
            notice=str(entry.get("notice") or ""), script=script,
            common=frozenset(str(w) for w in entry.get("common") or ()), urgent=tuple(urgent))
    return languages
