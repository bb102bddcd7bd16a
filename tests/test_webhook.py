"""Webhook mode, end to end: the real `python -m bot webhook` process, the loopback Bot API as
Telegram, and real HTTP posts to the bot's own port, with and without the secret header."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from telegram import Update

from bot.library.model import Library
from bot.library.render import Renderer
from bot.telegram.html import to_plain
from tests.loopback_api import LoopbackBotAPI

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:TEST-webhook-token"
SECRET = "webhook-secret-0123456789_abc"
PUBLIC_URL = "https://bot.example.org/telegram/updates"
HEADER = "X-Telegram-Bot-Api-Secret-Token"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def bot_env(api: LoopbackBotAPI, database: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TELEGRAM_", "BOT_", "DATABASE_URL", "PORT", "SENTRY_"))}
    env.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_BASE_URL=api.base_url,
               TELEGRAM_BASE_FILE_URL=api.base_file_url, BOT_DATABASE=str(database), **extra)
    return env


def update(update_id: int, chat_id: int, text: str) -> dict[str, Any]:
    """A Telegram update as Telegram posts it."""
    person = {"id": chat_id, "is_bot": False, "first_name": "Ana", "language_code": "en"}
    message: dict[str, Any] = {
        "message_id": update_id, "date": int(time.time()), "text": text, "from": person,
        "chat": {"id": chat_id, "type": "private", "first_name": "Ana"}}
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0,
                                "length": len(text.split()[0])}]
    return {"update_id": update_id, "message": message}


@dataclass
class WebhookBot:
    api: LoopbackBotAPI
    process: subprocess.Popen[bytes]
    log_path: Path
    port: int
    disclaimer: str

    @property
    def hook(self) -> str:
        return f"http://127.0.0.1:{self.port}/telegram/updates"

    def post(self, body: dict[str, Any] | bytes, secret: str | None = SECRET) -> int:
        headers = {HEADER: secret} if secret is not None else {}
        if isinstance(body, bytes):
            answer = httpx.post(self.hook, content=body, headers=headers, timeout=10)
        else:
            answer = httpx.post(self.hook, json=body, headers=headers, timeout=10)
        return answer.status_code

    def replies(self, chat_id: int) -> list[Any]:
        return [c for c in self.api.calls if c.method == "sendMessage" and c.chat_id == chat_id]


@pytest.fixture(scope="module")
def hooked(tmp_path_factory: pytest.TempPathFactory, library: Library) -> Iterator[WebhookBot]:
    tmp = tmp_path_factory.mktemp("webhook")
    api = LoopbackBotAPI().start()
    port = free_port()
    env = bot_env(api, tmp / "bot.sqlite3", BOT_WEBHOOK_URL=PUBLIC_URL,
                  BOT_WEBHOOK_SECRET=SECRET, PORT=str(port), BOT_LISTEN="127.0.0.1")
    log_path = tmp / "stderr.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "bot", "webhook"], cwd=ROOT, env=env,
                                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=log)
    disclaimer = Renderer(ROOT / "content" / "templates", library).disclaimer
    running = WebhookBot(api, process, log_path, port, disclaimer)
    try:
        try:
            api.wait_for(lambda calls: any(c.method == "setWebhook" for c in calls), 20)
        except TimeoutError:
            pytest.fail(f"the bot did not start:\n{log_path.read_text(errors='replace')}")
        yield running
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        api.stop()


def test_it_tells_telegram_where_to_post_with_the_secret(hooked: WebhookBot) -> None:
    [call] = [c for c in hooked.api.calls if c.method == "setWebhook"]
    assert call.params["url"] == PUBLIC_URL
    assert call.params["secret_token"] == SECRET
    assert call.params["allowed_updates"] == list(Update.ALL_TYPES)
    assert not any(c.method in ("getUpdates", "deleteWebhook") for c in hooked.api.calls)


def test_an_update_without_the_secret_is_refused_and_never_answered(hooked: WebhookBot) -> None:
    chat = 8101
    assert hooked.post(update(101, chat, "/help"), secret=None) == 403
    assert hooked.post(update(102, chat, "/help"), secret="not-the-secret-at-all") == 403
    assert hooked.post(update(103, chat, "/help"), secret=SECRET[:-1]) == 403
    # The same chat's updates are handled in order: once this one is answered, any refused
    # one would have been too.
    assert hooked.post(update(104, chat, "/about")) == 200
    hooked.api.wait_for(lambda calls: any(c.chat_id == chat for c in calls), timeout=10)
    time.sleep(0.3)
    [answer] = hooked.replies(chat)
    assert "About this bot" in to_plain(answer.text)


def test_an_update_with_the_secret_is_answered(hooked: WebhookBot) -> None:
    chat = 8102
    assert hooked.post(update(201, chat, "/start")) == 200
    hooked.api.wait_for(lambda calls: any(c.chat_id == chat for c in calls), timeout=10)
    [welcome] = hooked.replies(chat)
    assert to_plain(welcome.text).startswith("Hi Ana!")
    assert welcome.text.rstrip().endswith(hooked.disclaimer)


def test_a_body_that_is_not_an_update_is_a_400(hooked: WebhookBot) -> None:
    assert hooked.post(b"{not json") == 400
    assert hooked.post(b"{not json", secret=None) == 403  # the secret is checked first


def test_health_is_on_the_same_port(hooked: WebhookBot) -> None:
    answer = httpx.get(f"http://127.0.0.1:{hooked.port}/healthz", timeout=10)
    assert answer.status_code == 200
    shown = answer.json()
    assert shown["store"] == "ok"
    assert shown["outbox_backlog"] == 0
    assert 0 <= shown["sender_last_cycle_age_s"] < 60
    assert shown["problems"] == []


def test_sigterm_stops_it_cleanly_and_the_secrets_never_reach_its_log(
        hooked: WebhookBot) -> None:
    """Runs last: it stops the module's bot."""
    hooked.process.send_signal(signal.SIGTERM)
    assert hooked.process.wait(15) == 0
    log = hooked.log_path.read_text(errors="replace")
    assert "Traceback" not in log, log
    assert "webhook set" in log
    assert TOKEN.split(":")[1] not in log and SECRET not in log
    assert log.count("refused a webhook request") == 1  # a burst is one line


@pytest.mark.parametrize(("extra", "variable"), [
    ({}, "BOT_WEBHOOK_URL"),
    ({"BOT_WEBHOOK_URL": PUBLIC_URL}, "BOT_WEBHOOK_SECRET"),
    ({"BOT_WEBHOOK_URL": PUBLIC_URL, "BOT_WEBHOOK_SECRET": "short"}, "BOT_WEBHOOK_SECRET"),
    ({"BOT_WEBHOOK_URL": PUBLIC_URL, "BOT_WEBHOOK_SECRET": SECRET, "PORT": "http"}, "PORT"),
])
def test_webhook_mode_without_what_it_needs_is_one_line(tmp_path: Path, extra: dict[str, str],
                                                         variable: str) -> None:
    with LoopbackBotAPI() as api:
        env = bot_env(api, tmp_path / "bot.sqlite3", **extra)
        result = subprocess.run([sys.executable, "-m", "bot", "webhook"], cwd=ROOT, env=env,
                                stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                timeout=60)
        assert api.calls == []  # stopped before talking to Telegram
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"error: {variable}: ")
    assert "short" not in result.stderr  # a secret is never echoed, not even a bad one


def test_telegram_refusing_the_address_is_one_line(tmp_path: Path) -> None:
    with LoopbackBotAPI() as api:
        api.fail("setWebhook", 400, "Bad Request: bad webhook: Failed to resolve host")
        env = bot_env(api, tmp_path / "bot.sqlite3", BOT_WEBHOOK_URL=PUBLIC_URL,
                      BOT_WEBHOOK_SECRET=SECRET, PORT=str(free_port()), BOT_LISTEN="127.0.0.1")
        result = subprocess.run([sys.executable, "-m", "bot", "webhook"], cwd=ROOT, env=env,
                                stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                timeout=60)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert lines == ["error: BOT_WEBHOOK_URL: Telegram refused it "
                     "(Bad webhook: failed to resolve host)"], result.stderr
