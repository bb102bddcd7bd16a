"""Every SQL statement of a person's notes: kept, listed, deleted one by one, and read for
/report's PDF. A note is the chat's own; /forget erases them with the chat."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.store.db import Database


@dataclass(frozen=True)
class Note:
    id: int
    day: date  # the chat's local day it was written
    text: str


async def add(db: Database, chat_id: int, day: date, text: str, now: int) -> int:
    row = await db.fetchone(
        "INSERT INTO notes (chat_id, day, written_at, text) VALUES (?, ?, ?, ?) RETURNING id",
        (chat_id, day.isoformat(), now, text))
    return int(row[0]) if row else 0


async def count(db: Database, chat_id: int) -> int:
    row = await db.fetchone("SELECT COUNT(*) FROM notes WHERE chat_id = ?", (chat_id,))
    return int(row[0]) if row else 0


async def latest(db: Database, chat_id: int, limit: int, offset: int = 0) -> list[Note]:
    """The chat's notes, newest first, a page at a time (/notes)."""
    rows = await db.fetchall(
        "SELECT id, day, text FROM notes WHERE chat_id = ? ORDER BY day DESC, id DESC "
        "LIMIT ? OFFSET ?", (chat_id, limit, offset))
    return [Note(int(r[0]), date.fromisoformat(r[1]), r[2]) for r in rows]


async def between(db: Database, chat_id: int, first: date, last: date) -> list[Note]:
    """The notes written from day `first` to day `last`, in date order (the report)."""
    rows = await db.fetchall(
        "SELECT id, day, text FROM notes WHERE chat_id = ? AND day >= ? AND day <= ? "
        "ORDER BY day, id", (chat_id, first.isoformat(), last.isoformat()))
    return [Note(int(r[0]), date.fromisoformat(r[1]), r[2]) for r in rows]


async def day_of(db: Database, chat_id: int, note_id: int) -> date | None:
    """The day of this chat's note `note_id`; None when there is no such note here."""
    row = await db.fetchone("SELECT day FROM notes WHERE id = ? AND chat_id = ?",
                            (note_id, chat_id))
    return date.fromisoformat(row[0]) if row else None


async def delete(db: Database, chat_id: int, note_id: int) -> bool:
    """False when the note is gone already or is not this chat's (a forged button)."""
    return await db.execute("DELETE FROM notes WHERE id = ? AND chat_id = ?",
                            (note_id, chat_id)) == 1


async def for_mydata(db: Database, chat_id: int) -> list[tuple[str, str]]:
    """Every note: (day, text), oldest first."""
    rows = await db.fetchall(
        "SELECT day, text FROM notes WHERE chat_id = ? ORDER BY day, id", (chat_id,))
    return [(r[0], r[1]) for r in rows]
