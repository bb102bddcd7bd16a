"""Recall per tier and false alarms of the urgent-care triage: rules alone, the model alone, and
both together (what the bot does), on labelled sets.

    python bench/triage_eval.py NEW_SET.yaml      # a set as it arrives: its first look
    python bench/triage_eval.py --loso            # leave one set out, over every set
    python bench/triage_eval.py --speed           # time per message (one line; 4,000 chars)
    python bench/triage_eval.py SET.yaml --misses # every miss of the bot (rules + model)

A set is a YAML list of {text, tier, category[, lang]}, written by someone who had seen
neither the rules nor the other sets. A message labelled emergency is caught by that tier;
crisis by crisis guidance (alone, or beside emergency guidance, as for an overdose); same-day
by same-day or emergency; distress by any of the three alarms or distress; caution by caution
or an alarm. A false alarm is an ordinary message ("none") that gets emergency, crisis or
same-day guidance. "checked" is the share of ordinary messages that got the one-tap safety
question instead of their answer (goal: 5% at most).

With a set named on the command line, the model is the one in content/triage_model.json: a
first look only while that set is not among the files it was trained on (it says so). --loso
trains a model without each set in turn (scikit-learn, the train extra), about 15 s a set.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.library.content import load_library  # noqa: E402
from bot.library.triage import ALARM_TIERS, Finding, Triage  # noqa: E402
from bot.library.triage_model import TriageModel  # noqa: E402
from bot.library.triage_training import (  # noqa: E402
    fingerprint,
    fit,
    from_document,
    load_examples,
    source_key,
    training_files,
)
from bot.library.urgent_plan import tiers_shown  # noqa: E402

ACCEPT = {
    "emergency": {"emergency"},
    "same_day": {"emergency", "same_day"},
    "distress": {"emergency", "crisis", "same_day", "distress"},
    "caution": {"emergency", "crisis", "same_day", "caution"},
}
REPORTED = ("emergency", "crisis", "same_day", "distress", "caution")
GOALS = {"emergency": 0.98, "crisis": 0.98, "same_day": 0.97}
Judge = Callable[[str], tuple[set[str], bool]]  # text -> (tiers found, one-tap check shown)


def judge_of(triage: Triage) -> Judge:
    def judge(text: str) -> tuple[set[str], bool]:
        finding: Finding = triage.assess(text)
        return tiers_shown(finding, text), finding.check_first
    return judge


def model_judge(model: TriageModel) -> Judge:
    def judge(text: str) -> tuple[set[str], bool]:
        tier = model.predict(text).tier
        return ({tier} if tier != "none" else set()), False
    return judge


def caught(tiers: set[str], label: str) -> bool:
    if label in ("none", "not_english"):
        return not tiers & ALARM_TIERS
    if label == "crisis":  # shown beside emergency guidance when both apply (an overdose)
        return "crisis" in tiers
    return bool(tiers & ACCEPT[label])


@dataclasses.dataclass
class Score:
    caught: Counter[str] = dataclasses.field(default_factory=Counter)
    total: Counter[str] = dataclasses.field(default_factory=Counter)
    checked: int = 0
    misses: list[tuple[str, str, str, str]] = dataclasses.field(default_factory=list)

    def add(self, item: dict[str, str], judge: Judge) -> None:
        label = "none" if item["tier"] == "not_english" else item["tier"]
        tiers, check = judge(item["text"])
        ok = caught(tiers, label)
        self.total[label] += 1
        self.caught[label] += ok
        if label == "none" and check and ok:
            self.checked += 1
        if not ok:
            self.misses.append((label, item.get("category", ""), ",".join(sorted(tiers)),
                                item["text"]))

    def cell(self, label: str) -> str:
        total = self.total[label]
        if not total:
            return "-"
        if label == "none":
            wrong = total - self.caught[label]
            return f"{wrong}/{total} {wrong / total:.1%}"
        return f"{self.caught[label]}/{total} {self.caught[label] / total:.1%}"

    def checked_cell(self) -> str:
        total = self.total["none"]
        return f"{self.checked}/{total} {self.checked / total:.1%}" if total else "-"


def score(items: Sequence[dict[str, str]], judge: Judge) -> Score:
    result = Score()
    for item in items:
        result.add(item, judge)
    return result


def table(title: str, columns: dict[str, Score]) -> None:
    print(title)
    print(f"  {'':18}" + "".join(f"{name:>22}" for name in columns))
    for label in REPORTED:
        if any(s.total[label] for s in columns.values()):
            print(f"  {label:18}" + "".join(f"{s.cell(label):>22}" for s in columns.values()))
    print(f"  {'false alarms':18}" + "".join(f"{s.cell('none'):>22}" for s in columns.values()))
    print(f"  {'checked first':18}" + "".join(f"{s.checked_cell():>22}"
                                              for s in columns.values()))


def rules_only(triage: Triage) -> Triage:
    return dataclasses.replace(triage, model=None)


def first_look(paths: Sequence[Path], triage: Triage, show_misses: bool) -> None:
    assert triage.model is not None
    trained = triage.model.trained_on
    for path in paths:
        items = yaml.safe_load(path.read_text(encoding="utf-8"))
        seen = source_key(path) in trained
        note = "the shipped model WAS trained on this set: not a first look" if seen else \
            "a first look: neither the rules' author nor the model has seen this set"
        columns = {"rules": score(items, judge_of(rules_only(triage))),
                   "model": score(items, model_judge(triage.model)),
                   "both (the bot)": score(items, judge_of(triage))}
        table(f"== {path.name} ({len(items)} messages; {note})", columns)
        if show_misses:
            for miss in columns["both (the bot)"].misses:
                print("   miss:", miss)
        print()


def leave_one_set_out(triage: Triage, show_misses: bool) -> None:
    assert triage.model is not None
    files = training_files(ROOT)
    examples = load_examples(files)
    totals = {"rules": Score(), "model": Score(), "both (the bot)": Score()}
    for path in files:
        started = time.perf_counter()
        # The fold's model asks the one-tap question at the shipped model's threshold (which
        # was itself set from predictions on sets each fold had not seen).
        key = source_key(path)
        model = dataclasses.replace(
            from_document(fit([e for e in examples if e.source != key])),
            ask_above=triage.model.ask_above)
        held = [{"text": e.text, "tier": e.tier} for e in examples if e.source == key]
        columns = {"rules": score(held, judge_of(rules_only(triage))),
                   "model": score(held, model_judge(model)),
                   "both (the bot)": score(held, judge_of(
                       dataclasses.replace(triage, model=model)))}
        table(f"== without {key} ({len(held)} messages, "
              f"{time.perf_counter() - started:.0f} s)", columns)
        for name, s in columns.items():
            totals[name].caught.update(s.caught)
            totals[name].total.update(s.total)
            totals[name].checked += s.checked
            totals[name].misses += s.misses
        print()
    table("== leave one set out, all sets together", totals)
    both = totals["both (the bot)"]
    print("  goals: " + ", ".join(
        f"{tier} {GOALS[tier]:.0%} ({'met' if both.caught[tier] >= GOALS[tier] * both.total[tier] else 'not met'})"  # noqa: E501
        for tier in GOALS) + "; false alarms 3%; checked first 5%")
    if show_misses:
        for miss in both.misses:
            print("   miss:", miss)


def speed(triage: Triage) -> None:
    """Median time per message, rules and model together and the model alone: 200 different
    4,000-character windows of the cards' own text, and a one-line question."""
    text = " ".join(p.read_text(encoding="utf-8")
                    for p in sorted((ROOT / "content" / "cards").glob("*.md")))
    windows = [text[i * 97: i * 97 + 4000] for i in range(200)]
    assert triage.model is not None
    for name, run in (("rules + model", triage.assess), ("model alone", triage.model.predict),
                      ("rules alone", rules_only(triage).assess)):
        for window in windows[:20]:
            run(window)
        long = []
        for window in windows:
            start = time.perf_counter()
            run(window)
            long.append(time.perf_counter() - start)
        short = []
        for _ in range(2000):
            start = time.perf_counter()
            run("is kefir good for my baby's eczema?")
            short.append(time.perf_counter() - start)
        print(f"{name:14} one line: median {statistics.median(short) * 1e3:.3f} ms; "
              f"4,000 characters: median {statistics.median(long) * 1e3:.3f} ms")
    print("goal (the bot): one line <= 1 ms, 4,000 characters <= 3 ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sets", nargs="*", type=Path)
    parser.add_argument("--loso", action="store_true", help="leave one set out")
    parser.add_argument("--speed", action="store_true", help="time per message")
    parser.add_argument("--misses", action="store_true", help="list every miss of the bot")
    args = parser.parse_args()
    triage = load_library(ROOT / "content").triage
    assert triage is not None and triage.model is not None
    stale = fingerprint(training_files(ROOT)) != dict(triage.model.trained_on)
    if stale:
        print("note: the labelled data changed since content/triage_model.json was built "
              "(python -m bot train-triage)\n")
    if args.sets:
        first_look(args.sets, triage, args.misses)
    if args.loso:
        leave_one_set_out(triage, args.misses)
    if args.speed or not (args.sets or args.loso):
        speed(triage)


if __name__ == "__main__":
    main()
