"""Queries about chats and the cards they have read."""

from __future__ import annotations

from bot.store.db import Database


async def record_chat(db: Database, chat_id: int, kind: str, language: str | None,
                      now: int) -> str | None:
    """Remember a chat that used the bot; returns its status before (None if new).

    A chat that had blocked the bot and writes again is active again; a stopped one stays
    stopped until it says /start.
    """
    before = await status(db, chat_id)
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
    return before


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


async def active_ids(db: Database, chat_ids: set[int]) -> set[int]:
    """Which of these chats still want messages (not stopped, not blocked)."""
    if not chat_ids:
        return set()
    ids = list(chat_ids)
    found: set[int] = set()
    for start in range(0, len(ids), 500):  # stay under SQLite's bound-parameter limit
        chunk = ids[start:start + 500]
        marks = ",".join("?" for _ in chunk)
        rows = await db.fetchall(
            f"SELECT id FROM chats WHERE status = 'active' AND id IN ({marks})", chunk
        )
        found.update(r[0] for r in rows)
    return found


async def mark_unreachable(db: Database, chat_id: int) -> None:
    """The bot was blocked or the chat is gone: no more sends until it writes to us again."""
    async with db.transaction() as conn:
        await conn.execute("UPDATE chats SET status = 'blocked' WHERE id = ?", (chat_id,))
        await conn.execute("UPDATE schedules SET next_due = NULL WHERE chat_id = ?", (chat_id,))
        await conn.execute(
            "UPDATE outbox SET status = 'cancelled', error = 'chat unreachable' "
            "WHERE chat_id = ? AND status = 'pending'", (chat_id,))


async def migrate_chat(db: Database, old_id: int, new_id: int) -> None:
    """A group became a supergroup: everything stored under the old id moves to the new one."""
    async with db.transaction() as conn:
        cursor = await conn.execute("SELECT 1 FROM chats WHERE id = ?", (new_id,))
        exists = await cursor.fetchone() is not None
        if exists:
            # The new id already wrote to us; keep its row and fold the old one into it.
            for table in ("schedules", "card_views", "checkins"):
                await conn.execute(f"UPDATE OR IGNORE {table} SET chat_id = ? WHERE chat_id = ?",
                                   (new_id, old_id))
            await conn.execute("DELETE FROM chats WHERE id = ?", (old_id,))
        else:
            await conn.execute("UPDATE chats SET id = ?, kind = 'supergroup' WHERE id = ?",
                               (new_id, old_id))
        await conn.execute("UPDATE outbox SET chat_id = ? WHERE chat_id = ?", (new_id, old_id))


async def status(db: Database, chat_id: int) -> str | None:
    row = await db.fetchone("SELECT status FROM chats WHERE id = ?", (chat_id,))
    return row[0] if row else None
