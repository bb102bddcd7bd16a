"""Command menus by who is looking: people in private chats, group members and admins theirs,
moderators and owners theirs in their own chat only (and /mod add or remove changes it); the
bot's description and short description set at start-up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.app import build_application, running
from bot.config import load_settings
from bot.delivery.sender import Limits
from bot.library.model import Library
from bot.telegram.offline import ApiCall, OfflineBotAPI
from tests.harness import Harness, _json

OWNER = 9000001  # BOT_ADMIN_IDS in conftest
MOD = 9000002
PEOPLE = {"start", "topics", "card", "help", "remind", "habits", "skin", "privacy", "mydata",
          "forget"}
MODERATING = {"broadcast", "push", "campaigns", "stats", "gaps", "reload", "unblock"}


def menus(calls: list[ApiCall]) -> dict[str, set[str]]:
    """Commands by scope ("all_private_chats", "chat 9000001", ...), the last set of each."""
    found: dict[str, set[str]] = {}
    for call in calls:
        scope: dict[str, Any] = _json(call.params.get("scope")) or {"type": "default"}
        key = scope["type"] + (f" {scope['chat_id']}" if "chat_id" in scope else "")
        if call.method == "setMyCommands":
            found[key] = {c["command"] for c in _json(call.params["commands"])}
        elif call.method == "deleteMyCommands":
            found.pop(key, None)
    return found


async def test_each_audience_gets_its_menu_and_the_profile_its_texts(
        bot: Harness, library: Library) -> None:
    shown = menus(bot.api.calls)
    assert shown["all_private_chats"] >= PEOPLE and not MODERATING & shown["all_private_chats"]
    assert shown["default"] == shown["all_private_chats"]
    assert shown["all_group_chats"] == {"topics", "card", "help", "about", "disclaimer",
                                        "privacy"}
    admins = shown["all_chat_administrators"]
    assert {"remind", "pause", "stop", "forget"} <= admins
    assert not {"skin", "who", "broadcast"} & admins  # private-only, moderators' own
    owner = shown[f"chat {OWNER}"]
    assert owner == shown["all_private_chats"] | MODERATING | {"mod", "audit"}
    assert set(shown) == {"default", "all_private_chats", "all_group_chats",
                          "all_chat_administrators", f"chat {OWNER}"}
    [description] = [c.params["description"] for c in bot.api.calls
                     if c.method == "setMyDescription"]
    [short] = [c.params["short_description"] for c in bot.api.calls
               if c.method == "setMyShortDescription"]
    assert description == library.label("bot_description") and len(description) <= 512
    assert short == library.label("bot_short_description") and len(short) <= 120
    assert "not medical advice" in description and "not medical advice" in short


async def test_mod_add_and_remove_change_that_persons_menu_only(bot: Harness) -> None:
    before = len(bot.api.calls)
    added = Harness.only_reply(await bot.send(f"/mod add {MOD}", chat_id=OWNER))
    assert "is now a moderator" in added.plain
    mine = menus(bot.api.calls[before:])
    assert set(mine) == {f"chat {MOD}"}
    assert mine[f"chat {MOD}"] == menus(bot.api.calls)["all_private_chats"] | MODERATING
    await bot.send(f"/mod remove {MOD}", chat_id=OWNER)
    assert f"chat {MOD}" not in menus(bot.api.calls)
    [dropped] = [c for c in bot.api.calls if c.method == "deleteMyCommands"]
    assert _json(dropped.params["scope"]) == {"type": "chat", "chat_id": MOD}


async def test_a_menu_telegram_refuses_changes_nothing_else(bot: Harness) -> None:
    """A moderator who never opened the bot: Telegram has no such chat yet."""
    bot.api.fail("setMyCommands", 400, "Bad Request: chat not found")
    added = Harness.only_reply(await bot.send(f"/mod add {MOD}", chat_id=OWNER))
    assert "is now a moderator" in added.plain
    assert bot.rows("SELECT user_id FROM moderators") == [(MOD,)]


async def test_moderators_get_their_menu_at_start_up_and_lose_it_with_forget(
        bot: Harness, library: Library, db_path: Path) -> None:
    await bot.send(f"/mod add {MOD}", chat_id=OWNER)
    settings = load_settings({"BOT_DATABASE": str(db_path), "BOT_ADMIN_IDS": str(OWNER)})
    api = OfflineBotAPI()
    app = build_application(settings, library, request=api, background=False,
                            limits=Limits(enabled=False))
    async with running(app):
        again = Harness(app, api, db_path)
        assert menus(api.calls)[f"chat {MOD}"] >= MODERATING
        mydata = Harness.only_reply(await again.send("/mydata", chat_id=MOD))
        ask = Harness.only_reply(await again.press(
            next(b["callback_data"] for r in mydata.buttons for b in r), chat_id=MOD))
        await again.press(next(b["callback_data"] for r in ask.buttons for b in r
                               if "Yes" in b["text"]), chat_id=MOD)
        assert f"chat {MOD}" not in menus(api.calls)


async def test_help_lists_the_moderator_commands_to_moderators_only(bot: Harness) -> None:
    """As their menu does: to a moderator or owner in their own chat, /help names their
    commands; to anyone else (a group included) those commands do not exist."""
    await bot.send(f"/mod add {MOD}", chat_id=OWNER)
    owner = Harness.only_reply(await bot.send("/help", chat_id=OWNER)).plain
    assert "For moderators" in owner
    for name in (*MODERATING, "mod", "audit"):
        assert f"/{name} — " in owner, name
    assert "/broadcast — Send a message to subscribers" in owner
    moderator = Harness.only_reply(await bot.send("/help", chat_id=MOD)).plain
    assert all(f"/{name} — " in moderator for name in MODERATING)
    assert "/mod — " not in moderator and "/audit — " not in moderator  # owners' own
    person = Harness.only_reply(await bot.send("/help", chat_id=5550001)).plain
    in_group = Harness.only_reply(await bot.send("/help", chat_id=-100777,
                                                 chat_type="supergroup", user_id=OWNER)).plain
    for text in (person, in_group):
        assert "For moderators" not in text and "/broadcast" not in text
        assert "/topics" in text
