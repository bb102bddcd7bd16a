"""A well-formed token with the Bot API unreachable at start: one line per try, waits that
grow (1, 2, 4 ... 60 s), no traceback, and SIGTERM still stops it at once. The real
`python -m bot` process, with TELEGRAM_BASE_URL pointing at a loopback port nobody listens on."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.test_webhook import free_port

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:TEST-offline-token"


def test_an_unreachable_bot_api_is_retried_with_backoff_not_a_crash(tmp_path: Path) -> None:
    closed = free_port()  # bound, then released: connections to it are refused
    health = free_port()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TELEGRAM_", "BOT_", "DATABASE_URL", "PORT", "SENTRY_"))}
    env.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_BASE_URL=f"http://127.0.0.1:{closed}/bot",
               BOT_DATABASE=str(tmp_path / "bot.sqlite3"), BOT_HEALTH_PORT=str(health),
               BOT_LISTEN="127.0.0.1")
    log_path = tmp_path / "stderr.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "bot"], cwd=ROOT, env=env,
                                   stdin=subprocess.DEVNULL, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 20
        while log_path.read_text(errors="replace").count("cannot be reached") < 3:
            assert process.poll() is None, log_path.read_text(errors="replace")
            assert time.monotonic() < deadline, log_path.read_text(errors="replace")
            time.sleep(0.1)
        assert process.poll() is None  # still trying
        # Health is served while it waits: alive and starting, not a refused connection that
        # would have the container restarted in a loop.
        with urllib.request.urlopen(f"http://127.0.0.1:{health}/healthz", timeout=5) as page:
            assert page.status == 200
            assert json.loads(page.read()) == {
                "store": "starting", "sender_last_cycle_age_s": None, "outbox_backlog": None,
                "flood_control_wait_s": 0.0, "problems": [], "starting": True}
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)  # during a wait between tries
        assert process.wait(10) == 0
        assert time.monotonic() - started < 5
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    text = log_path.read_text(errors="replace")
    assert "Traceback" not in text, text
    assert TOKEN.split(":")[1] not in text
    tries = [line for line in text.splitlines() if "cannot be reached" in line]
    assert all(f"127.0.0.1:{closed}" in line for line in tries), tries
    waits = [int(re.search(r"trying again in (\d+) s", line)[1]) for line in tries]  # type: ignore[index]
    assert waits[:3] == [1, 2, 4], tries


def test_a_failure_as_polling_starts_is_retried_too(tmp_path: Path) -> None:
    """getMe answered, then deleteWebhook (long polling's first call) meets a 502."""
    from tests.loopback_api import LoopbackBotAPI

    with LoopbackBotAPI() as api:
        api.fail("deleteWebhook", 502, "Bad Gateway")
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("TELEGRAM_", "BOT_", "DATABASE_URL", "PORT", "SENTRY_"))}
        env.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_BASE_URL=api.base_url,
                   BOT_DATABASE=str(tmp_path / "bot.sqlite3"))
        log_path = tmp_path / "stderr.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen([sys.executable, "-m", "bot"], cwd=ROOT, env=env,
                                       stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        try:
            api.push_message("/help", chat_id=7301)
            answered = api.wait_for(lambda calls: any(c.chat_id == 7301 for c in calls), 20)
            assert [c.method for c in answered].count("deleteWebhook") == 2  # failed, then ok
            process.send_signal(signal.SIGTERM)
            assert process.wait(10) == 0
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    text = log_path.read_text(errors="replace")
    assert "Traceback" not in text, text
    assert text.count("cannot be reached (Bad Gateway); trying again in 1 s") == 1, text
