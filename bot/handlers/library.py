"""Browsing the card library: /start, /topics, /card and the browser's buttons."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType

from bot.context import Context
from bot.handlers import guards, human, reminders, settings
from bot.handlers.common import chat_id_of, remember_chat
from bot.library import dates
from bot.library import next_card as reading
from bot.services import subscriptions
from bot.store import chats
from bot.store import skin_checks as skin_store
from bot.telegram import callbacks
from bot.telegram.message import Outgoing
from bot.telegram.send import reply
from bot.views import library as views

DEEP_LINK_CARD = "card-"
DEEP_LINK_TEAM = "human"
# /who me, /who child (and /skin me, /skin child): who the cards and the skin check are for.
WHO_WORDS = {"me": "self", "myself": "self", "self": "self", "child": "child",
             "my child": "child", "kid": "child", "baby": "child"}


async def start(update: Update, context: Context) -> None:
    """Greet by first name with the topic menu, or open the card a deep link names.

    /start after /stop also turns the chat's reminders back on.
    """
    data = context.bot_data
    chat = update.effective_chat
    before = await chats.status(data.db, chat.id) if chat else None
    await remember_chat(update, context)
    if before == "stopped" and await guards.may_change(update, context):
        await settings.resume_quietly(update, context, announce=True)
    renderer = data.renderer
    # Card ids are lower case; a link someone retyped in capitals still opens its card.
    payload = context.args[0].lower() if context.args else ""
    if payload.startswith(DEEP_LINK_CARD):
        await show_card(update, context, payload[len(DEEP_LINK_CARD):])
        return
    if payload == DEEP_LINK_TEAM:  # /human asked in a group sends people here
        context.args = []
        await human.human_command(update, context)
        return
    user = update.effective_user
    # A first private chat is asked who it is for: it words the skin check and the answers.
    ask_who = before is None and chat is not None and chat.type == ChatType.PRIVATE
    await reply(update, context, views.welcome(renderer, user.first_name if user else "",
                                               ask_who=ask_who))


async def topics(update: Update, context: Context) -> None:
    """Show the topic menu."""
    await remember_chat(update, context)
    await reply(update, context, views.topic_menu(context.bot_data.renderer))


async def card_command(update: Update, context: Context) -> None:
    """/card <id>: open one card by its id."""
    card_id = " ".join(context.args or []).strip().lower()
    await show_card(update, context, card_id)


async def show_card(update: Update, context: Context, card_id: str) -> None:
    data = context.bot_data
    card = data.library.cards.get(card_id)
    chat = update.effective_chat
    if card is None:
        who = await skin_store.about(data.db, chat.id) if chat is not None else None
        await reply(update, context, _nearest(context, card_id, who))
        return
    await remember_chat(update, context)
    if chat is not None:
        await chats.mark_read(data.db, chat.id, card.id, data.now())
    await reply(update, context, views.card_view(data.renderer, card))


async def button(update: Update, context: Context, action: callbacks.Action) -> bool:
    """The library browser's buttons; False when the button no longer leads anywhere."""
    data = context.bot_data
    if action.kind == "menu":
        await remember_chat(update, context)
        await reply(update, context, views.topic_menu(data.renderer), edit=True)
    elif action.kind == "topic":
        topic = data.library.topic(action.arg)
        if topic is None:
            return False
        await remember_chat(update, context)
        chat_id = chat_id_of(update)
        read = await chats.last_read_times(data.db, chat_id)
        who = await skin_store.about(data.db, chat_id)
        await reply(update, context, views.topic_cards(data.renderer, topic, read, who),
                    edit=True)
    elif action.kind == "card":
        if action.arg not in data.library.cards:
            return False
        await show_card(update, context, action.arg)
    elif action.kind == "next":
        if action.arg not in data.library.cards:
            return False
        chat_id = chat_id_of(update)
        read = await chats.last_read_times(data.db, chat_id)
        card = reading.next_card(data.library, read, after=action.arg,
                                 who=await skin_store.about(data.db, chat_id))
        await show_card(update, context, card.id if card else "")
    elif action.kind == "remind":
        await reminders.remind(update, context)
    elif action.kind == "who":
        if action.arg not in ("self", "child"):
            return False
        await _save_who(update, context, action.arg)
    elif action.kind == "later":
        if action.arg not in data.library.cards:
            return False
        await _later(update, context, action.arg)
    else:
        return False
    return True


async def who_command(update: Update, context: Context) -> None:
    """/who: who the cards are for, and the buttons to change it; /who me, /who child."""
    data = context.bot_data
    chat = update.effective_chat
    if chat is None or chat.type != ChatType.PRIVATE:
        # A group has many readers: its cards keep the library's own order.
        await reply(update, context, data.renderer.message("who_private_only"))
        return
    word = " ".join(context.args or []).strip().lower()
    if not word:
        await remember_chat(update, context)
        who = await skin_store.about(data.db, chat.id)
        await reply(update, context, views.who_now(data.renderer, who))
    elif word in WHO_WORDS:
        await _save_who(update, context, WHO_WORDS[word])
    else:
        await reply(update, context, data.renderer.message("who_usage", typed=word))


async def _save_who(update: Update, context: Context, who: str) -> None:
    data = context.bot_data
    await remember_chat(update, context)  # a replayed press may come before any /start
    await skin_store.set_about(data.db, chat_id_of(update), who)
    await reply(update, context, views.who_saved(data.renderer, who))


async def _later(update: Update, context: Context, card_id: str) -> None:
    """"Later today" under the daily card: one more nudge in three hours, once a day."""
    data = context.bot_data
    chat_id = chat_id_of(update)
    await remember_chat(update, context)  # a replayed press may come before any /start
    settings = await subscriptions.load(data.db, chat_id)
    when = await subscriptions.send_later(data.db, chat_id, card_id, data.now())
    zone = settings.zone_name if settings else "UTC"
    await reply(update, context, data.renderer.message(
        "later_today", when=dates.local(when, zone, "moment") if when else ""))
    data.sender.wake()


async def stale(update: Update, context: Context) -> None:
    """A button from an old message, a removed card, or forged data: say so, change nothing."""
    await reply(update, context, views.topic_menu(context.bot_data.renderer, "stale_button"))


def _nearest(context: Context, words: str, who: str | None) -> Outgoing:
    """/card fibre: no card has that id, so the topic it names, or the cards it is about."""
    data = context.bot_data
    key = words.replace("-", " ").strip()
    topic = next((t for t in data.library.topics
                  if key and key in (t.id.replace("-", " "), t.title.lower())), None)
    if topic is not None:
        return views.topic_cards(data.renderer, topic, (), who)
    hits = data.index.search(key) if key else []
    return views.nearest_cards(data.renderer, words, [h.card for h in hits])
