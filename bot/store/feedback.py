"""Questions, masked (bot/services/gaps.py), and the 👍/👎 they got: where the cards fall
short. Each row keeps the chat the answer went to, so that only that chat can rate it; the
chat is never shown to moderators, /forget erases a chat's rows, and rows go after 30 days."""

from __future__ import annotations

from bot.store.db import Database

KEEP_DAYS = 30


async def record(db: Database, chat_id: int, question: str, found: bool, now: int) -> int:
    """A question answered in `chat_id`; returns the id its 👍/👎 buttons carry."""
    row = await db.fetchone(
        "INSERT INTO answer_feedback (at, question, found, chat_id) VALUES (?, ?, ?, ?) "
        "RETURNING id", (now, question, int(found), chat_id))
    return int(row[0]) if row else 0


async def question(db: Database, feedback_id: int, chat_id: int) -> str | None:
    """The masked question a row holds, asked in `chat_id` (for the answer held back by the
    one-tap safety check); None when the row is gone or went to another chat."""
    row = await db.fetchone("SELECT question FROM answer_feedback WHERE id = ? AND chat_id = ?",
                            (feedback_id, chat_id))
    return str(row[0]) if row else None


async def rate(db: Database, feedback_id: int, chat_id: int, helpful: bool) -> bool:
    """A 👍 or 👎 pressed in `chat_id`; False, and nothing changed, when the answer did not go
    to that chat (a button forged elsewhere) or the row is gone (older than 30 days)."""
    return await db.execute(
        "UPDATE answer_feedback SET helpful = ? WHERE id = ? AND chat_id = ?",
        (int(helpful), feedback_id, chat_id)) > 0


async def asked_in(db: Database, chat_id: int) -> int:
    """How many questions asked in this chat are kept (/mydata)."""
    row = await db.fetchone("SELECT COUNT(*) FROM answer_feedback WHERE chat_id = ?",
                            (chat_id,))
    return int(row[0]) if row else 0


async def gaps(db: Database, since: int, limit: int) -> list[tuple[str, int, int, int]]:
    """(question, times asked, times without a card, times 👎) for questions that found no
    card or got a 👎 since `since`, the most frequent first."""
    rows = await db.fetchall(
        "SELECT question, COUNT(*), COUNT(*) FILTER (WHERE found = 0), "
        "COUNT(*) FILTER (WHERE helpful = 0) "
        "FROM answer_feedback WHERE at >= ? AND (found = 0 OR helpful = 0) "
        "GROUP BY question ORDER BY COUNT(*) DESC, question LIMIT ?", (since, limit))
    return [(r[0], int(r[1]), int(r[2]), int(r[3])) for r in rows]


async def prune(db: Database, now: int, keep_days: int = KEEP_DAYS) -> int:
    return await db.execute("DELETE FROM answer_feedback WHERE at < ?",
                            (now - keep_days * 86_400,))
