"""Queries about chats and the cards they have read."""

from __future__ import annotations

from bot.store.db import Database


async def record_chat(db: Database, chat_id: int, kind: str, language: str | None,
                      now: int) -> None:
    """Remember a chat that used the bot; a blocked or stopped chat talking again is active."""
    await db.execute(
        """
        INSERT INTO chats (id, kind, language, first_seen, last_seen, status)
        VALUES (?, ?, ?, ?, ?, 'active')
        ON CONFLICT (id) DO UPDATE SET
            kind = excluded.kind,
            language = COALESCE(excluded.language, chats.language),
            last_seen = excluded.last_seen,
            status = CASE WHEN chats.status = 'blocked' THEN 'active' ELSE chats.status END
        """,
        (chat_id, kind, language, now, now),
    )


async def mark_read(db: Database, chat_id: int, card_id: str, now: int) -> None:
    await db.execute(
        """
        INSERT INTO card_views (chat_id, card_id, first_read, last_read, times)
        VALUES (?, ?, ?, ?, 1)
        ON CONFLICT (chat_id, card_id) DO UPDATE SET
            last_read = excluded.last_read, times = card_views.times + 1
        """,
        (chat_id, card_id, now, now),
    )


async def last_read_times(db: Database, chat_id: int) -> dict[str, int]:
    """card id -> when this chat last read it."""
    rows = await db.fetchall(
        "SELECT card_id, last_read FROM card_views WHERE chat_id = ?", (chat_id,)
    )
    return {row["card_id"]: row["last_read"] for row in rows}
