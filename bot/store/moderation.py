"""Who may push updates (owners from BOT_ADMIN_IDS, moderators they add) and the audit log."""

from __future__ import annotations

from dataclasses import dataclass

from bot.store.db import Database


@dataclass(frozen=True)
class AuditEntry:
    at: int
    actor: int
    action: str
    detail: str
    recipients: int | None


async def is_moderator(db: Database, owners: frozenset[int], user_id: int | None) -> bool:
    if user_id is None:
        return False
    if user_id in owners:
        return True
    return await db.fetchone("SELECT 1 FROM moderators WHERE user_id = ?", (user_id,)) is not None


async def reachable(db: Database, people: set[int]) -> set[int]:
    """Which of these people's private chats the bot can write to: they started it, and
    have not blocked it."""
    if not people:
        return set()
    marks = ",".join("?" for _ in people)
    rows = await db.fetchall(f"SELECT id FROM chats WHERE id IN ({marks}) AND kind = 'private' "
                             "AND status != 'blocked'", sorted(people))
    return {int(r[0]) for r in rows}


async def add(db: Database, user_id: int, by: int, now: int) -> bool:
    """True when the user was not a moderator before."""
    return await db.execute(
        "INSERT INTO moderators (user_id, added_by, added_at) VALUES (?, ?, ?) "
        "ON CONFLICT DO NOTHING",
        (user_id, by, now)) == 1


async def remove(db: Database, user_id: int) -> bool:
    return await db.execute("DELETE FROM moderators WHERE user_id = ?", (user_id,)) == 1


async def listing(db: Database) -> list[tuple[int, int, int]]:
    rows = await db.fetchall(
        "SELECT user_id, added_by, added_at FROM moderators ORDER BY added_at")
    return [(r[0], r[1], r[2]) for r in rows]


async def audit(db: Database, actor: int, action: str, now: int, detail: str = "",
                recipients: int | None = None) -> None:
    await db.execute(
        "INSERT INTO audit_log (at, actor, action, detail, recipients) VALUES (?, ?, ?, ?, ?)",
        (now, actor, action, detail[:300], recipients))


async def recent(db: Database, limit: int = 20) -> list[AuditEntry]:
    rows = await db.fetchall(
        "SELECT at, actor, action, detail, recipients FROM audit_log ORDER BY id DESC LIMIT ?",
        (limit,))
    return [AuditEntry(r[0], r[1], r[2], r[3], r[4]) for r in rows]
