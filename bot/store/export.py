"""Every row kept about one chat (and, in a person's own chat, what they did as a moderator),
table by table as stored: /mydata's file."""

from __future__ import annotations

from typing import Any

from bot.store import outbox
from bot.store.db import Database

# Which server process last handled a queued message: about the bot's machines, not the person.
_NOT_ABOUT_THEM = frozenset({"claimed_by", "claimed_at"})
_CHAT_TABLES = (
    ("chats", "SELECT * FROM chats WHERE id = ?"),
    ("schedules", "SELECT * FROM schedules WHERE chat_id = ? ORDER BY kind"),
    ("card_views", "SELECT * FROM card_views WHERE chat_id = ? ORDER BY first_read, card_id"),
    ("checkins", "SELECT * FROM checkins WHERE chat_id = ? ORDER BY day, habit"),
    ("skin_profiles", "SELECT * FROM skin_profiles WHERE chat_id = ?"),
    ("skin_checks", "SELECT * FROM skin_checks WHERE chat_id = ? ORDER BY id"),
    ("notes", "SELECT * FROM notes WHERE chat_id = ? ORDER BY day, id"),
    ("outbox", f"SELECT * FROM outbox WHERE chat_id = ?1 AND {outbox.LIVE} UNION ALL "
               f"SELECT * FROM outbox WHERE chat_id = ?1 AND {outbox.SETTLED} ORDER BY id"),
    ("setup_state", "SELECT * FROM setup_state WHERE scope = 'chat' AND id = ?"),
    ("answer_feedback", "SELECT * FROM answer_feedback WHERE chat_id = ? ORDER BY id"),
    ("tickets", "SELECT * FROM tickets WHERE chat_id = ? ORDER BY id"),
    ("ticket_messages", "SELECT m.* FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id "
                        "WHERE t.chat_id = ? ORDER BY m.id"),
    ("team_blocks", "SELECT * FROM team_blocks WHERE chat_id = ?"),
)
_PERSON_TABLES = (
    ("setup_state_yours", "SELECT * FROM setup_state WHERE scope = 'user' AND id = ?"),
    ("moderators", "SELECT * FROM moderators WHERE user_id = ?"),
    ("campaigns", "SELECT * FROM campaigns WHERE created_by = ? ORDER BY id"),
    ("audit_log", "SELECT * FROM audit_log WHERE actor = ? ORDER BY id"),
    # What they wrote to people as a moderator (the rest of those conversations is theirs).
    ("team_replies_yours", "SELECT ticket_id, body, status, at FROM ticket_messages "
                           "WHERE moderator = ? ORDER BY id"),
)


async def rows_about(db: Database, chat_id: int, person: int | None = None
                     ) -> dict[str, list[dict[str, Any]]]:
    """{table: [row as a dict]} for every table holding something about this chat (or this
    person, in their own private chat); tables with nothing are left out."""
    found: dict[str, list[dict[str, Any]]] = {}
    queries = [(t, sql, chat_id) for t, sql in _CHAT_TABLES]
    if person is not None:
        queries += [(t, sql, person) for t, sql in _PERSON_TABLES]
    for table, sql, key in queries:
        rows = [{k: v for k, v in dict(r).items() if k not in _NOT_ABOUT_THEM}
                for r in await db.fetchall(sql, (key,))]
        if rows:
            found[table] = rows
    return found
