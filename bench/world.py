"""A realistic store written fast, for benchmarks: chats, their daily-card schedules, cards
read, check-ins and weeks of settled outbox history.

Plain sqlite3 with executemany in large transactions (the bot's own API would take hours at a
million chats). The schema comes from the bot's migrations, so what is measured afterwards
runs on the bot's real tables and indexes.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bot.delivery.scheduling import occasion_key
from bot.store import open_database

DAY = 86_400
ZONES = ["UTC", "Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata",
         "Europe/Berlin", "America/Los_Angeles"]
HABITS = ["fibre", "fermented", "sleep", "stress", "water"]
BATCH = 250_000

# A day of settled outbox rows for a bot whose subscribers get a daily card: (kind, share).
HISTORY_KINDS = (("card", 0.70), ("checkin", 0.15), ("card_later", 0.05), ("broadcast", 0.05),
                 ("summary", 0.04), ("skin_offer", 0.01))
# How those rows ended, cumulative: sent, then blocked, failed, cancelled.
_OUTCOMES = ((0.96, "sent"), (0.98, "blocked"), (0.99, "failed"), (1.01, "cancelled"))


@dataclass(frozen=True)
class World:
    chats: int  # private chats and groups
    subscribers: list[int]  # chat ids with a daily card
    history_rows: int
    seconds: float

    def describe(self) -> str:
        return (f"{self.chats:,} chats ({len(self.subscribers):,} with a daily card), "
                f"{self.history_rows:,} settled outbox rows")


def migrate(path: Path) -> None:
    """An empty store at the bot's current schema."""
    async def run() -> None:
        db = await open_database(path)
        await db.close()
    asyncio.run(run())


def connect_for_bulk(path: Path) -> sqlite3.Connection:
    """No journal and no fsync while seeding (a crash only loses the benchmark's own file);
    finish() puts the file back in WAL mode, as the bot keeps it."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-4000000")  # 4 GB: the dedupe keys' index stays in memory
    return conn


def finish(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()


def insert(conn: sqlite3.Connection, sql: str, rows: Iterable[Sequence[object]]) -> int:
    """executemany in transactions of BATCH rows; returns how many were written."""
    count = 0
    batch: list[Sequence[object]] = []

    def flush() -> None:
        conn.execute("BEGIN")
        conn.executemany(sql, batch)
        conn.execute("COMMIT")
        batch.clear()

    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            count += len(batch)
            flush()
    count += len(batch)
    if batch:
        flush()
    return count


def seed(path: Path, chats: int, *, now: int, cards: Sequence[str], history_days: int,
         history_per_day: int, next_due: Callable[[int, random.Random], int],
         subscribed: float = 0.6, seed_value: int = 15) -> World:
    """Chats 1..n (2% of them groups with negative ids), `subscribed` of the private ones
    with a daily card due at next_due(chat, rng) (an epoch minute), three cards read each, a
    month of check-ins for a tenth of subscribers, and `history_days` days of settled outbox
    rows, `history_per_day` a day (seed_history)."""
    start = time.perf_counter()
    migrate(path)
    rng = random.Random(seed_value)
    conn = connect_for_bulk(path)
    groups = chats // 50
    private = chats - groups
    subscribers: list[int] = []

    def chat_rows() -> Iterable[tuple[object, ...]]:
        for chat in range(1, private + 1):
            first = now - int(rng.random() * 120 * DAY)
            roll = rng.random()
            status = "active" if roll < 0.85 else "stopped" if roll < 0.93 else "blocked"
            subscribed_here = status == "active" and rng.random() < subscribed
            zone = ZONES[chat % len(ZONES)] if subscribed_here else None
            paused = now + 3 * DAY if subscribed_here and rng.random() < 0.03 else None
            if subscribed_here:
                subscribers.append(chat)
            yield (chat, "private", "en", first, max(first, now - int(rng.random() * 9 * DAY)),
                   status, zone, paused)
        for i in range(groups):
            first = now - int(rng.random() * 120 * DAY)
            yield (-1_000_000_000_001 - i, "supergroup" if i % 2 else "group", None, first,
                   first, "active", None, None)

    insert(conn, "INSERT INTO chats (id, kind, language, first_seen, last_seen, status, "
           "timezone, paused_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", chat_rows())
    insert(conn, "INSERT INTO schedules (chat_id, kind, local_minute, days, next_due) "
           "VALUES (?, 'card', ?, 127, ?)",
           ((chat, rng.randrange(24 * 60), next_due(chat, rng)) for chat in subscribers))

    def views() -> Iterable[tuple[object, ...]]:
        for chat in range(1, private + 1):
            for card in rng.sample(cards, 3):
                read = now - int(rng.random() * 60 * DAY)
                yield chat, card, read, read, 1 + int(rng.random() * 3)

    insert(conn, "INSERT INTO card_views (chat_id, card_id, first_read, last_read, times) "
           "VALUES (?, ?, ?, ?, ?)", views())

    def checkins() -> Iterable[tuple[object, ...]]:
        today = datetime.fromtimestamp(now, UTC).date()
        for chat in subscribers[::10]:
            for back in range(30):
                if rng.random() < 0.5:
                    day = (today.toordinal() - back)
                    yield (chat, datetime.fromordinal(day).date().isoformat(),
                           HABITS[chat % len(HABITS)], int(rng.random() < 0.6), now - back * DAY)

    insert(conn, "INSERT INTO checkins (chat_id, day, habit, done, answered_at) "
           "VALUES (?, ?, ?, ?, ?)", checkins())
    rows = seed_history(conn, subscribers, days=history_days, per_day=history_per_day,
                        now=now, cards=cards, rng=rng)
    finish(conn)
    return World(chats, subscribers, rows, time.perf_counter() - start)


def seed_history(conn: sqlite3.Connection, recipients: Sequence[int], *, days: int,
                 per_day: int, now: int, cards: Sequence[str], rng: random.Random,
                 key: Callable[[str, int, str], str] = occasion_key,
                 due_now: Collection[int] = ()) -> int:
    """`days` x `per_day` settled outbox rows over (now - days, now], as the bot keeps them
    (it prunes what is older), in the order it would have written them (ids grow with time)
    and with its dedupe keys, `key(kind, chat, UTC date)` (the bot's own by default). A
    kind's chats are distinct within a UTC date, so every key is unique; today's daily cards
    spare the chats in `due_now` (due at `now`: theirs is not sent yet)."""
    if days <= 0 or per_day <= 0:
        return 0
    # The outbox's own indexes are dropped while seeding and made again after, each by one
    # sort instead of millions of inserts at random places; the schema ends as it began. (The
    # dedupe key's UNIQUE index belongs to the table and stays.)
    indexes = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
                           "tbl_name = 'outbox' AND sql IS NOT NULL").fetchall()
    for name, _ in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    try:
        return _history(conn, recipients, days, per_day, now, cards, rng, key, set(due_now))
    finally:
        for _, sql in indexes:
            conn.execute(sql)


def _history(conn: sqlite3.Connection, recipients: Sequence[int], days: int, per_day: int,
             now: int, cards: Sequence[str], rng: random.Random,
             key: Callable[[str, int, str], str], due_now: set[int]) -> int:
    start = now - days * DAY
    edges = [start, *range(start - start % DAY + DAY, now, DAY), now]  # one UTC date each
    total = 0
    for campaign, (lo, hi) in enumerate(zip(edges, edges[1:]), start=1):
        iso = datetime.fromtimestamp(lo, UTC).date().isoformat()
        count = per_day * (hi - lo) // DAY
        rows: list[tuple[object, ...]] = []
        for kind, share in HISTORY_KINDS:
            pool = recipients
            if hi == now and kind == "card" and due_now:
                pool = [c for c in recipients if c not in due_now]
            for chat in rng.sample(pool, min(len(pool), int(count * share))):
                created = lo + int(rng.random() * max(1, hi - lo - 20))
                roll = rng.random()
                status = next(name for edge, name in _OUTCOMES if roll < edge)
                sent = created + int(rng.random() * 20) if status == "sent" else None
                payload = str(campaign) if kind == "broadcast" else \
                    cards[chat % len(cards)] if kind == "card" else ""
                rows.append((chat, kind, f"campaign:{campaign}:{chat}" if kind == "broadcast"
                             else key(kind, chat, iso), payload,
                             2 if kind == "broadcast" else 0,
                             campaign if kind == "broadcast" else None, status, 1, created,
                             created, sent))
        rows.sort(key=lambda r: r[8])  # type: ignore[arg-type,return-value]
        total += insert(conn, "INSERT INTO outbox (chat_id, kind, dedupe_key, payload, priority, "
                        "campaign_id, status, attempts, not_before, created, sent_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return total
