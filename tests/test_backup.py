"""`python -m bot backup FILE` while the bot runs and writes: the copy holds every row
committed before it began, is whole, and the bot runs on it once copied back."""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from bot.app import build_application, running
from bot.config import load_settings
from bot.delivery import scheduling
from bot.delivery.sender import Limits
from bot.library.model import Library
from bot.telegram.offline import OfflineBotAPI
from tests.harness import Harness
from tests.test_reminder_delivery import ZONE
from tests.test_reminder_times import at

ROOT = Path(__file__).resolve().parent.parent
SUBSCRIBERS = range(7100, 7120)


def table_rows(path: Path) -> dict[str, set[tuple[Any, ...]]]:
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        return {t: set(conn.execute(f'SELECT * FROM "{t}"')) for t in tables}


def env_for(database: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TELEGRAM_", "BOT_", "DATABASE_URL"))}
    return {**env, "TELEGRAM_BOT_TOKEN": "123456:TEST-token", "BOT_DATABASE": str(database),
            **extra}


async def test_a_backup_while_the_bot_writes_holds_every_earlier_row(
        bot: Harness, db_path: Path, tmp_path: Path, library: Library) -> None:
    data = bot.app.bot_data
    data.clock = lambda: at(ZONE, "2026-11-01T00:00")
    for chat in SUBSCRIBERS:  # chats, reminders, cards read
        await bot.send("/remind 8am London", chat_id=chat)
        await bot.send("/card fibre-gentle-start", chat_id=chat)
    now = at(ZONE, "2026-11-01T08:00") + 1
    await scheduling.enqueue_due(data.db, data.library, now)  # the 08:00 cards: outbox rows
    before = table_rows(db_path)
    assert len(before["outbox"]) == len(SUBSCRIBERS)
    assert len(before["schedules"]) == len(SUBSCRIBERS)
    # The card each opened by hand (the daily card counts as read once it is sent).
    assert len(before["card_views"]) == len(SUBSCRIBERS)

    # A writer that keeps going: new people arrive for as long as the backup runs.
    stop = asyncio.Event()
    arrived: list[int] = []

    async def newcomers() -> None:
        chat = 90_000
        while not stop.is_set():
            chat += 1
            await bot.send("/start", chat_id=chat)
            arrived.append(chat)
            await asyncio.sleep(0)

    writer = asyncio.create_task(newcomers())
    target = tmp_path / "backups" / "bot-copy.sqlite3"
    target.parent.mkdir()
    copy = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "backup", str(target), cwd=ROOT, env=env_for(db_path),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await copy.communicate()
    during = len(arrived)
    await asyncio.sleep(0.05)
    stop.set()
    await writer
    assert copy.returncode == 0, err.decode()
    assert out.decode().startswith(f"backed up the bot's database {db_path} (BOT_DATABASE) "
                                   f"to {target}: ")
    assert during > 0  # the bot was writing while the copy was made

    after = table_rows(target)
    for table, rows in before.items():
        assert rows <= after[table], table  # every row committed before the copy began
    newcomers_kept = {r[0] for r in after["chats"]} - {r[0] for r in before["chats"]}
    assert newcomers_kept <= set(arrived)  # and some of those since, nothing else
    with sqlite3.connect(target) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # one file
    assert not list(target.parent.glob(".*partial*"))

    # Restoring is copying the file back while the bot is stopped: it runs on it as before.
    restored = tmp_path / "restored.sqlite3"
    shutil.copy(target, restored)
    api = OfflineBotAPI()
    app = build_application(load_settings({"BOT_DATABASE": str(restored)}), library,
                            request=api, background=False, limits=Limits(enabled=False))
    async with running(app):
        again = Harness(app, api, restored)
        shown = Harness.only_reply(await again.send("/mydata", chat_id=SUBSCRIBERS[0])).plain
        assert "Scheduled: daily card at 08:00 every day" in shown
        assert "Cards read (1): Adding fibre gently" in shown
        assert "Messages waiting to be sent: 1" in shown


def test_backup_refuses_what_it_cannot_copy(tmp_path: Path) -> None:
    def backup(target: Path, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "bot", "backup", str(target)], cwd=ROOT,
                              env=env_for(tmp_path / "bot.sqlite3", **env),
                              capture_output=True, text=True, timeout=60)

    postgres = backup(tmp_path / "x.sqlite3", DATABASE_URL="postgresql://u:pw@db:5432/bot")
    assert postgres.returncode == 2 and "pg_dump" in postgres.stderr
    assert postgres.stderr.startswith("error: DATABASE_URL is set") and "pw" not in postgres.stderr
    missing = backup(tmp_path / "x.sqlite3")
    assert missing.returncode == 1
    assert missing.stderr.strip() == (f"error: backup: there is no database at "
                                      f"{str(tmp_path / 'bot.sqlite3')!r} to back up "
                                      "(BOT_DATABASE)")
    assert not (tmp_path / "bot.sqlite3").exists()  # and it made none
    nowhere = backup(tmp_path / "no" / "such" / "x.sqlite3")
    assert nowhere.returncode == 1 and "Traceback" not in nowhere.stderr


def test_without_a_token_it_backs_up_the_bots_database_not_the_shells(tmp_path: Path) -> None:
    """Run where both files are, as an operator would, with neither a token nor BOT_DATABASE:
    the copy is bot.sqlite3 (what `python -m bot` serves on Telegram), and the line says so."""
    for name, table in (("bot.sqlite3", "served"), ("bot-shell.sqlite3", "practice")):
        with sqlite3.connect(tmp_path / name) as conn:
            conn.execute(f"CREATE TABLE {table} (x INTEGER)")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TELEGRAM_", "BOT_", "DATABASE_URL"))}
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run([sys.executable, "-m", "bot", "backup", "copy.sqlite3"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert set(table_rows(tmp_path / "copy.sqlite3")) == {"served"}
    assert result.stdout.startswith(
        f"backed up the bot's database {tmp_path / 'bot.sqlite3'} (the default; BOT_DATABASE "
        f"is not set) to {tmp_path / 'copy.sqlite3'}: "), result.stdout
