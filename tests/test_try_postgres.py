"""`python -m bot try-postgres`: the README's way to try the bot on PostgreSQL with nothing
installed but the test requirements. A throw-away server, the shell on it, gone afterwards."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_try_postgres_runs_the_shell_on_a_throw_away_server(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TELEGRAM_", "BOT_", "DATABASE_URL"))}
    sqlite_file = tmp_path / "would-be.sqlite3"
    env["BOT_DATABASE"] = str(sqlite_file)
    done = subprocess.run([sys.executable, "-m", "bot", "try-postgres"], input="/start\n",
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    folder = re.search(r"PostgreSQL \(throw-away, in (\S+)\)", done.stderr)
    assert folder, done.stderr
    assert "🥦 Fibre" in done.stdout  # /start's topic buttons
    assert "not medical advice" in done.stdout
    assert not sqlite_file.exists()  # the store was PostgreSQL, not the SQLite file
    assert not Path(folder[1]).exists()  # and it is gone with the bot
