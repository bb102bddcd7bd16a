"""Thousands due while the Bot API fails at a given rate: every message ends with a reason,
and people's replies stay fast.

    python bench/faults.py [--due 4000] [--rate 0.15] [--stall 10] [--seed 14]

The real `python -m bot` against the loopback Bot API (127.0.0.1 only); tests/fault_runs.py
says what is injected and how each figure is counted. First every bulk send stalls for
--stall seconds; then a share --rate of them meets 429, 403, 400, 500, an HTML 502 page, a
timeout, a dropped connection or a slow answer, until every outbox row is settled (bounded by
--minutes). Exits 1 unless every row ended sent, blocked or failed with its reason, none was
lost, and replies kept p99 under 1 s.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fault_runs import FaultResults, run_faults  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--due", type=int, default=4000)
    parser.add_argument("--rate", type=float, default=0.15)
    parser.add_argument("--stall", type=float, default=10.0, help="seconds of stalled sends")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--send-rate", type=int, default=200, help="BOT_SEND_RATE")
    parser.add_argument("--minutes", type=float, default=10.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        r = asyncio.run(run_faults(Path(tmp), due=args.due, rate=args.rate,
                                   seed_value=args.seed, stall_seconds=args.stall,
                                   send_rate=args.send_rate, time_limit=args.minutes * 60))
    p = FaultResults.percentile
    print(f"\n$ python bench/faults.py --due {args.due} --rate {args.rate} --stall {args.stall:g} "
          f"--seed {args.seed} --send-rate {args.send_rate}")
    print(f"{r.due:,} reminders due; settled in {r.settled_in:.0f} s "
          f"(BOT_SEND_RATE={args.send_rate})")
    print("faults injected: " + ", ".join(f"{k} {n}" for k, n in sorted(r.injected.items())))
    print("rows ended: " + ", ".join(f"{k} {n}" for k, n in sorted(r.statuses.items())))
    print("reasons kept: " + ", ".join(f"{k!r} {n}" for k, n in r.reasons.most_common()))
    for label, waits in (("while every bulk send stalled 3 s", r.stall_waits),
                         (f"during the {args.rate:.0%} fault mix", r.mix_waits)):
        print(f"replies {label}: {len(waits)} probes, p50 {p(waits, .5) * 1000:.0f} ms, "
              f"p99 {p(waits, .99) * 1000:.0f} ms, max {max(waits, default=0) * 1000:.0f} ms")
    waits = r.stall_waits + r.mix_waits
    p99 = p(waits, .99)
    print(f"  rows not settled (pending or sending): {r.unsettled}  (must be 0)")
    print(f"  rows blocked, failed or skipped without a reason: {r.without_reason}  (must be 0)")
    print(f"  rows marked sent whose chat got nothing (lost): {r.lost}  (must be 0)")
    print(f"  chats that got their card twice: {r.duplicates}, of them not marked "
          f"'unconfirmed' in the outbox: {r.duplicates_unmarked}  (must be 0)")
    print(f"  replies unanswered within 10 s: {r.unanswered}  (must be 0)")
    print(f"  reply p99: {p99 * 1000:.0f} ms  (must be under 1,000)")
    print(f"  tracebacks / ERROR lines in the bot's log: {r.tracebacks} / {r.error_lines}  "
          f"(must be 0); 'web page' warnings: {r.page_warnings} (one per burst)")
    ok = not (r.unsettled or r.without_reason or r.lost or r.duplicates_unmarked
              or r.unanswered or r.tracebacks or r.error_lines) and p99 < 1.0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
