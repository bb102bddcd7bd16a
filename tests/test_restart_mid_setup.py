"""A restart in the middle of a set-up: the next tap or typed answer carries on."""

from __future__ import annotations

import asyncio
from pathlib import Path

from telegram import Update

from bot.app import build_application, running
from bot.config import load_settings
from bot.delivery.sender import Limits
from bot.handlers.flows import FLOW
from bot.library.model import Library
from bot.telegram.offline import OfflineBotAPI
from tests.harness import Harness
from tests.test_moderators import OWNER
from tests.test_reminder_setup import after_zone, data_of, zone_step


async def _feed_in_new_app(library: Library, db_path: Path, steps):  # type: ignore[no-untyped-def]
    settings = load_settings({"BOT_DATABASE": str(db_path), "BOT_ADMIN_IDS": str(OWNER)})
    api = OfflineBotAPI()
    app = build_application(settings, library, request=api, background=False,
                            limits=Limits(enabled=False))
    async with running(app):
        return await steps(Harness(app, api, db_path))


async def test_remind_carries_on_after_a_restart(library: Library, tmp_path: Path) -> None:
    db_path = tmp_path / "bot.sqlite3"

    async def first(bot: Harness) -> str:
        ask_time = Harness.only_reply(await bot.send("/remind"))
        return data_of(ask_time, "08:00")

    async def second(bot: Harness, button: str) -> None:
        zone_step(await bot.press(button))  # not "that button is out of date"
        ask_days = after_zone(await bot.send("London"))
        done = Harness.only_reply(await bot.press(data_of(ask_days, "Every day")))
        assert "All set" in done.plain

    button = await _feed_in_new_app(library, db_path, first)
    assert len(state_rows(db_path)) == 1  # the half-done set-up was kept at shutdown
    await _feed_in_new_app(library, db_path, lambda bot: second(bot, button))
    assert schedule_rows(db_path) == [("card", 480, 127, "Europe/London")]
    assert state_rows(db_path) == []  # finished: nothing left to carry on


async def test_a_setup_finished_in_one_run_leaves_no_state(library: Library,
                                                          tmp_path: Path) -> None:
    db_path = tmp_path / "bot.sqlite3"

    async def steps(bot: Harness) -> None:
        await bot.send("/start", chat_id=5001)
        ask_time = Harness.only_reply(await bot.send("/remind", chat_id=5001))
        await bot.app.update_persistence()  # the step is written, as every second
        assert len(state_rows(db_path)) == 1
        zone_step(await bot.press(data_of(ask_time, "08:00"), chat_id=5001))
        ask_days = after_zone(await bot.send("London", chat_id=5001))
        await bot.press(data_of(ask_days, "Every day"), chat_id=5001)
        await bot.send("what helps with itching at night", chat_id=5002)  # nothing set up

    await _feed_in_new_app(library, db_path, steps)
    assert state_rows(db_path) == []


async def test_a_broadcast_being_written_survives_a_restart(library: Library,
                                                            tmp_path: Path) -> None:
    db_path = tmp_path / "bot.sqlite3"

    async def first(bot: Harness) -> None:
        await bot.send("/start", chat_id=OWNER)
        await bot.send("/broadcast", chat_id=OWNER)

    async def second(bot: Harness) -> None:
        preview, *_ = Harness.replies(await bot.send("New cards are out", chat_id=OWNER))
        assert "New cards are out" in preview.plain  # taken as the broadcast, not a question

    await _feed_in_new_app(library, db_path, first)
    await _feed_in_new_app(library, db_path, second)


async def test_only_a_setup_in_progress_is_kept_in_memory(library: Library,
                                                          tmp_path: Path) -> None:
    """Updates that arrive as in production (through the update queue, each chat in order):
    PTB's per-chat and per-person dicts are dropped once empty, so memory does not grow with
    every chat that ever wrote; the one chat with a set-up waiting keeps it, in memory and in
    the store."""
    db_path = tmp_path / "bot.sqlite3"
    waiting = 6001

    async def steps(bot: Harness) -> None:
        app = bot.app
        sent = []
        for chat in range(6002, 6032):
            text = "/start" if chat % 3 else "what helps with itching at night"
            sent.append((chat, bot.message(text, chat_id=chat)))
        sent.append((waiting, bot.message("/remind", chat_id=waiting)))
        for number, (_, payload) in enumerate(sent, start=900_000):
            await app.update_queue.put(
                Update.de_json({"update_id": number, "message": payload}, app.bot))
        chats = {chat for chat, _ in sent}
        for _ in range(500):  # every chat answered
            if chats <= {c.params.get("chat_id") for c in bot.api.calls}:
                break
            await asyncio.sleep(0.01)
        assert chats <= {c.params.get("chat_id") for c in bot.api.calls}
        for _ in range(100):  # the last update's own tidying, after its reply
            if len(app.chat_data) == 1:
                break
            await asyncio.sleep(0.01)
        assert dict(app.chat_data).keys() == {waiting}
        assert app.chat_data[waiting][FLOW]["step"] == "time"
        assert dict(app.user_data) == {}  # nobody left an empty dict behind
        # Nor any work for the persistence's next run: nothing of theirs was ever stored (if
        # PTB renamed what update_order._forget takes them out of, they would be queued here).
        queued = {*app._chat_ids_to_be_deleted_in_persistence,  # type: ignore[attr-defined]
                  *app._user_ids_to_be_deleted_in_persistence}  # type: ignore[attr-defined]
        assert not queued & chats
        await app.update_persistence()
        assert [(scope, key) for scope, key, _ in state_rows(db_path)] == [("chat", waiting)]

    await _feed_in_new_app(library, db_path, steps)


def state_rows(db_path: Path) -> list[tuple[object, ...]]:
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT scope, id, data FROM setup_state").fetchall()


def schedule_rows(db_path: Path) -> list[tuple[object, ...]]:
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT s.kind, s.local_minute, s.days, c.timezone FROM schedules s "
                            "JOIN chats c ON c.id = s.chat_id").fetchall()
