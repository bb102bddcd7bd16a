"""The busiest minute on PostgreSQL: 1,000,000 subscribers, 20,000 due at once, the store in
a throwaway server (the pgserver package), beside bare asyncpg doing the same SQL work.

    python bench/tick_postgres.py [--subscribers 1000000] [--busiest 20000]
                                  [--history-days 0] [--repeat 3] [--cold]

The server has shared_buffers 2GB (bench/pg.py SIZED: a quarter of an 8 GB machine's RAM)
instead of initdb's 128MB; everything else is PostgreSQL's default, fsync and
synchronous_commit and full_page_writes on. The store is built once (COPY, then VACUUM
ANALYZE) into a template database; the tick and the baseline each run on a fresh copy of it,
so both meet the same rows. Before each timed run, the bot's and the baseline's alike, the
copy is settled as a running server's store would be: the rows and indexes the minute reads
are read into the server's cache (--cold leaves it empty), then a CHECKPOINT, so that every
page the minute changes is its first change since a checkpoint and is written whole to the
WAL, as in production, where a subscriber's pages are touched once a day and checkpoints
come every few minutes (it also finishes the checkpoint that copying the store starts, which
would otherwise run during the timing). Exits 1 when the tick enqueued a different number of
rows than were due. `python bench/tick_scale.py --store postgres` runs this.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import asyncpg  # noqa: E402

from bench.pg import SIZED, postgres_server, server_settings  # noqa: E402
from bot.delivery import scheduling  # noqa: E402
from bot.delivery.scheduling import occasion_key  # noqa: E402
from bot.library.content import load_library  # noqa: E402
from bot.store import open_database  # noqa: E402
from bot.store.db import POSTGRES  # noqa: E402
from bot.store.outbox import COLUMNS, INSERT_TAIL  # noqa: E402
from bot.store.postgres import from_staging_sql, placeholders, staging_sql  # noqa: E402
from bot.store.readers import DUE_READERS_SQL  # noqa: E402
from bot.store.schedules import (  # noqa: E402
    MOVES_PER_STATEMENT,
    MOVES_PG,
    due_sql,
)

DAY_MINUTE = 30_000_000  # an epoch minute in 2027: nothing else is due
BUSY = DAY_MINUTE + 8 * 60
ZONES = ["UTC", "Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata"]


def _url(server: str, name: str) -> str:
    return urlunsplit(urlsplit(server)._replace(path=f"/{name}"))


async def build(server: str, subscribers: int, busiest: int, cards: list[str],
                history_days: int) -> None:
    admin = await asyncpg.connect(server)
    await admin.execute('CREATE DATABASE "base"')
    await admin.close()
    db = await open_database(_url(server, "base"))  # the bot's own migrations
    await db.close()
    rng = random.Random(7)
    due = set(rng.sample(range(1, subscribers + 1), busiest))
    conn = await asyncpg.connect(_url(server, "base"))
    try:
        await conn.copy_records_to_table(
            "chats", columns=["id", "kind", "first_seen", "last_seen", "timezone"],
            records=[(c, "private", 1, 1, ZONES[c % len(ZONES)])
                     for c in range(1, subscribers + 1)])
        minutes = [BUSY if c in due else DAY_MINUTE + rng.randrange(8 * 60 + 1, 24 * 60)
                   for c in range(1, subscribers + 1)]
        await conn.copy_records_to_table(
            "schedules", columns=["chat_id", "kind", "local_minute", "days", "next_due"],
            records=[(c, "card", 480, 127, minutes[c - 1]) for c in range(1, subscribers + 1)])
        await conn.copy_records_to_table(
            "card_views", columns=["chat_id", "card_id", "first_read", "last_read"],
            records=[(c, card, 1, rng.randrange(1, 10_000))
                     for c in range(1, subscribers + 1) for card in rng.sample(cards, 3)])
        for day in range(history_days):  # a settled daily card per subscriber per day
            at = (BUSY - (day + 1) * 1440) * 60
            date = f"h{day}"
            await conn.copy_records_to_table(
                "outbox", columns=["chat_id", "kind", "dedupe_key", "payload", "priority",
                                   "status", "not_before", "created", "sent_at"],
                records=[(c, "card", occasion_key("card", c, date), cards[0], 0, "sent", at,
                          at, at) for c in range(1, subscribers + 1)])
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()


# Index scans read a table's pages into the cache; a sequential scan of a big table goes
# through a small ring of buffers and leaves the cache as it was. Outbox first: with weeks of
# history it is larger than the cache, and the tables the minute reads should be what stays.
_WARM = [
    "SELECT sum(priority) FROM outbox WHERE id > 0",
    "SELECT count(*) FROM outbox WHERE dedupe_key > ''",
    "SELECT count(*) FROM outbox WHERE chat_id > 0",
    "SELECT sum(length(timezone)) FROM chats WHERE id > 0",
    "SELECT sum(local_minute) FROM schedules WHERE chat_id > 0",
    "SELECT count(*) FROM schedules WHERE next_due IS NOT NULL AND next_due > 0",
    "SELECT sum(times) FROM card_views WHERE chat_id > 0",
    "SELECT count(*) FROM card_views WHERE card_id > ''",
]


async def copy_of_base(server: str, name: str, *, warm: bool) -> str:
    """A fresh copy of the built store, settled as a running server's would be (see the
    module's docstring): the same for the tick and the baseline."""
    admin = await asyncpg.connect(server)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "base"')
    finally:
        await admin.close()
    url = _url(server, name)
    conn = await asyncpg.connect(url)
    try:
        if warm:
            await conn.execute("SET enable_seqscan = off; SET enable_bitmapscan = off; "
                               "SET max_parallel_workers_per_gather = 0")
            for sql in _WARM:
                await conn.fetchval(sql)
        await conn.execute("CHECKPOINT")
    finally:
        await conn.close()
    return url


async def time_tick(url: str, library: object) -> tuple[float, int]:
    db = await open_database(url)
    try:
        start = time.perf_counter()
        result = await scheduling.enqueue_due(db, library, BUSY * 60 + 1)  # type: ignore[arg-type]
        return time.perf_counter() - start, result.enqueued
    finally:
        await db.close()


async def time_bare(url: str, card: str) -> float:
    """Bare asyncpg, in one transaction, the bot's own statements (bot/store): the due query
    and whose cards, an outbox row per due chat with the bot's key, each schedule moved on a
    day (as many statements as the bot's); outbox rows by COPY into the same temporary twin,
    then the same INSERT ... SELECT; no card picking, no store layer. (A card view is written
    when the card is sent, not in the tick.)"""
    conn = await asyncpg.connect(url)
    try:
        now = BUSY * 60 + 1
        start = time.perf_counter()
        async with conn.transaction():
            rows = await conn.fetch(placeholders(due_sql(POSTGRES)), BUSY, 50_000)
            await conn.fetch(placeholders(DUE_READERS_SQL), BUSY)
            ids = [r[0] for r in rows]
            n = len(ids)
            await conn.execute(staging_sql("outbox", COLUMNS))
            await conn.copy_records_to_table(
                "outbox_staged", columns=list(COLUMNS), schema_name="pg_temp",
                records=[(c, "card", occasion_key("card", c, "today"), card, 0, None, now, now)
                         for c in ids])
            await conn.execute(from_staging_sql("outbox", COLUMNS, INSERT_TAIL))
            for at in range(0, n, MOVES_PER_STATEMENT):
                part = rows[at:at + MOVES_PER_STATEMENT]
                await conn.execute(
                    placeholders(MOVES_PG), [r[4] + 1440 for r in part], [card] * len(part),
                    [r[0] for r in part], [r[1] for r in part])
        return time.perf_counter() - start
    finally:
        await conn.close()


async def run(server: str, args: argparse.Namespace) -> int:
    library = load_library(ROOT / "content")
    cards = list(library.cards)
    started = time.perf_counter()
    await build(server, args.subscribers, args.busiest, cards, args.history_days)
    print(f"[postgres] built {args.subscribers:,} subscribers, {3 * args.subscribers:,} card "
          f"views and {args.history_days * args.subscribers:,} settled outbox rows "
          f"({args.history_days} days) in {time.perf_counter() - started:.0f} s")
    ticks, bares = [], []
    warm = not args.cold
    for attempt in range(args.repeat):
        seconds, enqueued = await time_tick(
            await copy_of_base(server, f"tick{attempt}", warm=warm), library)
        if enqueued != args.busiest:
            print(f"[postgres] FAIL: {enqueued:,} enqueued, {args.busiest:,} were due")
            return 1
        ticks.append(seconds)
        bares.append(await time_bare(
            await copy_of_base(server, f"bare{attempt}", warm=warm), cards[0]))
    tick, bare = min(ticks), min(bares)
    print(f"[postgres] busiest minute: {args.busiest:,} due, {args.busiest:,} enqueued (checked "
          f"equal); tick {tick:.3f} s (target <= 1 s); bare asyncpg doing the same SQL in one "
          f"transaction {bare:.3f} s; ratio {tick / bare:.1f}x (best of {args.repeat}: "
          f"{', '.join(f'{t:.3f}' for t in ticks)} / {', '.join(f'{b:.3f}' for b in bares)})")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=1_000_000)
    parser.add_argument("--busiest", type=int, default=20_000)
    parser.add_argument("--history-days", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cold", action="store_true",
                        help="time each copy with the server's cache empty of it")
    args = parser.parse_args(argv)
    with postgres_server(SIZED) as server:
        shown = server_settings(server, ["server_version", "shared_buffers", "wal_buffers",
                                         "work_mem", "random_page_cost", "synchronous_commit",
                                         "full_page_writes", "max_wal_size"])
        print("[postgres] server: " + ", ".join(f"{k} {v}" for k, v in shown.items())
              + f"; each copy {'cold' if args.cold else 'read into the cache'}, then a "
              "CHECKPOINT, before it is timed")
        return asyncio.run(run(server, args))


if __name__ == "__main__":
    sys.exit(main())
