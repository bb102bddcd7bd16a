"""Updates from different chats are handled side by side; each chat's stay in order.

PTB's default handles one update at a time, so a reply that waits (a 429's short retry, a slow
answer from Telegram) holds up every other person's reply. Here an update waits only for the
earlier updates of its own chat and its own sender (their settings and half-typed answers are
read and written in order), and at most `running` updates are handled at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# PTB's own bound only limits how many updates may wait here; they cost a few objects each.
WAITING = 100_000


def _keys(update: object) -> list[int]:
    """The chats and the person whose state this update may read or write, in lock order."""
    if not isinstance(update, Update):
        return []
    keys: set[int] = set()
    if update.effective_chat is not None:
        keys.add(update.effective_chat.id)
    if update.effective_user is not None:
        keys.add(update.effective_user.id)
    message = update.effective_message
    if message is not None:  # a migration touches the old id and the new one
        for other in (message.migrate_to_chat_id, message.migrate_from_chat_id):
            if other:
                keys.add(other)
    return sorted(keys)


class OnePerChat(BaseUpdateProcessor):
    """Concurrent across chats, sequential within a chat (and within one person's updates)."""

    def __init__(self, running: int = 64) -> None:
        super().__init__(WAITING)
        self._running = asyncio.BoundedSemaphore(running)
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}  # key -> updates holding or waiting for its lock

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        keys = _keys(update)
        for key in keys:
            self._users[key] = self._users.get(key, 0) + 1
            self._locks.setdefault(key, asyncio.Lock())
        taken: list[asyncio.Lock] = []
        started = False
        try:
            for key in keys:  # always in the same order: no two updates wait on each other
                lock = self._locks[key]
                await lock.acquire()
                taken.append(lock)
            async with self._running:
                started = True
                await coroutine
        finally:
            if not started and hasattr(coroutine, "close"):
                coroutine.close()  # cancelled while waiting: never "never awaited"
            for lock in reversed(taken):
                lock.release()
            for key in keys:
                left = self._users[key] - 1
                if left:
                    self._users[key] = left
                else:
                    del self._users[key]
                    del self._locks[key]

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None
