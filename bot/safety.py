"""Recognise messages that describe an emergency or an infection, from rules in content/."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.problems import Problem

GUIDANCE_KINDS = ("emergency", "infection", "eye", "child", "self_harm")


@dataclass(frozen=True)
class SafetyRule:
    id: str
    guidance: str  # which urgent-care template answers it
    patterns: tuple[re.Pattern[str], ...]


def normalise(text: str) -> str:
    """Lower case, accents and apostrophes dropped, punctuation as spaces, padded by spaces.

    Rules are written against this form: "Can't BREATHE!!" becomes " cant breathe ".
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.lower().replace("\u2019", "'").replace("'", "")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return f" {text.strip()} "


@dataclass(frozen=True)
class SafetyRules:
    rules: tuple[SafetyRule, ...]

    def match(self, text: str) -> list[SafetyRule]:
        """Every rule the message triggers, most urgent guidance first."""
        norm = normalise(text)
        hits = [r for r in self.rules if any(p.search(norm) for p in r.patterns)]
        return sorted(hits, key=lambda r: GUIDANCE_KINDS.index(r.guidance))


def load_safety_rules(path: Path, problems: list[Problem]) -> SafetyRules:
    name = path.name
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(Problem(name, "-", "file is missing"))
        return SafetyRules(())
    except yaml.YAMLError as exc:
        problems.append(Problem(name, "-", f"not valid YAML: {' '.join(str(exc).split())}"))
        return SafetyRules(())
    entries = data.get("rules") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        problems.append(Problem(name, "rules", "must be a non-empty list"))
        return SafetyRules(())
    rules = []
    for index, entry in enumerate(entries):
        rid = str(entry.get("id") or f"#{index + 1}") if isinstance(entry, dict) else f"#{index}"
        if not isinstance(entry, dict):
            problems.append(Problem(name, rid, "each rule is a mapping"))
            continue
        guidance = entry.get("guidance")
        if guidance not in GUIDANCE_KINDS:
            problems.append(Problem(name, f"{rid}.guidance", f"must be one of {GUIDANCE_KINDS}"))
            continue
        compiled = []
        for pattern in entry.get("patterns") or []:
            try:
                compiled.append(re.compile(str(pattern)))
            except re.error as exc:
                problems.append(Problem(name, f"{rid}.patterns", f"{pattern!r}: {exc}"))
        if not compiled:
            problems.append(Problem(name, f"{rid}.patterns", "needs at least one pattern"))
            continue
        rules.append(SafetyRule(rid, str(guidance), tuple(compiled)))
    return SafetyRules(tuple(rules))
