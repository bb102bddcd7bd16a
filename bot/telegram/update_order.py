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
from telegram.ext import Application, BaseUpdateProcessor

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
        self._application: Application[Any, Any, Any, Any, Any, Any] | None = None

    def tidy(self, application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        """After each update, drop its chat's and person's chat_data/user_data when empty.

        PTB keeps a dict for every chat and person that ever wrote (about 130 bytes each,
        130 MiB a million, for each of the two), and hands every one touched to the
        persistence each cycle; nearly all are empty, a set-up in progress being rare."""
        self._application = application

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
            self._drop_empty(update)  # still holding its locks: no other update of theirs runs
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

    def _drop_empty(self, update: object) -> None:
        app = self._application
        if app is None or not isinstance(update, Update):
            return
        chat, user = update.effective_chat, update.effective_user
        # .get: looking an id up in PTB's defaultdict would create its entry.
        if chat is not None and chat.id in app.chat_data and not app.chat_data.get(chat.id):
            _forget(app, "chat", chat.id)
        if user is not None and user.id in app.user_data and not app.user_data.get(user.id):
            _forget(app, "user", user.id)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None


def _forget(app: Application[Any, Any, Any, Any, Any, Any], scope: str, key: int) -> None:
    """Drop an empty chat_data (scope "chat") or user_data ("user") entry.

    PTB's drop_*_data also has the persistence drop it at its next run, one coroutine per
    chat and person every second: a fortieth of the bot's CPU under load, for entries that
    were never stored. Those (the persistence's `holds` says so) are taken out of PTB's two
    collections directly, the private attributes of the pinned 22.x; without them, or for an
    entry that may be stored, PTB's own drop is used.
    """
    holds = getattr(app.persistence, "holds", None)
    entries = getattr(app, f"_{scope}_data", None)
    marked = getattr(app, f"_{scope}_ids_to_be_updated_in_persistence", None)
    if holds is None or holds(scope, key) or not isinstance(entries, dict) \
            or not isinstance(marked, set):
        (app.drop_chat_data if scope == "chat" else app.drop_user_data)(key)
        return
    entries.pop(key, None)
    marked.discard(key)
