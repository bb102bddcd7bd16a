"""A token Telegram rejects stops the start with one line naming the variable, never the token.

`python -m bot run` runs as a real process against the loopback Bot API, which answers getMe
as Telegram answers a revoked or mistyped token.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.loopback_api import LoopbackBotAPI

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "987654:Secret-REJECTED-token_xyz"


@pytest.mark.parametrize(("status", "description"), [(401, "Unauthorized"),
                                                      (404, "Not Found")])
def test_a_rejected_token_is_named_but_never_printed(tmp_path: Path, status: int,
                                                     description: str) -> None:
    with LoopbackBotAPI() as api:
        api.fail("getMe", status, description, times=10)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_"))}
        env.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_BASE_URL=api.base_url,
                   TELEGRAM_BASE_FILE_URL=api.base_file_url,
                   BOT_DATABASE=str(tmp_path / "bot.sqlite3"))
        result = subprocess.run([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env,
                                stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                timeout=60)
        assert [c.method for c in api.calls][:1] == ["getMe"]
    output = result.stdout + result.stderr
    assert result.returncode != 0
    secret = TOKEN.split(":", 1)[1]
    assert TOKEN not in output and secret not in output, output
    assert "Traceback" not in output, output
    lines = [line for line in result.stderr.splitlines() if "TELEGRAM_BOT_TOKEN" in line]
    assert len(lines) == 1 and "rejected" in lines[0], output
    # That line alone: the connections opened for getMe were closed before exiting, so
    # aiohttp has no "Unclosed client session" or "Unclosed connector" to add under it.
    assert result.stderr.strip().splitlines() == lines, output
