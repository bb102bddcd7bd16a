"""Recall per tier and category, and false alarms, of the urgent-care triage on a labelled set.

    python bench/triage_eval.py                      # every set in tests/data/triage/
    python bench/triage_eval.py tests/data/triage/blind2.yaml --misses

Each set is a YAML list of {text, tier, category}, written by someone who had not seen the
rules. A message labelled emergency is caught only by that tier, crisis by crisis (alone or
beside emergency guidance, as for an overdose); same-day and
distress are caught by their own tier or a more urgent one; caution by caution or any alarm.
A false alarm is an ordinary message ("none") that gets emergency, crisis or same-day
guidance. It also prints the median time to triage a 4,000-character message.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.library.triage import ALARM_TIERS, TIERS, Triage  # noqa: E402
from bot.library.triage_rules import load_triage  # noqa: E402

ACCEPT = {
    "emergency": {"emergency"},
    "crisis": {"crisis"},
    "same_day": {"emergency", "same_day"},
    "distress": {"emergency", "crisis", "same_day", "distress"},
    "caution": {"emergency", "crisis", "same_day", "caution"},
}


def caught(triage: Triage, item: dict[str, str]) -> bool:
    finding = triage.assess(item["text"])
    tier = item["tier"]
    if tier == "none":
        return not finding.alarming
    if tier == "not_english":
        return finding.language is not None and not finding.alarming
    if tier == "crisis":  # shown beside emergency guidance when both apply (an overdose)
        return "crisis" in {rule.tier for rule in finding.rules} and \
            finding.tier in ("emergency", "crisis")
    return finding.tier in ACCEPT[tier]


def evaluate(triage: Triage, items: list[dict[str, str]], show_misses: bool) -> None:
    by_tier: dict[str, Counter[str]] = defaultdict(Counter)
    by_category: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    misses = []
    ordinary_any = 0
    for item in items:
        ok = caught(triage, item)
        key = "caught" if ok else "missed"
        by_tier[item["tier"]][key] += 1
        by_category[(item["tier"], item["category"])][key] += 1
        if not ok:
            finding = triage.assess(item["text"])
            misses.append((item["tier"], item["category"], finding.tier,
                           [r.id for r in finding.rules], item["text"]))
        if item["tier"] == "none" and triage.assess(item["text"]).tier is not None:
            ordinary_any += 1
    print(f"{'tier':12} {'caught':>7} {'of':>5} {'recall':>7}")
    for tier in (*TIERS, "not_english"):
        c = by_tier.get(tier)
        if c:
            total = c["caught"] + c["missed"]
            print(f"{tier:12} {c['caught']:>7} {total:>5} {c['caught'] / total:>7.1%}")
    none = by_tier.get("none", Counter())
    total_none = none["caught"] + none["missed"]
    if total_none:
        print(f"false alarms (emergency/crisis/same-day on an ordinary message): "
              f"{none['missed']}/{total_none} = {none['missed'] / total_none:.1%}")
        print(f"any tier on an ordinary message (incl. distress, caution): "
              f"{ordinary_any}/{total_none} = {ordinary_any / total_none:.1%}")
    print("\nby category:")
    for (tier, category), c in sorted(by_category.items()):
        total = c["caught"] + c["missed"]
        label = "false alarms" if tier == "none" else "recall"
        value = c["missed"] / total if tier == "none" else c["caught"] / total
        print(f"  {tier:12} {category:26} {c['caught']:>4}/{total:<4} {label} {value:.0%}")
    if show_misses:
        print("\nmisses (expected, category, got, rules, text):")
        for miss in misses:
            print("  ", miss)


def speed(triage: Triage) -> None:
    """Median time to triage a 4,000-character message: 200 different windows of the cards'
    own text (varied words, as a long rambling message has), and a one-line question."""
    text = " ".join(p.read_text(encoding="utf-8")
                    for p in sorted((ROOT / "content" / "cards").glob("*.md")))
    windows = [text[i * 97: i * 97 + 4000] for i in range(200)]
    for window in windows[:20]:
        triage.assess(window)
    times = []
    for window in windows:
        start = time.perf_counter()
        triage.assess(window)
        times.append(time.perf_counter() - start)
    short = []
    for _ in range(2000):
        start = time.perf_counter()
        triage.assess("is kefir good for my baby's eczema?")
        short.append(time.perf_counter() - start)
    print(f"\ntriage time: 4,000-character message median {statistics.median(times) * 1e3:.3f} ms"
          f" (goal < 0.5 ms); a one-line question median "
          f"{statistics.median(short) * 1e3:.3f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sets", nargs="*", type=Path)
    parser.add_argument("--rules", type=Path, default=ROOT / "content" / "triage.yaml")
    parser.add_argument("--misses", action="store_true", help="list every miss")
    args = parser.parse_args()
    problems: list = []
    triage = load_triage(args.rules, problems)
    if problems:
        sys.exit("\n".join(str(p) for p in problems))
    sets = args.sets or sorted((ROOT / "tests" / "data" / "triage").glob("*.yaml"))
    for path in sets:
        items = yaml.safe_load(path.read_text(encoding="utf-8"))
        print(f"== {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} "
              f"({len(items)} messages); command: python bench/triage_eval.py {path.name}")
        evaluate(triage, items, args.misses)
        print()
    speed(triage)
    print(f"\nalarm tiers: {sorted(ALARM_TIERS)}")


if __name__ == "__main__":
    main()
