"""/report: a PDF of the skin checks, habits and notes to take to the doctor. It is built in
memory for the request, sent, and never kept; a chat with nothing to report is told how to
start instead, and a request while its report is being built builds nothing more."""

from __future__ import annotations

import asyncio
import secrets

from telegram import Update

from bot.context import Context
from bot.handlers.common import chat_id_of, remember_chat, skin_check_usable, today_of
from bot.services import doctor_report
from bot.services.doctor_report import PERIODS
from bot.store import chats
from bot.store import skin_checks as skin_store
from bot.telegram import callbacks
from bot.telegram.send import reply, send_file
from bot.views import report as views
from bot.views import report_pdf

PICKER = "report_picker"  # chat_data: the nonce of the choice of weeks on screen
PERIOD_WORDS = {"4": "4", "12": "12", "all": "all", "everything": "all"}
FILLER_WORDS = frozenset({"weeks", "week", "w", "for", "about", "-", "—"})


async def report_command(update: Update, context: Context) -> None:
    """/report [4 | 12 | all] [name]: choose the weeks, or make it at once."""
    if not await skin_check_usable(update, context, "report_private_only"):
        return
    await remember_chat(update, context)
    data = context.bot_data
    chat_id = chat_id_of(update)
    if not await doctor_report.has_checks(data.db, chat_id):
        await reply(update, context, data.renderer.message("report_no_checks"))
        return
    args = list(context.args or [])
    period = PERIOD_WORDS.get(args[0].lower()) if args else None
    if args and period is None and args[0].isdigit():
        await reply(update, context, data.renderer.message("report_usage"))
        return
    if period is None:
        hint = doctor_report.clean_name(" ".join(args))
        await _offer(update, context, hint)
        return
    words = args[1:]
    while words and words[0].lower() in FILLER_WORDS:
        words.pop(0)
    await build(update, context, period, doctor_report.clean_name(" ".join(words)))


async def button(update: Update, context: Context, action: callbacks.Action) -> bool:
    """rp:<nonce>:<4|12|all>: the weeks chosen on the picker whose nonce it carries."""
    nonce, _, period = action.arg.partition(":")
    if period not in PERIODS:
        return False
    if not await skin_check_usable(update, context, "report_private_only"):
        return True
    data = context.bot_data
    if not await doctor_report.has_checks(data.db, chat_id_of(update)):
        await reply(update, context, data.renderer.message("report_no_checks"))  # erased since
        return True
    if context.chat_data is None or context.chat_data.get(PICKER) != nonce:
        # Pressed twice, or a picker already used: the report was made once, above.
        await reply(update, context, data.renderer.message("report_already"))
        return True
    if update.effective_chat is not None \
            and update.effective_chat.id in data.reports_building:
        await reply(update, context, data.renderer.message("report_busy"))
        return True
    context.chat_data.pop(PICKER, None)
    await build(update, context, period, "", picked=True)
    return True


async def build(update: Update, context: Context, period: str, name: str, *,
                picked: bool = False) -> None:
    """Gather, draw and send the report: once at a time per chat, kept nowhere. `picked`:
    chosen on the picker, whose message then says what is being made (and loses its
    buttons)."""
    data = context.bot_data
    chat_id = chat_id_of(update)
    if chat_id in data.reports_building:
        await reply(update, context, data.renderer.message("report_busy"))
        return
    data.reports_building.add(chat_id)
    try:
        user = update.effective_user
        paper = doctor_report.paper_for(await chats.zone_of(data.db, chat_id),
                                        user.language_code if user else None)
        today = await today_of(context, chat_id)
        report = await doctor_report.gather(data.db, data.library, chat_id, period, today,
                                            paper=paper, name=name)
        if report is None:
            last = await skin_store.finished(data.db, chat_id)
            days = [c.day for c in last if c.day is not None]
            nonce = _new_picker(context)
            await reply(update, context, views.none_in_period(
                data.renderer, nonce, period, max(days) if days else today), edit=picked)
            return
        if picked:
            await reply(update, context, views.making(data.renderer, period), edit=True)
        # Drawn in a worker thread (the fonts' glyphs are subset there): other chats are
        # answered meanwhile.
        pdf, pages = await asyncio.to_thread(report_pdf.draw, report,
                                             data.settings.content_dir / "fonts")
        await send_file(update, context, views.caption(data.renderer, report, pages),
                        views.filename(report), pdf)
    finally:
        data.reports_building.discard(chat_id)


async def _offer(update: Update, context: Context, name_hint: str = "") -> None:
    data = context.bot_data
    who = await skin_store.about(data.db, chat_id_of(update))
    await reply(update, context, views.picker(data.renderer, _new_picker(context),
                                              who == "child", name_hint))


def _new_picker(context: Context) -> str:
    """A nonce for the buttons of a new choice of weeks; the older choice goes stale."""
    nonce = secrets.token_hex(3)
    if context.chat_data is not None:
        context.chat_data[PICKER] = nonce
    return nonce
