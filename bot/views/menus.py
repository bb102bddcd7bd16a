"""The command menus Telegram shows, by who is looking, and the bot's profile texts.

Telegram picks the narrowest menu set for where a person types: their own chat's (a moderator
or owner), else all private chats' (people), else in a group all administrators' or all group
members'. The descriptions are content (labels.yaml, `commands:`); who sees which is here,
beside the guards that decide who may run them.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable

from telegram import (
    Bot,
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    BotCommandScopeDefault,
)
from telegram.error import TelegramError

from bot.library.model import Library

log = logging.getLogger(__name__)

MODERATORS = ("broadcast", "push", "campaigns", "stats", "gaps", "reload", "unblock")
OWNERS = MODERATORS + ("mod", "audit")
# In a group anyone may browse and read; only its admins change what the group receives.
GROUP_MEMBERS = ("topics", "card", "help", "about", "disclaimer", "privacy")
GROUP_ADMINS = GROUP_MEMBERS + ("remind", "reminders", "focus", "pause", "resume", "stop",
                                "mydata", "forget")


def _commands(library: Library, names: tuple[str, ...] | None, *, skin_check: bool,
              moderator_extra: tuple[str, ...] = ()) -> list[BotCommand]:
    """The menu in labels.yaml's order: `names` (None: every person's command), then the
    moderators' own."""
    described = dict(library.commands)
    people = [n for n in described if n not in OWNERS]
    chosen = [n for n in (people if names is None else names) if n in described]
    chosen += [n for n in moderator_extra if n in described]
    # BOT_SKIN_CHECK=off hides the check everywhere (POEM's licence), and its report.
    return [BotCommand(n, described[n]) for n in chosen
            if n not in ("skin", "report") or skin_check]


def people(library: Library, skin_check: bool) -> list[BotCommand]:
    return _commands(library, None, skin_check=skin_check)


def group_members(library: Library) -> list[BotCommand]:
    return _commands(library, GROUP_MEMBERS, skin_check=False)


def group_admins(library: Library) -> list[BotCommand]:
    return _commands(library, GROUP_ADMINS, skin_check=False)


def moderator(library: Library, skin_check: bool, *, owner: bool) -> list[BotCommand]:
    return _commands(library, None, skin_check=skin_check,
                     moderator_extra=OWNERS if owner else MODERATORS)


async def publish(bot: Bot, library: Library, *, skin_check: bool, owners: frozenset[int],
                  moderators: list[int]) -> None:
    """At start-up: every menu, the owners' and moderators' own, and the profile texts. A
    refusal is logged and the start goes on: a menu is a convenience."""
    everyone = people(library, skin_check)
    menus: list[tuple[list[BotCommand], BotCommandScope]] = [
        (everyone, BotCommandScopeDefault()),
        (everyone, BotCommandScopeAllPrivateChats()),
        (group_members(library), BotCommandScopeAllGroupChats()),
        (group_admins(library), BotCommandScopeAllChatAdministrators()),
    ]
    menus += [(moderator(library, skin_check, owner=True), BotCommandScopeChat(o))
              for o in sorted(owners)]
    menus += [(moderator(library, skin_check, owner=False), BotCommandScopeChat(m))
              for m in moderators if m not in owners]
    for commands, scope in menus:
        await _quietly(bot.set_my_commands(commands, scope=scope), f"the {scope.type} menu")
    await _quietly(bot.set_my_description(library.label("bot_description")),
                   "the bot's description")
    await _quietly(bot.set_my_short_description(library.label("bot_short_description")),
                   "the bot's short description")


async def show_moderator_menu(bot: Bot, library: Library, user_id: int, *,
                              skin_check: bool) -> None:
    """/mod add: the moderator's commands appear in their own chat's menu."""
    await _quietly(bot.set_my_commands(moderator(library, skin_check, owner=False),
                                       scope=BotCommandScopeChat(user_id)),
                   f"moderator {user_id}'s menu")


async def drop_moderator_menu(bot: Bot, user_id: int) -> None:
    """/mod remove (or their /forget): their chat falls back to the people's menu."""
    await _quietly(bot.delete_my_commands(scope=BotCommandScopeChat(user_id)),
                   f"moderator {user_id}'s menu")


async def _quietly(call: Awaitable[object], what: str) -> None:
    # e.g. "chat not found" for a moderator who never opened a chat with the bot: their menu
    # is set at the next start-up after they have.
    try:
        await call
    except TelegramError as exc:
        log.info("Telegram did not take %s (%s)", what, exc)
