"""How long `python -m bot backup` takes on a community-sized SQLite file, and what it costs
the bot's own writes meanwhile.

A store of N chats with 45 days of outbox history (bench/world.py), then a writer that keeps
enqueueing outbox rows through the bot's store, as the minute tick does: first alone (the
baseline, in this run), then while the online backup copies the file in a thread. Prints the
file's size, the backup's time and speed, and the writer's rate and p50/p99 latency in both
phases; checks the copy holds every row written before it began (exit 1 if not).

    python bench/backup_while_writing.py [CHATS]      # default 100,000
"""

from __future__ import annotations

import asyncio
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.world import seed
from bot.library.content import load_library
from bot.store import open_database, outbox
from bot.store.backup import backup
from bot.store.outbox import Entry

ROOT = Path(__file__).resolve().parent.parent
BASELINE_SECONDS = 3.0


async def writer(path: Path, stop: threading.Event, start_id: int,
                 latencies: list[float]) -> int:
    """Enqueue one outbox row at a time until `stop`; returns the next unused id."""
    db = await open_database(path)
    key = start_id
    try:
        while not stop.is_set():
            key += 1
            started = time.perf_counter()
            await outbox.enqueue(db, [Entry(key, "card", f"bench:{key}", "x")], int(time.time()))
            latencies.append(time.perf_counter() - started)
            await asyncio.sleep(0)
    finally:
        await db.close()
    return key


def summary(latencies: list[float], seconds: float) -> str:
    q = statistics.quantiles(latencies, n=100)
    return (f"{len(latencies) / seconds:,.0f} writes/s, p50 {q[49] * 1000:.2f} ms, "
            f"p99 {q[98] * 1000:.2f} ms")


def main(chats: int) -> int:
    cards = sorted(load_library(ROOT / "content").cards)
    with tempfile.TemporaryDirectory() as tmp:
        path, copy = Path(tmp) / "bot.sqlite3", Path(tmp) / "copy.sqlite3"
        now = int(time.time())
        world = seed(path, chats, now=now, cards=cards, history_days=45,
                     history_per_day=chats // 5, next_due=lambda chat, rng: now // 60 + 1)
        size = path.stat().st_size / 1e6
        print(f"store: {world.describe()}, {size:,.0f} MB (seeded in {world.seconds:.0f} s)")
        return asyncio.run(measure(path, copy, size))


async def measure(path: Path, copy: Path, size: float) -> int:
    """The writer alone, then during the backup; 1 if the copy misses an earlier row."""
    alone: list[float] = []
    stop = threading.Event()
    loop = asyncio.get_running_loop()
    loop.call_later(BASELINE_SECONDS, stop.set)
    next_id = await writer(path, stop, 10_000_000, alone)
    print(f"writer alone ({BASELINE_SECONDS:.0f} s, baseline): "
          f"{summary(alone, BASELINE_SECONDS)}")

    with sqlite3.connect(path) as conn:
        before = conn.execute("SELECT COUNT(*), MAX(id) FROM outbox").fetchone()
    during: list[float] = []
    stop = threading.Event()
    started = time.perf_counter()

    def copy_then_stop() -> float:
        try:
            return backup(path, copy).seconds
        finally:
            stop.set()

    copying = asyncio.ensure_future(asyncio.to_thread(copy_then_stop))
    await writer(path, stop, next_id, during)
    took = await copying
    wall = time.perf_counter() - started
    print(f"backup: {took:.1f} s ({size / took:,.0f} MB/s), the copy checked and renamed")
    print(f"writer during the backup ({wall:.1f} s): {summary(during, wall)}")

    with sqlite3.connect(copy) as conn:
        kept = conn.execute("SELECT COUNT(*) FROM outbox WHERE id <= ?",
                            (before[1],)).fetchone()[0]
    lost = before[0] - kept
    print(f"rows written before the backup began and missing from it: {lost} "
          f"(must be 0); written during it: {len(during):,}")
    return 0 if lost == 0 else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
