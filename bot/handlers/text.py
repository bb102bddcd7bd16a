"""Free text: STOP, an answer a set-up is waiting for, then (in private) a question."""

from __future__ import annotations

from telegram import Update

from bot.context import Context
from bot.handlers import (
    campaigning,
    fallback,
    human,
    navigation,
    notes,
    questions,
    reminders,
    settings,
    team,
)
from bot.views import library as library_views
from bot.views import triage as triage_views

STOP_WORDS = frozenset({"stop", "unsubscribe", "stop all"})


async def on_text(update: Update, context: Context) -> None:
    """Route a text message that is not a command. In groups only text addressed to the bot
    (a mention, or a reply to the bot) is read at all."""
    # A moderator answering a ticket (in its topic, or replying to it): the team's words to a
    # person, checked by the claims guard, never read as a question of their own.
    if await team.from_team(update, context):
        return
    text = questions.addressed_text(update, context)
    if text is None:
        return
    if await campaigning.composed(update, context):
        return  # a moderator's broadcast (or its send time) is not a question
    # Urgent guidance comes before anything else, a half-finished set-up and a conversation
    # with the team included: that one is then passed on, marked urgent. One exception: an
    # alarm only the model raised lets a reminder set-up take its answer first ("tomorrow",
    # "tonight at 9" at the time step; the model met "tonight" mostly in goodbyes), and a
    # stop word or a menu word keep their meaning; any other text gets the urgent reply.
    finding = questions.triage(context, text)
    if finding.alarming and not finding.by_rules and await _routine(update, context, text):
        return
    if finding.alarming:
        await questions.reply_to_finding(update, context, finding, text)
        await human.after_urgent(update, context, text, finding)
        await notes.after_urgent(update, context, text, finding)  # a same-day note is kept
        return
    if text.strip().lower().strip(" .!") in STOP_WORDS:
        await settings.stop(update, context)
        return
    if await navigation.by_word(update, context, text):
        return
    # The message for the team being written, or a conversation with it open: passed on.
    if await human.from_person(update, context, text, finding):
        return
    if await notes.typed_note(update, context, text):
        return
    if await reminders.from_sentence(update, context, text):
        return
    if await reminders.typed_answer(update, context):
        return
    await questions.on_question(update, context, text, finding)


async def _routine(update: Update, context: Context, text: str) -> bool:
    """A stop word, a menu word or a reminder set-up's answer, taken as what it is."""
    if text.strip().lower().strip(" .!") in STOP_WORDS:
        await settings.stop(update, context)
        return True
    return await navigation.by_word(update, context, text) \
        or await reminders.from_sentence(update, context, text) \
        or await reminders.typed_answer(update, context)


async def on_media(update: Update, context: Context) -> None:
    """A photo, sticker or voice note: part of a broadcast being composed; a caption is read
    like a message (urgent care first); a photo alone gets a kind word that the bot cannot
    see photos and when to see a doctor."""
    if await campaigning.composed(update, context):
        return
    if await team.media(update, context) or await human.media(update, context):
        return  # only words pass between a person and the team
    message = update.effective_message
    caption = message.caption if message is not None else None
    if caption and caption.strip():
        await questions.on_question(update, context, caption)
    elif message is not None and message.photo:
        await questions.reply(update, context,
                              triage_views.photo_only(context.bot_data.renderer))
    elif message is not None and (message.voice or message.audio or message.video_note):
        # Said aloud, it is still a question: ask for it in writing rather than "no card".
        await questions.reply(update, context,
                              library_views.topic_menu(context.bot_data.renderer, "not_heard"))
    else:
        await fallback.not_text(update, context)
