"""Run the bot on Telegram until SIGTERM or SIGINT: long polling (the default) or a webhook.

PTB's run_polling and run_webhook each own the whole life cycle; this does the same steps
(initialize, post_init, start, updates in, then stop in reverse) so that both modes can also
serve /healthz, and so that a start without network waits and retries instead of crashing:
the Bot API unreachable at start is one log line per try, 1, 2, 4 ... 60 s apart.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter, TelegramError
from telegram.ext import Application

from bot import heap
from bot.app import ALL_UPDATES, build_application, running
from bot.config import Settings
from bot.context import BotData
from bot.delivery import health
from bot.library.model import Library
from bot.telegram.send import seconds
from bot.telegram.webhook import Webhook, WebServer

log = logging.getLogger(__name__)
T = TypeVar("T")
FIRST_WAIT, LONGEST_WAIT = 1.0, 60.0


class WebhookRefused(Exception):
    """Telegram would not take BOT_WEBHOOK_URL (str(): Telegram's own reason)."""


def serve(settings: Settings, library: Library) -> int:
    """Run until stopped; InvalidToken and WebhookRefused are the caller's to word."""
    return asyncio.run(_serve(settings, library))


def _not_a_bootstrap_abort(record: logging.LogRecord) -> bool:
    """PTB logs a failed first call of long polling (deleteWebhook) with a traceback before
    raising it; with_backoff then says so in one line and tries again."""
    message = record.getMessage()
    return not (message.startswith("Network Retry Loop (Bootstrap") and "Aborting" in message)


async def _serve(settings: Settings, library: Library) -> int:
    logging.getLogger("telegram.ext").addFilter(_not_a_bootstrap_abort)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    app = build_application(settings, library)
    where = urlsplit(settings.base_url or "https://api.telegram.org").netloc
    # /healthz from the first second: while the Bot API cannot be reached the bot is doing
    # the right thing (waiting), and a health check that found nothing listening marked the
    # container unhealthy and had it restarted in a loop.
    server = web_server(app, settings)
    if server is not None:
        await server.start()
    try:
        try:
            reached = await with_backoff(app.bot.initialize, stop,
                                         f"the Telegram Bot API at {where}")
        except BaseException:
            # A rejected token is raised from here. The bot's connection pools were opened
            # before its getMe: closed now, or aiohttp prints "Unclosed client session" and
            # "Unclosed connector" under the one-line error the caller prints.
            await app.bot.shutdown()
            raise
        if not reached:
            await app.bot.shutdown()  # stopped while waiting for the network: nothing to undo
            return 0
        await _serve_started(app, settings, stop, where)
    finally:
        if server is not None:
            await server.stop()
    return 0


async def _serve_started(app: Application, settings: Settings,  # type: ignore[type-arg]
                         stop: asyncio.Event, where: str) -> None:
    async with running(app):
        heap.settle()  # what start-up built lives as long as the process
        try:
            if settings.webhook:
                await _set_webhook(app, settings, stop)
            else:
                updater = app.updater
                assert updater is not None

                async def start_polling() -> object:
                    # Its first call (deleteWebhook) meets the network like getMe did.
                    return await updater.start_polling(allowed_updates=ALL_UPDATES,
                                                       error_callback=_polling_error(app))

                await with_backoff(start_polling, stop, f"the Telegram Bot API at {where}")
            await stop.wait()
        finally:
            if app.updater is not None and app.updater.running:
                await app.updater.stop()


def web_server(app: Application, settings: Settings) -> WebServer | None:  # type: ignore[type-arg]
    """/healthz (and the webhook, in webhook mode), or None in polling mode without
    BOT_HEALTH_PORT."""
    data: BotData = app.bot_data

    async def healthz() -> tuple[bool, dict[str, Any]]:
        if not app.running:  # still starting: waiting for the Bot API, or migrating the store
            return True, health.STARTING
        result = await health.check(data.db, data.sender, data.now())
        return result.ok, result.shown()

    if settings.webhook:
        assert settings.webhook_secret is not None
        hook = Webhook(settings.webhook_path, settings.webhook_secret, app.bot, app.update_queue)
        return WebServer(settings.listen, settings.port, healthz, hook)
    if settings.health_port:
        return WebServer(settings.listen, settings.health_port, healthz)
    return None


async def _set_webhook(app: Application, settings: Settings,  # type: ignore[type-arg]
                       stop: asyncio.Event) -> None:
    """Point Telegram at this bot. Every instance behind one address does the same: setting
    the same webhook again changes nothing; stopping never deletes it, the others still serve."""
    assert settings.webhook_url is not None and settings.webhook_secret is not None
    url, secret = settings.webhook_url, settings.webhook_secret

    async def set_it() -> bool:
        return await app.bot.set_webhook(url, secret_token=secret, allowed_updates=ALL_UPDATES)

    try:
        if await with_backoff(set_it, stop, "setWebhook"):
            log.info("webhook set: Telegram posts updates to %s", urlsplit(url).netloc)
    except BadRequest as exc:
        raise WebhookRefused(exc.message) from None


def _polling_error(app: Application) -> Callable[[TelegramError], None]:  # type: ignore[type-arg]
    """As run_polling does: a failed getUpdates goes to the error handler (logged once per
    burst there), and polling carries on."""
    def on_error(exc: TelegramError) -> None:
        app.create_task(app.process_error(error=exc, update=None))
    return on_error


async def with_backoff(call: Callable[[], Awaitable[T]], stop: asyncio.Event,
                       what: str) -> bool:
    """Try `call` until it succeeds (True) or `stop` is set (False), waiting 1, 2, 4 ... 60 s
    between tries with one log line each. A rejected token or a refused request is raised:
    waiting would not change the answer."""
    wait, tries = FIRST_WAIT, 0
    while not stop.is_set():
        tries += 1
        attempt = asyncio.ensure_future(call())
        stopping = asyncio.ensure_future(stop.wait())
        await asyncio.wait({attempt, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if not attempt.done():
            attempt.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await attempt
            return False
        try:
            attempt.result()
        except (InvalidToken, BadRequest, Forbidden):
            raise
        except RetryAfter as exc:
            wait = max(wait, seconds(exc.retry_after))
            log.warning("%s asks to wait (flood control); trying again in %.0f s", what, wait)
        except TelegramError as exc:
            log.warning("%s cannot be reached (%s); trying again in %.0f s", what, exc, wait)
        else:
            if tries > 1:
                log.info("%s reached after %d tries", what, tries)
            return True
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), wait)
        wait = min(LONGEST_WAIT, wait * 2)
    return False
