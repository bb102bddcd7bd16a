"""Queries about campaigns that the rest of campaigns.py does not already make."""

from __future__ import annotations

from bot.store.db import Database


async def unsent_draft_ids(db: Database, created_by: int, since: int, limit: int) -> list[int]:
    """A moderator's drafts with an audience chosen (Send now was on screen) made since
    `since` and never sent, scheduled or cancelled: newest first."""
    rows = await db.fetchall(
        "SELECT id FROM campaigns WHERE created_by = ? AND status = 'draft' AND audience != '' "
        "AND created_at >= ? ORDER BY id DESC LIMIT ?", (created_by, since, limit))
    return [int(r[0]) for r in rows]
