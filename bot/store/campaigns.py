"""Broadcast campaigns: a draft, an audience, then one atomic start that writes outbox rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.store import outbox
from bot.store.db import Database, Session

ALL, GROUPS, ME = "all", "groups", "me"
TOPIC_PREFIX = "topic:"
OPEN_STATUSES = ("draft", "scheduled", "running")


@dataclass(frozen=True)
class Campaign:
    id: int
    created_by: int
    report_chat: int
    kind: str  # "message" (a moderator's text or photo) or "card" (/push)
    body_html: str
    card_id: str | None
    photo: str | None
    audience: str
    status: str  # draft, scheduled, running, finished, cancelled
    send_at: int | None
    recipients: int
    # What moderators call it (#3): given when it leaves the drafts, sent or scheduled, so
    # the numbers run on without the drafts never sent. None for a draft. The id is the key.
    number: int | None = None
    created_at: int = 0


_COLUMNS = ("id, created_by, report_chat, kind, body_html, card_id, photo, audience, status, "
            "send_at, recipients, number, created_at")


def _campaign(row: object) -> Campaign:
    return Campaign(*row)  # type: ignore[misc]


def audience_filter(audience: str) -> tuple[str, tuple[object, ...]] | None:
    """The WHERE clause over chats for an audience; None for one we do not know."""
    if audience == ALL:
        return "status = 'active'", ()
    if audience == GROUPS:
        return "status = 'active' AND kind IN ('group', 'supergroup', 'channel')", ()
    if audience.startswith(TOPIC_PREFIX) and len(audience) > len(TOPIC_PREFIX):
        # A chat that never narrowed its topics with /focus (focus '') follows all of them.
        topic = audience[len(TOPIC_PREFIX):]
        return "status = 'active' AND (focus = '' OR (',' || focus || ',') LIKE ?)", \
            (f"%,{topic},%",)
    return None


async def count_audience(db: Database, audience: str, report_chat: int) -> int:
    if audience == ME:
        return 1
    where = audience_filter(audience)
    if where is None:
        return 0
    row = await db.fetchone(f"SELECT COUNT(*) FROM chats WHERE {where[0]}", where[1])
    return int(row[0]) if row else 0


async def topic_counts(db: Database, topic_ids: Iterable[str]) -> dict[str, int]:
    """Active chats following each topic: those that chose it with /focus, and those that
    follow all topics (they never chose, or chose none: focus '')."""
    rows = await db.fetchall("SELECT focus, COUNT(*) FROM chats WHERE status = 'active' "
                             "GROUP BY focus")
    counts = dict.fromkeys(topic_ids, 0)
    for focus, chats in rows:
        for topic in focus.split(",") if focus else counts:
            if topic in counts:
                counts[topic] += int(chats)
    return counts


async def create_draft(db: Database, *, created_by: int, report_chat: int, kind: str, now: int,
                       body_html: str = "", card_id: str | None = None,
                       photo: str | None = None) -> int:
    row = await db.fetchone(
        "INSERT INTO campaigns (created_by, report_chat, created_at, kind, body_html, "
        "card_id, photo) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (created_by, report_chat, now, kind, body_html, card_id, photo))
    return int(row[0]) if row else 0


async def get(db: Database, campaign_id: int) -> Campaign | None:
    row = await db.fetchone(f"SELECT {_COLUMNS} FROM campaigns WHERE id = ?", (campaign_id,))
    return _campaign(row) if row else None


async def set_audience(db: Database, campaign_id: int, audience: str) -> bool:
    return await db.execute(
        "UPDATE campaigns SET audience = ? WHERE id = ? AND status = 'draft'",
        (audience, campaign_id)) == 1


async def start(db: Database, campaign_id: int, now: int) -> int | None:
    """Draft or due scheduled campaign -> running, its recipients written as outbox rows.

    One transaction, guarded by the status: a second press of Send now, or a second moderator
    confirming at the same moment, finds nothing to start and returns None. Recipients are
    the audience at this moment: a chat that subscribes later is not added.
    """
    async with db.transaction() as conn:
        started = await conn.execute(
            "UPDATE campaigns SET status = 'running', started_at = ? WHERE id = ? AND audience "
            "!= '' AND (status = 'draft' OR (status = 'scheduled' AND send_at <= ?))",
            (now, campaign_id, now))
        if started != 1:
            return None
        row = await conn.fetchone(
            "SELECT audience, report_chat, number FROM campaigns WHERE id = ?", (campaign_id,))
        assert row is not None  # the UPDATE above just found it
        audience, report_chat = row[0], row[1]
        if row[2] is None:  # a draft sent now; a scheduled one has its number already
            await _give_number(conn, campaign_id)
        values = ("broadcast", str(campaign_id), outbox.PRIORITY["broadcast"], campaign_id,
                  now, now)
        if audience == ME:
            recipients = await conn.insert_rows(
                outbox.INSERT_HEAD,
                [(report_chat, values[0], f"campaign:{campaign_id}:{report_chat}", *values[1:])],
                outbox.INSERT_TAIL)
        else:
            where, params = audience_filter(audience) or ("1 = 0", ())
            # The key's prefix is made here: PostgreSQL will not guess a parameter's type
            # inside ||.
            recipients = await conn.execute(
                f"""
                INSERT INTO outbox
                    (chat_id, kind, dedupe_key, payload, priority, campaign_id, not_before,
                     created)
                SELECT id, ?, ? || id, ?, ?, ?, ?, ?
                FROM chats WHERE {where}
                ON CONFLICT DO NOTHING
                """, (values[0], f"campaign:{campaign_id}:", *values[1:], *params))
        await conn.execute("UPDATE campaigns SET recipients = ? WHERE id = ?",
                           (recipients, campaign_id))
    return recipients


async def _give_number(conn: Session, campaign_id: int) -> None:
    """The next campaign number, in the transaction that takes the campaign out of the
    drafts: a failure gives the number back. On PostgreSQL the counter's row stays locked
    until that transaction ends, so two instances never give out the same number."""
    row = await conn.fetchone(
        "UPDATE counters SET value = value + 1 WHERE name = 'campaign' RETURNING value")
    assert row is not None  # migration 11 made the row
    await conn.execute("UPDATE campaigns SET number = ? WHERE id = ?", (row[0], campaign_id))


async def schedule(db: Database, campaign_id: int, send_at: int) -> bool:
    async with db.transaction() as conn:
        if await conn.execute(
                "UPDATE campaigns SET status = 'scheduled', send_at = ? WHERE id = ? AND "
                "status = 'draft' AND audience != ''", (send_at, campaign_id)) != 1:
            return False
        await _give_number(conn, campaign_id)
    return True


async def cancel(db: Database, campaign_id: int, now: int, *, draft_only: bool = False) -> bool:
    """Stop a campaign that has not finished; messages not yet sent are dropped. With
    draft_only, only a draft (/cancel while writing one never stops a scheduled campaign)."""
    statuses = "('draft')" if draft_only else "('draft', 'scheduled', 'running')"
    async with db.transaction() as conn:
        if await conn.execute(
            "UPDATE campaigns SET status = 'cancelled', finished_at = ? WHERE id = ? AND "
            f"status IN {statuses}", (now, campaign_id)) != 1:
            return False
        await conn.execute("UPDATE outbox SET status = 'cancelled' WHERE campaign_id = ? AND "
                           "status = 'pending'", (campaign_id,))
    return True


async def start_due(db: Database, now: int) -> list[tuple[int, int]]:
    """Scheduled campaigns whose time has come: (id, recipients) of each one started."""
    rows = await db.fetchall(
        "SELECT id FROM campaigns WHERE status = 'scheduled' AND send_at <= ?", (now,))
    started = []
    for row in rows:
        recipients = await start(db, row[0], now)
        if recipients is not None:
            started.append((row[0], recipients))
    return started


async def progress(db: Database, campaign_id: int) -> dict[str, int]:
    """Messages by where they stand. `sent` is what Telegram confirmed; `twice_maybe` of those
    had an earlier send Telegram never confirmed (a timeout, a crash) and may have arrived
    twice, and `arrived_maybe` of the failed, blocked or skipped may have arrived after all:
    the report says "at least" rather than undercount."""
    counts = {"sent": 0, "pending": 0, "blocked": 0, "failed": 0, "skipped": 0,
              "twice_maybe": 0, "arrived_maybe": 0}
    # In flight counts as pending; a row cancelled because its chat stopped (or the campaign
    # was cancelled) was skipped, like one the sender found stopped.
    merged = {"sending": "pending", "cancelled": "skipped"}
    for status, unsure, count in await outbox.campaign_counts(
            db, campaign_id, outbox.UNCONFIRMED):
        key = merged.get(status, status)
        counts[key] = counts.get(key, 0) + count
        if unsure and key == "sent":
            counts["twice_maybe"] += count
        elif unsure and key != "pending":
            counts["arrived_maybe"] += count
    return counts


async def finish_done(db: Database, now: int) -> list[Campaign]:
    """Running campaigns with nothing left to send become finished; returns them."""
    rows = await db.fetchall(
        f"""
        SELECT {_COLUMNS} FROM campaigns c WHERE status = 'running' AND NOT EXISTS (
            SELECT 1 FROM outbox o WHERE o.campaign_id = c.id
            AND o.status IN ('pending', 'sending'))
        """)
    finished = []
    for row in rows:
        campaign = _campaign(row)
        changed = await db.execute(
            "UPDATE campaigns SET status = 'finished', finished_at = ? WHERE id = ? AND "
            "status = 'running'", (now, campaign.id))
        if changed:
            finished.append(campaign)
    return finished


UNSENT_DAYS = 7  # a draft older than this is not offered again


async def unsent_drafts(db: Database, created_by: int, now: int, limit: int = 3
                        ) -> list[Campaign]:
    """Drafts this moderator took as far as Send now and that never went out: a press can be
    lost when the bot stops right after Telegram handed it over, so these are offered again."""
    ids = await unsent_draft_ids(db, created_by, now - UNSENT_DAYS * 86_400,
                                                  limit)
    found = [await get(db, campaign_id) for campaign_id in ids]
    return [c for c in found if c is not None]


async def listing(db: Database, limit: int = 10) -> list[Campaign]:
    """The latest campaigns that were sent or scheduled, by number, newest first."""
    rows = await db.fetchall(
        f"SELECT {_COLUMNS} FROM campaigns WHERE number IS NOT NULL ORDER BY number DESC "
        "LIMIT ?", (limit,))
    return [_campaign(r) for r in rows]


async def open_drafts(db: Database, created_by: int, since: int, limit: int = 5
                      ) -> list[Campaign]:
    """A moderator's drafts made since `since` and not sent, scheduled or cancelled (an
    audience chosen or not): newest first."""
    rows = await db.fetchall(
        f"SELECT {_COLUMNS} FROM campaigns WHERE created_by = ? AND status = 'draft' "
        "AND created_at >= ? ORDER BY id DESC LIMIT ?", (created_by, since, limit))
    return [_campaign(r) for r in rows]


async def unsent_draft_ids(db: Database, created_by: int, since: int, limit: int) -> list[int]:
    """A moderator's drafts with an audience chosen (Send now was on screen) made since
    `since` and never sent, scheduled or cancelled: newest first."""
    rows = await db.fetchall(
        "SELECT id FROM campaigns WHERE created_by = ? AND status = 'draft' AND audience != '' "
        "AND created_at >= ? ORDER BY id DESC LIMIT ?", (created_by, since, limit))
    return [int(r[0]) for r in rows]
