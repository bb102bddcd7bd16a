"""Set-ups in progress survive a restart: PTB's chat_data (a chat's /remind, /focus or /habits
step) and user_data (a moderator's broadcast being written) kept in SQLite.

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

from bot.store.db import Database, open_database

log = logging.getLogger(__name__)
WRITE_EVERY = 1.0  # seconds; a crash loses at most the last second of a half-done set-up


class SetupPersistence(BasePersistence[dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    def __init__(self, path: Path) -> None:
        super().__init__(store_data=PersistenceInput(bot_data=False, callback_data=False),
                         update_interval=WRITE_EVERY)
        self._path = path
        self._db: Database | None = None

    async def _database(self) -> Database:
        # Its own connection: PTB reads this before post_init opens the bot's, and writes on
        # its own schedule. WAL and busy_timeout let both share the file.
        if self._db is None:
            self._db = await open_database(self._path)
        return self._db

    async def _load(self, scope: str) -> dict[int, dict[Any, Any]]:
        db = await self._database()
        rows = await db.fetchall("SELECT id, data FROM setup_state WHERE scope = ?", (scope,))
        return {int(r[0]): json.loads(r[1]) for r in rows}

    async def _save(self, scope: str, key: int, data: dict[Any, Any]) -> None:
        db = await self._database()
        if not data:
            await db.execute("DELETE FROM setup_state WHERE scope = ? AND id = ?", (scope, key))
            return
        try:
            text = json.dumps(data)
        except (TypeError, ValueError):
            log.warning("%s %s: set-up state is not JSON, not kept across a restart", scope, key)
            return
        await db.execute(
            "INSERT INTO setup_state (scope, id, data) VALUES (?, ?, ?) "
            "ON CONFLICT (scope, id) DO UPDATE SET data = excluded.data", (scope, key, text))

    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        return await self._load("chat")

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        await self._save("chat", chat_id, data)

    async def drop_chat_data(self, chat_id: int) -> None:
        await self._save("chat", chat_id, {})

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        """Nothing to refresh: this process is the only writer."""

    async def get_user_data(self) -> dict[int, dict[Any, Any]]:
        return await self._load("user")

    async def update_user_data(self, user_id: int, data: dict[Any, Any]) -> None:
        await self._save("user", user_id, data)

    async def drop_user_data(self, user_id: int) -> None:
        await self._save("user", user_id, {})

    async def refresh_user_data(self, user_id: int, user_data: dict[Any, Any]) -> None:
        """Nothing to refresh: this process is the only writer."""

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
