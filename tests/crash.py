"""Run the real bot as a process against the loopback Bot API, and kill it for real."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from bot.store import open_database
from tests.loopback_api import LoopbackBotAPI

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:TEST-token"


def start_bot(server: LoopbackBotAPI, database: Path, log: Path,
              **env: str) -> subprocess.Popen[bytes]:
    environ = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_BASE_URL": server.base_url,
               "TELEGRAM_BASE_FILE_URL": server.base_file_url, "BOT_DATABASE": str(database),
               **env}
    with log.open("ab") as sink:
        return subprocess.Popen([sys.executable, "-m", "bot"], cwd=ROOT, env=environ,
                                stdout=sink, stderr=sink)


def delivered(server: LoopbackBotAPI) -> list[int]:
    return [c.chat_id for c in server.calls
            if c.method == "sendMessage" and c.status == 200 and c.chat_id is not None]


def kill_when(server: LoopbackBotAPI, process: subprocess.Popen[bytes], count: int,
              timeout: float = 60) -> None:
    """SIGKILL the bot once `count` messages have landed: no shutdown code runs."""
    deadline = time.monotonic() + timeout
    while len(delivered(server)) < count:
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            raise AssertionError(f"only {len(delivered(server))} messages before the kill point")
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)


def stop(process: subprocess.Popen[bytes], timeout: float = 15) -> None:
    """SIGTERM (a clean shutdown), then SIGKILL if it has not ended within `timeout`."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


async def seed_due_chats(database: Path, count: int) -> None:
    """Chats 1..count, each with a daily card due this minute (UTC)."""
    db = await open_database(database)
    await db.close()
    due = int(time.time()) // 60
    with sqlite3.connect(database) as conn:
        conn.executemany("INSERT INTO chats (id, kind, first_seen, last_seen, timezone) "
                         "VALUES (?, 'private', 0, 0, 'UTC')", [(c,) for c in range(1, count + 1)])
        conn.executemany("INSERT INTO schedules (chat_id, kind, local_minute, days, next_due) "
                         "VALUES (?, 'card', 0, 127, ?)", [(c, due) for c in range(1, count + 1)])
