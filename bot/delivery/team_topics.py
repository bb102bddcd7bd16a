"""Each conversation's topic in the team's supergroup: opened when its first message is sent,
renamed when it turns urgent, closed with it, deleted with it after the retention.

Called while a ticket's outbox rows are rendered, so that a topic exists exactly when a
message needs it, and a restart or a failed call only means the next row tries again. Every
call is best effort: a topic that cannot be made sends the message to the supergroup's
General topic, still headed with its ticket number, where a moderator answers by replying.
"""

from __future__ import annotations

import asyncio
import logging
import time

from telegram import Bot
from telegram.error import TelegramError

from bot.store import Database, tickets
from bot.store.tickets import Ticket

log = logging.getLogger(__name__)
# After Telegram refuses to make a topic (topics off, no right to manage them), General is
# used for this long before trying again, rather than a refused call before every message.
REFUSED_PAUSE = 600.0


class Topics:
    """One per bot: the locks that keep two rows of one ticket from opening two topics."""

    def __init__(self) -> None:
        self._locks: dict[int, asyncio.Lock] = {}
        self._refused_until = 0.0

    async def thread_for(self, bot: Bot, db: Database, chat_id: int, ticket: Ticket,
                         name: str) -> int | None:
        """The ticket's topic, opened now if it has none; None: General."""
        if ticket.thread is not None:
            return ticket.thread
        if time.monotonic() < self._refused_until:
            return None
        lock = self._locks.setdefault(ticket.id, asyncio.Lock())
        try:
            async with lock:
                current = await tickets.get(db, ticket.id)
                if current is None or current.thread is not None:
                    return current.thread if current else None
                try:
                    topic = await bot.create_forum_topic(chat_id, name)
                except TelegramError as exc:
                    log.warning("could not open a topic for ticket #%s: %s", ticket.id, exc)
                    self._refused_until = time.monotonic() + REFUSED_PAUSE
                    return None
                thread = topic.message_thread_id
                if await tickets.set_thread(db, ticket.id, thread):
                    return thread
                # Another instance opened one first: theirs is the ticket's, ours goes.
                await self.delete(bot, chat_id, thread)
                current = await tickets.get(db, ticket.id)
                return current.thread if current else None
        finally:
            if not lock.locked():
                self._locks.pop(ticket.id, None)

    @staticmethod
    async def rename(bot: Bot, chat_id: int, thread: int, name: str) -> None:
        try:
            await bot.edit_forum_topic(chat_id, thread, name=name)
        except TelegramError as exc:  # the same name again, or no right: the heading says it
            log.info("topic %s not renamed: %s", thread, exc)

    @staticmethod
    async def close(bot: Bot, chat_id: int, thread: int) -> None:
        try:
            await bot.close_forum_topic(chat_id, thread)
        except TelegramError as exc:  # closed already, or deleted by the team
            log.info("topic %s not closed: %s", thread, exc)

    @staticmethod
    async def delete(bot: Bot, chat_id: int, thread: int) -> None:
        try:
            await bot.delete_forum_topic(chat_id, thread)
        except TelegramError as exc:
            log.info("topic %s not deleted: %s", thread, exc)
