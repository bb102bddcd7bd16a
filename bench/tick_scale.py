"""The minute tick at scale: 1,000,000 subscribers, the busiest minute 20,000 due, with weeks
of settled outbox history in the store if asked.

Prints, each beside a baseline measured in the same run:
- the busiest minute: due rows selected, cards picked and the rows written (the tick), then
  each row rendered as the sender will; against bare sqlite3 doing the same SQL work in one
  transaction (the same due query with its card-view subquery, the same outbox rows with the
  bot's dedupe keys, the schedules moved on) with no Python logic; a card view is written
  when the card is sent (outbox.apply), so neither counts one;
- the bot's start-up time and memory (VmHWM and VmRSS from /proc/<pid>/status of the bot's
  own process) with 1k and with the full store, against a bare python-telegram-bot
  Application started on the same offline transport.

Exits 1 when the tick enqueued a different number of rows than were due.

    python bench/tick_scale.py [--subscribers 1000000] [--busiest 20000]
                               [--history-days 45] [--history-per-day N] [--repeat 2]
                               [--keep DIR]

--history-days N seeds N days of settled outbox rows before the busy minute, --history-per-day
a day (default: one per subscriber, as when every subscriber gets a daily card; the kinds and
outcomes are in bench/world.py).
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import world
from bot.delivery.scheduling import occasion_key
from bot.store import open_database, outbox
from bot.store.readers import DUE_READERS_SQL
from bot.store.schedules import DUE_SQL

ZONES = ["UTC", "Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata"]
DAY = datetime(2030, 1, 15, tzinfo=UTC)  # in the future: nothing due at start-up
BUSY_UTC_MINUTE = 8 * 60  # 08:00 UTC
KEY = occasion_key  # the bot's dedupe keys, for the history


def build(path: Path, subscribers: int, busiest: int, cards: list[str], history_days: int = 0,
          history_per_day: int = 0) -> tuple[int, int]:
    """Write `subscribers` chats with a daily card, `busiest` of them (chosen at random, as a
    minute's chats are: spread over every index by chat) due at 08:00 UTC, and the history;
    returns the busy epoch minute and the history rows written."""
    world.migrate(path)
    day_minute = int(DAY.timestamp()) // 60
    rng = random.Random(7)
    due = set(rng.sample(range(1, subscribers + 1), busiest))
    conn = world.connect_for_bulk(path)
    offsets = {z: int(DAY.astimezone(ZoneInfo(z)).utcoffset().total_seconds() // 60)  # type: ignore[union-attr]
               for z in ZONES}

    def chats() -> list[tuple[object, ...]]:
        return [(chat, "private", 1, 1, ZONES[chat % len(ZONES)])
                for chat in range(1, subscribers + 1)]

    def schedules() -> list[tuple[object, ...]]:
        rows = []
        for chat in range(1, subscribers + 1):
            utc_minute = BUSY_UTC_MINUTE if chat in due else rng.randrange(24 * 60)
            if chat not in due and utc_minute == BUSY_UTC_MINUTE:
                utc_minute += 1
            local_minute = (utc_minute + offsets[ZONES[chat % len(ZONES)]]) % (24 * 60)
            # Steady state: minutes before the busy one were sent already and moved on.
            tomorrow = 24 * 60 if utc_minute < BUSY_UTC_MINUTE else 0
            rows.append((chat, "card", local_minute, 127, day_minute + utc_minute + tomorrow))
        return rows

    def views() -> list[tuple[object, ...]]:
        return [(chat, card, 1, rng.randrange(1, 10_000))
                for chat in range(1, subscribers + 1)
                for card in rng.sample(cards, 3)]  # everyone has read a few cards

    world.insert(conn, "INSERT INTO chats (id, kind, first_seen, last_seen, timezone) "
                 "VALUES (?, ?, ?, ?, ?)", chats())
    world.insert(conn, "INSERT INTO schedules (chat_id, kind, local_minute, days, next_due) "
                 "VALUES (?, ?, ?, ?, ?)", schedules())
    world.insert(conn, "INSERT INTO card_views (chat_id, card_id, first_read, last_read) "
                 "VALUES (?, ?, ?, ?)", views())
    busy = day_minute + BUSY_UTC_MINUTE
    history = world.seed_history(conn, range(1, subscribers + 1), days=history_days,
                                 per_day=history_per_day, now=busy * 60, cards=cards, rng=rng,
                                 key=KEY, due_now=due)
    world.finish(conn)
    return busy, history


def warm(path: Path) -> None:
    """Read the whole file once, so every run meets the same warm OS page cache, as a running
    bot's store would."""
    with path.open("rb") as file:
        while file.read(1 << 24):
            pass


def count_due(path: Path, busy_minute: int) -> int:
    conn = sqlite3.connect(path)
    try:
        row = conn.execute("SELECT COUNT(*) FROM schedules s JOIN chats c ON c.id = s.chat_id "
                           "WHERE s.next_due <= ? AND c.status = 'active' AND "
                           "COALESCE(c.paused_until, 0) <= ?",
                           (busy_minute, busy_minute * 60 + 1)).fetchone()
        return int(row[0])
    finally:
        conn.close()


async def time_tick(path: Path, busy_minute: int) -> tuple[float, float, int, int]:
    """(seconds for the tick, seconds to render its rows, rows enqueued, rows written)."""
    from bot.delivery import scheduling
    from bot.delivery.sender import Sender
    from bot.library.content import load_library
    from bot.library.render import Renderer
    from bot.store.outbox import Row
    from bot.views.outbox_rows import prepare, render_row

    library = load_library(ROOT / "content")
    renderer = Renderer(ROOT / "content" / "templates", library)
    db = await open_database(path)
    try:
        newest = await db.fetchone("SELECT COALESCE(MAX(id), 0) FROM outbox")
        before = int(newest[0]) if newest else 0
        start = time.perf_counter()
        result = await scheduling.enqueue_due(db, library, busy_minute * 60 + 1)
        tick = time.perf_counter() - start
        # Rendering is done when a row is sent, a claimed batch at a time (whom each card is
        # for read once per batch); the renderer caches each card's HTML.
        start = time.perf_counter()
        rows = [Row(r[0], r[1], r[2], r[3], 0, None) for r in await db.fetchall(
            "SELECT id, chat_id, kind, payload FROM outbox WHERE id > ?", (before,))]

        class _Data:  # the slice of BotData render_row reads for a card
            pass

        data = _Data()
        data.db, data.library, data.renderer = db, library, renderer  # type: ignore[attr-defined]
        data.audiences = {}  # type: ignore[attr-defined]
        batch = inspect.signature(Sender).parameters["batch"].default
        for i in range(0, len(rows), batch):
            await prepare(data, rows[i:i + batch])  # type: ignore[arg-type]
            for row in rows[i:i + batch]:
                await render_row(data, row)  # type: ignore[arg-type]
        render = time.perf_counter() - start
    finally:
        await db.close()
    return tick, render, result.enqueued, len(rows)


class Undo:
    """What the tick or the baseline changes, put back afterwards, so both (and a later run on
    a kept store) meet the same store: the rows they add and the due schedules (each at the
    busy minute with no last card). Card views are not theirs to change: a card counts as read
    when it is sent."""

    def __init__(self, path: Path, busy_minute: int) -> None:
        self.path, self.busy = path, busy_minute
        conn = sqlite3.connect(path)
        try:
            (self.newest,) = conn.execute("SELECT COALESCE(MAX(id), 0) FROM outbox").fetchone()
            self.chats = [r[0] for r in conn.execute(
                "SELECT chat_id FROM schedules WHERE next_due <= ?", (busy_minute,))]
        finally:
            conn.close()

    def __call__(self) -> None:
        conn = sqlite3.connect(self.path, isolation_level=None)
        try:
            conn.execute("BEGIN")
            conn.execute("DELETE FROM outbox WHERE id > ?", (self.newest,))
            conn.executemany("UPDATE schedules SET next_due = ?, last_card = NULL "
                             "WHERE chat_id = ? AND kind = 'card'",
                             [(self.busy, c) for c in self.chats])
            conn.execute("COMMIT")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()


def time_baseline(path: Path, busy_minute: int, card: str) -> float:
    """Bare sqlite3, the tick's SQL work and nothing else, in one transaction: the due query
    (with its card-view subquery) and who each due chat's cards are for, an outbox row per
    due chat with the bot's key shape, each schedule moved on a day."""
    conn = sqlite3.connect(path, isolation_level=None)
    # As the bot's connection (bot/store/sqlite.py): the log is copied into the file by a
    # checkpoint of its own, not by the commit.
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA wal_autocheckpoint=0")
    now = busy_minute * 60 + 1
    # The very keys the tick writes (the undo removes them before the tick runs): the same
    # places in the index.
    day = DAY.date().isoformat()
    start = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    rows = conn.execute(DUE_SQL.format(concat="group_concat"), (busy_minute, 50_000)).fetchall()
    conn.execute(DUE_READERS_SQL, (busy_minute,)).fetchall()
    conn.executemany(
        f"{outbox.INSERT_HEAD} (?, 'card', ?, ?, 0, NULL, ?, ?) {outbox.INSERT_TAIL}",
        [(r[0], occasion_key("card", r[0], day), card, now, now) for r in rows])
    conn.executemany("UPDATE schedules SET next_due = ?, last_card = ? WHERE chat_id = ? "
                     "AND kind = ?", [(r[4] + 1440, card, r[0], r[1]) for r in rows])
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


STARTUP = r"""
import asyncio, sys, time
start = time.perf_counter()
sys.path.insert(0, sys.argv[1])
mode, db = sys.argv[2], sys.argv[3]
from bot.telegram.offline import OfflineBotAPI
async def main():
    if mode == "bot":
        from bot.app import build_application
        from bot.config import load_settings
        from bot.library.content import load_library
        settings = load_settings({"BOT_DATABASE": db})
        app = build_application(settings, load_library(settings.content_dir),
                                request=OfflineBotAPI())
    else:
        from telegram.ext import ApplicationBuilder
        app = (ApplicationBuilder().token("1:bare").request(OfflineBotAPI())
               .get_updates_request(OfflineBotAPI()).build())
    async with app:
        if mode == "bot":
            from bot.app import _post_init, _post_stop
            await _post_init(app)
        await app.start()
        ready = time.perf_counter() - start
        await asyncio.sleep(1.5)  # let the first tick run (nothing is due now)
        # The parent reads this process's memory from /proc now, then lets it stop.
        print(f"{ready:.3f}", flush=True)
        sys.stdin.readline()
        await app.stop()
        if mode == "bot":
            await _post_stop(app)
            await app.bot_data.db.close()
asyncio.run(main())
"""


def memory(pid: int) -> tuple[float, float]:
    """(VmHWM, VmRSS) in MiB of that process itself."""
    fields = dict(line.split(":", 1) for line in
                  Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return (int(fields["VmHWM"].split()[0]) / 1024, int(fields["VmRSS"].split()[0]) / 1024)


def startup(mode: str, db: Path) -> tuple[float, float, float]:
    """(seconds until ready, peak and current RSS in MiB) of a fresh process."""
    process = subprocess.Popen([sys.executable, "-c", STARTUP, str(ROOT), mode, str(db)],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert process.stdin is not None and process.stdout is not None
    try:
        ready = float(process.stdout.readline())
        peak, rss = memory(process.pid)
        process.stdin.write("\n")
        process.stdin.flush()
        if process.wait(120) != 0:
            raise SystemExit(f"the {mode} start-up run failed")
    finally:
        if process.poll() is None:
            process.kill()
    return ready, peak, rss


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=1_000_000)
    parser.add_argument("--busiest", type=int, default=20_000)
    parser.add_argument("--history-days", type=int, default=0)
    parser.add_argument("--history-per-day", type=int, default=0,
                        help="settled outbox rows a day (default: one per subscriber)")
    parser.add_argument("--repeat", type=int, default=2,
                        help="runs of the baseline and the tick, alternately; the best of each")
    parser.add_argument("--keep", type=Path, help="build the store in this directory and "
                        "reuse it when it is there (seeding 45M rows takes a while)")
    parser.add_argument("--store", choices=["sqlite", "postgres", "both"], default="sqlite",
                        help="postgres: the same busiest minute in a throwaway PostgreSQL, "
                        "beside bare asyncpg (bench/tick_postgres.py)")
    args = parser.parse_args()
    failed = 0
    if args.store in ("postgres", "both"):
        from bench import tick_postgres

        failed = tick_postgres.main([
            "--subscribers", str(args.subscribers), "--busiest", str(args.busiest),
            "--history-days", str(args.history_days), "--repeat", str(args.repeat)])
        if args.store == "postgres":
            return failed
    per_day = args.history_per_day or args.subscribers
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})
    cards = sorted(p.stem for p in (ROOT / "content" / "cards").glob("*.md"))
    print(f"$ python bench/tick_scale.py --subscribers {args.subscribers} --busiest "
          f"{args.busiest} --history-days {args.history_days} --history-per-day {per_day}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        small = folder / "small.sqlite3"
        big = folder / (f"big-{args.subscribers}-{args.history_days}x{per_day}-"
                        f"{KEY.__name__}.sqlite3")
        t = time.perf_counter()
        if not small.exists():
            build(small, 1_000, 100, cards)
        if big.exists():
            busy = int(DAY.timestamp()) // 60 + BUSY_UTC_MINUTE
            print(f"reusing {big} ({big.stat().st_size / 2**20:,.0f} MiB)")
        else:
            busy, history = build(big, args.subscribers, args.busiest, cards,
                                  args.history_days, per_day)
            print(f"built {args.subscribers:,} subscribers and {history:,} settled outbox rows "
                  f"({args.history_days} days x {per_day:,}) in {time.perf_counter() - t:.0f} s "
                  f"({big.stat().st_size / 2**20:,.0f} MiB)")

        due = count_due(big, busy)
        if due != args.busiest:
            print(f"FAIL: {due:,} due in the busiest minute, not {args.busiest:,}: the store is "
                  f"not as built (delete {big} and run again)")
            return 1
        undo = Undo(big, busy)
        baselines, ticks = [], []
        for _ in range(args.repeat):  # alternately, each undone after: the best of each
            warm(big)
            baselines.append(time_baseline(big, busy, cards[0]))
            undo()
            warm(big)
            ticks.append(asyncio.run(time_tick(big, busy)))
            undo()
        baseline = min(baselines)
        tick, render, enqueued, written = min(ticks)
        if any(t[2:] != (enqueued, written) for t in ticks):
            print(f"FAIL: the runs enqueued different numbers: {[t[2:] for t in ticks]}")
            return 1
        if enqueued != due or written != due:
            print(f"FAIL: {due:,} were due but the tick enqueued {enqueued:,} "
                  f"({written:,} rows written)")
            return 1
        print(f"busiest minute: {due:,} due, {enqueued:,} enqueued (checked equal)")
        print(f"  tick (select, pick cards, write rows, move schedules): {tick:.3f} s "
              f"(target <= 1 s); bare sqlite3 doing the same SQL in one transaction: "
              f"{baseline:.3f} s; ratio {tick / baseline:.1f}x (best of {args.repeat}: "
              f"{', '.join(f'{t[0]:.3f}' for t in ticks)} / "
              f"{', '.join(f'{b:.3f}' for b in baselines)})")
        print(f"  then rendering those {written:,} rows as the sender will: {render:.3f} s "
              f"(tick and render together {tick + render:.3f} s)")

        bare = startup("bare", small)
        for label, path in (("1k", small), (f"{args.subscribers:,}", big)):
            ready, peak, rss = startup("bot", path)
            print(f"start-up with {label} subscribers: ready in {ready:.2f} s, VmHWM "
                  f"{peak:.1f} MiB, VmRSS {rss:.1f} MiB; bare PTB Application: {bare[0]:.2f} s, "
                  f"VmHWM {bare[1]:.1f} MiB, VmRSS {bare[2]:.1f} MiB")
    return failed


if __name__ == "__main__":
    raise SystemExit(main())
