"""Training the triage model: `python -m bot train-triage` (scikit-learn, from the train extra).

Everything labelled is learned from: each set in tests/data/triage/ (written blind, one file
a set) and the coverage table's phrasings and look-alikes (content/triage_coverage.yaml).
The result is content/triage_model.json: plain numbers, with the sha256 of each file it was
trained on, so a test can tell when the data moved on and the model did not.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.library.triage_model import FEATURES_VERSION, TriageModel, features, pack

# The tiers the model tells apart. A message the rules would call "not English" is, for the
# model, an ordinary one: the language is found elsewhere.
TIERS = ("emergency", "crisis", "same_day", "distress", "caution", "none")
SAME_AS = {"not_english": "none"}
REGULARISATION = 10.0  # scikit-learn's C: measured leave-one-set-out (bench/triage_eval.py)
MIN_MESSAGES_SEEN = 2  # a feature must occur in at least this many messages to be kept
# The alarm-tier share above which a message the model calls ordinary gets the one-tap check:
# the share that 5% of ordinary messages exceed, each scored by a model that never saw its set.
ASK_QUANTILE = 0.95
ALARMS = ("emergency", "crisis", "same_day")


@dataclass(frozen=True)
class Example:
    text: str
    tier: str
    source: str  # the file it came from: a set, for leave-one-set-out


def examples_from_set(path: Path) -> list[Example]:
    items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [Example(str(item["text"]), SAME_AS.get(item["tier"], item["tier"]), source_key(path))
            for item in items]


def examples_from_coverage(path: Path) -> list[Example]:
    table = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    found = []
    for sign in table.get("signs", []):
        found += [Example(str(t), sign["tier"], source_key(path))
                  for t in sign.get("phrasings", [])]
        found += [Example(str(t), "none", source_key(path)) for t in sign.get("not_this", [])]
    return found


def examples_from_ordinary(path: Path) -> list[Example]:
    """The search's question set and the time parser's sets: messages people send every day
    (a question about fibre, "remind me at 8", "tomorrow"), none of them urgent. Without them
    the model met "tomorrow" only in goodbyes ("I won't be here tomorrow")."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    items = data.get("questions", []) if isinstance(data, dict) else data
    texts = [str(item.get("q") or item.get("text")) for item in items
             if isinstance(item, dict) and (item.get("q") or item.get("text"))]
    return [Example(text, "none", source_key(path)) for text in texts]


def training_files(root: Path) -> list[Path]:
    data = root / "tests" / "data"
    sets = sorted((data / "triage").glob("*.yaml"))
    ordinary = [data / "questions.yaml", *sorted((data / "times").glob("*.yaml"))]
    coverage = root / "content" / "triage_coverage.yaml"
    return sets + [p for p in ordinary if p.exists()] + ([coverage] if coverage.exists() else [])


def load_examples(files: Sequence[Path]) -> list[Example]:
    found: list[Example] = []
    for path in files:
        if path.name == "triage_coverage.yaml":
            reader = examples_from_coverage
        elif path.parent.name == "triage":
            reader = examples_from_set
        else:
            reader = examples_from_ordinary
        found += reader(path)
    unknown = {e.tier for e in found} - set(TIERS)
    if unknown:
        raise ValueError(f"unknown tier(s) in the labelled sets: {sorted(unknown)}")
    return found


def source_key(path: Path) -> str:
    """A labelled file's name with its folder ("triage/blind5_fever_breathing.yaml")."""
    return f"{path.parent.name}/{path.name}"


def fingerprint(files: Sequence[Path]) -> dict[str, str]:
    return {source_key(path): hashlib.sha256(path.read_bytes()).hexdigest() for path in files}


def fit(examples: Sequence[Example]) -> dict[str, Any]:
    """A model trained on `examples`, as the JSON document content/triage_model.json holds
    (its `ask_above` not yet set)."""
    import numpy
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectoriser = TfidfVectorizer(analyzer=features, binary=True, min_df=MIN_MESSAGES_SEEN,
                                 norm="l2", dtype=numpy.float64)
    matrix = vectoriser.fit_transform([e.text for e in examples])
    classifier = LogisticRegression(C=REGULARISATION, max_iter=5000, class_weight="balanced")
    classifier.fit(matrix, [e.tier for e in examples])
    order = [list(classifier.classes_).index(t) for t in TIERS if t in classifier.classes_]
    tiers = [str(classifier.classes_[i]) for i in order]
    weights = classifier.coef_[order]
    idf = vectoriser.idf_
    exported = {}
    for feature, column in sorted(vectoriser.vocabulary_.items()):
        # idf, then each tier's weight times that idf: what scoring adds up.
        exported[feature] = [_short(idf[column])] + [
            _short(weights[row, column] * idf[column]) for row in range(len(tiers))]
    return {
        "features_version": FEATURES_VERSION,
        "tiers": tiers,
        "bias": [_short(classifier.intercept_[i]) for i in order],
        "ask_above": 1.0,
        "trained_on": {},
        "examples": len(examples),
        "features": exported,
    }


def train(examples: Sequence[Example], trained_on: dict[str, str]) -> dict[str, Any]:
    """The model on every example, with its one-tap-check threshold set from predictions on
    sets it had not seen: each set scored by a model trained on the others, so the threshold
    is what a fresh message meets, not what the model remembers of its own data."""
    document = fit(examples)
    document["trained_on"] = trained_on
    held_out = []
    for source in sorted({e.source for e in examples}):
        model = from_document(fit([e for e in examples if e.source != source]))
        held_out += [model.predict(e.text) for e in examples
                     if e.source == source and e.tier == "none"]
    quiet = sorted(p.share(ALARMS) for p in held_out if p.tier not in ALARMS)
    document["ask_above"] = round(quiet[int(len(quiet) * ASK_QUANTILE)], 4) if quiet else 0.5
    return document



def from_document(document: dict[str, Any]) -> TriageModel:
    tiers = tuple(document["tiers"])
    packed = {f: pack(w, idf) for f, (idf, *w) in document["features"].items()}
    return TriageModel(tiers, tuple(document["bias"]), packed, float(document["ask_above"]),
                       dict(document["trained_on"]))


def _short(value: float) -> float:
    """Five significant digits: the file stays small and diffs stay readable."""
    return float(f"{float(value):.5g}")


def write_model(root: Path, target: Path) -> dict[str, Any]:
    files = training_files(root)
    document = train(load_examples(files), fingerprint(files))
    target.write_text(json.dumps(document, ensure_ascii=False, separators=(",", ":"),
                                 sort_keys=False) + "\n", encoding="utf-8")
    return document
