"""The local shell: the real application on the offline Bot API, typed at from a terminal."""

from __future__ import annotations

import asyncio
import itertools
import sys
import time
from typing import Any, TextIO

from telegram import Update

from bot.app import build_application, running
from bot.config import Settings
from bot.library.model import Library
from bot.library.numbers import whole_number
from bot.telegram.html import to_plain
from bot.telegram.offline import ApiCall, OfflineBotAPI

SHELL_CHAT_ID = 424242
BANNER = """\
Local shell: you are chatting with the bot offline; nothing leaves this machine.
Type a message or a /command. Buttons are numbered: type a number to press one.
Ctrl-D quits. To run on Telegram for real, get a token from @BotFather and start:
    TELEGRAM_BOT_TOKEN=123456:ABC... python -m bot
"""


class Transcript:
    """Prints what the bot sends and remembers the buttons, so a number can press one."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.buttons: list[dict[str, Any]] = []
        self.button_message: dict[str, Any] | None = None

    def show(self, call: ApiCall) -> None:
        if call.method == "answerCallbackQuery" and call.params.get("text"):
            # On a phone a short pop-up over the chat (a "thanks, noted" after 👎, say).
            self.out.write(f"── bot (pop-up): {call.params['text']}\n\n")
            self.out.flush()
            return
        if call.method not in ("sendMessage", "editMessageText", "sendPhoto", "sendDocument"):
            return
        marker = {"editMessageText": " (edited)", "sendPhoto": " (picture)",
                  "sendDocument": " (a file)"}.get(call.method, "")
        lines = [f"── bot{marker} " + "─" * 40, to_plain(call.text).strip()]
        flat = [b for row in call.buttons for b in row]
        for number, button in enumerate(flat, start=1):
            lines.append(f"  [{number}] {button['text']}")
        for key in call.keys:  # a reply keyboard: shown, but a terminal has no location
            lines.append(f"  (keyboard) {key['text']}"
                         + (": on a phone this shares a location" if key.get("request_location")
                            else ""))
        self.out.write("\n".join(lines) + "\n\n")
        self.out.flush()
        if flat:
            self.buttons = flat
            self.button_message = call.result if isinstance(call.result, dict) else None


async def run_shell(settings: Settings, library: Library, *, first_name: str = "Friend",
                    stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    source = stdin or sys.stdin
    out = stdout or sys.stdout
    transcript = Transcript(out)
    api = OfflineBotAPI(on_call=transcript.show)
    app = build_application(settings, library, request=api)
    user = {"id": SHELL_CHAT_ID, "is_bot": False, "first_name": first_name, "language_code": "en"}
    chat = {"id": SHELL_CHAT_ID, "type": "private", "first_name": first_name}
    update_ids = itertools.count(1)
    interactive = source.isatty()
    out.write(BANNER + "\n")
    out.flush()
    async with running(app):
        while True:
            if interactive:
                out.write("you> ")
                out.flush()
            line = await asyncio.to_thread(source.readline)
            if not line:
                break
            text = line.rstrip("\r\n")
            if not interactive:
                out.write(f"you> {text}\n")
            pressed = _press(transcript, text, user)
            if pressed == {}:
                continue  # a link button: nothing reaches the bot
            payload = pressed or _message(text, user, chat)
            payload["update_id"] = next(update_ids)
            await app.process_update(Update.de_json(payload, app.bot))
    return 0


def _press(transcript: Transcript, text: str, user: dict[str, Any]) -> dict[str, Any] | None:
    """A number that names a shown button becomes a button press ({} for a link button)."""
    number = whole_number(text.strip())
    if number is None or not 1 <= number <= len(transcript.buttons) \
            or transcript.button_message is None:
        return None
    button = transcript.buttons[number - 1]
    if "callback_data" not in button:
        label = button.get("url") or button.get("switch_inline_query") or ""
        transcript.out.write(f"(that button opens {label or 'something outside this chat'})\n\n")
        return {}
    return {
        "callback_query": {
            "id": str(time.monotonic_ns()),
            "from": user,
            "chat_instance": "shell",
            "data": button["callback_data"],
            "message": transcript.button_message,
        }
    }


def _message(text: str, user: dict[str, Any], chat: dict[str, Any]) -> dict[str, Any]:
    message: dict[str, Any] = {
        "message_id": int(time.monotonic_ns() % 1_000_000_000),
        "date": int(time.time()),
        "chat": chat,
        "from": user,
        "text": text,
    }
    if text.startswith("/"):
        command = text.split()[0]
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    return {"message": message}

