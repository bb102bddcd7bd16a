"""The minute tick at scale: 1,000,000 subscribers, the busiest minute 20,000 due.

Prints, each beside a baseline measured in the same run:
- the busiest minute selected, cards picked, rendered and written to the outbox, against raw
  SQLite doing only the bare select and insert of the same rows;
- the bot's start-up time and RSS with 1k and with 1M subscribers in the file, against a bare
  python-telegram-bot Application started on the same offline transport.

    python bench/tick_scale.py [--subscribers 1000000] [--busiest 20000]
"""

from __future__ import annotations

import argparse
import asyncio
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

from bot.store import open_database  # noqa: E402

ZONES = ["UTC", "Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata"]
DAY = datetime(2030, 1, 15, tzinfo=UTC)  # in the future: nothing due at start-up
BUSY_UTC_MINUTE = 8 * 60  # 08:00 UTC


def build(path: Path, subscribers: int, busiest: int, cards: list[str]) -> int:
    """Write `subscribers` chats with a daily card; `busiest` of them due at 08:00 UTC."""
    asyncio.run(_migrate(path))
    day_minute = int(DAY.timestamp()) // 60
    rng = random.Random(7)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous=OFF")
    offsets = {z: int(DAY.astimezone(ZoneInfo(z)).utcoffset().total_seconds() // 60)  # type: ignore[union-attr]
               for z in ZONES}
    chats, schedules, views = [], [], []
    for chat in range(1, subscribers + 1):
        zone = ZONES[chat % len(ZONES)]
        utc_minute = BUSY_UTC_MINUTE if chat <= busiest else rng.randrange(24 * 60)
        if chat > busiest and utc_minute == BUSY_UTC_MINUTE:
            utc_minute += 1
        local_minute = (utc_minute + offsets[zone]) % (24 * 60)
        chats.append((chat, "private", 1, 1, zone))
        # Steady state: minutes before the busy one were sent already and moved to tomorrow.
        tomorrow = 24 * 60 if utc_minute < BUSY_UTC_MINUTE else 0
        schedules.append((chat, "card", local_minute, 127, day_minute + utc_minute + tomorrow))
        for card in rng.sample(cards, 3):  # everyone has read a few cards
            views.append((chat, card, 1, rng.randrange(1, 10_000)))
        if len(chats) >= 100_000:
            _flush(conn, chats, schedules, views)
    _flush(conn, chats, schedules, views)
    conn.close()
    return day_minute + BUSY_UTC_MINUTE


def _flush(conn: sqlite3.Connection, chats: list, schedules: list, views: list) -> None:  # type: ignore[type-arg]
    with conn:
        conn.executemany("INSERT INTO chats (id, kind, first_seen, last_seen, timezone) "
                         "VALUES (?, ?, ?, ?, ?)", chats)
        conn.executemany("INSERT INTO schedules (chat_id, kind, local_minute, days, next_due) "
                         "VALUES (?, ?, ?, ?, ?)", schedules)
        conn.executemany("INSERT INTO card_views (chat_id, card_id, first_read, last_read) "
                         "VALUES (?, ?, ?, ?)", views)
    chats.clear(), schedules.clear(), views.clear()


async def _migrate(path: Path) -> None:
    db = await open_database(path)
    await db.close()


async def time_tick(path: Path, busy_minute: int) -> tuple[float, int]:
    from bot.delivery import scheduling
    from bot.library.content import load_library
    from bot.library.render import Renderer
    from bot.store.outbox import Row
    from bot.views.outbox_rows import render_row

    library = load_library(ROOT / "content")
    renderer = Renderer(ROOT / "content" / "templates", library)
    db = await open_database(path)
    start = time.perf_counter()
    result = await scheduling.enqueue_due(db, library, busy_minute * 60 + 1)
    # Rendering is done when a row is sent; render each distinct card once here (the renderer
    # caches card HTML) so the figure includes what "rendered" costs per row.
    rows = await db.fetchall("SELECT id, chat_id, kind, payload FROM outbox")

    class _Data:  # the slice of BotData render_row reads for a card
        pass

    data = _Data()
    data.library, data.renderer = library, renderer  # type: ignore[attr-defined]
    for r in rows:
        await render_row(data, Row(r[0], r[1], r[2], r[3], 0, None))  # type: ignore[arg-type]
    elapsed = time.perf_counter() - start
    await db.close()
    return elapsed, result.enqueued


def time_baseline(path: Path, busy_minute: int) -> float:
    """Raw sqlite3: select the same due rows and insert one plain outbox row for each."""
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM outbox")
    conn.commit()
    start = time.perf_counter()
    rows = conn.execute("SELECT chat_id FROM schedules WHERE next_due <= ?",
                        (busy_minute,)).fetchall()
    with conn:
        conn.executemany(
            "INSERT INTO outbox (chat_id, kind, dedupe_key, payload, not_before, created) "
            "VALUES (?, 'card', ?, 'x', 0, 0)", [(r[0], f"b:{r[0]}") for r in rows])
    elapsed = time.perf_counter() - start
    conn.execute("DELETE FROM outbox")
    conn.commit()
    conn.close()
    return elapsed


STARTUP = r"""
import asyncio, os, resource, sys, time
start = time.perf_counter()
sys.path.insert(0, sys.argv[1])
mode, db = sys.argv[2], sys.argv[3]
from bot.telegram.offline import OfflineBotAPI
async def main():
    if mode == "bot":
        from bot.app import build_application, running
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
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        await app.stop()
        if mode == "bot":
            await _post_stop(app)
            await app.bot_data.db.close()
    print(f"{ready:.3f} {rss:.1f}")
asyncio.run(main())
"""


def startup(mode: str, db: Path) -> tuple[float, float]:
    out = subprocess.run([sys.executable, "-c", STARTUP, str(ROOT), mode, str(db)],
                         capture_output=True, text=True, check=True, timeout=120).stdout
    ready, rss = out.split()
    return float(ready), float(rss)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=1_000_000)
    parser.add_argument("--busiest", type=int, default=20_000)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})
    cards = sorted(p.stem for p in (ROOT / "content" / "cards").glob("*.md"))
    with tempfile.TemporaryDirectory() as tmp:
        small, big = Path(tmp) / "small.sqlite3", Path(tmp) / "big.sqlite3"
        t = time.perf_counter()
        build(small, 1_000, 100, cards)
        busy = build(big, args.subscribers, args.busiest, cards)
        print(f"built {args.subscribers:,} subscribers in {time.perf_counter() - t:.1f} s "
              f"({big.stat().st_size / 2**20:.0f} MiB)")

        baseline = time_baseline(big, busy)
        elapsed, enqueued = asyncio.run(time_tick(big, busy))
        print(f"busiest minute: {enqueued:,} due -> selected, card picked, rendered and written "
              f"in {elapsed:.3f} s (target <= 1 s); bare sqlite select+insert of the same rows: "
              f"{baseline:.3f} s; ratio {elapsed / baseline:.1f}x")

        bare = startup("bare", small)
        for label, path in (("1k", small), (f"{args.subscribers // 1000}k", big)):
            ready, rss = startup("bot", path)
            print(f"start-up with {label} subscribers: ready in {ready:.2f} s, max RSS "
                  f"{rss:.0f} MiB; bare PTB Application: {bare[0]:.2f} s, {bare[1]:.0f} MiB")


if __name__ == "__main__":
    main()
