"""Thousands of reminders due while the Bot API misbehaves, and people writing meanwhile.

`run_faults` seeds `due` subscribers whose daily card is due this minute, starts the real
`python -m bot` against the loopback Bot API, and then:

1. for `stall_seconds` every bulk send is answered only after 3 s (the outbox's connections
   all wait), then
2. a share `rate` of bulk sends meets one of 429, 403, 400, 500, a gateway's HTML 502 page,
   a timeout (the message lands, the answer comes after the bot's 5 s read timeout), a dropped
   connection (the message lands, no answer) or a slow answer (1 s),

while a prober writes /help from chats of its own every 0.2 s and times each reply, until
every outbox row is settled. It then reads every row's end and reason, every chat's
deliveries and the bot's log. bench/faults.py prints it; tests/test_faults_slice.py runs a
small one.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tests.crash import seed_due_chats, stop
from tests.loopback_api import FAULT_KINDS, FaultMix, LoopbackBotAPI

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:FAULT-token"
PROBERS = 900_000_000  # the people writing meanwhile: chats from here up
SETTLED = ("sent", "blocked", "failed", "skipped", "cancelled")


@dataclass
class FaultResults:
    due: int = 0
    seconds: float = 0.0
    settled_in: float = 0.0
    statuses: Counter[str] = field(default_factory=Counter)
    without_reason: int = 0  # blocked, failed or skipped with no error recorded
    unsettled: int = 0  # pending or sending at the end
    lost: int = 0  # rows marked sent whose chat received nothing
    duplicates: int = 0  # chats that received their card more than once
    duplicates_unmarked: int = 0  # ... whose row does not say 'unconfirmed'
    injected: Counter[str] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)
    stall_waits: list[float] = field(default_factory=list)  # reply latencies, in s
    mix_waits: list[float] = field(default_factory=list)
    unanswered: int = 0
    tracebacks: int = 0
    error_lines: int = 0
    page_warnings: int = 0

    @staticmethod
    def percentile(values: list[float], share: float) -> float:
        if not values:
            return float("nan")
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _outbox(database: Path) -> list[tuple[int, str, str | None]]:
    with sqlite3.connect(database, timeout=10) as conn:
        return conn.execute("SELECT chat_id, status, error FROM outbox WHERE kind = 'card'"
                            ).fetchall()


def _probe(server: LoopbackBotAPI, chat_id: int, timeout: float = 10.0) -> float | None:
    before = len(server.calls)
    pushed = time.monotonic()
    server.push_message("/help", chat_id=chat_id)
    try:
        calls = server.wait_for(lambda calls: any(
            c.chat_id == chat_id and c.method == "sendMessage" for c in calls[before:]),
            timeout=timeout)
    except TimeoutError:
        return None
    return next(c.time for c in calls[before:]
                if c.chat_id == chat_id and c.method == "sendMessage") - pushed


async def run_faults(workdir: Path, *, due: int, rate: float, seed_value: int = 14,
                     stall_seconds: float = 10.0, send_rate: int = 200,
                     time_limit: float = 600.0) -> FaultResults:
    results = FaultResults(due=due)
    database, log = workdir / "faults.sqlite3", workdir / "faults.log"
    for path in (database, log):
        path.unlink(missing_ok=True)
    await seed_due_chats(database, due)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_"))}
    started = time.monotonic()
    bulk = (lambda c: c is not None and 0 < c <= due)  # noqa: E731
    with LoopbackBotAPI() as server:
        env.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_BASE_URL=server.base_url,
                   TELEGRAM_BASE_FILE_URL=server.base_file_url, BOT_DATABASE=str(database),
                   BOT_SEND_RATE=str(send_rate))
        server.chaos(FaultMix(rate=1.0, kinds=("slow",), slow_seconds=3.0, chats=bulk,
                              seed=seed_value))
        with log.open("wb") as sink:
            process = subprocess.Popen([sys.executable, "-m", "bot"], cwd=ROOT, env=env,
                                       stdin=subprocess.DEVNULL, stdout=sink, stderr=sink)
        try:
            server.wait_for(lambda calls: any(c.method == "setMyCommands" for c in calls), 30)
            server.wait_for(lambda _: server.arrived["sendMessage"] > 0, 30)
            prober = PROBERS
            phase_end = time.monotonic() + stall_seconds
            while time.monotonic() < phase_end:
                prober += 1
                wait = _probe(server, prober)
                results.stall_waits.append(wait if wait is not None else 10.0)
                results.unanswered += wait is None
                time.sleep(0.2)
            server.chaos(FaultMix(rate=rate, kinds=FAULT_KINDS, chats=bulk, seed=seed_value,
                                  slow_seconds=1.0))
            deadline = started + time_limit
            while time.monotonic() < deadline:
                prober += 1
                wait = _probe(server, prober)
                results.mix_waits.append(wait if wait is not None else 10.0)
                results.unanswered += wait is None
                rows = _outbox(database)
                if len(rows) >= due and all(status in SETTLED for _, status, _ in rows):
                    break
                time.sleep(0.2)
            results.settled_in = time.monotonic() - started
            server.chaos(None)
            time.sleep(0.5)
        finally:
            stop(process, timeout=30)
        results.injected = server.injected
        landed = Counter(c.chat_id for c in server.calls
                         if c.method == "sendMessage" and bulk(c.chat_id) and c.status == 200)
    results.seconds = time.monotonic() - started
    rows = _outbox(database)
    for chat_id, status, error in rows:
        results.statuses[status] += 1
        if status not in SETTLED:
            results.unsettled += 1
        elif status != "sent" and not error:
            results.without_reason += 1
        if status != "sent" and error:
            results.reasons[_reason(error)] += 1
        if status == "sent" and not landed[chat_id]:
            results.lost += 1
        if landed[chat_id] > 1:
            results.duplicates += 1
            results.duplicates_unmarked += not (error or "").startswith("unconfirmed: ")
    results.unsettled += max(0, due - len(rows))
    text = log.read_text(errors="replace")
    results.tracebacks = text.count("Traceback")
    results.error_lines = sum(" ERROR " in line or " CRITICAL " in line
                              for line in text.splitlines())
    results.page_warnings = text.count("web page instead of JSON")
    return results


def _reason(error: str) -> str:
    """The kind of a row's recorded reason, for counting."""
    error = error.removeprefix("unconfirmed: ")
    for known in ("blocked by the user", "message is too long", "chat is not active",
                  "after 5 attempts", "Timed out", "Internal Server Error", "Bad Gateway"):
        if known in error:
            return known
    return error[:40]
