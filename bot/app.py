"""Build the Application: settings, resources in post_init/post_shutdown, and register()."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable

from telegram import BotCommand, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.config import Settings
from bot.content import Library
from bot.context import BotData
from bot.handlers import errors, fallback, info, library
from bot.render import Renderer
from bot.store import open_database

log = logging.getLogger(__name__)

# The shell and tests have no real token; PTB still wants one of the right shape.
OFFLINE_TOKEN = "1000000:offline-shell-token"

BotApplication = Application  # the concrete generics are spelled out in bot.context.Context


def build_application(
    settings: Settings,
    content: Library,
    *,
    request: BaseRequest | None = None,
    clock: Callable[[], float] = time.time,
) -> Application:  # type: ignore[type-arg]
    """The bot as one object; `request` replaces the network (shell, tests)."""
    builder = (
        ApplicationBuilder()
        .token(settings.token or OFFLINE_TOKEN)
        .context_types(ContextTypes(bot_data=BotData))
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if settings.base_url:
        builder = builder.base_url(settings.base_url)
    if settings.base_file_url:
        builder = builder.base_file_url(settings.base_file_url)
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    app = builder.build()
    data: BotData = app.bot_data
    data.settings = settings
    data.library = content
    data.renderer = Renderer(settings.content_dir / "templates", content)
    data.clock = clock
    register(app)
    return app


def register(app: Application) -> None:  # type: ignore[type-arg]
    """Every handler, in one place. Within group 0 the first match wins, so order matters:
    known commands, then buttons, then unknown commands, then any other message."""
    commands = [
        ("start", library.start),
        ("topics", library.topics),
        ("card", library.card_command),
        ("help", info.help_command),
        ("about", info.about),
        ("disclaimer", info.disclaimer),
    ]
    for name, callback in commands:
        app.add_handler(CommandHandler(name, callback))
    app.add_handler(CallbackQueryHandler(library.button))
    app.add_handler(MessageHandler(filters.COMMAND, fallback.unknown_command))
    # Anything else a person sends (text, stickers, photos, voice) in a private chat.
    app.add_handler(MessageHandler(filters.ChatType.PRIVATE & ~filters.COMMAND, fallback.not_text))
    app.add_error_handler(errors.on_error)


async def _post_init(app: Application) -> None:  # type: ignore[type-arg]
    data: BotData = app.bot_data
    data.db = await open_database(data.settings.database)
    commands = [BotCommand(name, text) for name, text in data.library.commands]
    await app.bot.set_my_commands(commands)
    log.info("bot ready: %d cards in %d topics, database %s",
             len(data.library.cards), len(data.library.topics), data.settings.database)


async def _post_shutdown(app: Application) -> None:  # type: ignore[type-arg]
    data: BotData = app.bot_data
    db = getattr(data, "db", None)
    if db is not None:
        await db.close()


@contextlib.asynccontextmanager
async def running(app: Application) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """Run the application without an updater, as the shell and the tests do.

    run_polling() calls post_init/post_shutdown itself; anything else must, or the database
    is never opened.
    """
    async with app:
        await _post_init(app)
        await app.start()
        try:
            yield app
        finally:
            await app.stop()
            await _post_shutdown(app)


ALL_UPDATES = Update.ALL_TYPES
