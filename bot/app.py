"""Build the Application: settings, resources in post_init/post_shutdown, and register()."""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import secrets
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable

from telegram import Bot, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.config import Settings
from bot.context import BotData, Context
from bot.delivery import scheduling
from bot.delivery.sender import Limits, Sender
from bot.delivery.team_topics import Topics
from bot.handlers import (
    buttons,
    campaigning,
    content_admin,
    errors,
    fallback,
    feedback,
    habits,
    human,
    info,
    library,
    membership,
    moderators,
    navigation,
    notes,
    privacy,
    questions,
    reminders,
    report,
    settings,
    skin,
    team,
    text,
)
from bot.library.model import Library
from bot.library.render import Renderer
from bot.library.search import CardIndex
from bot.services import conversations, stats
from bot.store import campaigns, chats, moderation, open_database, outbox
from bot.store import feedback as answer_feedback
from bot.store.outbox import Entry
from bot.store.setup_state import SetupPersistence
from bot.telegram import callbacks
from bot.telegram.transport import AiohttpRequest
from bot.telegram.update_order import OnePerChat
from bot.views import menus
from bot.views import outbox_rows as deliveries

log = logging.getLogger(__name__)

REPLY_CONNECTIONS = 32  # replies, button answers, owner reports
BULK_CONNECTIONS = 64  # the outbox sender's in-flight sends
# The shell and tests have no real token; PTB still wants one of the right shape.
OFFLINE_TOKEN = "1000000:offline-shell-token"
# This process among the instances sharing one PostgreSQL (its outbox claims carry it).
INSTANCE = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
TICK_LOCK = 0x7469_636B  # "tick": the minute tick's advisory lock
ALL_UPDATES = Update.ALL_TYPES


def build_application(
    settings: Settings,
    content: Library,
    *,
    request: BaseRequest | None = None,
    clock: Callable[[], float] = time.time,
    background: bool = True,
    limits: Limits | None = None,
) -> Application:  # type: ignore[type-arg]
    """The bot as one object.

    `request` replaces the network (shell, tests). With background=False neither the minute
    tick nor the sender runs by itself: tests drive them with an injected clock.
    """
    builder = (
        ApplicationBuilder()
        .token(settings.token or OFFLINE_TOKEN)
        .context_types(ContextTypes(bot_data=BotData))
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .post_init(_post_init)
        .post_stop(_post_stop)
        .post_shutdown(_post_shutdown)
    )
    if settings.base_url:
        builder = builder.base_url(settings.base_url)
    if settings.base_file_url:
        builder = builder.base_file_url(settings.base_file_url)
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    else:
        # Long polling holds its one connection open; replies to people have a pool of their
        # own, and the outbox's bulk sends another (_post_init): a broadcast that Telegram
        # answers slowly can fill only its own connections, never a reply's.
        builder = builder.request(AiohttpRequest(connections=REPLY_CONNECTIONS)) \
            .get_updates_request(AiohttpRequest(connections=1))
    # A set-up in progress (/remind's next step, a broadcast being written) survives a restart.
    builder = builder.persistence(SetupPersistence(settings.store))
    # Chats are answered side by side, each chat's updates in order (update_order.py).
    order = OnePerChat()
    builder = builder.concurrent_updates(order)
    app = builder.build()
    order.tidy(app)
    data: BotData = app.bot_data
    data.settings = settings
    data.library = content
    data.renderer = Renderer(settings.content_dir / "templates", content)
    data.index = CardIndex.build(content)
    data.clock = clock
    data.background = background
    data.limits = limits or Limits(overall_per_second=settings.send_rate)
    data.topics = Topics()
    register(app)
    return app


def register(app: Application) -> None:  # type: ignore[type-arg]
    """Every handler, in one place. All live in group 0, where the first match wins:
    buttons, text, known commands, group migrations, unknown commands, then anything else."""
    commands: dict[str, Callable[[Update, Context], Awaitable[None]]] = {
        "start": library.start,
        "topics": library.topics,
        "card": library.card_command,
        "help": info.help_command,
        "about": info.about,
        "disclaimer": info.disclaimer,
        "remind": reminders.remind,
        "reminders": settings.show_settings,
        "focus": settings.focus,
        "pause": settings.pause_command,
        "resume": settings.resume,
        "stop": settings.stop,
        "habits": habits.habits_command,
        "progress": habits.progress,
        "summary": habits.summary_command,
        "skin": skin.skin_command,
        "note": notes.note_command,
        "notes": notes.notes_command,
        "report": report.report_command,
        "who": library.who_command,
        "privacy": privacy.privacy_notice,
        "mydata": privacy.mydata,
        "forget": privacy.forget,
        "human": human.human_command,
        # Moderators' commands answer everyone else as unknown commands do.
        "broadcast": campaigning.broadcast,
        "push": campaigning.push,
        "campaigns": campaigning.campaign_list,
        "cancel": navigation.cancel,
        "reload": content_admin.reload,
        "stats": content_admin.stats_command,
        "mod": moderators.mod,
        "audit": moderators.audit,
        "gaps": feedback.gaps,
        "unblock": team.unblock,
    }
    # The two kinds of update that come most, first: a group's handlers are tried in turn
    # until one matches, and neither of these can match what another handler is for.
    # Buttons: the screen in group -1 stops presses with no chat, a channel subscriber's and
    # forged data; then each kind of callback data goes to its feature, and anything left to
    # the stale answer.
    app.add_handler(CallbackQueryHandler(buttons.screen), group=-1)
    for kinds, feature in buttons.ROUTES:
        app.add_handler(CallbackQueryHandler(buttons.routed(feature),
                                             pattern=callbacks.pattern(kinds)))
    app.add_handler(CallbackQueryHandler(buttons.stale))
    # Commands count in channel posts too: a channel's admins subscribe it to the daily card.
    # Edited messages do not re-run a command.
    posted = filters.UpdateType.MESSAGE | filters.UpdateType.CHANNEL_POST
    # Text that is not a command (CommandHandler and filters.COMMAND test the same thing: a
    # command at the very start).
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND & posted, text.on_text))
    for name, callback in commands.items():
        app.add_handler(CommandHandler(name, callback, filters=posted))  # type: ignore[arg-type]
    # The bot removed from a chat (or added back): stop sending there at once, not at a 403.
    app.add_handler(ChatMemberHandler(membership.bot_membership_changed,
                                      ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(InlineQueryHandler(questions.inline_query))
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, group_migrated))
    app.add_handler(MessageHandler(filters.COMMAND & posted, fallback.unknown_command))
    # A shared location, in a private chat only: the zone step offers it there, and a group's
    # time zone is not where one member happens to be.
    app.add_handler(MessageHandler(
        filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE & filters.LOCATION,
        reminders.shared_location))
    # Photos and files in the team's supergroup: only text reaches a person.
    team_chat = app.bot_data.settings.team_chat
    if team_chat is not None:
        app.add_handler(MessageHandler(
            filters.Chat(team_chat) & filters.UpdateType.MESSAGE & ~filters.COMMAND
            & ~filters.TEXT & ~filters.StatusUpdate.ALL, team.media_in_team_chat))
    # Photos, stickers, voice notes... in a private chat (groups are left alone).
    app.add_handler(MessageHandler(
        filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE & ~filters.COMMAND & ~filters.TEXT
        & ~filters.StatusUpdate.ALL, text.on_media))
    app.add_error_handler(errors.on_error)


async def group_migrated(update: Update, context: Context) -> None:
    """A group became a supergroup: follow it to its new id."""
    message = update.effective_message
    if message is not None and message.migrate_to_chat_id:
        await chats.migrate_chat(context.bot_data.db, message.chat.id, message.migrate_to_chat_id)


async def minute_tick(context: Context) -> None:
    """Once a minute: due subscriptions and scheduled campaigns become outbox rows, finished
    campaigns are reported to their moderator, and the sender is woken."""
    data = context.bot_data
    # Once per minute across all instances on one PostgreSQL: whoever holds the lock ticks,
    # the others skip this minute. (The outbox's unique keys would drop a second copy of
    # each message anyway; the lock saves the work and keeps card choices single.)
    async with data.db.advisory_lock(TICK_LOCK) as mine:
        if mine:
            await _tick(data)


async def _tick(data: BotData) -> None:
    now = data.now()
    result = await scheduling.enqueue_due(data.db, data.library, now)
    started = await campaigns.start_due(data.db, now)
    for campaign_id, recipients in started:
        log.info("scheduled campaign %s started: %d recipients", campaign_id, recipients)
    finished = await report_finished_campaigns(data)
    if result.enqueued or started or finished:
        data.sender.wake()
    if result.skipped_late:
        log.info("skipped %d reminder(s) missed more than %d minutes ago", result.skipped_late,
                 scheduling.CATCH_UP_MINUTES)
    if data.settings.team_inbox:
        await _team_tick(data, now)
    await outbox.prune(data.db, now)
    await answer_feedback.prune(data.db, now)
    await stats.keep_settled_days(data.db, now)  # /stats never counts a cold month
    await errors.report_held_back(data.bulk_bot, data)


async def _team_tick(data: BotData, now: int) -> None:
    """Conversations nobody claimed within the owners' limit (the person is told, the team
    reminded), and those past their retention deleted, their topics too."""
    expired = await conversations.tick(data.db, data.settings, now)
    team_chat = data.settings.team_chat
    for _, thread in expired:
        if team_chat is not None and thread is not None:
            await data.topics.delete(data.bulk_bot, team_chat, thread)
    data.sender.wake()


async def report_finished_campaigns(data: BotData) -> int:
    """Campaigns with nothing left to send are finished; each moderator gets a report."""
    now = data.now()
    finished = await campaigns.finish_done(data.db, now)
    # report_chat is 0 when the moderator erased their data (/forget) meanwhile.
    await outbox.enqueue(data.db, [Entry(c.report_chat, "report", f"report:{c.id}", str(c.id))
                                   for c in finished if c.report_chat], now)
    return len(finished)


async def _post_init(app: Application) -> None:  # type: ignore[type-arg]
    data: BotData = app.bot_data
    data.db = await open_database(data.settings.store)
    data.bulk_bot = await _bulk_bot(app)
    data.sender = Sender(data.bulk_bot, data.db, functools.partial(deliveries.render_row, data),
                         limits=data.limits, clock=lambda: data.clock(),
                         instance=INSTANCE, lease=data.settings.claim_lease,
                         prepare=functools.partial(deliveries.prepare, data),
                         on_idle=functools.partial(report_finished_campaigns, data))
    # Menus by who is looking (people, group members, group admins, each moderator and owner
    # in their own chat) and the profile's descriptions.
    await menus.publish(app.bot, data.library, skin_check=data.settings.skin_check,
                        owners=data.settings.admin_ids,
                        moderators=[user for user, _, _ in await moderation.listing(data.db)])
    if data.background:
        await data.sender.start()
        queue = app.job_queue
        assert queue is not None, "python-telegram-bot[job-queue] is required"
        # Once at start-up (reminders missed while the bot was down go out now), then at the
        # start of every minute, so an 08:00 reminder leaves at 08:00:01, not up to 59 s late.
        queue.run_once(minute_tick, when=1, name="catch-up")
        queue.run_repeating(minute_tick, interval=60, first=61 - time.time() % 60,
                            name="minute-tick")
    log.info("bot ready: %d cards in %d topics, database %s",
             len(data.library.cards), len(data.library.topics), data.db.target)


async def _bulk_bot(app: Application) -> Bot:  # type: ignore[type-arg]
    """The outbox's own Bot with its own connections; with an injected request (shell, tests)
    there is no network to share, and the application's bot serves both."""
    if not isinstance(app.bot.request, AiohttpRequest):
        return app.bot
    settings: Settings = app.bot_data.settings
    request = AiohttpRequest(connections=BULK_CONNECTIONS)
    bulk = Bot(app.bot.token, request=request, get_updates_request=request,
               base_url=settings.base_url or "https://api.telegram.org/bot",
               base_file_url=settings.base_file_url or "https://api.telegram.org/file/bot")
    await bulk.initialize()
    return bulk


async def _post_stop(app: Application) -> None:  # type: ignore[type-arg]
    data: BotData = app.bot_data
    sender = getattr(data, "sender", None)
    if sender is not None and data.background:
        await sender.stop()


async def _post_shutdown(app: Application) -> None:  # type: ignore[type-arg]
    data: BotData = app.bot_data
    bulk = getattr(data, "bulk_bot", None)
    if bulk is not None and bulk is not app.bot:
        await bulk.shutdown()
    db = getattr(data, "db", None)
    if db is not None:
        await db.close()


@contextlib.asynccontextmanager
async def running(app: Application) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """Run the application without an updater, as the shell and the tests do.

    run_polling() calls the post_* hooks itself; anything else must, or the database is
    never opened.
    """
    async with app:
        await _post_init(app)
        await app.start()
        try:
            yield app
        finally:
            await app.stop()
            await _post_stop(app)
            await _post_shutdown(app)
