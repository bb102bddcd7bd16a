"""The Bot API over aiohttp instead of PTB's default httpx transport.

Measured on one core against the same loopback server, httpx manages about 300-1,000
requests/s (its pool slows down as concurrency grows) and aiohttp about 8,000, so the sender
can deliver a paid broadcast's 1,000 messages/s with room to spare
(bench/sender_throughput.py prints both).

The bot holds two of these for sending (app.py): one for replies to people and one for the
outbox's bulk sends, so a broadcast stalled on slow answers can never fill the connections a
reply needs. A proxy's HTML error page (502, 504...) becomes the JSON error Telegram would send,
logged once per burst, instead of PTB's JSON-parsing traceback on every request.
"""

from __future__ import annotations

import json
import logging
import re
from http import HTTPStatus
from typing import Any

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.logging_setup import Bursts

log = logging.getLogger(__name__)
USER_AGENT = "gutskin-bot (python-telegram-bot, aiohttp)"
JSON_HEADERS = {"Content-Type": "application/json"}
_LONE_SURROGATE = re.compile(
    rb"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"  # high, no low after
    rb"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}")  # low, no high before


class MayHaveArrived(NetworkError):
    """The connection broke after the request went out: Telegram may have delivered it."""


# One per process: the reply and bulk sessions count into the same burst.
PAGES = Bursts(log, "web pages from the Bot API")


def _as_api_error(status: int, body: bytes) -> tuple[int, bytes] | None:
    """The JSON error Telegram would have sent, when `body` is not JSON (None when it is)."""
    if body.lstrip()[:1] == b"{":
        return None
    if 200 <= status < 300:
        status = HTTPStatus.BAD_GATEWAY  # a page where a result should be: not Telegram's
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    PAGES.event("the Bot API answered %d with a web page instead of JSON (a gateway problem "
                "at Telegram's end), handled as a network error", status)
    return status, json.dumps({"ok": False, "error_code": status,
                               "description": f"{phrase} (a web page, not the Bot API)"}
                              ).encode()


def _valid_unicode(value: Any) -> Any:
    """Strings with any lone surrogate replaced by U+FFFD, through lists and dicts."""
    if isinstance(value, str):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if isinstance(value, list):
        return [_valid_unicode(v) for v in value]
    if isinstance(value, dict):
        return {k: _valid_unicode(v) for k, v in value.items()}
    return value


class AiohttpRequest(BaseRequest):
    """One aiohttp session with a bounded connection pool and PTB's timeout semantics.

    With every connection busy, a request waits for one; the bot therefore gives bulk sends a
    session of their own (app.py)."""

    def __init__(self, *, connections: int = 64, read_timeout: float = 5.0,
                 connect_timeout: float = 5.0, write_timeout: float = 5.0,
                 media_write_timeout: float = 20.0) -> None:
        self._connections = connections
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._write_timeout = write_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None

    @staticmethod
    def parse_json_payload(payload: bytes) -> dict[str, Any]:
        """JSON may carry a lone surrogate (\\ud800) that no UTF-8 text can: Telegram never
        sends one, but one that arrived would break every later encode (entity offsets,
        lengths, the reply itself). Such a character becomes U+FFFD here, at the way in."""
        data = BaseRequest.parse_json_payload(payload)
        # Only an escape can carry one; an emoji's pair of escapes (most updates) is fine.
        # Looking for the escape's start first is a fast scan: the pattern's look-behind made
        # the search cost as much as decoding a large getUpdates answer.
        if (b"\\ud" in payload or b"\\uD" in payload) and _LONE_SURROGATE.search(payload):
            data = _valid_unicode(data)
        return data

    @property
    def read_timeout(self) -> float:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connections),
                headers={"User-Agent": USER_AGENT},
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None:
            raise RuntimeError("AiohttpRequest is not initialized")
        files = request_data.multipart_data if request_data else {}
        read = self._read_timeout if read_timeout is BaseRequest.DEFAULT_NONE else read_timeout
        connect = (self._connect_timeout if connect_timeout is BaseRequest.DEFAULT_NONE
                   else connect_timeout)
        write = self._write_timeout if write_timeout is BaseRequest.DEFAULT_NONE else write_timeout
        if files and write_timeout is BaseRequest.DEFAULT_NONE:
            write = self._media_write_timeout
        # aiohttp has no separate write timeout; allow it on top of the read wait.
        total = None if read is None else read + (write or 0) + (connect or 0)
        timeout = aiohttp.ClientTimeout(total=total, sock_connect=connect, sock_read=read)
        data: aiohttp.FormData | bytes | None
        headers = None
        if files:
            data = aiohttp.FormData()
            for name, value in (request_data.json_parameters if request_data else {}).items():
                data.add_field(name, value)
            for name, (filename, content, mimetype) in files.items():
                data.add_field(name, content, filename=filename, content_type=mimetype)
        elif request_data is not None:
            # One JSON body (the Bot API takes it) rather than a form: form-encoding a
            # message's text, character by character, cost more than the rest of sending it.
            data = json.dumps(request_data.parameters).encode()
            headers = JSON_HEADERS
        else:
            data = None
        try:
            async with self._session.request(method, url, data=data, headers=headers,
                                             timeout=timeout) as response:
                status, body = response.status, await response.read()
        except TimeoutError as exc:
            raise TimedOut from exc
        except (aiohttp.ServerDisconnectedError, aiohttp.ClientPayloadError,
                aiohttp.ClientOSError) as exc:
            if isinstance(exc, aiohttp.ClientConnectorError):  # never connected: not sent
                raise NetworkError(f"aiohttp: {type(exc).__name__}") from exc
            raise MayHaveArrived(f"aiohttp: {type(exc).__name__}") from exc
        except aiohttp.ClientError as exc:
            # The URL holds the token: name the error's kind, not its text.
            raise NetworkError(f"aiohttp: {type(exc).__name__}") from exc
        page = _as_api_error(status, body)
        if page is not None:
            return page
        PAGES.all_clear()
        return status, body
