"""Drive the real Application with Telegram updates and see what each chat receives."""

from __future__ import annotations

import asyncio
import concurrent.futures
import itertools
import json
import sqlite3
import time
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.telegram import html as telegram_html
from bot.telegram.offline import ApiCall, OfflineBotAPI

DISCLAIMER_WORDS = "not medical advice"
USER_ID = 5550001


def assert_lands_well(call: ApiCall, disclaimer: str) -> None:
    """The rules every message that lands in a chat obeys."""
    text = call.text
    assert text.rstrip().endswith(disclaimer), f"{call.method} lacks the disclaimer:\n{text}"
    assert DISCLAIMER_WORDS in telegram_html.to_plain(text)
    assert "/disclaimer" in text
    assert telegram_html.problems(text) == [], (telegram_html.problems(text), text)
    limit = (telegram_html.MAX_CAPTION_LENGTH if call.method in ("sendPhoto", "sendDocument")
             else telegram_html.MAX_MESSAGE_LENGTH)
    assert telegram_html.visible_length(text) <= limit
    for row in call.buttons:
        for button in row:
            data = button.get("callback_data")
            if data is not None:
                assert len(data.encode()) <= telegram_html.MAX_CALLBACK_DATA_BYTES, data


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


class Harness:
    def __init__(self, app: Application, api: OfflineBotAPI, db_path: Path,  # type: ignore[type-arg]
                 database_url: str | None = None) -> None:
        self.app = app
        self.api = api
        self.db_path = db_path
        self.database_url = database_url  # the test runs on PostgreSQL when set
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self.disclaimer = app.bot_data.renderer.disclaimer

    # --- updates in ---------------------------------------------------------------------
    async def feed(self, payload: dict[str, Any]) -> list[ApiCall]:
        """Process one update; return the calls it caused, each checked for the disclaimer."""
        before = len(self.api.calls)
        payload = {"update_id": next(self._update_ids), **payload}
        await self.app.process_update(Update.de_json(payload, self.app.bot))
        new = self.api.calls[before:]
        for call in new:
            if call.method in ("sendMessage", "sendPhoto", "sendDocument", "editMessageText",
                               "editMessageCaption"):
                assert_lands_well(call, self.disclaimer)
            if call.method == "answerInlineQuery":  # what a shared card will say in any chat
                for result in _json(call.params["results"]):
                    shared = ApiCall("sendMessage", {
                        "text": result["input_message_content"]["message_text"],
                        "reply_markup": result.get("reply_markup")})
                    assert_lands_well(shared, self.disclaimer)
        return new

    def message(self, text: str | None = None, *, chat_id: int = USER_ID,
                chat_type: str = "private", user_id: int | None = None,
                first_name: str = "Sam", language: str = "en", **extra: Any) -> dict[str, Any]:
        user = {"id": user_id or (chat_id if chat_id > 0 else USER_ID), "is_bot": False,
                "first_name": first_name, "language_code": language}
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = first_name
        else:
            chat["title"] = "Eczema parents"
        message: dict[str, Any] = {"message_id": next(self._message_ids),
                                   "date": int(time.time()), "chat": chat, "from": user, **extra}
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                command = text.split()[0]
                message["entities"] = [{"type": "bot_command", "offset": 0,
                                        "length": len(command)}]
        return message

    async def send(self, text: str, **kwargs: Any) -> list[ApiCall]:
        return await self.feed({"message": self.message(text, **kwargs)})

    async def press(self, data: str, *, chat_id: int = USER_ID, chat_type: str = "private",
                    user_id: int | None = None, message_text: str = "menu") -> list[ApiCall]:
        shown = self.message(message_text, chat_id=chat_id, chat_type=chat_type)
        shown["from"] = {"id": 7000000001, "is_bot": True, "first_name": "Bot"}
        shown.pop("entities", None)
        query = {"id": str(next(self._update_ids)), "chat_instance": "ci", "data": data,
                 "from": {"id": user_id or (chat_id if chat_id > 0 else USER_ID),
                          "is_bot": False, "first_name": "Sam"},
                 "message": shown}
        return await self.feed({"callback_query": query})

    # --- what came out --------------------------------------------------------------------
    @staticmethod
    def replies(calls: list[ApiCall]) -> list[ApiCall]:
        return [c for c in calls if c.method in ("sendMessage", "sendPhoto", "editMessageText")]

    @classmethod
    def only_reply(cls, calls: list[ApiCall]) -> ApiCall:
        replies = cls.replies(calls)
        assert len(replies) == 1, [c.method for c in calls]
        return replies[0]

    # --- the database (file, or PostgreSQL) --------------------------------------------
    def rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Read the store directly, as an operator would, on its own connection."""
        if self.database_url:
            return _postgres_rows(self.database_url, [(sql, params)])[0]
        with sqlite3.connect(self.db_path) as conn:
            return conn.execute(sql, params).fetchall()

    def snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every table, to prove that bad input changed nothing."""
        if self.database_url:
            [names] = _postgres_rows(self.database_url, [(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                "'public' ORDER BY table_name", ())])
            tables = [n[0] for n in names]
            found = _postgres_rows(self.database_url,
                                   [(f'SELECT * FROM "{t}"', ()) for t in tables])
            return {t: sorted(rows, key=repr) for t, rows in zip(tables, found)}
        with sqlite3.connect(self.db_path) as conn:
            tables = [r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
            return {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
                    for t in tables}


def _postgres_rows(url: str, queries: list[tuple[str, tuple[Any, ...]]]
                   ) -> list[list[tuple[Any, ...]]]:
    """Run queries (SQLite's ? placeholders) on a connection of their own, in a thread with
    its own event loop: a test reads the server the way it reads a SQLite file."""
    import asyncpg

    from bot.store.postgres import placeholders

    async def fetch() -> list[list[tuple[Any, ...]]]:
        conn = await asyncpg.connect(url)
        try:
            return [[tuple(r) for r in await conn.fetch(placeholders(sql), *params)]
                    for sql, params in queries]
        finally:
            await conn.close()

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, fetch()).result()
