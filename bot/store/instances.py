"""Bot instances sharing one PostgreSQL: each says it is alive, so the send budget is split
among the live ones and the rows a dead one had in flight can be given back."""

from __future__ import annotations

from bot.store.db import POSTGRES, Database


async def heartbeat(db: Database, instance: str, now: int) -> None:
    """This instance is alive, and still holds the rows it claimed.

    Two statements, each its own transaction, and the renewal takes its rows in id order and
    skips any row another transaction holds: in one transaction, the renewal waited on rows
    the sender was settling (in its own order) while holding the instance row and others,
    and PostgreSQL broke the cycle with a DeadlockDetectedError. A row skipped here is being
    settled or given back at that moment, so it needs no renewal.
    """
    await db.execute(
        "INSERT INTO instances (id, seen) VALUES (?, ?) "
        "ON CONFLICT (id) DO UPDATE SET seen = excluded.seen", (instance, now))
    skip_locked = "FOR UPDATE SKIP LOCKED" if db.dialect == POSTGRES else ""
    await db.execute(
        f"""
        UPDATE outbox SET claimed_at = ? WHERE id IN (
            SELECT id FROM outbox WHERE status = 'sending' AND claimed_by = ?
            ORDER BY id {skip_locked}
        )
        """, (now, instance))


async def live_count(db: Database, since: int) -> int:
    """Instances seen since `since` (at least this one)."""
    row = await db.fetchone("SELECT COUNT(*) FROM instances WHERE seen >= ?", (since,))
    return max(1, int(row[0]) if row else 1)


async def leave(db: Database, instance: str) -> None:
    """A clean stop: the others take its share of the budget at once."""
    await db.execute("DELETE FROM instances WHERE id = ?", (instance,))


async def forget_old(db: Database, before: int) -> int:
    return await db.execute("DELETE FROM instances WHERE seen < ?", (before,))
