"""Fuzz the real bot process with generated Telegram updates, and count what must be zero.

    python bench/fuzz.py [--updates 10000] [--seed 14] [--minutes 10]

`python -m bot` runs against the loopback Bot API (127.0.0.1 only). The owner first prepares
two campaign drafts and adds a moderator; then updates of about 25 kinds arrive in batches of
100 (tests/fuzzing.py says which, and how each figure is counted). The run is bounded by the
number of updates and by --minutes. It prints the figures, the examples behind any non-zero
one, and exits 1 unless every must-be-zero figure is zero.
"""

from __future__ import annotations

import argparse
import asyncio
import shlex
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import strict_html  # noqa: E402
from tests.fuzzing import run_fuzz  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--minutes", type=float, default=10.0, help="stop after this long")
    args = parser.parse_args()
    started = time.monotonic()

    def progress(done: int) -> None:
        if done % 1000 == 0:
            print(f"  {done:,} updates in {time.monotonic() - started:.0f} s", flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        found = asyncio.run(run_fuzz(Path(tmp), updates=args.updates, seed=args.seed,
                                     time_limit=args.minutes * 60, progress=progress))
    command = "python bench/fuzz.py " + " ".join(
        shlex.quote(a) for a in ("--updates", str(args.updates), "--seed", str(args.seed)))
    print(f"\n$ {command}")
    print(f"{found.updates:,} updates in {found.seconds:.0f} s "
          f"({found.updates / found.seconds:.0f}/s through the real process); "
          f"{found.messages:,} messages and inline results checked")
    print("kinds: " + ", ".join(f"{k} {n}" for k, n in sorted(found.kinds.items())))
    print(f"strict HTML validator controls: {found.controls[0]}/"
          f"{len(strict_html.NEGATIVE_CONTROLS)} bad texts caught, {found.controls[1]}/"
          f"{len(strict_html.POSITIVE_CONTROLS)} good ones passed")
    rows = [("tracebacks in the bot's log", found.tracebacks),
            ("ERROR lines in the bot's log", found.error_lines),
            ("messages without the disclaimer", found.no_disclaimer),
            ("messages breaking Telegram's HTML rules", found.bad_html),
            ("other chats' data changed", found.other_chats_changed),
            (f"moderator effects by non-moderators ({found.moderator_attempts:,} attempts)",
             found.moderator_effects)]
    for label, value in rows:
        print(f"  {label}: {value}  (must be 0)")
    for example in found.examples:
        print(f"    - {example}")
    return 0 if found.clean else 1


if __name__ == "__main__":
    sys.exit(main())
