"""Content administration for moderators: /reload without a restart, and /stats."""

from __future__ import annotations

import asyncio
import dataclasses

from telegram import Update
from telegram.error import BadRequest

from bot import heap
from bot.context import Context
from bot.handlers.guards import moderators_only, user_id_of
from bot.library.content import load_library
from bot.library.model import ContentError
from bot.library.render import Renderer
from bot.library.search import CardIndex
from bot.services import stats
from bot.store import moderation
from bot.telegram.send import reply


@moderators_only
async def reload(update: Update, context: Context) -> None:
    """/reload: re-read content/; a library that fails validation never replaces the live one."""
    data = context.bot_data
    try:
        library = load_library(data.settings.content_dir)
        renderer = Renderer(data.settings.content_dir / "templates", library)
        index = CardIndex.build(library)
    except ContentError as exc:
        problems = [str(p) for p in exc.problems]
        await moderation.audit(data.db, user_id_of(update), "reload failed", data.now(),
                               f"{len(problems)} problem(s)")
        await reply(update, context, data.renderer.message(
            "reload_failed", problems=problems[:15], more=max(0, len(problems) - 15)))
        return
    old = data.library
    added = sorted(set(library.cards) - set(old.cards))
    removed = sorted(set(old.cards) - set(library.cards))
    changed = sorted(c for c in set(library.cards) & set(old.cards)
                     if library.cards[c] != old.cards[c])
    # One assignment each; handlers read these per update, so none sees half a library.
    data.library, data.renderer, data.index = library, renderer, index
    del old  # nothing may hold the old library while the heap settles again
    heap.resettle()  # the old library's cycles are freed; the new one is set aside
    await moderation.audit(data.db, user_id_of(update), "reload", data.now(),
                           f"+{len(added)} ~{len(changed)} -{len(removed)}")
    await reply(update, context, renderer.message(
        "reload_ok", cards=len(library.cards), topics=len(library.topics),
        added=added, changed=changed, removed=removed))



@moderators_only
async def stats_command(update: Update, context: Context) -> None:
    """/stats: how the bot is doing, as a chart with its figures in the caption."""
    data = context.bot_data
    team = data.settings.team_claim_hours if data.settings.team_inbox else None
    figures = await stats.gather(data.db, data.library, data.now(),
                                 skin=data.settings.skin_check, team_limit_hours=team)
    await moderation.audit(data.db, user_id_of(update), "stats viewed", data.now())
    chart = stats.caption(data.renderer, figures)
    # Drawn in a worker thread: ~20 ms of pure Python that would hold up every other reply.
    photo = await asyncio.to_thread(stats.chart_png, figures)
    try:
        await reply(update, context, dataclasses.replace(chart, photo=photo))
    except BadRequest:
        # A chat where photos are not allowed still gets the figures.
        await reply(update, context, stats.full_text(data.renderer, figures))
