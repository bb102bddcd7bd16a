"""Who a chat's cards are for ("self" or "child", kept with the skin profile), read for the
minute tick's whole batch of daily cards at once."""

from __future__ import annotations

from bot.store.db import Database

DUE_READERS_SQL = """
    SELECT p.chat_id, p.about
    FROM skin_profiles p JOIN schedules s ON s.chat_id = p.chat_id
    WHERE s.kind = 'card' AND s.next_due IS NOT NULL AND s.next_due <= ?
"""


async def due_readers(db: Database, now_minute: int) -> dict[int, str]:
    """For each chat whose daily card is due by this epoch minute and that has said who it is
    for: "self" or "child". Chats that have not said are absent."""
    rows = await db.fetchall(DUE_READERS_SQL, (now_minute,))
    return {int(r[0]): str(r[1]) for r in rows}
