"""Inbound updates on the real `python -m bot`, beside a bare PTB echo bot on the same
transport and the same loopback fake Bot API, with a store of 100,000 chats.

    python bench/inbound.py [--chats 100000] [--history-days 45] [--per-day N]
                            [--burst 4000] [--rate 200] [--seconds 20] [--rounds 2]

Both bots are separate processes pinned to one core; the fake (tests/loopback_api.py) and
this script share the other. Both are fed the same mixed stream through getUpdates: questions
(tests/data/questions.yaml), button presses with valid data (a card, a topic), "/remind 8am
London", and "/stats" from an owner (BOT_ADMIN_IDS): once in the middle of each burst, and at a
third and two thirds of the paced run. Each update comes from its own chat, so its reply is
the first message sent or edited in that chat after it.

Prints:
- updates/s at saturation (a burst of --burst updates at once), the bot's over the echo
  bot's, and CPU ms per update from /proc (goal: ratio >= 0.7);
- p50/p99 reply latency at a fixed --rate updates/s, the echo bot's beside it (goal: the
  bot's p99 <= 50 ms);
- how long each /stats took, and the latency of other replies while it ran (goal at
  1,000,000 chats with 45 days of history: /stats <= 2 s, others' p99 <= 50 ms).

The store: chats 1..N (2% groups), 60% of the active ones with a daily card (none due during
the run), three cards read each, a month of check-ins for a tenth of subscribers, and
--history-days days of settled outbox rows, --per-day a day (default 30% of the chats: the
issue's 9M sent rows in 30 days at 1M chats), with the bot's own dedupe keys.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml

from bench import world
from bot.library.content import load_library
from tests.loopback_api import REPLY_METHODS, LoopbackBotAPI

TOKEN = "123456:BENCH-token"
# BOT_ADMIN_IDS; each owner's private chat asks for /stats once in a run.
OWNERS = (990_000_001, 990_000_002)
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# --- the stream ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Item:
    chat_id: int
    kind: str  # question, card, topic, remind, stats
    payload: str


class Stream:
    """The same mix for every run: 55% questions, 25% a card's button, 10% a topic's,
    10% /remind 8am London; each item from a chat not used before in this run."""

    def __init__(self, chats: Sequence[int], seed_value: int = 15) -> None:
        library = load_library(ROOT / "content")
        data = yaml.safe_load((ROOT / "tests" / "data" / "questions.yaml").read_text("utf-8"))
        self.questions = [str(q["q"]) for q in data["questions"]]
        self.cards = sorted(library.cards)
        self.topics = [t.id for t in library.topics]
        self.rng = random.Random(seed_value)
        self.free = list(chats)
        self.rng.shuffle(self.free)

    def take(self, count: int, *, stats_at: Sequence[int] = ()) -> list[Item]:
        if count > len(self.free):
            raise SystemExit(f"not enough chats for {count} more updates: raise --chats")
        items = []
        for i in range(count):
            if i in stats_at:
                items.append(Item(OWNERS[list(stats_at).index(i)], "stats", "/stats"))
            chat = self.free.pop()
            roll = self.rng.random()
            if roll < 0.55:
                items.append(Item(chat, "question", self.rng.choice(self.questions)))
            elif roll < 0.80:
                items.append(Item(chat, "card", f"card:{self.rng.choice(self.cards)}"))
            elif roll < 0.90:
                items.append(Item(chat, "topic", f"topic:{self.rng.choice(self.topics)}"))
            else:
                items.append(Item(chat, "remind", "/remind 8am London"))
        return items


def push(api: LoopbackBotAPI, item: Item) -> None:
    if item.kind in ("card", "topic"):
        api.push_callback(item.payload, chat_id=item.chat_id)
    else:
        api.push_message(item.payload, chat_id=item.chat_id)


# --- a bot process ------------------------------------------------------------------------

@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.popen.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime

    def problems(self) -> int:
        text = self.log.read_text(errors="replace")
        return text.count("Traceback") + text.count(" ERROR ")

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(20)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()


def start(name: str, api: LoopbackBotAPI, database: Path, tmp: Path, core: int | None,
          profile: Path | None = None) -> Process:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_"))}
    env.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_BASE_URL=api.base_url,
               TELEGRAM_BASE_FILE_URL=api.base_file_url, BOT_DATABASE=str(database),
               BOT_ADMIN_IDS=",".join(map(str, OWNERS)))
    command = [sys.executable, "-m", "bot"] if name == "bot" else \
        [sys.executable, str(ROOT / "bench" / "echo_bot.py")]
    if profile is not None and name == "bot":
        command[1:1] = ["-m", "cProfile", "-o", str(profile)]
    log = tmp / f"{name}.log"
    polls = api.arrived["getUpdates"]
    with log.open("ab") as sink:
        popen = subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                                 stdout=sink, stderr=sink)
    if core is not None:
        os.sched_setaffinity(popen.pid, {core})
    deadline = time.monotonic() + 120
    while api.arrived["getUpdates"] <= polls:  # polling: every post_init step is done
        if popen.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"{name} did not start:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.05)
    time.sleep(2.0)  # the bot's catch-up tick runs 1 s after start; let it pass
    return Process(name, popen, log)


# --- measuring ------------------------------------------------------------------------------

@dataclass
class Run:
    pushed: dict[int, float] = field(default_factory=dict)  # chat -> when its update was pushed
    replied: dict[int, float] = field(default_factory=dict)  # chat -> its first reply's arrival
    kinds: dict[int, str] = field(default_factory=dict)
    started: float = 0.0
    wall: float = 0.0  # time.time() when it began: which second of the minute (the tick)

    def latencies(self, keep: Callable[[int], bool] = lambda chat: True) -> list[float]:
        return [self.replied[c] - t for c, t in self.pushed.items()
                if c in self.replied and c not in OWNERS and keep(c)]

    @property
    def missing(self) -> int:
        return len(set(self.pushed) - set(self.replied))


def collect(api: LoopbackBotAPI, run: Run, since: int, timeout: float) -> int:
    """Wait until every pushed update has its reply (or `timeout`); returns the index of the
    first call not yet looked at."""
    seen = since
    deadline = time.monotonic() + timeout
    while True:
        calls = api.calls
        end = len(calls)
        for call in calls[seen:end]:
            chat = call.chat_id
            if (call.method in REPLY_METHODS and chat in run.pushed and chat not in run.replied
                    and call.time >= run.pushed[chat]):
                run.replied[chat] = call.time
        seen = end
        if len(run.replied) >= len(run.pushed) or time.monotonic() > deadline:
            return seen
        time.sleep(0.01)


def burst(api: LoopbackBotAPI, items: list[Item], timeout: float) -> Run:
    run = Run()
    since = len(api.calls)
    run.started = time.monotonic()
    for item in items:
        run.pushed[item.chat_id] = time.monotonic()
        run.kinds[item.chat_id] = item.kind
        push(api, item)
    collect(api, run, since, timeout)
    return run


def paced(api: LoopbackBotAPI, items: list[Item], rate: float, timeout: float) -> Run:
    run = Run()
    since = len(api.calls)
    run.started, run.wall = time.monotonic(), time.time()
    for i, item in enumerate(items):
        at = run.started + i / rate
        while (now := time.monotonic()) < at:
            time.sleep(min(at - now, 0.002))
        run.pushed[item.chat_id] = time.monotonic()
        run.kinds[item.chat_id] = item.kind
        push(api, item)
    collect(api, run, since, timeout)
    return run


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def ms(value: float) -> str:
    return f"{value * 1000:.1f} ms"


@dataclass
class Saturation:
    rate: float
    cpu_ms: float
    missing: int
    stats_s: float | None


def saturate(api: LoopbackBotAPI, process: Process, items: list[Item],
             timeout: float) -> Saturation:
    cpu = process.cpu_seconds()
    run = burst(api, items, timeout)
    cpu = process.cpu_seconds() - cpu
    others = [t for c, t in run.replied.items() if c not in OWNERS]
    elapsed = (max(others) - run.started) if others else float("nan")
    count = len(others)
    stats = run.replied.get(OWNERS[0])
    return Saturation(count / elapsed, 1000 * cpu / max(1, count), run.missing,
                      None if stats is None else stats - run.pushed[OWNERS[0]])


def during_stats(run: Run, owner: int) -> list[float]:
    """Latencies of the updates pushed while that owner's /stats was being answered."""
    if owner not in run.replied:
        return []
    lo, hi = run.pushed[owner], run.replied[owner]
    return run.latencies(lambda chat: lo <= run.pushed[chat] <= hi)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=100_000)
    parser.add_argument("--history-days", type=int, default=45)
    parser.add_argument("--per-day", type=int, default=0,
                        help="settled outbox rows a day (default: 30%% of --chats)")
    parser.add_argument("--burst", type=int, default=4000, help="updates at once, per run")
    parser.add_argument("--rate", type=float, default=200.0, help="updates/s, paced phase")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of paced phase")
    parser.add_argument("--rounds", type=int, default=2, help="saturation runs of each bot")
    parser.add_argument("--no-pin", action="store_true", help="let the OS place the bots' "
                        "threads on any core (default: each bot on a core of its own)")
    parser.add_argument("--dump", type=Path, help="write the bot's paced run here, one line "
                        "per update: seconds since the run began, latency, kind")
    parser.add_argument("--keep", type=Path, help="keep the store in this file (reused "
                        "if it exists: seeding 1M chats takes minutes)")
    parser.add_argument("--profile", type=Path, help="run the bot under cProfile and write "
                        "its stats here (slows the bot: its figures are then not a result)")
    args = parser.parse_args()
    per_day = args.per_day or args.chats * 3 // 10
    sys.setswitchinterval(0.0005)  # the fake's thread answers promptly while this one pushes
    cores = sorted(os.sched_getaffinity(0))
    bot_core = cores[-1] if len(cores) > 1 and not args.no_pin else None
    if bot_core is not None:
        os.sched_setaffinity(0, set(cores[:-1]))

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        database = args.keep or tmp / "bot.sqlite3"
        now = int(time.time())
        cards = sorted(p.stem for p in (ROOT / "content" / "cards").glob("*.md"))
        if args.keep is None or not args.keep.exists():
            built = world.seed(database, args.chats, now=now, cards=cards,
                               history_days=args.history_days, history_per_day=per_day,
                               next_due=lambda chat, rng: now // 60 + 180 + rng.randrange(1440))
            print(f"seeded {built.describe()} in {built.seconds:.0f} s "
                  f"({database.stat().st_size / 2**20:,.0f} MiB)")
        private = args.chats - args.chats // 50
        stream = Stream(range(1, private + 1))
        core_note = f"bots pinned to CPU {bot_core}, fake and driver on {cores[:-1]}" \
            if bot_core is not None else "nothing pinned"
        print(f"$ python bench/inbound.py --chats {args.chats} --history-days "
              f"{args.history_days} --per-day {per_day} --burst {args.burst} --rate "
              f"{args.rate:g} --seconds {args.seconds:g} --rounds {args.rounds}"
              f"{' --no-pin' if args.no_pin else ''}  ({core_note})")

        # One fake each, so neither bot's long poll can take the other's updates; the idle
        # one only waits in its long poll.
        with LoopbackBotAPI() as echo_api, LoopbackBotAPI() as bot_api:
            apis = {"echo": echo_api, "bot": bot_api}
            processes: dict[str, Process] = {}
            results: dict[str, list[Saturation]] = {"echo": [], "bot": []}
            pacing: dict[str, Run] = {}
            try:
                for name in NAMES:
                    processes[name] = start(name, apis[name], database, tmp, bot_core,
                                            args.profile)
                warm = stream.take(300)  # imports, caches, templates, the first connections
                for name in NAMES:
                    burst(apis[name], warm, 60)
                for _ in range(args.rounds):
                    items = stream.take(args.burst, stats_at=[args.burst // 2])
                    for name in NAMES:
                        results[name].append(saturate(apis[name], processes[name], items, 300))
                count = int(args.rate * args.seconds)
                items = stream.take(count, stats_at=[count // 3, 2 * count // 3])
                for name in NAMES:
                    pacing[name] = paced(apis[name], items, args.rate, 300)
            finally:
                for proc in processes.values():
                    proc.stop()
            report(args, results, pacing, processes)
            if args.dump:
                run = pacing["bot"]
                with args.dump.open("w") as out:
                    out.write(f"# began at second {run.wall % 60:.2f} of the minute\n")
                    for chat, at in sorted(run.pushed.items(), key=lambda kv: kv[1]):
                        out.write(f"{at - run.started:.4f} "
                                  f"{run.replied.get(chat, float('nan')) - at:.4f} "
                                  f"{run.kinds[chat]}\n")
    return 0


NAMES = ("echo", "bot")  # each round measures the echo bot first, then the bot


def report(args: argparse.Namespace, results: dict[str, list[Saturation]],
           pacing: dict[str, Run], processes: dict[str, Process]) -> None:
    print("\nsaturation (a burst at once; each round: echo then bot)")
    for i, (echo, bot) in enumerate(zip(results["echo"], results["bot"]), start=1):
        print(f"  round {i}: echo {echo.rate:,.0f} updates/s ({echo.cpu_ms:.2f} ms CPU each), "
              f"bot {bot.rate:,.0f} updates/s ({bot.cpu_ms:.2f} ms CPU each): ratio "
              f"{bot.rate / echo.rate:.2f}"
              + (f"; /stats, sent mid-burst (behind ~{args.burst // 2:,} queued updates), "
                 f"answered after {bot.stats_s:.2f} s" if bot.stats_s else ""))
    echo_best = max(r.rate for r in results["echo"])
    bot_best = max(r.rate for r in results["bot"])
    ratio = statistics.median(b.rate / e.rate for e, b in zip(results["echo"], results["bot"]))
    print(f"  best: echo {echo_best:,.0f}/s, bot {bot_best:,.0f}/s; median ratio {ratio:.2f} "
          f"(goal >= 0.70)")
    missing = sum(r.missing for rs in results.values() for r in rs)

    print(f"\nfixed rate: {args.rate:g} updates/s for {args.seconds:g} s, /stats at 1/3 and 2/3 "
          f"(goal: /stats <= 2 s at 1M chats, the replies meanwhile p99 <= 50 ms)")
    for name in ("echo", "bot"):
        run = pacing[name]
        lat = run.latencies()
        missing += run.missing
        print(f"  {name}: {len(lat):,} replies, p50 {ms(pct(lat, .5))}, p99 {ms(pct(lat, .99))}, "
              f"max {ms(max(lat, default=float('nan')))}")
    bot_run = pacing["bot"]
    lat = bot_run.latencies()
    by_kind: dict[str, list[float]] = {}
    for chat, kind in bot_run.kinds.items():
        if chat in bot_run.replied and chat not in OWNERS:
            by_kind.setdefault(kind, []).append(bot_run.replied[chat] - bot_run.pushed[chat])
    print("  bot by kind: " + ", ".join(f"{k} p50 {ms(pct(v, .5))} p99 {ms(pct(v, .99))}"
                                        for k, v in sorted(by_kind.items())))
    for owner, label in zip(OWNERS, ("at 1/3", "at 2/3")):
        answered = bot_run.replied.get(owner)
        if answered is None:
            print(f"  /stats ({label}): no answer")
            continue
        during = during_stats(bot_run, owner)
        print(f"  /stats ({label}): answered in {answered - bot_run.pushed[owner]:.2f} s; "
              f"the {len(during)} replies meanwhile: p50 {ms(pct(during, .5))}, "
              f"p99 {ms(pct(during, .99))}, max {ms(max(during, default=float('nan')))}")
    print(f"  bot p99 {ms(pct(lat, .99))} (goal <= 50 ms)")
    problems = {name: proc.problems() for name, proc in processes.items()}
    print(f"\nupdates without a reply: {missing}; tracebacks/ERROR lines in the logs: "
          f"{problems}  (both must be 0)")


if __name__ == "__main__":
    raise SystemExit(main())
