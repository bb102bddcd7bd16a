"""/privacy says what is kept and why; /mydata shows it (and sends it as a file); /forget
erases it after a confirmation."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType

from bot.context import Context
from bot.delivery import localtime
from bot.handlers import guards
from bot.handlers.common import chat_id_of
from bot.library import dates
from bot.services import conversations
from bot.store import export, privacy, tickets
from bot.store import feedback as answer_feedback
from bot.store import outbox as outbox_store
from bot.store.db import SQLITE
from bot.telegram import callbacks
from bot.telegram.html import MAX_CAPTION_LENGTH
from bot.telegram.message import Button, keyboard
from bot.telegram.send import reply, send_file
from bot.views import menus
from bot.views.data_export import FILENAME, data_file

SCHEDULE_NAMES = {"card": "daily card", "checkin": "habit check-in", "summary": "weekly summary",
                  "skin_offer": "weekly skin check offer"}


async def mydata(update: Update, context: Context) -> None:
    """/mydata: everything the bot keeps about this chat."""
    data = context.bot_data
    chat_id = chat_id_of(update)
    stored = await privacy.everything(data.db, chat_id, _person(update))
    if stored is not None and stored["chat"] is not None:
        chat = stored["chat"]
        zone = chat.get("timezone")
        for key in ("first_seen", "last_seen", "paused_until"):
            if chat.get(key):
                chat[key] = dates.local(chat[key], zone, "full") if zone else \
                    dates.local(chat[key], style="utc")
        for schedule in stored["schedules"]:
            schedule["time"] = localtime.format_time(schedule.pop("local_minute"))
            schedule["days"] = localtime.describe_days(schedule["days"])
            schedule["kind"] = SCHEDULE_NAMES.get(schedule["kind"], schedule["kind"])
        # Names people read, not ids: "Fibre-rich meal", "🥦 Fibre", not "fibre".
        labels = {h.id: h.label for h in data.library.habits}
        topics = {t.id: t.label for t in data.library.topics}
        chat["habits"] = ", ".join(labels.get(h, h) for h in (chat.get("habits") or "").split(",")
                                   if h)
        chat["focus"] = ", ".join(topics.get(t, t) for t in (chat.get("focus") or "").split(",")
                                  if t)
        titles = data.library.cards
        stored["reads"] = [(titles[c].title if c in titles else c, n) for c, n in stored["reads"]]
    rows = [[Button(data.library.label("forget"), data=callbacks.make("forget", "ask"))]] \
        if stored else []
    if stored is not None and stored.get("team") and stored["team"]["blocked"]:
        stored["team"]["blocked"] = dates.local(stored["team"]["blocked"], style="date")
    await reply(update, context, data.renderer.message(
        "mydata", keyboard(rows), stored=stored, questions_days=answer_feedback.KEEP_DAYS,
        team_days=data.settings.team_keep_days))
    tables = await export.rows_about(data.db, chat_id, _person(update)) if stored else {}
    if tables:
        caption = data.renderer.finish(data.renderer.body("mydata_file", tables=list(tables)),
                                       limit=MAX_CAPTION_LENGTH)
        await send_file(update, context, caption, FILENAME,
                        data_file(tables, chat_id, data.now()))


async def privacy_notice(update: Update, context: Context) -> None:
    """/privacy: what is kept, why, for how long, who sees it, and how to see or erase it."""
    data = context.bot_data
    await reply(update, context, data.renderer.message(
        "privacy", skin_check=data.settings.skin_check, questions_days=answer_feedback.KEEP_DAYS,
        team=data.settings.team_inbox, team_days=data.settings.team_keep_days,
        team_chat=data.settings.team_chat is not None,
        outbox_days=outbox_store.KEEP_DAYS, error_tracking=bool(data.settings.sentry_dsn),
        overwritten=data.db.dialect == SQLITE))


async def forget(update: Update, context: Context) -> None:
    """/forget: ask before erasing everything."""
    if not await guards.may_change(update, context):
        return
    data = context.bot_data
    rows = [[Button(data.library.label("forget_yes"), data=callbacks.make("forget", "yes"))],
            [Button(data.library.label("forget_no"), data=callbacks.make("forget", "no"))]]
    person = _person(update)
    moderation = await privacy.moderation_of(data.db, person) if person is not None else None
    chat = update.effective_chat
    talking = await tickets.open_for(data.db, chat.id) if chat is not None else None
    await reply(update, context, data.renderer.message("forget_ask", keyboard(rows),
                                                       moderation=moderation,
                                                       talking=talking.id if talking else None))


async def button(update: Update, context: Context, action: callbacks.Action) -> bool:
    data = context.bot_data
    if action.arg == "ask":
        await forget(update, context)
    elif action.arg == "no":
        await reply(update, context, data.renderer.message("forget_kept"), edit=True)
    elif action.arg == "yes":
        if not await guards.may_change(update, context):
            return True
        person = _person(update)
        chat_id = update.effective_chat.id  # type: ignore[union-attr]
        was = await privacy.moderation_of(data.db, person) if person is not None else None
        talking = await tickets.open_for(data.db, chat_id)
        await privacy.erase(data.db, chat_id, person)
        if talking is not None:
            # Its conversation with the team went too: the team hears only that they withdrew.
            await conversations.withdrawn(data.db, data.settings, talking, data.now())
            data.sender.wake()
        if person is not None and was and was["moderator"] \
                and person not in data.settings.admin_ids:
            await menus.drop_moderator_menu(context.bot, person)  # no longer a moderator
        for kept in (context.chat_data, context.user_data if _person(update) else None):
            if kept is not None:
                kept.clear()  # a set-up or a broadcast being composed goes too
        await reply(update, context, data.renderer.message("forget_done"), edit=True)
    else:
        return False
    return True


def _person(update: Update) -> int | None:
    """The person whose own data this is: in a private chat, its user (a moderator's rows are
    theirs); in a group or channel, nobody's alone."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or chat.type != ChatType.PRIVATE:
        return None
    return user.id
