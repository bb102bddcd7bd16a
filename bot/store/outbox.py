"""Queries over the outbox that report on it (the sender's own live in bot/outbox.py)."""

from __future__ import annotations

from bot.store.db import Database


async def campaign_counts(db: Database, campaign_id: int,
                          unconfirmed: str) -> list[tuple[str, bool, int]]:
    """(status, whether a send Telegram never confirmed is among its tries, rows) for one
    campaign's messages; `unconfirmed` is the error prefix that marks such rows."""
    rows = await db.fetchall(
        "SELECT status, COALESCE(substr(error, 1, ?) = ?, 0), COUNT(*) FROM outbox "
        "WHERE campaign_id = ? GROUP BY 1, 2",
        (len(unconfirmed), unconfirmed, campaign_id))
    return [(r[0], bool(r[1]), int(r[2])) for r in rows]
