"""SIGKILL the bot at random moments in a reminder minute and a 5,000+ broadcast.

    python bench/crash.py [--chats 5000] [--kills 24] [--seed 14]

Every chat has its daily card due this minute and is in a campaign scheduled for now, so
2 x --chats messages are due at once. The real `python -m bot` (against the loopback Bot API,
127.0.0.1 only) is killed with SIGKILL --kills times, each time at a random moment from
0.3 s to 3.5 s after it started (during start-up, the minute tick, the campaign's start or
mid-send), then started again; the last run finishes. Per kill it prints how many messages
had landed, how many rows were in flight (claimed, not yet confirmed) and how many of those
arrived twice; at the end, messages lost (must be 0) and duplicates (must be within the
in-flight rows), and the moderator's report. Bounded: --kills runs and --minutes overall.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import signal
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.store import open_database  # noqa: E402
from tests.crash import start_bot, stop  # noqa: E402
from tests.loopback_api import Call, LoopbackBotAPI  # noqa: E402

OWNER = 777_000_001
MARK = "Crash-bench broadcast"


async def prepare(database: Path, chats: int) -> None:
    db = await open_database(database)
    await db.close()
    now = int(time.time())
    with sqlite3.connect(database) as conn:
        ids = list(range(1, chats + 1))
        conn.executemany("INSERT INTO chats (id, kind, first_seen, last_seen, timezone) "
                         "VALUES (?, 'private', 0, 0, 'UTC')", [(c,) for c in ids])
        conn.executemany("INSERT INTO schedules (chat_id, kind, local_minute, days, next_due) "
                         "VALUES (?, 'card', 0, 127, ?)", [(c, now // 60) for c in ids])
        conn.execute("INSERT INTO chats (id, kind, first_seen, last_seen) "
                     "VALUES (?, 'private', 0, 0)", (OWNER,))  # gets the report
        conn.execute("INSERT INTO campaigns (created_by, report_chat, created_at, kind, "
                     "body_html, audience, status, send_at) VALUES (?, ?, ?, 'message', ?, "
                     "'all', 'scheduled', ?)", (OWNER, OWNER, now, f"<b>{MARK}</b>", now))


def key(call: Call) -> tuple[int, str] | None:
    """(chat, which message) for a landed bulk send."""
    if call.method != "sendMessage" or call.status != 200 or call.chat_id in (None, OWNER):
        return None
    return (call.chat_id or 0, "broadcast" if MARK in call.text else "card")


def in_flight(database: Path) -> set[tuple[int, str]]:
    with sqlite3.connect(database, timeout=10) as conn:
        return {(chat, kind) for chat, kind in conn.execute(
            "SELECT chat_id, kind FROM outbox WHERE status = 'sending'")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=5000)
    parser.add_argument("--kills", type=int, default=24)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--send-rate", type=int, default=500, help="BOT_SEND_RATE")
    parser.add_argument("--minutes", type=float, default=10.0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    deadline = time.monotonic() + args.minutes * 60
    env = {"BOT_ADMIN_IDS": str(OWNER), "BOT_SEND_RATE": str(args.send_rate)}
    kills: list[tuple[float, int, set[tuple[int, str]]]] = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp, LoopbackBotAPI() as server:
        database, log = Path(tmp) / "crash.sqlite3", Path(tmp) / "crash.log"
        asyncio.run(prepare(database, args.chats))
        expected = {(c, k) for c in range(1, args.chats + 1) for k in ("card", "broadcast")}
        print(f"{args.chats:,} chats: {len(expected):,} messages due (a daily card each and a "
              f"campaign to all), BOT_SEND_RATE={args.send_rate}")
        for _ in range(args.kills):
            if time.monotonic() > deadline:
                break
            process = start_bot(server, database, log, **env)
            moment = rng.uniform(0.3, 3.5)
            time.sleep(moment)
            process.send_signal(signal.SIGKILL)
            process.wait(10)
            flying = in_flight(database)
            landed = sum(1 for c in list(server.calls) if key(c))
            kills.append((moment, landed, flying))
            if {k for c in list(server.calls) if (k := key(c))} >= expected:
                break  # everything is out already: further kills would prove nothing
        final = start_bot(server, database, log, **env)
        try:
            server.wait_for(lambda calls: any("has finished" in c.text for c in calls
                                              if c.chat_id == OWNER),
                            timeout=max(10.0, deadline - time.monotonic()))
            server.wait_for(lambda calls: {k for c in calls if (k := key(c))} >= expected,
                            timeout=max(10.0, deadline - time.monotonic()))
            time.sleep(1.0)  # anything extra would show up now
        finally:
            stop(final)
        calls = list(server.calls)
        got = Counter(k for c in calls if (k := key(c)))
        report = [c.text for c in calls if c.chat_id == OWNER and "has finished" in c.text]
        log_text = log.read_text(errors="replace")
    elapsed = time.monotonic() - started

    print(f"\n$ python bench/crash.py --chats {args.chats} --kills {args.kills} "
          f"--seed {args.seed} --send-rate {args.send_rate}")
    previous: tuple[int, set[tuple[int, str]]] = (-1, set())
    times_in_flight: Counter[tuple[int, str]] = Counter()
    for number, (moment, landed, flying) in enumerate(kills, start=1):
        if (landed, flying) == previous:  # killed before it had recovered anything
            print(f"kill {number:2}: {moment:.2f} s after start, killed during start-up: "
                  f"nothing sent, the same {len(flying)} rows still in flight")
            continue
        previous = (landed, flying)
        times_in_flight.update(flying)
        twice = sum(1 for k in flying if got[k] > 1)
        print(f"kill {number:2}: {moment:.2f} s after start, {landed:6,} landed so far, "
              f"{len(flying):3} in flight, {twice:3} of them arrived twice")
    lost = len(expected - set(got))
    duplicates = sum(n - 1 for n in got.values())
    flying_total = sum(times_in_flight.values())
    # A message may repeat once for each kill that found it in flight, and never otherwise.
    beyond = sum(max(0, n - 1 - times_in_flight[k]) for k, n in got.items())
    print(f"{len(kills)} kills in {elapsed:.0f} s; lost: {lost} (must be 0); duplicates: "
          f"{duplicates} of {flying_total} in flight at the kills (must be at most that); "
          f"repeats beyond the kills that found a message in flight: {beyond} (must be 0)")
    print("moderator's report: " + (" / ".join(
        line for line in report[-1].split("\n") if line.startswith(("Delivered", "May have")))
        if report else "none"))
    print(f"tracebacks in the bot's log: {log_text.count('Traceback')}; token in the log: "
          f"{'TEST-token' in log_text}")
    ok = lost == 0 and beyond == 0 and duplicates <= flying_total and len(kills) >= min(
        20, args.kills) and bool(report)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
