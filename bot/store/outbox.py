"""The durable outbox: a scheduled or broadcast message is a row before it is a request."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.store.db import POSTGRES, Database

# A person's conversation with the community's team (bot/services/conversations.py): sent
# like a reply, first, and also to chats that are no subscribers: a person who stopped their
# reminders (they asked the team), the team's supergroup, moderators' own chats. Never to a
# chat that blocked the bot.
CONVERSATION = frozenset({"team_new", "team_in", "team_out", "team_note", "team_notice"})
# Lower sends first: reminders are due at a minute, broadcasts can wait a little.
PRIORITY = {"card": 0, "card_later": 0, "checkin": 0, "summary": 1, "skin_offer": 1, "report": 1,
            "broadcast": 2, **dict.fromkeys(CONVERSATION, 0)}
MAX_ATTEMPTS = 5  # network errors and 5xx; then the row is failed with its reason


@dataclass(frozen=True)
class Entry:
    chat_id: int
    kind: str
    key: str  # unique per (chat, kind, occasion): a second enqueue is a no-op
    payload: str = ""
    campaign_id: int | None = None
    not_before: int = 0


@dataclass(frozen=True)
class Row:
    id: int
    chat_id: int
    kind: str
    payload: str
    attempts: int
    campaign_id: int | None
    error: str | None = None  # what the last attempt met; UNCONFIRMED... when it may have landed


# Marks a row one of whose sends Telegram never confirmed (a timeout, a dropped connection, a
# crash while in flight): the message may have arrived more often than the row says.
UNCONFIRMED = "unconfirmed: "
# The conditions of the two indexes by chat (migration 10), word for word: a query by chat
# says which part it wants in these words, so that SQLite's planner, which matches an index's
# condition by its terms, uses the index.
LIVE = "status IN ('pending', 'sending')"
SETTLED = "status NOT IN ('pending', 'sending')"


# insert_rows(INSERT_HEAD, rows, INSERT_TAIL): a key already there is skipped, not an error.
COLUMNS = ("chat_id", "kind", "dedupe_key", "payload", "priority", "campaign_id", "not_before",
           "created")  # insert_params' order
INSERT_HEAD = f"INSERT INTO outbox ({', '.join(COLUMNS)}) VALUES"
INSERT_TAIL = "ON CONFLICT DO NOTHING"


def insert_params(entries: Iterable[Entry], now: int) -> list[tuple[object, ...]]:
    return [(e.chat_id, e.kind, e.key, e.payload, PRIORITY.get(e.kind, 1), e.campaign_id,
             e.not_before or now, now) for e in entries]


async def enqueue(db: Database, entries: Sequence[Entry], now: int) -> int:
    """Write entries in one transaction; returns how many were new."""
    return await db.insert_rows(INSERT_HEAD, insert_params(entries, now), INSERT_TAIL)


async def taken_keys(db: Database, keys: Sequence[str]) -> set[str]:
    """Which of these keys a row already holds: sent, waiting or cancelled alike, each makes
    a second enqueue of its occasion a no-op."""
    if not keys:
        return set()
    marks = ",".join("?" for _ in keys)
    rows = await db.fetchall(f"SELECT dedupe_key FROM outbox WHERE dedupe_key IN ({marks})",
                             list(keys))
    return {row[0] for row in rows}


async def recover(db: Database, *, claimed_before: int | None = None) -> int:
    """After a crash: rows claimed but never confirmed go back to pending, marked as possibly
    delivered already (the crash may have come after Telegram took them).

    With one process (SQLite) that is every claimed row, at start. With several instances,
    only rows whose claim was last renewed before `claimed_before`: a live instance renews
    its own every few seconds, so those belong to one that died.
    """
    error = UNCONFIRMED + "in flight when the bot stopped"
    if claimed_before is None:
        return await db.execute(
            "UPDATE outbox SET status = 'pending', error = ? WHERE status = 'sending'", (error,))
    # A row its owner is renewing or settling right now is skipped, not waited for: waiting
    # while holding others is how two instances deadlock, and that owner is alive.
    skip_locked = "FOR UPDATE SKIP LOCKED" if db.dialect == POSTGRES else ""
    return await db.execute(
        f"""
        UPDATE outbox SET status = 'pending', error = ? WHERE id IN (
            SELECT id FROM outbox WHERE status = 'sending'
            AND (claimed_at IS NULL OR claimed_at < ?) ORDER BY id {skip_locked}
        )
        """, (error, claimed_before))


async def claim_batch(db: Database, now: int, limit: int, instance: str = "") -> list[Row]:
    """Take up to `limit` ready rows, most urgent first, marking them as being sent."""
    # On PostgreSQL several instances claim at once: a row another one is claiming is
    # skipped, not waited for, so no row is taken twice.
    skip_locked = "FOR UPDATE SKIP LOCKED" if db.dialect == POSTGRES else ""
    rows = await db.fetchall(
        f"""
        UPDATE outbox SET status = 'sending', claimed_by = ?, claimed_at = ?
        WHERE id IN (
            SELECT id FROM outbox WHERE status = 'pending' AND not_before <= ?
            ORDER BY priority, not_before, id LIMIT ? {skip_locked}
        )
        RETURNING id, chat_id, kind, payload, attempts, campaign_id, priority, not_before, error
        """,
        (instance, now, now, limit),
    )
    ordered = sorted(rows, key=lambda r: (r["priority"], r["not_before"], r["id"]))
    return [Row(r["id"], r["chat_id"], r["kind"], r["payload"], r["attempts"], r["campaign_id"],
                r["error"]) for r in ordered]


async def next_ready_time(db: Database) -> int | None:
    row = await db.fetchone("SELECT MIN(not_before) FROM outbox WHERE status = 'pending'")
    return row[0] if row else None


@dataclass(frozen=True)
class Outcome:
    """What happened to one row; applied in batches so the sender never waits on disk."""

    row_id: int
    status: str  # sent, pending (retry), blocked, failed, skipped
    now: int
    error: str | None = None
    not_before: int | None = None
    count_attempt: bool = False


async def apply(db: Database, outcomes: Sequence[Outcome]) -> None:
    if not outcomes:
        return
    # Rows are locked in id order, the order every other statement that takes several
    # outbox rows uses, so two transactions never wait on each other in a circle.
    outcomes = sorted(outcomes, key=lambda o: o.row_id)
    async with db.transaction() as conn:
        await conn.executemany(
            """
            UPDATE outbox SET
                status = ?,
                sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END,
                error = ?,
                not_before = COALESCE(?, not_before),
                attempts = attempts + ?
            WHERE id = ?
            """,
            [(o.status, o.status, o.now, o.error, o.not_before, int(o.count_attempt), o.row_id)
             for o in outcomes],
        )
        sent = [o.row_id for o in outcomes if o.status == "sent"]
        if sent:
            # A daily card counts as read once it has reached the chat (not when it was queued,
            # and not if it never arrives): written here, a batch at a time as the sender
            # goes, it costs the busiest minute's tick nothing.
            marks = ",".join("?" for _ in sent)
            await conn.execute(
                f"""
                INSERT INTO card_views (chat_id, card_id, first_read, last_read)
                SELECT chat_id, payload, MAX(sent_at), MAX(sent_at) FROM outbox
                WHERE id IN ({marks}) AND kind = 'card' AND status = 'sent' AND payload <> ''
                GROUP BY chat_id, payload
                ON CONFLICT (chat_id, card_id) DO UPDATE SET
                    last_read = excluded.last_read, times = card_views.times + 1
                """, sent)


async def cancel_for_chat(db: Database, chat_id: int, kinds: Sequence[str] | None = None) -> int:
    """Drop a chat's pending messages (it stopped, or blocked the bot)."""
    if kinds:
        marks = ",".join("?" for _ in kinds)
        return await db.execute(
            f"UPDATE outbox SET status = 'cancelled' WHERE chat_id = ? AND {LIVE} "
            f"AND status = 'pending' AND kind IN ({marks})",
            (chat_id, *kinds),
        )
    return await db.execute(
        f"UPDATE outbox SET status = 'cancelled' WHERE chat_id = ? AND {LIVE} "
        "AND status = 'pending'", (chat_id,),
    )


KEEP_DAYS = 45  # /stats looks back 30 days; a reminder's key is never reused after its day
PRUNE_BATCH = 50_000
# Deleted this many at a time, each its own statement: a 50,000-row delete held the write lock
# for ~0.3 s (bench/inbound.py after a day's downtime), and every reply that writes waited.
PRUNE_CHUNK = 2_000


async def prune(db: Database, now: int, *, keep_days: int = KEEP_DAYS,
                batch: int = PRUNE_BATCH) -> int:
    """Delete settled rows older than `keep_days`, at most `batch` per call.

    Ids grow with time, so the oldest rows come first in id order: finding the first row
    recent enough to keep costs only as many steps as there are rows to delete.
    """
    cutoff = now - keep_days * 86_400
    first_kept = await db.fetchone(
        "SELECT id FROM outbox WHERE created >= ? ORDER BY id LIMIT 1", (cutoff,))
    limit = first_kept[0] if first_kept else None
    if limit is None:
        newest = await db.fetchone("SELECT MAX(id) FROM outbox")
        limit = (newest[0] or 0) + 1 if newest else 0
    deleted = 0
    while deleted < batch:
        chunk = min(PRUNE_CHUNK, batch - deleted)
        count = await db.execute(
            "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE id < ? AND status NOT "
            "IN ('pending', 'sending') ORDER BY id LIMIT ?)", (limit, chunk))
        deleted += count
        if count < chunk:
            break
    return deleted


async def campaign_counts(db: Database, campaign_id: int,
                          unconfirmed: str) -> list[tuple[str, bool, int]]:
    """(status, whether a send Telegram never confirmed is among its tries, rows) for one
    campaign's messages; `unconfirmed` is the error prefix that marks such rows."""
    rows = await db.fetchall(
        "SELECT status, CASE WHEN substr(error, 1, ?) = ? THEN 1 ELSE 0 END, COUNT(*) "
        "FROM outbox "
        "WHERE campaign_id = ? GROUP BY 1, 2",
        (len(unconfirmed), unconfirmed, campaign_id))
    return [(r[0], bool(r[1]), int(r[2])) for r in rows]


async def ready_count(db: Database, now: int) -> int:
    """Messages waiting to be sent that may go now."""
    row = await db.fetchone(
        "SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND not_before <= ?", (now,))
    return int(row[0]) if row else 0
