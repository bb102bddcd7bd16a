"""Set-ups in progress survive a restart: PTB's chat_data (a chat's /remind, /focus or /habits
step) and user_data (a moderator's broadcast being written) kept in the store.

PTB holds them in memory and hands the changed ones to this persistence every second and at
shutdown; they are read back when the bot starts. Only JSON-friendly values are kept, which is
all the handlers store.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from telegram.ext import BasePersistence, PersistenceInput

from bot.store.connect import open_database
from bot.store.db import SQLITE, Database

log = logging.getLogger(__name__)
WRITE_EVERY = 1.0  # seconds; a crash loses at most the last second of a half-done set-up


class SetupPersistence(BasePersistence[dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    def __init__(self, target: Path | str) -> None:
        super().__init__(store_data=PersistenceInput(bot_data=False, callback_data=False),
                         update_interval=WRITE_EVERY)
        self._target = target
        self._db: Database | None = None
        # The JSON last read or written per (scope, id): tells a change made here and not
        # yet written (keep it) from one another instance wrote (take it).
        self._known: dict[tuple[str, int], str] = {}

    async def _database(self) -> Database:
        # Its own connection: PTB reads this before post_init opens the bot's, and writes on
        # its own schedule. WAL and busy_timeout let both share the file.
        if self._db is None:
            self._db = await open_database(self._target, pool_size=2)
        return self._db

    async def _load(self, scope: str) -> dict[int, dict[Any, Any]]:
        db = await self._database()
        rows = await db.fetchall("SELECT id, data FROM setup_state WHERE scope = ?", (scope,))
        for row in rows:
            self._known[(scope, int(row[0]))] = row[1]
        return {int(r[0]): json.loads(r[1]) for r in rows}

    async def _save(self, scope: str, key: int, data: dict[Any, Any]) -> None:
        if not data and (scope, key) not in self._known:
            # PTB hands over every chat and user an update touched, most with nothing set up:
            # no row was read or written for them, so there is none to delete.
            return
        db = await self._database()
        if not data:
            self._known.pop((scope, key), None)
            await db.execute("DELETE FROM setup_state WHERE scope = ? AND id = ?", (scope, key))
            return
        try:
            text = json.dumps(data)
        except (TypeError, ValueError):
            log.warning("%s %s: set-up state is not JSON, not kept across a restart", scope, key)
            return
        self._known[(scope, key)] = text
        await db.execute(
            "INSERT INTO setup_state (scope, id, data) VALUES (?, ?, ?) "
            "ON CONFLICT (scope, id) DO UPDATE SET data = excluded.data", (scope, key, text))

    def holds(self, scope: str, key: int) -> bool:
        """Whether a row may exist for this chat ("chat") or person ("user"): one read or
        written here. Dropping the set-up of one that has none needs nothing from the store."""
        return (scope, key) in self._known

    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        return await self._load("chat")

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        await self._save("chat", chat_id, data)

    async def drop_chat_data(self, chat_id: int) -> None:
        await self._save("chat", chat_id, {})

    async def _refresh(self, scope: str, key: int, data: dict[Any, Any]) -> None:
        """On PostgreSQL another instance may have taken this chat's last step: read it back
        before the next update. SQLite has one process, and it already holds the latest."""
        db = await self._database()
        if db.dialect == SQLITE:
            return
        known = self._known.get((scope, key), "{}")
        try:
            if json.dumps(data) != known and data:
                return  # changed here since, not yet written: this copy is the newest
        except (TypeError, ValueError):
            return
        row = await db.fetchone("SELECT data FROM setup_state WHERE scope = ? AND id = ?",
                                (scope, key))
        text = row[0] if row else "{}"
        if text != known:
            self._known[(scope, key)] = text
            data.clear()
            data.update(json.loads(text))

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        await self._refresh("chat", chat_id, chat_data)

    async def get_user_data(self) -> dict[int, dict[Any, Any]]:
        return await self._load("user")

    async def update_user_data(self, user_id: int, data: dict[Any, Any]) -> None:
        await self._save("user", user_id, data)

    async def drop_user_data(self, user_id: int) -> None:
        await self._save("user", user_id, {})

    async def refresh_user_data(self, user_id: int, user_data: dict[Any, Any]) -> None:
        await self._refresh("user", user_id, user_data)

    # Bot data, callback data and conversations are not kept (store_data says so); PTB still
    # requires the methods.
    async def get_bot_data(self) -> dict[Any, Any]:
        return {}

    async def update_bot_data(self, data: dict[Any, Any]) -> None:
        """Not kept: bot_data holds the live resources (database, sender), not state."""

    async def refresh_bot_data(self, bot_data: dict[Any, Any]) -> None:
        """Not kept."""

    async def get_callback_data(self) -> None:
        return None

    async def update_callback_data(self, data: Any) -> None:
        """Not kept: the bot's buttons carry their own data."""

    async def get_conversations(self, name: str) -> dict[Any, Any]:
        return {}

    async def update_conversation(self, name: str, key: tuple[int | str, ...],
                                  new_state: object | None) -> None:
        """No ConversationHandler: set-ups keep their step in chat_data."""

    async def flush(self) -> None:
        if self._db is not None:
            await self._db.close()
            self._db = None
