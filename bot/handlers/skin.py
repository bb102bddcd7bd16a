"""/skin: the weekly skin check (POEM), its chart, and the weekly offer's switches."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from telegram import Update

from bot.context import Context
from bot.delivery import localtime
from bot.handlers.common import chat_id_of, remember_chat, skin_check_usable
from bot.library.numbers import whole_number
from bot.services import skin_checks as poem
from bot.services import skin_offers
from bot.store import chats, checkins
from bot.store import skin_checks as store
from bot.telegram import callbacks
from bot.telegram.send import reply, send
from bot.views import reminders as reminder_views
from bot.views import skin as skin_views
from bot.views import skin_chart

WHO_WORDS = {"me": "self", "myself": "self", "self": "self", "child": "child",
             "kid": "child", "baby": "child"}


async def skin_command(update: Update, context: Context) -> None:
    """/skin [history | me | child | weekly [off]]: start a check, or the chart."""
    if not await skin_check_usable(update, context, "skin_private_only"):
        return
    await remember_chat(update, context)
    data = context.bot_data
    chat_id = chat_id_of(update)
    args = [a.lower() for a in context.args or []]
    word = args[0] if args else ""
    if not args:
        await start(update, context)
    elif word in ("history", "chart"):
        await send_chart(update, context)
    elif word in WHO_WORDS and len(args) == 1:
        await store.set_about(data.db, chat_id, WHO_WORDS[word])
        await start(update, context)
    elif word == "weekly" and args[1:] in ([], ["on"]):
        await weekly_on(update, context)
    elif word == "weekly" and args[1:] == ["off"]:
        await skin_offers.opt_out(data.db, chat_id)
        await reply(update, context, data.renderer.message("skin_weekly_off"))
    else:
        await reply(update, context, data.renderer.message("skin_usage"))


async def button(update: Update, context: Context, action: callbacks.Action) -> bool:
    """Every sk: button: who the check is about, an answer, the chart, the weekly switch."""
    if not await skin_check_usable(update, context, "skin_private_only"):
        return True
    await remember_chat(update, context)
    data = context.bot_data
    chat_id = chat_id_of(update)
    arg = action.arg
    if arg.startswith("a:"):
        return await answer(update, context, arg.split(":")[1:])
    if arg in ("for:self", "for:child"):
        await store.set_about(data.db, chat_id, arg.removeprefix("for:"))
        await start(update, context, edit=True)
    elif arg == "start":
        await start(update, context)
    elif arg == "chart":
        await send_chart(update, context)
    elif arg == "weekly:on":
        await weekly_on(update, context)
    elif arg == "weekly:off":
        await skin_offers.opt_out(data.db, chat_id)
        await reply(update, context, data.renderer.message("skin_weekly_off"))
    elif arg == "fever":
        user = update.effective_user
        await reply(update, context, skin_views.same_day(
            data.renderer, await chats.zone_of(data.db, chat_id),
            user.language_code if user else None))
    else:
        return False
    return True


async def start(update: Update, context: Context, *, edit: bool = False) -> None:
    """A new check at its first question; first, once, whether it is about a child."""
    data = context.bot_data
    chat_id = chat_id_of(update)
    who = await store.about(data.db, chat_id)
    if who is None:
        await reply(update, context, skin_views.ask_who(data.renderer), edit=edit)
        return
    check_id = await store.start(data.db, chat_id, who, poem.BLANK, data.now())
    await reply(update, context, skin_views.question(data.renderer, check_id, who, 0), edit=edit)


async def answer(update: Update, context: Context, parts: list[str]) -> bool:
    """sk:a:<check>:<question>:<0-4|s>: record it, then the next question or the result."""
    data = context.bot_data
    chat_id = chat_id_of(update)
    if len(parts) != 3:
        return False
    check_id = whole_number(parts[0])
    item = whole_number(parts[1], most=len(poem.ITEMS) - 1)
    given = None if parts[2] == "s" else whole_number(parts[2], most=poem.ANSWERS - 1)
    if check_id is None or item is None or (given is None and parts[2] != "s"):
        return False
    check = await store.get(data.db, check_id)
    if check is None or check.chat_id != chat_id:
        await reply(update, context, data.renderer.message("skin_stale"))
        return True
    if check.finished:
        await reply(update, context, data.renderer.message("skin_already_done"))
        return True
    answers = poem.record(check.answers, item, given)
    following = poem.next_item(answers)
    if following is not None:
        await store.save_answers(data.db, check.id, answers)
        await reply(update, context, skin_views.question(data.renderer, check.id, check.about,
                                                         following), edit=True)
        return True
    today = await _today(context, chat_id)
    if not await store.finish(data.db, check.id, answers, poem.score(answers), today,
                              data.now()):
        await reply(update, context, data.renderer.message("skin_already_done"))
        return True
    before = await store.previous_score(data.db, chat_id, check.id)
    outcome = poem.assess(answers, before[0] if before else None)
    weekly = await skin_offers.offered(data.db, chat_id)
    await reply(update, context, skin_views.result(
        data.renderer, check.about, outcome, today, before[1] if before else None, weekly),
        edit=True)
    await send_chart(update, context, answered=True)
    return True


async def send_chart(update: Update, context: Context, *, answered: bool = False) -> None:
    """The chart of the last 12-26 weeks as a photo; after a result, a message of its own
    (the button press was answered by the result)."""
    data = context.bot_data
    chat_id = chat_id_of(update)
    today = await _today(context, chat_id)
    since = poem.week_start(today) - timedelta(weeks=poem.CHART_WEEKS[1] - 1)
    checks = await store.finished(data.db, chat_id, since)
    if not checks:
        await reply(update, context, data.renderer.message("skin_no_history"))
        return
    kept = [(date.fromisoformat(day), habit)
            for (habit, day), done in (await checkins.answers(data.db, chat_id, since)).items()
            if done]
    weeks = poem.weeks([(c.day, c.score) for c in checks if c.day], kept, today)
    shown = {h for w in weeks for h in w.kept}
    names = [(h.id, h.id.upper()) for h in data.library.habits if h.id in shown]
    names += [(h, h.upper()) for h in sorted(shown - {n for n, _ in names})]
    scored = [c.score for c in checks if c.score is not None]
    out = skin_views.chart_caption(data.renderer, checks[-1].about, skin_chart.draw(weeks, names),
                                   len(checks), scored[-1] if scored else None)
    if answered:
        await send(context.bot, chat_id, out)
    else:
        await reply(update, context, out)


async def weekly_on(update: Update, context: Context) -> None:
    data = context.bot_data
    chat_id = chat_id_of(update)
    schedule, zone = await skin_offers.opt_in(data.db, chat_id, data.now())
    when = (f"{localtime.describe_days(schedule.days)} at "
            f"{localtime.format_time(schedule.local_minute)}")
    await reply(update, context, skin_views.weekly_on(
        data.renderer, when, zone, reminder_views.when(schedule.next_local(zone))))


async def _today(context: Context, chat_id: int) -> date:
    data = context.bot_data
    zone = await chats.zone_of(data.db, chat_id) or "UTC"
    return datetime.fromtimestamp(data.now(), localtime.zone(zone)).date()
