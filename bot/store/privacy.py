"""Everything stored about one chat: shown on request, erased on request."""

from __future__ import annotations

from typing import Any

from bot.store import feedback, notes, outbox, skin_checks, tickets
from bot.store.db import Database, Session


async def everything(db: Database, chat_id: int, person: int | None = None
                     ) -> dict[str, Any] | None:
    """All that is stored about a chat and, for a person's own private chat (`person`), what
    they did as a moderator; None when there is nothing at all."""
    moderation = await moderation_of(db, person) if person is not None else None
    chat = await db.fetchone(
        "SELECT id, kind, language, first_seen, last_seen, status, timezone, paused_until, "
        "focus, habits FROM chats WHERE id = ?", (chat_id,))
    if chat is None:
        return {"chat": None, "moderation": moderation} if moderation else None
    schedules = await db.fetchall(
        "SELECT kind, local_minute, days FROM schedules WHERE chat_id = ?", (chat_id,))
    reads = await db.fetchall(
        "SELECT card_id, times FROM card_views WHERE chat_id = ? ORDER BY first_read", (chat_id,))
    checkins = await db.fetchone(
        "SELECT COUNT(*), MIN(day), MAX(day) FROM checkins WHERE chat_id = ?", (chat_id,))
    skin = await skin_checks.for_mydata(db, chat_id)
    queued = await db.fetchone(
        f"SELECT COUNT(*) FROM outbox WHERE chat_id = ? AND {outbox.LIVE}",
        (chat_id,))
    questions = await feedback.asked_in(db, chat_id)
    return {"chat": dict(chat), "schedules": [dict(s) for s in schedules],
            "questions": questions, "team": await tickets.summary(db, chat_id),
            "notes": await notes.for_mydata(db, chat_id),
            "reads": [(r[0], r[1]) for r in reads],
            "checkins": {"count": checkins[0] if checkins else 0,
                         "first": checkins[1] if checkins else None,
                         "last": checkins[2] if checkins else None},
            "skin": skin, "queued": queued[0] if queued else 0, "moderation": moderation}


async def moderation_of(db: Database, person: int) -> dict[str, Any] | None:
    """What a person has stored as a moderator (None if nothing): on the list, campaigns
    written, entries in the moderators' log."""
    row = await db.fetchone(
        "SELECT (SELECT COUNT(*) FROM moderators WHERE user_id = ?), "
        "(SELECT COUNT(*) FROM campaigns WHERE created_by = ?), "
        "(SELECT COUNT(*) FROM audit_log WHERE actor = ?)", (person, person, person))
    if row is None or not any(row):
        return None
    return {"moderator": bool(row[0]), "campaigns": row[1], "audit": row[2]}


async def erase(db: Database, chat_id: int, person: int | None = None) -> bool:
    """Delete the chat and all that hangs off it; returns whether there was anything.

    With `person` (their own private chat) what they did as a moderator goes too: their place
    on the moderators' list, every campaign of theirs that never went out (drafts, scheduled,
    cancelled before sending) with its text. The moderators' log keeps its events but no
    longer says who: their id becomes 0 wherever it acted or was named, and so do the author
    and report chat of campaigns that did go out (their text reached subscribers and stays in
    /campaigns). The write-ahead log is emptied afterwards, so the deleted rows are not left
    readable on disk (secure_delete zeroes them in the file itself).
    """
    async with db.transaction() as conn:
        for part in (outbox.LIVE, outbox.SETTLED):
            await conn.execute(f"DELETE FROM outbox WHERE chat_id = ? AND {part}", (chat_id,))
        # The questions asked here (kept with the chat so that only it rates their answers).
        await conn.execute("DELETE FROM answer_feedback WHERE chat_id = ?", (chat_id,))
        # Conversations with the team and their messages (a block from the inbox stays).
        erased_tickets = bool(await tickets.erase_chat(conn, chat_id))
        # card_views, schedules, checkins, skin checks and notes go with the chat (ON DELETE
        # CASCADE).
        erased = await conn.execute("DELETE FROM chats WHERE id = ?", (chat_id,)) == 1 \
            or erased_tickets
        if person is not None:
            erased = await _erase_moderator(conn, person) or erased
    await db.checkpoint()
    return erased


_MODERATOR_ERASE = (
    "DELETE FROM moderators WHERE user_id = ?",
    "UPDATE moderators SET added_by = 0 WHERE added_by = ?",
    "DELETE FROM outbox WHERE campaign_id IN (SELECT id FROM campaigns WHERE created_by = ? "
    "AND started_at IS NULL)",
    "DELETE FROM campaigns WHERE created_by = ? AND started_at IS NULL",
    "UPDATE campaigns SET created_by = 0 WHERE created_by = ?",
    "UPDATE campaigns SET report_chat = 0 WHERE report_chat = ?",
    "UPDATE audit_log SET actor = 0 WHERE actor = ?",
)


async def _erase_moderator(conn: Session, person: int) -> bool:
    changes = 0
    for sql in (*_MODERATOR_ERASE, *tickets.MODERATOR_ERASE):
        changes += await conn.execute(sql, (person,))
    changes += await conn.execute(
        "UPDATE audit_log SET detail = '(erased)' WHERE action IN ('mod add', 'mod remove') "
        "AND detail = ?", (str(person),))
    return bool(changes)
