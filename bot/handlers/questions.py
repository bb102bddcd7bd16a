"""A question in a person's own words: urgent-care guidance first when it is needed, then cards."""

from __future__ import annotations

import re

from telegram import InlineQueryResultArticle, InputTextMessageContent, Update
from telegram.constants import ChatType, MessageEntityType, ParseMode

from bot.context import Context
from bot.library.render import Renderer
from bot.library.search import Hit
from bot.library.triage import Finding
from bot.library.words import normalise
from bot.store import chats
from bot.telegram import callbacks
from bot.telegram.message import Button, Outgoing, keyboard
from bot.telegram.send import reply
from bot.views import library as views
from bot.views import triage as triage_views

EXCERPT_CHARS = 320
INLINE_RESULTS = 10


def triage(context: Context, text: str) -> Finding:
    """Which tier of help the text needs: assessed once per message, before anything else."""
    triage_rules = context.bot_data.library.triage
    return triage_rules.assess(text) if triage_rules else Finding()


async def reply_to_finding(update: Update, context: Context, finding: Finding,
                           text: str) -> None:
    """Urgent care, crisis lines, support or a fixed safe answer, with the chat's own
    country's numbers first (from its reminder time zone or the user's language tag)."""
    data = context.bot_data
    chat = update.effective_chat
    zone = await chats.zone_of(data.db, chat.id) if chat is not None else None
    user = update.effective_user
    here, others = triage_views.numbers_for(data.renderer, zone,
                                            user.language_code if user else None)
    cards = [] if finding.alarming else [h.card for h in data.index.search(text)]
    await reply(update, context, triage_views.triage_reply(data.renderer, finding, here,
                                                           others, cards))


def answer(renderer: Renderer, hits: list[Hit]) -> Outgoing:
    """The best card's opening with a button to read it all, and up to two more as buttons."""
    label = renderer.library.label
    if not hits:
        return views.topic_menu(renderer, "no_answer")
    best, others = hits[0].card, [h.card for h in hits[1:3]]
    rows = [[Button(label("open_card"), data=callbacks.make("card", best.id))]]
    rows += [[Button(c.title, data=callbacks.make("card", c.id))] for c in others]
    rows.append([Button(label("topics"), data=callbacks.make("menu"))])
    return renderer.message("answer", keyboard(rows), card=best, excerpt=excerpt(best.body),
                            more=[c.title for c in others])


def excerpt(body: str, limit: int = EXCERPT_CHARS) -> str:
    """The card's first lines as plain text: whole lines, or whole sentences of a long one."""
    plain = re.sub(r"\*\*|(?<!\w)_|_(?!\w)", "", body)
    plain = re.sub(r"^- ", "• ", plain, flags=re.M)
    kept: list[str] = []
    for line in plain.splitlines():
        if sum(len(k) + 1 for k in kept) + len(line) > limit:
            break
        kept.append(line)
    if kept:
        return "\n".join(kept).strip()
    sentences = re.split(r"(?<=[.?!])\s+", plain)
    text = ""
    for sentence in sentences:
        if len(text) + len(sentence) > limit:
            break
        text = f"{text} {sentence}".strip()
    return text or plain[: limit - 1].rstrip() + "…"


SMALL_TALK = {
    "greeting": re.compile(r"^(hi|hello|hey|hiya|good (morning|afternoon|evening)|yo|howdy)\b"),
    "thanks": re.compile(r"^(thanks|thank you|thx|ty|cheers|ta)\b"),
}


def small_talk(renderer: Renderer, text: str) -> Outgoing | None:
    """A bare hello or thank-you gets a warm word, not a search."""
    words = normalise(text).strip()
    if len(words.split()) > 4:
        return None  # "hi, is kefir good for kids?" is a question
    for kind, pattern in SMALL_TALK.items():
        if pattern.match(words):
            return views.topic_menu(renderer, f"small_talk_{kind}") if kind == "greeting" \
                else renderer.message(f"small_talk_{kind}")
    return None


async def on_question(update: Update, context: Context, text: str,
                      finding: Finding | None = None) -> None:
    """Answer free text: safety first, then the card library, honestly."""
    data = context.bot_data
    if finding is None:
        finding = triage(context, text)
    if finding.tier is not None:
        await reply_to_finding(update, context, finding, text)
        return
    if finding.language is not None:
        await reply(update, context, triage_views.not_english(data.renderer, finding.language))
        return
    friendly = small_talk(data.renderer, text)
    if friendly is not None:
        await reply(update, context, friendly)
        return
    await reply(update, context, answer(data.renderer, data.index.search(text)))


def addressed_text(update: Update, context: Context) -> str | None:
    """The text meant for the bot: all of it in private, in groups only when mentioned or
    replied to (then without the mention); None when the bot should stay quiet."""
    message = update.effective_message
    if message is None or not message.text:
        return None
    if message.chat.type == ChatType.PRIVATE:
        return message.text
    username = (context.bot.username or "").lower()
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and \
            replied.from_user.id == context.bot.id:
        return message.text
    for entity, value in message.parse_entities([MessageEntityType.MENTION]).items():
        if value.lower() == f"@{username}":
            return (message.text[: entity.offset] + message.text[entity.offset + entity.length:])
    return None


async def inline_query(update: Update, context: Context) -> None:
    """@bot fibre in any chat: matching cards to share, each with the disclaimer."""
    query = update.inline_query
    if query is None:
        return
    data = context.bot_data
    text = query.query.strip()
    if text:
        cards = [h.card for h in data.index.search(text, limit=INLINE_RESULTS)]
    else:
        cards = data.library.reading_order()[:INLINE_RESULTS]
    results = []
    for card in cards:
        shared = views.shared_card(data.renderer, card)
        results.append(InlineQueryResultArticle(
            id=card.id, title=card.title, description=excerpt(card.body, 90),
            input_message_content=InputTextMessageContent(shared.text,
                                                          parse_mode=ParseMode.HTML),
            reply_markup=shared.reply_markup(),
        ))
    await query.answer(results, cache_time=60, is_personal=False)
