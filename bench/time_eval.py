"""Accuracy of reading reminder times, zones and days on a labelled set written blind.

    python bench/time_eval.py                                # every set in tests/data/times/
    python bench/time_eval.py tests/data/times/blind1.yaml

Each case is {text, kind, time, zone, days, refuse}. It is read the way the bot reads it
(bot/handlers/reminders.py):

- kind "answer": typed while /remind's first step asks "What time?";
- kind "sentence": typed as a message outside any set-up ("remind me every weekday at 7pm"):
  it must be taken as a reminder request, then read as /remind's one-line form.

A case passes when the outcome is what a person would want: the time, zone and days it
expects (days not given means every day, a zone not given means none was read), `time: null`
means the set-up starts and asks for the time, and `refuse: true` means nothing is set and
the person is asked again. Categories: plain time, with zone, sentence with days (any case
with days, or a sentence with a time), request without a time, must refuse.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.delivery import localtime  # noqa: E402
from bot.library.content import load_library  # noqa: E402
from bot.services import spoken_times  # noqa: E402

DAYS = {name.lower(): 1 << i for i, name in enumerate(localtime.DAY_NAMES)}
CATEGORIES = ("plain time", "with zone", "sentence with days", "request without a time",
              "must refuse")


@dataclass(frozen=True)
class Outcome:
    status: str  # "set" (read, the set-up goes on), "refused" (asked again), "ignored"
    minute: int | None = None
    zone: str | None = None
    days: int | None = None

    def describe(self) -> str:
        if self.status != "set":
            return self.status
        time = localtime.format_time(self.minute) if self.minute is not None else "no time"
        days = localtime.describe_days(self.days) if self.days else "every day"
        return f"{time}, {self.zone or 'no zone'}, {days}"


def outcome(kind: str, text: str, aliases: dict[str, str]) -> Outcome:
    """What the bot makes of the text, through the functions its handlers call:
    spoken_times.reminder_request for a message typed outside a set-up (from_sentence),
    spoken_times.time_answer at /remind's time step (typed_answer)."""
    if kind == "sentence":
        request = spoken_times.reminder_request(text, aliases)
        if request is None:
            return Outcome("ignored")  # not a reminder request: answered as a question
    else:
        request = spoken_times.time_answer(text, aliases)
        if request is None:
            return Outcome("refused")
    if request.problem:
        return Outcome("refused")
    days = request.days if request.days is not None else localtime.EVERY_DAY
    return Outcome("set", request.minute, request.zone, days)


def one_line(text: str, aliases: dict[str, str]) -> Outcome:
    """The same words typed after /remind (its one-line form), for comparison."""
    request = spoken_times.parse_reminder(text, aliases)
    if request.minute is None and request.zone is None and request.days is None:
        return Outcome("refused")
    if request.problem:
        return Outcome("refused")
    days = request.days if request.days is not None else localtime.EVERY_DAY
    return Outcome("set", request.minute, request.zone, days)


def expected(case: dict[str, Any]) -> Outcome:
    if case.get("refuse"):
        return Outcome("refused")
    time = case.get("time")
    minute = None
    if time is not None:
        hours, minutes = str(time).split(":")
        minute = int(hours) * 60 + int(minutes)
    days = sum(DAYS[d[:3].lower()] for d in case["days"]) if case.get("days") else \
        localtime.EVERY_DAY
    return Outcome("set", minute, case.get("zone"), days)


def category(case: dict[str, Any]) -> str:
    if case.get("refuse"):
        return "must refuse"
    if case.get("kind") == "sentence" and case.get("time") is None:
        return "request without a time"
    if case.get("days") or case.get("kind") == "sentence":
        return "sentence with days"
    if case.get("zone"):
        return "with zone"
    return "plain time"


def evaluate(cases: list[dict[str, Any]], aliases: dict[str, str]) -> tuple[int, int]:
    totals: dict[str, Counter[str]] = defaultdict(Counter)
    misses = []
    for case in cases:
        want = expected(case)
        got = outcome(str(case.get("kind") or "answer"), str(case["text"]), aliases)
        ok = got == want
        group = category(case)
        totals[group]["pass" if ok else "miss"] += 1
        if not ok:
            misses.append((group, case, want, got))
    passed = sum(c["pass"] for c in totals.values())
    print(f"{'category':26} {'pass':>5} {'of':>5} {'accuracy':>9}")
    for group in CATEGORIES:
        count = totals[group]
        total = count["pass"] + count["miss"]
        if total:
            print(f"{group:26} {count['pass']:5} {total:5} {100 * count['pass'] / total:8.1f}%")
    print(f"{'overall':26} {passed:5} {len(cases):5} {100 * passed / len(cases):8.1f}%")
    answers = [c for c in cases if (c.get("kind") or "answer") == "answer"]
    after_remind = sum(one_line(str(c["text"]), aliases) == expected(c) for c in answers)
    print(f"(the {len(answers)} answers typed after /remind instead, its one-line form: "
          f"{after_remind} right)")
    if misses:
        print(f"\nmisses ({len(misses)}):")
        for group, case, want, got in misses:
            print(f"  [{group}] {case.get('kind') or 'answer'}: {case['text']!r}\n"
                  f"      expected {want.describe()}; got {got.describe()}")
    return passed, len(cases)


def load_cases(path: Path) -> list[dict[str, Any]]:
    return list(yaml.safe_load(path.read_text(encoding="utf-8")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sets", nargs="*", type=Path)
    args = parser.parse_args()
    library = load_library(ROOT / "content")
    aliases = dict(library.zone_aliases)
    sets = args.sets or sorted((ROOT / "tests" / "data" / "times").glob("*.yaml"))
    for path in sets:
        cases = load_cases(path)
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        print(f"== {shown} ({len(cases)} cases); command: python bench/time_eval.py {shown}")
        evaluate(cases, aliases)
        print()


if __name__ == "__main__":
    main()
