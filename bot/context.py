"""What every handler can reach: settings, database, content, renderer and the clock."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from telegram import Bot
from telegram.ext import CallbackContext, ExtBot

from bot.telegram.error_reports import ErrorReports

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.delivery.sender import Limits, Sender
    from bot.delivery.team_topics import Topics
    from bot.library.model import Library
    from bot.library.render import Renderer
    from bot.library.search import CardIndex
    from bot.store import Database


class BotData:
    """Long-lived resources, opened in post_init and closed in post_shutdown."""

    settings: Settings
    db: Database
    library: Library
    renderer: Renderer
    index: CardIndex
    sender: Sender
    bulk_bot: Bot  # the outbox's sends, on connections of their own
    limits: Limits
    topics: Topics  # each conversation's topic in the team's supergroup

    def __init__(self) -> None:
        self.clock: Callable[[], float] = time.time
        # Whom each daily card about to be sent is for: filled a batch at a time by
        # views.outbox_rows.prepare, taken by render_row.
        self.audiences: dict[int, str | None] = {}
        self.background = True  # the minute tick and the sender run by themselves
        self.error_reports = ErrorReports()  # owners' error reports: a few an hour at most
        # Chats whose /report PDF is being built right now: a second request waits for none
        # and builds nothing (the PDF itself is never kept).
        self.reports_building: set[int] = set()

    def now(self) -> int:
        return int(self.clock())


Context = CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]
