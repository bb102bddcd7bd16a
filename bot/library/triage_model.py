"""The learned half of the triage: a linear model over words and letter runs that predicts the
tier a message needs, from every labelled set in tests/data/triage/ and the coverage table.

Rules memorise the sentences someone thought of; a model learns the shape of a request for
help, and gets better each time a set is added instead of growing a file. It is trained by
`python -m bot train-triage` (scikit-learn: TF-IDF over the features below, multinomial
logistic regression) and exported as plain numbers to content/triage_model.json: nothing
executable is loaded, and the bot needs neither scikit-learn nor numpy to score a message.

Scoring is the exported model's own arithmetic, done so that a 4,000-character message costs
about a millisecond in pure Python: a message's features are a set (binary TF-IDF), and the
per-tier weights of each feature are packed side by side into one integer, so that summing a
message's features is one C-level `sum()` rather than a Python loop per tier.
"""

from __future__ import annotations

import functools
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

FEATURES_VERSION = 1
MAX_CHARS = 4000  # Telegram's limit is 4,096; what a long message says first is kept
CHAR_RUNS = (3, 4, 5)
_WORD = re.compile(r"\w+")
_APOSTROPHES = str.maketrans("", "", "'’`ʼ")

# Packed weights: each tier's weight in a lane of LANE bits, as a fixed-point number
# (SCALE per unit) raised by OFFSET so that it is never negative; the last lane holds the
# feature's squared idf, for the vector's length.
SCALE = 1 << 16
OFFSET = 1 << 23  # weights up to ±128 after scaling fit in 24 bits
LANE = 44  # up to 2**20 features of 24 bits summed without spilling into the next lane
MASK = (1 << LANE) - 1


def normalise(text: str) -> str:
    """Lower case, compatibility forms folded (full-width letters, ligatures), apostrophes
    dropped ("can't" is "cant"), every run of spaces one space, cut to MAX_CHARS."""
    text = unicodedata.normalize("NFKC", text[: MAX_CHARS * 2]).lower()
    return " ".join(text.translate(_APOSTROPHES).split())[:MAX_CHARS]


def features(text: str) -> set[str]:
    """Words, pairs of words, and runs of 3 to 5 characters across the whole message (which
    carry misspellings, word endings and languages written without spaces)."""
    clean = normalise(text)
    words = _WORD.findall(clean)
    found = set(words)
    found.update([f"{a} {b}" for a, b in zip(words, words[1:])])
    padded = f" {clean} "
    cut = padded.__getitem__
    for n in CHAR_RUNS:  # slicing through map(): a third of the time of a comprehension
        found.update(map(cut, _SLICES[n][: len(padded) - n + 1]))
    return found


_SLICES = {n: [slice(i, i + n) for i in range(MAX_CHARS + 3)] for n in CHAR_RUNS}


@dataclass(frozen=True)
class Prediction:
    """The model's reading of one message: a probability per tier ("none" included)."""

    probabilities: Mapping[str, float]
    evidence: int = 0  # how many of the message's features the model knows

    @property
    def tier(self) -> str:
        return max(self.probabilities, key=self.probabilities.__getitem__)

    def share(self, tiers: Iterable[str]) -> float:
        return sum(self.probabilities.get(t, 0.0) for t in tiers)


@dataclass(frozen=True)
class TriageModel:
    tiers: tuple[str, ...]  # the model's classes, "none" among them
    bias: tuple[float, ...]
    packed: Mapping[str, int]  # feature -> its weights and squared idf, packed (see above)
    ask_above: float  # alarm-tier share at which an ordinary-looking message gets the check
    trained_on: Mapping[str, str]  # file -> sha256 of what it was trained on

    @functools.cached_property
    def _known(self) -> frozenset[str]:
        # set & frozenset walks the smaller side; set & dict.keys() walked every feature.
        return frozenset(self.packed)

    def predict(self, text: str) -> Prediction:
        present = features(text) & self._known
        if not present:
            return Prediction(_softmax(self.tiers, self.bias))
        total = sum(map(self.packed.__getitem__, present))
        count = len(present)
        k = len(self.tiers)
        sums = [((total >> (LANE * i)) & MASK) - count * OFFSET for i in range(k)]
        length = math.sqrt((total >> (LANE * k)) / SCALE)
        logits = [s / SCALE / length + b for s, b in zip(sums, self.bias)]
        return Prediction(_softmax(self.tiers, logits), count)


def _softmax(tiers: tuple[str, ...], logits: Iterable[float]) -> dict[str, float]:
    values = list(logits)
    top = max(values)
    exps = [math.exp(v - top) for v in values]
    total = sum(exps)
    return {tier: e / total for tier, e in zip(tiers, exps)}


def pack(weights: Iterable[float], idf: float) -> int:
    """One feature's tier weights (already multiplied by its idf) and its idf, as one int."""
    packed = 0
    lanes = 0
    for lanes, weight in enumerate(weights, start=1):
        lane = round(weight * SCALE) + OFFSET
        if not 0 <= lane < 1 << 24:
            raise ValueError(f"a weight of {weight:.1f} is outside what a lane holds")
        packed |= lane << (LANE * (lanes - 1))
    return packed | round(idf * idf * SCALE) << (LANE * lanes)


def load_model(path: Path) -> TriageModel:
    """Read content/triage_model.json; ValueError naming the problem if it is not one."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("features_version") != FEATURES_VERSION:
        raise ValueError(f"features_version {data.get('features_version')!r}: this bot reads "
                         f"{FEATURES_VERSION}; rebuild it with python -m bot train-triage")
    tiers = tuple(data["tiers"])
    packed = {}
    for feature, (idf, *weights) in data["features"].items():
        if len(weights) != len(tiers):
            raise ValueError(f"feature {feature!r} has {len(weights)} weights, not "
                             f"{len(tiers)}")
        packed[feature] = pack(weights, idf)
    return TriageModel(tiers, tuple(data["bias"]), packed, float(data["ask_above"]),
                       dict(data["trained_on"]))
