"""A question in a person's own words: urgent-care guidance first when it is needed, then cards."""

from __future__ import annotations

from telegram import InlineQueryResultArticle, InputTextMessageContent, Update
from telegram.constants import ChatType, MessageEntityType, ParseMode

from bot.context import Context
from bot.library.triage import MODEL_RULES, Finding
from bot.services import gaps
from bot.store import chats, feedback
from bot.telegram import callbacks
from bot.telegram.send import reply
from bot.views import answers
from bot.views import library as views
from bot.views import triage as triage_views

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
                                                           others, cards, text))


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
    chat = update.effective_chat
    if finding.check_first and chat is not None and chat.type == ChatType.PRIVATE:
        # The model half thinks it may be urgent: one tap decides before any card is shown.
        hits = answers.calm_order(data.index.search(text), text)
        feedback_id = await feedback.record(data.db, chat.id, gaps.masked(text), bool(hits),
                                            data.now())
        await reply(update, context, triage_views.safety_check(data.renderer, feedback_id))
        return
    friendly = answers.small_talk(data.renderer, text) or \
        answers.not_a_question(data.renderer, text)
    if friendly is not None:
        await reply(update, context, friendly)
        return
    hits = answers.calm_order(data.index.search(text), text)
    # Where the cards fall short (/gaps), with the 👍/👎 it gets: masked, and kept with its
    # chat only so that no other chat can rate the answer.
    feedback_id = await feedback.record(data.db, chat.id if chat else 0, gaps.masked(text),
                                        bool(hits), data.now())
    # No card for it: in a private chat the community's team can be asked instead.
    ask_team = data.settings.team_inbox and chat is not None and chat.type == ChatType.PRIVATE
    await reply(update, context, answers.answer(data.renderer, hits, feedback_id,
                                                ask_team=ask_team))


async def safety_answer(update: Update, context: Context, action: callbacks.Action) -> bool:
    """safe:e|c|n:<id>: the answer to the one-tap safety check. Yes opens the emergency or
    crisis reply; No shows the answer that was held back."""
    data = context.bot_data
    query = update.callback_query
    if query is None:
        return False
    if action.arg in ("e", "c"):
        await query.answer()
        tier = "emergency" if action.arg == "e" else "crisis"
        await reply_to_finding(update, context, Finding((MODEL_RULES[tier],)), "")
        return True
    kind, _, raw_id = action.arg.partition(":")
    feedback_id = int(raw_id) if kind == "n" and raw_id.isdigit() else None
    chat = update.effective_chat
    question = await feedback.question(data.db, feedback_id, chat.id) \
        if feedback_id and chat else None
    if feedback_id is None or question is None:
        return False
    await query.answer()
    hits = answers.calm_order(data.index.search(question), question)
    # The check is asked in private chats only, where the team can be asked too.
    await reply(update, context, answers.answer(data.renderer, hits, feedback_id,
                                                ask_team=data.settings.team_inbox))
    return True


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
            id=card.id, title=card.title, description=answers.excerpt(card.body, 90),
            input_message_content=InputTextMessageContent(shared.text,
                                                          parse_mode=ParseMode.HTML),
            reply_markup=shared.inline_markup(),
        ))
    await query.answer(results, cache_time=60, is_personal=False)
