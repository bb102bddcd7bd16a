"""The local shell: the real application on the offline Bot API, typed at from a terminal."""

from __future__ import annotations

import asyncio
import itertools
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from telegram import Update

from bot.app import build_application, running
from bot.config import Settings
from bot.library.model import Library
from bot.telegram.html import to_plain
from bot.telegram.offline import ApiCall, OfflineBotAPI

SHELL_CHAT_ID = 424242
BANNER = """\
Local shell: you are chatting with the bot offline; nothing leaves this machine.
Type a message or a /command. The bot's messages are numbered, and so are their buttons:
type 2 to press button 2 of the latest message with buttons, or 3.2 for button 2 of message 3.
Pictures and files the bot sends are saved in {files}/ (the path is shown under each).
Ctrl-D quits. To run on Telegram for real, get a token from @BotFather and start:
    TELEGRAM_BOT_TOKEN=123456:ABC... python -m bot
"""
# "2" presses button 2 of the latest message with buttons, "3.2" button 2 of message 3.
# ASCII digits only, and few: a "²" or a pasted number is text for the bot.
_BUTTON = re.compile(r"^(?:([0-9]{1,6})\.)?([0-9]{1,3})$")
_UNSAFE = re.compile(r"[^\w.-]+")


@dataclass
class Shown:
    """A message as the shell showed it last (an edit replaces it): what its buttons press."""
    buttons: list[dict[str, Any]]
    message: dict[str, Any] | None


class Transcript:
    """Prints what the bot sends, numbered, saves its pictures and files, and remembers each
    message's buttons, so that "2" or "3.2" can press one."""

    def __init__(self, out: TextIO, files: Path) -> None:
        self.out = out
        self.files = files  # where pictures and files are saved
        self.shown: dict[int, Shown] = {}  # by the number printed above each message
        self.latest: int | None = None  # the latest message with buttons
        self._numbers: dict[int, int] = {}  # Telegram's message id -> the number printed

    def show(self, call: ApiCall) -> None:
        if call.method == "answerCallbackQuery" and call.params.get("text"):
            # On a phone a short pop-up over the chat (a "thanks, noted" after 👎, say).
            self.out.write(f"── bot (pop-up): {call.params['text']}\n\n")
            self.out.flush()
            return
        if call.method not in ("sendMessage", "editMessageText", "sendPhoto", "sendDocument"):
            return
        message = call.result if isinstance(call.result, dict) else None
        telegram_id = message.get("message_id") if message else None
        edited = call.method == "editMessageText"
        number = self._numbers.get(telegram_id) if edited and telegram_id is not None else None
        if number is None:
            number = len(self.shown) + 1
            if telegram_id is not None:
                self._numbers[telegram_id] = number
        marker = " (edited)" if edited else {"sendPhoto": " (picture)",
                                             "sendDocument": " (a file)"}.get(call.method, "")
        head = f"── bot · message {number}{marker} "
        # Where a phone shows the picture or the file: above its caption.
        lines = [head + "─" * max(8, 52 - len(head)), *self._save(call, number),
                 to_plain(call.text).strip()]
        flat = [b for row in call.buttons for b in row]
        for index, button in enumerate(flat, start=1):
            lines.append(f"  [{index}] {button['text']}")
        for key in call.keys:  # a reply keyboard: shown, but a terminal has no location
            lines.append(f"  (keyboard) {key['text']}"
                         + (": on a phone this shares a location" if key.get("request_location")
                            else ""))
        self.out.write("\n".join(lines) + "\n\n")
        self.out.flush()
        self.shown[number] = Shown(flat, message)
        if flat:
            self.latest = number

    def _save(self, call: ApiCall, number: int) -> list[str]:
        """Each picture or file the message carries, written to `files`: its path, to open.
        A terminal cannot show a chart, and /mydata's file is the point of /mydata."""
        lines = []
        for field_name, content in call.files.items():
            name = _file_name(call.file_names.get(field_name, field_name), content)
            path = self.files / f"message-{number}-{name}"
            try:
                self.files.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)
            except OSError as exc:
                lines.append(f"  (could not save it as {path}: {exc.strerror or exc})")
                continue
            lines.append(f"  📎 saved: {path}")
        if call.method == "sendPhoto" and not call.files:
            lines.append("  (a picture Telegram holds, sent by its id: the shell has no copy)")
        return lines


def _file_name(name: str, content: bytes) -> str:
    """A file name to save an upload under. PTB names a picture sent as bytes
    'application.octet-stream': it is named by what it is."""
    if content.startswith(b"\x89PNG"):
        return "picture.png"
    if content.startswith(b"\xff\xd8\xff"):
        return "picture.jpg"
    return _UNSAFE.sub("-", Path(name).name).strip(".-") or "file"


def files_folder(settings: Settings) -> Path:
    """Beside the database: bot-shell.sqlite3's files go in bot-shell-files/."""
    database = settings.database.absolute()
    return database.parent / f"{database.stem}-files"


async def run_shell(settings: Settings, library: Library, *, first_name: str = "Friend",
                    stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    source = stdin or sys.stdin
    out = stdout or sys.stdout
    transcript = Transcript(out, files_folder(settings))
    api = OfflineBotAPI(on_call=transcript.show)
    app = build_application(settings, library, request=api)
    user = {"id": SHELL_CHAT_ID, "is_bot": False, "first_name": first_name, "language_code": "en"}
    chat = {"id": SHELL_CHAT_ID, "type": "private", "first_name": first_name}
    update_ids = itertools.count(1)
    interactive = source.isatty()
    out.write(BANNER.format(files=transcript.files) + "\n")
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
    """"2" (the latest message with buttons) or "3.2" (message 3) that names a shown button
    becomes a button press ({} for a link button); None when it names none, so the bot reads
    it (and says there is no such button)."""
    match = _BUTTON.match(text.strip())
    if match is None:
        return None
    number = int(match[1]) if match[1] else transcript.latest
    shown = transcript.shown.get(number) if number is not None else None
    index = int(match[2])
    if shown is None or shown.message is None or not 1 <= index <= len(shown.buttons):
        return None
    button = shown.buttons[index - 1]
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
            "message": shown.message,
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

