"""A person's conversations with the community's team: tickets, their messages both ways, and
the chats a moderator has blocked from the inbox.

Every change that two moderators (or two instances) could make at once is one UPDATE that
only the row as it was can match: one claim wins, one close wins, a held reply goes once.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.store.db import Database, Row, Session

PERSON, TEAM = "person", "team"
_COLUMNS = ("id, chat_id, first_name, status, urgent, support, thread, claimed_by, opened_at, "
            "claimed_at, first_reply_at, last_at, closed_at, closed_by, rating")


@dataclass(frozen=True)
class Ticket:
    id: int  # the number the team knows it by: #12
    chat_id: int  # the person's private chat: never shown to the team
    first_name: str | None  # only when they chose to share it
    status: str  # open, closed
    urgent: bool
    support: bool  # the triage found distress: helplines fit
    thread: int | None  # its topic in the team's supergroup
    claimed_by: int | None
    opened_at: int
    claimed_at: int | None
    first_reply_at: int | None
    last_at: int
    closed_at: int | None
    closed_by: str | None  # person, team, blocked, withdrew
    rating: int | None

    @property
    def open(self) -> bool:
        return self.status == "open"


@dataclass(frozen=True)
class Message:
    id: int
    ticket_id: int
    author: str  # person or team
    moderator: int | None
    body: str  # the person's words as typed; the team's as Telegram HTML
    urgent: bool
    status: str  # sent, held (a team reply waiting for its second tap), dropped
    at: int


def _ticket(row: Row | None) -> Ticket | None:
    if row is None:
        return None
    return Ticket(int(row[0]), int(row[1]), row[2], row[3], bool(row[4]), bool(row[5]), row[6],
                  row[7], int(row[8]), row[9], row[10], int(row[11]), row[12], row[13], row[14])


def _message(row: Row | None) -> Message | None:
    if row is None:
        return None
    return Message(int(row[0]), int(row[1]), row[2], row[3], row[4], bool(row[5]), row[6],
                   int(row[7]))


# --- opening, finding ----------------------------------------------------------------------
async def open_ticket(db: Database, chat_id: int, first_name: str | None, body: str, *,
                      urgent: bool, support: bool, now: int) -> tuple[Ticket, int] | None:
    """A new open ticket with its first message, or None when the chat has one open already
    (one at a time: the partial unique index decides, on both engines)."""
    async with db.transaction() as conn:
        # Asked first so that a refused ticket uses up no number (an insert that meets the
        # index does); the index still decides between two instances at the same moment.
        if await conn.fetchone("SELECT 1 FROM tickets WHERE chat_id = ? AND status = 'open'",
                               (chat_id,)) is not None:
            return None
        row = await conn.fetchone(
            "INSERT INTO tickets (chat_id, first_name, urgent, support, opened_at, last_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
            (chat_id, first_name, int(urgent), int(support), now, now))
        if row is None:
            return None
        message_id = await _add(conn, int(row[0]), PERSON, body, now, urgent=urgent)
        ticket = _ticket(await conn.fetchone(
            f"SELECT {_COLUMNS} FROM tickets WHERE id = ?", (row[0],)))
    assert ticket is not None
    return ticket, message_id


async def get(db: Database, ticket_id: int) -> Ticket | None:
    return _ticket(await db.fetchone(f"SELECT {_COLUMNS} FROM tickets WHERE id = ?",
                                     (ticket_id,)))


async def open_for(db: Database, chat_id: int) -> Ticket | None:
    """The chat's open conversation, if it has one."""
    return _ticket(await db.fetchone(
        f"SELECT {_COLUMNS} FROM tickets WHERE chat_id = ? AND status = 'open'", (chat_id,)))


async def by_thread(db: Database, thread: int) -> Ticket | None:
    """The ticket a topic of the team's supergroup belongs to."""
    return _ticket(await db.fetchone(
        f"SELECT {_COLUMNS} FROM tickets WHERE thread = ? ORDER BY id DESC LIMIT 1", (thread,)))


async def set_thread(db: Database, ticket_id: int, thread: int) -> bool:
    """The ticket's topic, once: False when it had one already."""
    return await db.execute("UPDATE tickets SET thread = ? WHERE id = ? AND thread IS NULL",
                            (thread, ticket_id)) == 1


# --- messages ------------------------------------------------------------------------------
async def _add(conn: Session, ticket_id: int, author: str, body: str, now: int, *,
               moderator: int | None = None, urgent: bool = False, status: str = "sent") -> int:
    row = await conn.fetchone(
        "INSERT INTO ticket_messages (ticket_id, author, moderator, body, urgent, status, at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (ticket_id, author, moderator, body, int(urgent), status, now))
    assert row is not None
    if status == "sent":
        await _touch(conn, ticket_id, author, now, urgent)
    return int(row[0])


async def _touch(conn: Session, ticket_id: int, author: str, now: int, urgent: bool) -> None:
    """A message went: the conversation's last activity, its first reply, its urgency."""
    await conn.execute(
        "UPDATE tickets SET last_at = ?, urgent = CASE WHEN ? = 1 THEN 1 ELSE urgent END, "
        "first_reply_at = CASE WHEN ? = 'team' AND first_reply_at IS NULL THEN ? "
        "ELSE first_reply_at END WHERE id = ?", (now, int(urgent), author, now, ticket_id))


async def add_message(db: Database, ticket_id: int, author: str, body: str, now: int, *,
                      moderator: int | None = None, urgent: bool = False,
                      held: bool = False) -> int | None:
    """A message of an open ticket (None when it is no longer open); a held one waits for
    its second tap and is not yet the ticket's activity."""
    async with db.transaction() as conn:
        if await conn.fetchone("SELECT 1 FROM tickets WHERE id = ? AND status = 'open'",
                               (ticket_id,)) is None:
            return None
        return await _add(conn, ticket_id, author, body, now, moderator=moderator,
                          urgent=urgent, status="held" if held else "sent")


async def release_held(db: Database, message_id: int, now: int) -> bool:
    """A held team reply goes after all: True once only, and only while its ticket is open."""
    async with db.transaction() as conn:
        row = await conn.fetchone(
            "UPDATE ticket_messages SET status = 'sent', at = ? WHERE id = ? AND status = 'held' "
            "AND ticket_id IN (SELECT id FROM tickets WHERE status = 'open') "
            "RETURNING ticket_id, author", (now, message_id))
        if row is None:
            return False
        await _touch(conn, int(row[0]), row[1], now, False)
    return True


async def drop_held(db: Database, message_id: int) -> bool:
    return await db.execute("UPDATE ticket_messages SET status = 'dropped' WHERE id = ? AND "
                            "status = 'held'", (message_id,)) == 1


async def message(db: Database, message_id: int) -> Message | None:
    return _message(await db.fetchone(
        "SELECT id, ticket_id, author, moderator, body, urgent, status, at FROM ticket_messages "
        "WHERE id = ?", (message_id,)))


async def messages(db: Database, ticket_id: int) -> list[Message]:
    rows = await db.fetchall(
        "SELECT id, ticket_id, author, moderator, body, urgent, status, at FROM ticket_messages "
        "WHERE ticket_id = ? AND status = 'sent' ORDER BY at, id", (ticket_id,))
    return [m for m in (_message(r) for r in rows) if m is not None]


async def sent_by_person_since(db: Database, chat_id: int, since: int) -> int:
    """How many messages this chat has sent the team since `since` (the flood limit)."""
    row = await db.fetchone(
        "SELECT COUNT(*) FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id "
        "WHERE t.chat_id = ? AND m.author = 'person' AND m.at >= ?", (chat_id, since))
    return int(row[0]) if row else 0


# --- claiming, closing, rating -------------------------------------------------------------
async def claim(db: Database, ticket_id: int, moderator: int, now: int) -> bool:
    """True for the one moderator whose claim took the open, unclaimed ticket."""
    return await db.execute(
        "UPDATE tickets SET claimed_by = ?, claimed_at = ? "
        "WHERE id = ? AND status = 'open' AND claimed_by IS NULL",
        (moderator, now, ticket_id)) == 1


async def close(db: Database, ticket_id: int, by: str, now: int) -> bool:
    """True for the one close that ended the open ticket; held replies are dropped."""
    async with db.transaction() as conn:
        closed = await conn.execute(
            "UPDATE tickets SET status = 'closed', closed_at = ?, closed_by = ? "
            "WHERE id = ? AND status = 'open'", (now, by, ticket_id)) == 1
        if closed:
            await conn.execute("UPDATE ticket_messages SET status = 'dropped' "
                               "WHERE ticket_id = ? AND status = 'held'", (ticket_id,))
    return closed


async def rate(db: Database, ticket_id: int, chat_id: int, helpful: bool) -> bool:
    """The person's 👍/👎 for a closed conversation of theirs (changed by a second press)."""
    return await db.execute(
        "UPDATE tickets SET rating = ? WHERE id = ? AND chat_id = ? AND status = 'closed'",
        (int(helpful), ticket_id, chat_id)) == 1


# --- the limit on waiting, and retention ---------------------------------------------------
async def overdue(db: Database, opened_before: int) -> list[Ticket]:
    """Open tickets nobody claimed since before `opened_before`, each returned once: the
    person is told, and the team reminded, a single time."""
    rows = await db.fetchall(
        f"UPDATE tickets SET late_told = 1 WHERE status = 'open' AND claimed_by IS NULL "
        f"AND late_told = 0 AND opened_at < ? RETURNING {_COLUMNS}", (opened_before,))
    return [t for t in (_ticket(r) for r in rows) if t is not None]


async def expire(db: Database, last_before: int) -> list[tuple[int, int | None, bool]]:
    """Delete conversations whose last message is older than `last_before` (their messages
    go with them); returns (number, topic, whether it was open) of each."""
    async with db.transaction() as conn:
        rows = await conn.fetchall(
            "DELETE FROM tickets WHERE last_at < ? RETURNING id, thread, status",
            (last_before,))
    return [(int(r[0]), r[1], r[2] == "open") for r in rows]


# --- blocks --------------------------------------------------------------------------------
async def block(db: Database, chat_id: int, ticket_id: int, by: int, now: int) -> None:
    await db.execute(
        "INSERT INTO team_blocks (chat_id, ticket, blocked_by, at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (chat_id) DO UPDATE SET ticket = excluded.ticket, "
        "blocked_by = excluded.blocked_by, at = excluded.at", (chat_id, ticket_id, by, now))


async def unblock(db: Database, ticket_id: int) -> bool:
    """Lift the block made from ticket #n (the team never knows the chat)."""
    return await db.execute("DELETE FROM team_blocks WHERE ticket = ?", (ticket_id,)) >= 1


async def blocked_since(db: Database, chat_id: int) -> int | None:
    row = await db.fetchone("SELECT at FROM team_blocks WHERE chat_id = ?", (chat_id,))
    return int(row[0]) if row else None


# --- a person's own: /mydata and /forget ---------------------------------------------------
async def summary(db: Database, chat_id: int) -> dict[str, int] | None:
    """How many conversations and messages this chat has with the team (None: none)."""
    row = await db.fetchone(
        "SELECT COUNT(DISTINCT t.id), COUNT(m.id), COUNT(DISTINCT t.id) FILTER "
        "(WHERE t.status = 'open') FROM tickets t LEFT JOIN ticket_messages m "
        "ON m.ticket_id = t.id WHERE t.chat_id = ?", (chat_id,))
    blocked = await blocked_since(db, chat_id)
    if (row is None or not row[0]) and blocked is None:
        return None
    return {"conversations": int(row[0]) if row else 0, "messages": int(row[1]) if row else 0,
            "open": int(row[2]) if row else 0, "blocked": blocked or 0}


async def erase_chat(conn: Session, chat_id: int) -> list[tuple[int, int | None, bool]]:
    """Delete the chat's conversations (their messages go with them); returns (number,
    topic, whether it was open) of each."""
    rows = await conn.fetchall(
        "DELETE FROM tickets WHERE chat_id = ? RETURNING id, thread, status", (chat_id,))
    return [(int(r[0]), r[1], r[2] == "open") for r in rows]


# A moderator's /forget: their claims and replies stay with the conversations (the person's),
# without their id; an open ticket they had claimed can be claimed again.
MODERATOR_ERASE = (
    "UPDATE tickets SET claimed_by = NULL, claimed_at = NULL "
    "WHERE claimed_by = ? AND status = 'open'",
    "UPDATE tickets SET claimed_by = 0 WHERE claimed_by = ?",
    "UPDATE ticket_messages SET moderator = 0 WHERE moderator = ?",
    "UPDATE team_blocks SET blocked_by = 0 WHERE blocked_by = ?",
)


# --- figures for the team ------------------------------------------------------------------
async def figures(db: Session, since: int) -> list[tuple[int, int | None, int | None]]:
    """(opened at, first reply at, rating) of every conversation opened since `since`."""
    rows = await db.fetchall(
        "SELECT opened_at, first_reply_at, rating FROM tickets WHERE opened_at >= ?", (since,))
    return [(int(r[0]), r[1], r[2]) for r in rows]
