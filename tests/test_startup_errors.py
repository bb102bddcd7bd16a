"""A bad BOT_DATABASE or DATABASE_URL stops the real process at once: one line that names the
variable, a non-zero exit within 10 seconds, no traceback, no password."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(tmp_path: Path, **env: str) -> tuple[int, str, float]:
    environ = {k: v for k, v in os.environ.items()
               if k not in ("BOT_DATABASE", "DATABASE_URL", "TELEGRAM_BOT_TOKEN")}
    environ.update({"TELEGRAM_BOT_TOKEN": "123456:TEST-token",
                    "TELEGRAM_BASE_URL": f"http://127.0.0.1:{_closed_port()}/bot", **env})
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=environ,
                          capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    return done.returncode, done.stderr, time.monotonic() - started


def _bad_values(tmp_path: Path) -> dict[str, tuple[str, str, str]]:
    not_a_db = tmp_path / "notes.txt"
    not_a_db.write_text("this is a shopping list, not a database\n")
    return {
        "not a database": ("BOT_DATABASE", str(not_a_db), "not a bot database"),
        "cannot be created": ("BOT_DATABASE", "/proc/x.db", "cannot open"),
        "no such folder": ("BOT_DATABASE", str(tmp_path / "typo" / "bot.db"), "does not exist"),
        "a folder": ("BOT_DATABASE", str(tmp_path), "is a folder"),
        "server refuses": ("DATABASE_URL",
                           f"postgresql://bot:s3cret@127.0.0.1:{_closed_port()}/bot",
                           "cannot reach PostgreSQL"),
        "not postgres": ("DATABASE_URL", "mysql://bot:s3cret@db/bot", "must be a PostgreSQL URL"),
    }


@pytest.mark.parametrize("case", ["not a database", "cannot be created", "no such folder",
                                  "a folder", "server refuses", "not postgres"])
def test_a_bad_store_is_one_line_and_an_exit(tmp_path: Path, case: str) -> None:
    variable, value, reason = _bad_values(tmp_path)[case]
    code, stderr, seconds = _start(tmp_path, **{variable: value})
    assert code != 0
    assert seconds < 10
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith(f"error: {variable}: ") and reason in lines[0], lines[0]
    assert "Traceback" not in stderr and "s3cret" not in stderr and "TEST-token" not in stderr


async def test_a_postgres_server_with_a_wrong_password_is_named(postgres_server: str,
                                                                tmp_path: Path) -> None:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(postgres_server)
    url = urlunsplit(parts._replace(path="/no_such_database"))
    code, stderr, seconds = _start(tmp_path, DATABASE_URL=url)
    assert code != 0 and seconds < 10
    assert stderr.strip().startswith("error: DATABASE_URL: cannot reach PostgreSQL")
    assert "no_such_database" in stderr and len(stderr.strip().splitlines()) == 1
