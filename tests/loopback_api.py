"""A fake Telegram Bot API on 127.0.0.1, so the real bot process can be run end to end.

bot/offline.py answers PTB inside the process; this sibling speaks HTTP, so httpx, long
polling, signals and logging all run as they would against Telegram. It is a minimal
HTTP/1.1 server on asyncio streams in one background thread (keep-alive, Content-Length
bodies, no thread per request): ~20,000 requests/s on loopback, ample for a benchmark.

Faults come one by one (`fail`, `stall`, `block`) or as a seeded mix at a rate (`chaos`):
429, 403, 400, 5xx, a gateway's HTML page, timeouts, dropped connections and slow answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import random
import re
import threading
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from bot.telegram.offline import BOT_USER

REPLY_METHODS = frozenset({"sendMessage", "sendPhoto", "sendDocument", "editMessageText"})
_MESSAGE_METHODS = REPLY_METHODS | {"editMessageCaption"}
# Form values that stay strings even when they look like JSON ("123", "true", "[1]").
_TEXT_KEYS = frozenset({"text", "caption", "callback_query_id", "inline_query_id", "title",
                        "description", "short_description", "name", "url", "parse_mode"})
_TAG = re.compile(r"<[^>]+>")
USER_ID = 5550001  # the default person, as in tests/harness.py


@dataclass
class Call:
    method: str
    params: dict[str, Any]  # JSON inside form fields already decoded; uploads are byte counts
    time: float  # time.monotonic() on arrival
    status: int = 200  # the HTTP status it was answered with
    result: Any = None
    fault: str = ""  # the chaos fault it met, if any ("timeout", "drop", "slow", "429"...)

    @property
    def chat_id(self) -> int | None:
        raw = self.params.get("chat_id")
        return int(raw) if isinstance(raw, int) or str(raw).lstrip("-").isdigit() else None

    @property
    def text(self) -> str:
        return str(self.params.get("text") or self.params.get("caption") or "")

    @property
    def buttons(self) -> list[list[dict[str, Any]]]:
        markup = self.params.get("reply_markup")
        return list(markup.get("inline_keyboard", [])) if isinstance(markup, dict) else []


@dataclass
class _Fault:
    method: str
    chat_id: int | None
    times: int
    status: int = 0
    description: str = ""
    parameters: dict[str, Any] = field(default_factory=dict)
    delay: float = 0.0  # a stall rather than an error
    page: bool = False  # answer with a gateway's HTML page instead of JSON
    drop: bool = False  # close the connection without answering (after handling the call)
    kind: str = ""  # the chaos kind, for counting


FAULT_KINDS = ("429", "403", "400", "500", "502page", "timeout", "drop", "slow")
GATEWAY_PAGE = (b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
                b"</body>\r\n</html>\r\n")


@dataclass
class FaultMix:
    """A share of matching calls meets one of `kinds`, chosen by a seeded RNG.

    A timeout stalls past the client's read timeout and then handles the call anyway (the
    message lands although the bot never hears so), as Telegram does; a dropped connection also
    handles the call first; a slow answer stalls below the timeout.
    """

    rate: float
    kinds: Sequence[str] = FAULT_KINDS
    methods: frozenset[str] = frozenset({"sendMessage", "sendPhoto"})
    chats: Callable[[int | None], bool] | None = None  # which chats; None for all
    seed: int = 1
    retry_after: int = 1
    timeout_seconds: float = 6.0  # the bot's read timeout is 5 s
    slow_seconds: float = 1.0

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    def pick(self, method: str, chat_id: int | None) -> _Fault | None:
        if method not in self.methods or (self.chats is not None and not self.chats(chat_id)):
            return None
        if self._rng.random() >= self.rate:
            return None
        kind = self._rng.choice(list(self.kinds))
        if kind == "429":
            return _Fault(method, chat_id, 1, 429,
                          f"Too Many Requests: retry after {self.retry_after}",
                          {"retry_after": self.retry_after}, kind=kind)
        if kind == "403":
            return _Fault(method, chat_id, 1, 403, "Forbidden: bot was blocked by the user",
                          kind=kind)
        if kind == "400":
            return _Fault(method, chat_id, 1, 400, "Bad Request: message is too long", kind=kind)
        if kind == "500":
            return _Fault(method, chat_id, 1, 500, "Internal Server Error", kind=kind)
        if kind == "502page":
            return _Fault(method, chat_id, 1, 502, "Bad Gateway", page=True, kind=kind)
        if kind == "timeout":
            return _Fault(method, chat_id, 1, delay=self.timeout_seconds, kind=kind)
        if kind == "drop":
            return _Fault(method, chat_id, 1, drop=True, kind=kind)
        if kind == "slow":
            return _Fault(method, chat_id, 1, delay=self.slow_seconds, kind=kind)
        raise ValueError(f"unknown fault kind {kind!r}")


def _is_send(method: str) -> bool:
    """A new message: what Telegram's flood limits count (edits and chat actions are not)."""
    return method.startswith(("send", "copy", "forward")) and method != "sendChatAction"


class LoopbackBotAPI:
    """Records every call but getUpdates, answers like Telegram, fails on cue. Thread-safe."""

    def __init__(self, *, enforce_limits: bool = False,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.enforce_limits = enforce_limits
        self.clock = clock  # arrival times; a test can freeze it to judge limits exactly
        self.calls: list[Call] = []
        self.rejected_429 = 0
        self.send_times: list[float] = []  # accepted sends (monotonic), for achieved rates
        self.port = 0
        self._cond = threading.Condition()  # guards the state below and wakes wait_for()
        self._updates: list[dict[str, Any]] = []
        self._next_update_id = 1
        self._next_id = 1  # message ids and callback query ids
        self._faults: list[_Fault] = []
        self._mix: FaultMix | None = None
        self._on_ack: list[tuple[int, Callable[[], object]]] = []
        self.injected: Counter[str] = Counter()  # chaos faults met, by kind
        self.arrived: Counter[str] = Counter()  # requests by method, counted on arrival
        self.pages_served = 0  # HTML error pages answered
        self.administrators: dict[int, set[int]] = {}  # chat id -> its admins (getChatMember)
        self._blocked: set[int] = set()
        self._last_message: dict[int, dict[str, Any]] = {}  # chat id -> the bot's latest
        self._recent_all: deque[float] = deque()
        self._recent_chat: defaultdict[int, deque[float]] = defaultdict(deque)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._closing = False

    # --- lifecycle: a private loop in a thread, so sync and async tests can both use it ---
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    def start(self) -> LoopbackBotAPI:
        """Return once the socket is listening."""
        ready = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._serve(ready)),
                                        name="loopback-bot-api", daemon=True)
        self._thread.start()
        if not ready.wait(10) or not self.port:
            raise RuntimeError("the loopback Bot API did not start")
        return self

    def stop(self) -> None:
        """Answer pending long polls, close every connection, end the thread and its loop."""
        if self._thread is None or self._loop is None:
            return
        self._loop.call_soon_threadsafe(self._stopping.set)
        self._thread.join(10)
        self._thread = self._loop = None

    def __enter__(self) -> LoopbackBotAPI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def __aenter__(self) -> LoopbackBotAPI:
        return await asyncio.to_thread(self.start)

    async def __aexit__(self, *exc: object) -> None:
        await asyncio.to_thread(self.stop)

    async def _serve(self, ready: threading.Event) -> None:
        self._stopping, self._new_update = asyncio.Event(), asyncio.Event()
        self._closing = False
        connections: dict[asyncio.Task[Any], asyncio.StreamWriter] = {}

        async def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            task = asyncio.current_task()
            assert task is not None
            connections[task] = writer
            try:
                await self._connection(reader, writer)
            finally:
                del connections[task]
                writer.close()

        server = await asyncio.start_server(on_connect, "127.0.0.1", 0)
        self.port = server.sockets[0].getsockname()[1]
        self._loop = asyncio.get_running_loop()
        ready.set()
        async with server:
            await self._stopping.wait()
            self._closing = True
            self._new_update.set()  # long polls answer at once; stalls wake on _stopping
            server.close()
            await asyncio.sleep(0.02)  # let those answers go out
            # Closing the sockets ends each handler's read cleanly; cancelling the handlers
            # instead makes Python 3.11's streams log a spurious CancelledError for each.
            for writer in connections.values():
                writer.close()
            if connections:
                await asyncio.wait(connections, timeout=2)

    # --- scripting (from any thread) -----------------------------------------------------
    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update for getUpdates; update_id is the next one unless given."""
        with self._cond:
            update = {"update_id": self._next_update_id, **update}
            self._next_update_id = max(self._next_update_id, update["update_id"] + 1)
            self._updates.append(update)
        # Wake long polls; before start() or after stop() the queue simply keeps it.
        with contextlib.suppress(AttributeError, RuntimeError):
            self._loop.call_soon_threadsafe(self._new_update.set)  # type: ignore[union-attr]
        return update

    def push_message(self, text: str, *, chat_id: int = USER_ID, user_id: int | None = None,
                     first_name: str = "Sam", chat_type: str | None = None) -> dict[str, Any]:
        """A person writes `text`; chat_type defaults to private (id > 0) or supergroup."""
        kind = chat_type or _chat_type(chat_id)
        chat = {"id": chat_id, "type": kind,
                **({"first_name": first_name} if kind == "private" else {"title": "Group"})}
        message = {"message_id": self._new_id(), "date": int(time.time()), "chat": chat,
                   "from": _user(chat_id, user_id, first_name), "text": text}
        if text.startswith("/"):  # Telegram marks commands; PTB's CommandHandler needs it
            message["entities"] = [{"type": "bot_command", "offset": 0,
                                    "length": len(text.split()[0])}]
        return self.push_update({"message": message})

    def push_callback(self, data: str, *, chat_id: int = USER_ID, message_id: int | None = None,
                      user_id: int | None = None, first_name: str = "Sam") -> dict[str, Any]:
        """A person presses a button, by default on the bot's latest message in that chat."""
        with self._cond:
            message = self._last_message.get(chat_id)
        if message is None or message_id not in (None, message["message_id"]):
            message = {"message_id": message_id or 1, "date": int(time.time()),
                       "from": BOT_USER, "chat": {"id": chat_id, "type": _chat_type(chat_id)}}
        query = {"id": str(self._new_id()), "chat_instance": str(chat_id), "data": data,
                 "from": _user(chat_id, user_id, first_name), "message": message}
        return self.push_update({"callback_query": query})

    def fail(self, method: str, status: int, description: str, *, times: int = 1,
             chat_id: int | None = None, retry_after: int | None = None,
             migrate_to: int | None = None) -> None:
        """The next `times` calls of `method` (to `chat_id`, if given) get this error."""
        parameters = {k: v for k, v in (("retry_after", retry_after),
                                        ("migrate_to_chat_id", migrate_to)) if v is not None}
        with self._cond:
            self._faults.append(_Fault(method, chat_id, times, status, description, parameters))

    def fail_with_page(self, method: str, status: int = 502, *, times: int = 1,
                       chat_id: int | None = None) -> None:
        """The next `times` calls get a gateway's HTML error page, not the Bot API's JSON."""
        with self._cond:
            self._faults.append(_Fault(method, chat_id, times, status, "Bad Gateway", page=True))

    def pending_updates(self) -> int:
        """Updates pushed and not yet acknowledged by a later getUpdates."""
        with self._cond:
            return len(self._updates)

    @property
    def next_update_id(self) -> int:
        with self._cond:
            return self._next_update_id

    def when_acknowledged(self, update_id: int, action: Callable[[], object]) -> None:
        """Run `action` (e.g. kill the bot) once a getUpdates acknowledges `update_id`, before
        answering it: the moment Telegram forgets an update the bot may not have handled."""
        with self._cond:
            self._on_ack.append((update_id, action))

    def chaos(self, mix: FaultMix | None) -> None:
        """From now on a share of calls meets faults (None: no more)."""
        with self._cond:
            self._mix = mix

    def stall(self, method: str, seconds: float, *, times: int = 1,
              chat_id: int | None = None) -> None:
        """Answer the next `times` calls only after `seconds`, to trip client timeouts."""
        with self._cond:
            self._faults.append(_Fault(method, chat_id, times, delay=seconds))

    def block(self, chat_id: int) -> None:
        """From now on every send or edit to this chat is refused, as after a user blocks us."""
        with self._cond:
            self._blocked.add(chat_id)

    # --- inspection ----------------------------------------------------------------------
    def sent(self, chat_id: int | None = None) -> list[Call]:
        """Messages that landed (sent or edited, answered ok), optionally in one chat."""
        with self._cond:
            return [c for c in self.calls if c.method in REPLY_METHODS and c.status == 200
                    and (chat_id is None or c.chat_id == chat_id)]

    def wait_for(self, predicate: Callable[[list[Call]], bool],
                 timeout: float = 5.0) -> list[Call]:
        """Block until predicate(calls) holds and return those calls; TimeoutError if not."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate(calls := list(self.calls)):
                if (remaining := deadline - time.monotonic()) <= 0:
                    raise TimeoutError(f"not seen in {len(calls)} calls within {timeout} s")
                self._cond.wait(remaining)
            return calls

    async def wait_for_async(self, predicate: Callable[[list[Call]], bool],
                             timeout: float = 5.0) -> list[Call]:
        # Polling keeps the caller's loop free and is cancel-safe; 5 ms is quick enough.
        deadline = time.monotonic() + timeout
        while not predicate(calls := list(self.calls)):
            if time.monotonic() >= deadline:
                raise TimeoutError(f"not seen in {len(calls)} calls within {timeout} s")
            await asyncio.sleep(0.005)
        return calls

    # --- HTTP ------------------------------------------------------------------------------
    async def _connection(self, reader: asyncio.StreamReader,
                          writer: asyncio.StreamWriter) -> None:
        while True:  # one request after another on a keep-alive connection
            try:
                lines = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
                target = urlsplit(lines[0].split(" ")[1])
                headers = {k.strip().lower(): v.strip()
                           for k, _, v in (line.partition(":") for line in lines[1:] if line)}
                length = int(headers.get("content-length") or 0)
                body = await reader.readexactly(length) if length else b""
            except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError,
                    IndexError, ValueError):
                return  # the client went away, or sent something we do not speak
            _, bot, method, *rest = target.path.split("/") + [""]
            if bot.startswith("bot") and method and not any(rest):
                params = _parse(headers.get("content-type", ""), body) if body else {}
                params.update(_decode(parse_qsl(target.query)))
                status, payload = await self._answer(method, params)
            else:  # e.g. /file/bot<token>/<path>: no files are served
                status, payload = 404, {"ok": False, "error_code": 404, "description": "Not Found"}
            if payload is None:
                return  # a dropped connection: no answer at all
            page = isinstance(payload, bytes)
            data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
            keep = headers.get("connection", "").lower() != "close"
            writer.write(b"HTTP/1.1 %d %s\r\nContent-Type: %s\r\n"
                         b"Content-Length: %d\r\nConnection: %s\r\n\r\n%s"
                         % (status, HTTPStatus(status).phrase.encode(),
                            b"text/html" if page else b"application/json", len(data),
                            b"keep-alive" if keep else b"close", data))
            try:
                await writer.drain()
            except ConnectionError:
                return  # e.g. the client gave up during a stall
            if not keep:
                return

    async def _answer(self, method: str, params: dict[str, Any]
                      ) -> tuple[int, dict[str, Any] | bytes | None]:
        """The status and JSON answer; bytes for an HTML page, None to drop the connection."""
        call = Call(method, params, self.clock())
        chat_id = call.chat_id
        with self._cond:
            self.arrived[method] += 1
            fault = self._take_fault(method, chat_id)
            if fault is None and self._mix is not None:
                fault = self._mix.pick(method, chat_id)
            if fault is not None and fault.kind:
                self.injected[fault.kind] += 1
                call.fault = fault.kind
        drop = fault is not None and fault.drop
        if fault is not None and fault.delay:
            with contextlib.suppress(TimeoutError):  # stop() cuts a stall short
                await asyncio.wait_for(self._stopping.wait(), fault.delay)
            fault = None
        if method == "getUpdates":
            if drop:
                return 200, None
            if fault is None:
                return 200, {"ok": True, "result": await self._get_updates(params)}
        if drop:
            fault = None
        with self._cond:
            if fault is None and chat_id in self._blocked and method.startswith(
                    ("send", "copy", "forward", "edit")):
                fault = _Fault(method, chat_id, 1, 403, "Forbidden: bot was blocked by the user")
            if fault is None and self.enforce_limits and _is_send(method) \
                    and not self._within_limits(chat_id or 0, call.time):
                self.rejected_429 += 1
                fault = _Fault(method, chat_id, 1, 429, "Too Many Requests: retry after 1",
                               {"retry_after": 1})
            if fault is None:
                call.result = self._result(method, params, chat_id or 0)
                if _is_send(method):
                    self.send_times.append(call.time)
                payload: dict[str, Any] = {"ok": True, "result": call.result}
            else:
                call.status = fault.status
                payload = {"ok": False, "error_code": fault.status,
                           "description": fault.description}
                if fault.parameters:
                    payload["parameters"] = fault.parameters
            if method != "getUpdates":
                self.calls.append(call)
            self._cond.notify_all()
        if drop:
            return call.status, None
        if fault is not None and fault.page:
            with self._cond:
                self.pages_served += 1
                self._cond.notify_all()
            return call.status, GATEWAY_PAGE
        return call.status, payload

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Long poll: forget updates below `offset`, wait up to `timeout` s for new ones."""
        offset, limit = int(params.get("offset") or 0), int(params.get("limit") or 100)
        with self._cond:
            due = [a for a in self._on_ack if a[0] < offset]
            self._on_ack = [a for a in self._on_ack if a[0] >= offset]
        for _, action in due:
            action()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + float(params.get("timeout") or 0)
        while True:
            self._new_update.clear()  # push_update's set() runs on this loop, so after this
            with self._cond:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                batch = self._updates[:limit]
            if batch or self._closing or (remaining := deadline - loop.time()) <= 0:
                return batch
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), remaining)

    def _take_fault(self, method: str, chat_id: int | None) -> _Fault | None:
        for fault in self._faults:
            if fault.method == method and fault.chat_id in (None, chat_id):
                fault.times -= 1
                if fault.times <= 0:
                    self._faults.remove(fault)
                return fault
        return None

    def _within_limits(self, chat_id: int, now: float) -> bool:
        """Telegram's flood limits over rolling windows: 30/s overall, 1/s to a private
        chat, 20/min to a group. Records the send when it is allowed."""
        per_chat = self._recent_chat[chat_id]
        window, most = (1.0, 1) if chat_id > 0 else (60.0, 20)
        for times, span in ((self._recent_all, 1.0), (per_chat, window)):
            while times and now - times[0] >= span:
                times.popleft()
        if len(self._recent_all) >= 30 or len(per_chat) >= most:
            return False
        self._recent_all.append(now)
        per_chat.append(now)
        return True

    def _result(self, method: str, params: dict[str, Any], chat_id: int) -> Any:
        if method == "getMe":
            return BOT_USER
        if method == "getChatMember":
            user_id = int(params.get("user_id") or 0)
            admin = user_id in self.administrators.get(chat_id, set())
            member: dict[str, Any] = {"status": "administrator" if admin else "member",
                                      "user": {"id": user_id, "is_bot": False,
                                               "first_name": f"User {user_id}"}}
            if admin:
                member.update(_ADMIN_RIGHTS)
            return member
        if method == "getChat":
            return {"id": chat_id, "type": _chat_type(chat_id)}
        if method not in _MESSAGE_METHODS:
            return True  # setMyCommands, answerCallbackQuery, deleteWebhook, ...
        now = int(time.time())
        message: dict[str, Any] = {
            "message_id": int(params.get("message_id") or self._new_id()), "date": now,
            "from": BOT_USER, "chat": {"id": chat_id, "type": _chat_type(chat_id)}}
        text = str(params.get("text") or params.get("caption") or "")
        if str(params.get("parse_mode")).upper() == "HTML":  # Telegram returns what people see
            text = html.unescape(_TAG.sub("", text))
        if method == "sendPhoto":
            message["photo"] = [{"file_id": "photo", "file_unique_id": "photo",
                                 "width": 800, "height": 400}]
        if method == "sendDocument":
            message["document"] = {"file_id": "document", "file_unique_id": "document"}
        captioned = method in ("sendPhoto", "sendDocument", "editMessageCaption")
        message["caption" if captioned else "text"] = text
        if method.startswith("edit"):
            message["edit_date"] = now
        # Telegram's Message carries only an inline keyboard back; a reply keyboard (or its
        # removal) stays with the person's client.
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        self._last_message[chat_id] = message
        return message

    def _new_id(self) -> int:
        with self._cond:
            self._next_id += 1
            return self._next_id - 1


_ADMIN_RIGHTS = {
    "can_be_edited": False, "is_anonymous": False, "can_manage_chat": True,
    "can_delete_messages": True, "can_manage_video_chats": True, "can_restrict_members": True,
    "can_promote_members": False, "can_change_info": True, "can_invite_users": True,
    "can_post_stories": False, "can_edit_stories": False, "can_delete_stories": False,
}


def _chat_type(chat_id: int) -> str:
    return "private" if chat_id > 0 else "supergroup"


def _user(chat_id: int, user_id: int | None, first_name: str) -> dict[str, Any]:
    return {"id": user_id or (chat_id if chat_id > 0 else USER_ID), "is_bot": False,
            "first_name": first_name, "language_code": "en"}


def _decode(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Form values are strings; PTB sends numbers, flags and objects as JSON inside them."""
    params: dict[str, Any] = {}
    for key, value in pairs:
        params[key] = value
        if key not in _TEXT_KEYS:
            with contextlib.suppress(ValueError):  # a plain string such as "@channel"
                params[key] = json.loads(value)
    return params


def _parse(content_type: str, body: bytes) -> dict[str, Any]:
    kind, _, options = content_type.partition(";")
    kind = kind.strip().lower()
    if kind == "application/json":
        return dict(json.loads(body))
    if kind != "multipart/form-data":
        return _decode(parse_qsl(body.decode(), keep_blank_values=True))
    boundary = options.split("boundary=", 1)[1].split(";")[0].strip().strip('"').encode()
    fields: list[tuple[str, str]] = []
    files: dict[str, int] = {}
    for part in body.split(b"--" + boundary)[1:]:
        head, _, content = part.partition(b"\r\n\r\n")
        if not (name := re.search(rb'[; ]name="([^"]*)"', head)):
            continue  # the closing "--"
        content = content.removesuffix(b"\r\n")
        if b"filename=" in head:
            files[name[1].decode()] = len(content)  # an upload: its size is all we keep
        else:
            fields.append((name[1].decode(), content.decode()))
    return {**_decode(fields), **files}
