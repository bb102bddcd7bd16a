"""Time CardIndex.search over the test questions, beside two naive baselines from the same run.

usage (from the repo root): python bench/search_speed.py [--rounds N]

Prints median and p95 per search in milliseconds. The baselines are measured in the same
process on the same questions, so the ratios hold on a noisy machine:
- lookup: message.lower().split() and a dict lookup per word in a word -> cards table
  (the cheapest search imaginable: no typos, no synonyms, no ranking to speak of);
- scan: a substring test of every word against every card's title, keywords and body.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.library.content import load_library
from bot.library.model import Library
from bot.library.search import CardIndex

MIN_TIMINGS = 2000


def pin_to_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        try:
            os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
            return f"pinned to CPU {min(os.sched_getaffinity(0))}"
        except OSError as exc:
            return f"not pinned ({exc})"
    return "not pinned (no sched_setaffinity here)"


def questions() -> list[str]:
    data = yaml.safe_load((ROOT / "tests" / "data" / "questions.yaml").read_text("utf-8"))
    items = data["questions"] if isinstance(data, dict) else data
    return [str(item["q"]) for item in items]


def lookup_baseline(library: Library) -> Callable[[str], object]:
    table: dict[str, set[str]] = {}
    for card in library.cards.values():
        for word in f"{card.title} {' '.join(card.keywords)} {card.body}".lower().split():
            table.setdefault(word, set()).add(card.id)

    def search(text: str) -> object:
        counts: dict[str, int] = {}
        for word in text.lower().split():
            for card_id in table.get(word, ()):
                counts[card_id] = counts.get(card_id, 0) + 1
        return sorted(counts, key=counts.__getitem__, reverse=True)[:3]

    return search


def scan_baseline(library: Library) -> Callable[[str], object]:
    texts = [(c.id, f"{c.title} {' '.join(c.keywords)} {c.body}".lower())
             for c in library.cards.values()]

    def search(text: str) -> object:
        words = text.lower().split()
        scored = [(sum(w in body for w in words), cid) for cid, body in texts]
        return sorted(scored, reverse=True)[:3]

    return search


def timings(fn: Callable[[str], object], texts: list[str], rounds: int) -> list[float]:
    for text in texts:  # warm up
        fn(text)
    result: list[float] = []
    clock = time.perf_counter_ns
    gc.disable()
    try:
        for _ in range(rounds):
            for text in texts:
                start = clock()
                fn(text)
                result.append((clock() - start) / 1e6)
    finally:
        gc.enable()
    return result


def summary(ms: list[float]) -> tuple[float, float]:
    ordered = sorted(ms)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=0,
                        help=f"passes over the questions (default: enough for {MIN_TIMINGS})")
    args = parser.parse_args(argv)

    print(pin_to_one_core())
    library = load_library(ROOT / "content")
    start = time.perf_counter()
    index = CardIndex.build(library)
    print(f"index built in {(time.perf_counter() - start) * 1000:.1f} ms "
          f"({len(library.cards)} cards)")

    texts = questions()
    rounds = args.rounds or -(-MIN_TIMINGS // len(texts))
    print(f"{len(texts)} questions x {rounds} rounds = {len(texts) * rounds} timings each\n")

    rows = [
        ("CardIndex.search", timings(index.search, texts, rounds)),
        ("baseline: split + dict lookup", timings(lookup_baseline(library), texts, rounds)),
        ("baseline: substring scan", timings(scan_baseline(library), texts, rounds)),
    ]
    search_median = summary(rows[0][1])[0]
    print(f"{'':32} {'median ms':>10} {'p95 ms':>10} {'search is x this':>17}")
    for name, ms in rows:
        median, p95 = summary(ms)
        print(f"{name:32} {median:10.4f} {p95:10.4f} {search_median / median:16.2f}x")

    long_texts = [
        ("my son has eczema and can't sleep at night because of the itch. " * 200)[:10_000],
        ("asdkjh qwpoeiru zxmcnv " * 500)[:10_000],
        "probiotcs fermnted sauerkrout kombuca dermatolgist " * 200,
    ]
    median, p95 = summary(timings(index.search, long_texts, 100))
    print(f"\n10,000-character messages: median {median:.3f} ms, p95 {p95:.3f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
