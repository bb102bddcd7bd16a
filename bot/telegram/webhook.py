"""The bot's own small web server: /healthz, and in webhook mode the path Telegram posts to.

PTB's run_webhook serves the webhook alone (on tornado); platforms that run a web process also
want a health check on the same port, so the bot runs this aiohttp server instead and hands
each update to the Application's update queue, as PTB's own webhook server does.

An update is taken only with the secret Telegram was given at setWebhook, in its
X-Telegram-Bot-Api-Secret-Token header: anything else is refused with 403 and read no further.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from telegram import Bot, Update

from bot.logging_setup import Bursts

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
HEALTH_PATH = "/healthz"
MAX_BODY = 1 << 20  # Telegram's updates are a few kB; a larger body is not one of them
REFUSED = Bursts(log, "webhook requests without the right secret")
# (healthy, what to show): the check itself lives with the things it checks.
HealthCheck = Callable[[], Awaitable[tuple[bool, dict[str, Any]]]]


@dataclass(frozen=True)
class Webhook:
    path: str  # where Telegram posts, the path of BOT_WEBHOOK_URL
    secret: str
    bot: Bot  # to build Update objects bound to the bot, as polling does
    queue: asyncio.Queue[object]  # the Application's update queue


class WebServer:
    """Listens on `listen:port`; `port=0` picks a free one (tests read `.port`)."""

    def __init__(self, listen: str, port: int, health: HealthCheck,
                 webhook: Webhook | None = None) -> None:
        self.listen = listen
        self.port = port
        self._health = health
        self._webhook = webhook
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application(client_max_size=MAX_BODY)
        app.router.add_get(HEALTH_PATH, self._healthz)
        if self._webhook is not None:
            app.router.add_post(self._webhook.path, self._update)
        # No access log: a line per update (or per health probe every few seconds) is noise.
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=5.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.listen, self.port)
        await site.start()
        if self.port == 0:
            self.port = int(self._runner.addresses[0][1])
        log.info("listening on %s:%d (%s)", self.listen, self.port,
                 f"webhook at {self._webhook.path}, health at {HEALTH_PATH}"
                 if self._webhook else f"health at {HEALTH_PATH}")

    async def stop(self) -> None:
        """Stop taking requests; those under way finish first (up to 5 s)."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _healthz(self, request: web.Request) -> web.Response:
        healthy, shown = await self._health()
        return web.json_response(shown, status=200 if healthy else 503)

    async def _update(self, request: web.Request) -> web.Response:
        hook = self._webhook
        assert hook is not None
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), hook.secret.encode()):
            REFUSED.event("refused a webhook request from %s: %s", request.remote,
                          "wrong secret" if given else f"no {SECRET_HEADER} header")
            return web.Response(status=403, text="forbidden")
        try:
            data = json.loads(await request.read())
            update = Update.de_json(data, hook.bot)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            # With the right secret this is Telegram itself: say what was wrong, keep nothing.
            log.warning("webhook: an update that could not be read (%s)", type(exc).__name__)
            return web.Response(status=400, text="not an update")
        await hook.queue.put(update)
        return web.Response(status=200)
