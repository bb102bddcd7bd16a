"""/cancel in every set-up, and words that mean navigation ("help", "menu", "stop please")
doing what they say instead of being read as a question."""

from __future__ import annotations

import re

from telegram import Update

from bot.context import Context
from bot.handlers import campaigning, flows, habits, human, info, library, settings, team
from bot.telegram.send import reply

# What each set-up step is about, for "nothing changed" in the person's terms.
_FLOW_NAMES = {"time": "reminder", "zone": "reminder", "days": "reminder", "focus": "topics",
               "habits": "habits", "note": "note"}


async def cancel(update: Update, context: Context) -> None:
    """/cancel: stop whatever set-up is waiting and say what stayed as it was; with nothing
    waiting, close the conversation with the team (from either side)."""
    if await team.cancel(update, context):
        return  # a moderator in a ticket's topic, or replying to it: the team closes it
    stopped: list[str] = []
    if await campaigning.cancel_pending(update, context):
        stopped.append("broadcast")
    if human.drop_draft(context):
        stopped.append("team")
    flow = flows.current_flow(context)
    keys_shown = bool(flow and flow.get("location_offered"))
    if flow and flow.get("step"):
        stopped.append(_FLOW_NAMES.get(str(flow["step"]), "reminder"))
        flows.end_flow(context)
    if not stopped and await human.close_open(update, context):
        return
    out = context.bot_data.renderer.message("cancelled", stopped=stopped)
    # The zone step's "Share my location" keyboard goes with the set-up.
    await reply(update, context, out.removing_keys() if keys_shown else out)


_WORDS = {
    "help": info.help_command, "help me": info.help_command, "commands": info.help_command,
    "how does this work": info.help_command, "what can you do": info.help_command,
    "menu": library.topics, "main menu": library.topics, "topics": library.topics,
    "home": library.topics, "start": library.start, "start again": library.start,
    "begin": library.start, "cancel": cancel, "never mind": cancel, "nevermind": cancel,
    "stop please": settings.stop, "please stop": settings.stop, "stop it": settings.stop,
    "stop sending": settings.stop, "stop messages": settings.stop,
    "stop reminders": settings.stop, "unsubscribe me": settings.stop,
    "pause": settings.pause_command, "pause reminders": settings.pause_command,
    "resume": settings.resume, "settings": settings.show_settings,
    "my reminders": settings.show_settings, "reminders": settings.show_settings,
    "habits": habits.habits_command, "progress": habits.progress,
}
_HOW_TO_STOP = re.compile(r"^(?:how (?:do|can) i |how to |can i |i want to )(?:unsubscribe|stop"
                          r"(?: (?:the |these |your )?(?:messages|reminders|cards))?|opt out)$")


async def by_word(update: Update, context: Context, text: str) -> bool:
    """A navigation word typed as a message; False when the text is something else."""
    key = " ".join(re.sub(r"[^\w\s]", " ", text.lower().replace("’", "'")).split())
    key = key.removeprefix("please ") if key not in _WORDS else key
    if _HOW_TO_STOP.match(key):
        await reply(update, context, context.bot_data.renderer.message("how_to_stop"))
        return True
    action = _WORDS.get(key)
    if action is None:
        return False
    context.args = []
    await action(update, context)
    return True
