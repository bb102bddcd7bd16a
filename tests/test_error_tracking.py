"""Sentry gets where the code failed, never what people wrote or the token: the scrubbing on
an event as Sentry builds it, then the real sentry-sdk in a child process sending to a
loopback "Sentry" that records what arrives."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from bot.error_tracking import scrub

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "7123456789:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0"
WORDS = "my baby's rash is weeping and I'm scared"


def event_as_sentry_builds_it() -> dict[str, Any]:
    """What sentry-sdk's logging integration sends for log.error(..., exc_info=...) from the
    error handler, had local variables and request bodies been switched on."""
    update = {"update_id": 5, "message": {"message_id": 9, "text": WORDS,
                                          "chat": {"id": 5550001, "type": "private"}}}
    return {
        "level": "error", "logger": "bot.handlers.errors", "platform": "python",
        "logentry": {"message": "error while handling %s",
                     "params": ["message 5 in chat 5550001"],
                     "formatted": "error while handling message 5 in chat 5550001"},
        "exception": {"values": [{
            "type": "BadRequest", "module": "telegram.error",
            "value": f"Can't parse entities at https://api.telegram.org/bot{TOKEN}/sendMessage",
            "mechanism": {"type": "logging", "handled": True},
            "stacktrace": {"frames": [
                {"function": "on_text", "module": "bot.handlers.text", "lineno": 40,
                 "vars": {"update": update, "text": WORDS, "context": "<CallbackContext>"}},
                {"function": "send_message", "module": "telegram._bot", "lineno": 900,
                 "vars": {"text": WORDS, "self": f"<ExtBot token={TOKEN}>"}},
            ]}}]},
        "breadcrumbs": {"values": [
            {"type": "http", "category": "httplib", "level": "info",
             "data": {"url": f"https://api.telegram.org/bot{TOKEN}/getUpdates",
                      "method": "POST"}},
            {"type": "log", "category": "bot.telegram.send", "level": "info",
             "message": f"flood control on a reply at /bot{TOKEN}/sendMessage",
             "data": {"text": WORDS}},
        ]},
        "request": {"url": "http://127.0.0.1:8080/telegram", "method": "POST",
                    "data": json.dumps(update), "headers": {
                        "X-Telegram-Bot-Api-Secret-Token": "the-webhook-secret"}},
        "extra": {"update": update, "sys.argv": ["python", "-m", "bot"]},
        "user": {"id": "5550001"},
        "contexts": {"runtime": {"name": "CPython", "version": "3.11.7"}},
    }


def test_the_scrubbed_event_keeps_where_it_failed_and_nothing_people_wrote() -> None:
    event = event_as_sentry_builds_it()
    cleaned = scrub(event, TOKEN)
    sent = json.dumps(cleaned)
    assert "weeping" not in sent and "baby" not in sent
    assert TOKEN not in sent and TOKEN.split(":")[1] not in sent
    assert "the-webhook-secret" not in sent and "update_id" not in sent
    # What it is for stays: the log line, the error's kind, the code's path.
    assert cleaned["logentry"]["formatted"] == "error while handling message 5 in chat 5550001"
    [error] = cleaned["exception"]["values"]
    assert error["type"] == "BadRequest"
    assert error["value"] == "Can't parse entities at https://api.telegram.org/bot<redacted>" \
                             "/sendMessage"
    assert [f["function"] for f in error["stacktrace"]["frames"]] == ["on_text", "send_message"]
    assert all("vars" not in f for f in error["stacktrace"]["frames"])
    assert [c.get("message") for c in cleaned["breadcrumbs"]["values"]] == [
        None, "flood control on a reply at /bot<redacted>/sendMessage"]
    assert "request" not in cleaned and "extra" not in cleaned and "user" not in cleaned
    assert cleaned["contexts"]["runtime"]["name"] == "CPython"
    assert event["exception"]["values"][0]["stacktrace"]["frames"][0]["vars"]  # a copy


def test_any_bot_token_is_redacted_not_only_ours() -> None:
    other = "5550001234:AAE-another-bots-token_abcdefghijk"
    cleaned = scrub({"message": f"config had {other}"}, TOKEN)
    assert cleaned == {"message": "config had <redacted>"}


class _Sentry(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        self.received.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def sentry() -> Iterator[tuple[str, list[bytes]]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Sentry)
    _Sentry.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://publickey@127.0.0.1:{server.server_address[1]}/42", _Sentry.received
    finally:
        server.shutdown()
        server.server_close()


CHILD = """
import logging, sys
import sentry_sdk
from bot.error_tracking import start_error_tracking
from bot.logging_setup import configure_logging

dsn, token, words = sys.argv[1:4]
configure_logging(token)
start_error_tracking(dsn, token)
log = logging.getLogger("bot.handlers.errors")

def on_text(update):
    text = update["message"]["text"]
    raise RuntimeError(f"could not send to https://api.telegram.org/bot{token}/sendMessage")

log.info("polling https://api.telegram.org/bot%s/getUpdates", token)
try:
    on_text({"update_id": 5, "message": {"text": words}})
except RuntimeError:
    log.exception("error while handling message 5 in chat 5550001")
sentry_sdk.flush(10)
"""


def test_the_real_sdk_sends_the_error_without_text_or_token(
        sentry: tuple[str, list[bytes]]) -> None:
    dsn, received = sentry
    result = subprocess.run([sys.executable, "-c", CHILD, dsn, TOKEN, WORDS], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert received, "nothing reached the loopback Sentry"
    sent = b"\n".join(received).decode()
    assert "RuntimeError" in sent and "error while handling message 5 in chat 5550001" in sent
    assert "on_text" in sent  # the stack's function names
    assert "weeping" not in sent and TOKEN.split(":")[1] not in sent
    assert "bot<redacted>/sendMessage" in sent
    assert TOKEN.split(":")[1] not in result.stderr  # the log line stays redacted too
