"""The learned half of the triage: built from the data that is here now, scored exactly as
trained, and every sign of the coverage table caught in every phrasing.

The clinical coverage table (content/triage_coverage.yaml) lists each red flag of the named
guidance with its tier, its source and at least six phrasings; its look-alikes must not raise
an alarm. Together with the labelled sets in tests/data/triage/ it is what the model is
trained on: `python -m bot train-triage` rebuilds content/triage_model.json.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import yaml

from bot.library.model import Library
from bot.library.triage import ALARM_TIERS
from bot.library.triage_model import features
from bot.library.triage_training import fingerprint, training_files
from bot.library.urgent_plan import tiers_shown

ROOT = Path(__file__).resolve().parent.parent
COVERAGE = yaml.safe_load((ROOT / "content" / "triage_coverage.yaml").read_text("utf-8"))
SITUATIONS = {"anaphylaxis", "choking", "asthma_attack", "not_breathing", "unresponsive",
              "seizure", "meningitis_sepsis", "infant_fever", "infant_unwell",
              "severe_skin_reaction", "drug_rash_fever", "overdose_accidental",
              "overdose_deliberate", "eczema_herpeticum", "infected_eczema", "erythroderma",
              "eye", "tummy_blood", "suicide", "self_harm", "harm_child"}


def test_the_model_was_rebuilt_after_the_data_last_changed() -> None:
    document = json.loads((ROOT / "content" / "triage_model.json").read_text("utf-8"))
    assert document["trained_on"] == fingerprint(training_files(ROOT)), \
        "the labelled sets or the coverage table changed: run python -m bot train-triage"


def test_scoring_is_the_exported_model_s_own_arithmetic(library: Library) -> None:
    """The packed integer sums give what the JSON's numbers say (binary TF-IDF, unit length,
    softmax), to four decimal places."""
    assert library.triage is not None and library.triage.model is not None
    document = json.loads((ROOT / "content" / "triage_model.json").read_text("utf-8"))
    table = document["features"]
    for text in ("my baby's lips are going blue", "is kefir good for kids?",
                 "Мне очень плохо, не могу дышать", "", "x" * 5000):
        present = [f for f in features(text) if f in table]
        length = math.sqrt(sum(table[f][0] ** 2 for f in present)) or 1.0
        logits = [b + sum(table[f][1 + i] for f in present) / length
                  for i, b in enumerate(document["bias"])]
        top = max(logits)
        total = sum(math.exp(v - top) for v in logits)
        expected = {t: math.exp(v - top) / total for t, v in zip(document["tiers"], logits)}
        got = library.triage.model.predict(text).probabilities
        assert got == pytest.approx(expected, abs=1e-4), text


def test_the_coverage_table_names_its_guidance_and_enough_phrasings() -> None:
    signs = COVERAGE["signs"]
    assert len({s["id"] for s in signs}) == len(signs)
    for sign in signs:
        assert sign["tier"] in ALARM_TIERS, sign["id"]
        assert sign["situation"] in SITUATIONS, sign["id"]
        assert sign["source"].strip() and sign["sign"].strip(), sign["id"]
        assert len(sign["phrasings"]) >= 6, sign["id"]
        assert any(len(p) >= 300 for p in sign["phrasings"]), f"{sign['id']}: no long message"
    covered = {s["situation"] for s in signs}
    assert covered == SITUATIONS, SITUATIONS - covered


def test_every_sign_is_caught_in_every_phrasing(library: Library) -> None:
    assert library.triage is not None
    missed = []
    for sign in COVERAGE["signs"]:
        for text in sign["phrasings"]:
            tiers = tiers_shown(library.triage.assess(text), text)
            ok = "crisis" in tiers if sign["tier"] == "crisis" else \
                bool(tiers & ({"emergency"} if sign["tier"] == "emergency"
                              else {"emergency", "same_day"}))
            if not ok:
                missed.append((sign["id"], sign["tier"], sorted(tiers), text))
    assert missed == []


def test_no_look_alike_of_a_sign_raises_an_alarm(library: Library) -> None:
    """Except those listed in tests/data/triage_known_errors.yaml (rules that still fire on
    a look-alike: shrink the list)."""
    assert library.triage is not None
    known = yaml.safe_load((ROOT / "tests" / "data" / "triage_known_errors.yaml")
                           .read_text("utf-8"))["false_alarms"]
    alarmed = [(sign["id"], text) for sign in COVERAGE["signs"]
               for text in sign.get("not_this", [])
               if library.triage.assess(text).alarming and text not in known]
    assert alarmed == []
