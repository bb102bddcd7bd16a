"""Everything stored about one chat: shown on request, erased on request."""

from __future__ import annotations

from typing import Any

from bot.store.db import Database


async def everything(db: Database, chat_id: int) -> dict[str, Any] | None:
    chat = await db.fetchone(
        "SELECT id, kind, language, first_seen, last_seen, status, timezone, paused_until, "
        "focus, habits FROM chats WHERE id = ?", (chat_id,))
    if chat is None:
        return None
    schedules = await db.fetchall(
        "SELECT kind, local_minute, days FROM schedules WHERE chat_id = ?", (chat_id,))
    reads = await db.fetchall(
        "SELECT card_id, times FROM card_views WHERE chat_id = ? ORDER BY first_read", (chat_id,))
    checkins = await db.fetchone(
        "SELECT COUNT(*), MIN(day), MAX(day) FROM checkins WHERE chat_id = ?", (chat_id,))
    queued = await db.fetchone(
        "SELECT COUNT(*) FROM outbox WHERE chat_id = ? AND status IN ('pending', 'sending')",
        (chat_id,))
    return {"chat": dict(chat), "schedules": [dict(s) for s in schedules],
            "reads": [(r[0], r[1]) for r in reads],
            "checkins": {"count": checkins[0] if checkins else 0,
                         "first": checkins[1] if checkins else None,
                         "last": checkins[2] if checkins else None},
            "queued": queued[0] if queued else 0}


async def erase(db: Database, chat_id: int) -> bool:
    """Delete the chat and all that hangs off it; returns whether there was anything."""
    async with db.transaction() as conn:
        await conn.execute("DELETE FROM outbox WHERE chat_id = ?", (chat_id,))
        cursor = await conn.execute("DELETE FROM chats WHERE id = ?", (chat_id,))
        # card_views, schedules and checkins go with the chat (ON DELETE CASCADE).
        return cursor.rowcount == 1
