"""A group that becomes a supergroup keeps its settings; a chat that removes the bot stops
getting messages at once, and adding the bot back asks an admin before reminders restart."""

from __future__ import annotations

from typing import Any

import pytest

from bot.library.model import Library
from bot.store import campaigns
from bot.telegram.offline import BOT_USER, ApiCall
from tests.harness import Harness
from tests.test_reminder_setup import data_of
from tests.test_reminder_times import at

OLD, NEW = -555, -100999
ADMIN, MEMBER = 42, 77
NOW = at("Europe/London", "2026-11-24T09:00")


async def in_chat(bot: Harness, text: str, chat_id: int, user_id: int = ADMIN,
                  chat_type: str = "supergroup") -> list[ApiCall]:
    return await bot.send(text, chat_id=chat_id, chat_type=chat_type, user_id=user_id)


async def press(bot: Harness, data: str, chat_id: int, chat_type: str = "supergroup",
                user_id: int = ADMIN) -> ApiCall:
    return Harness.only_reply(await bot.press(data, chat_id=chat_id, chat_type=chat_type,
                                              user_id=user_id))


def settings_of(bot: Harness, chat_id: int) -> list[tuple[Any, ...]]:
    return bot.rows("SELECT kind, status, timezone, paused_until, focus, habits FROM chats "
                    "WHERE id = ?", (chat_id,))


def schedules_of(bot: Harness, chat_id: int) -> list[tuple[Any, ...]]:
    return bot.rows("SELECT kind, local_minute, days FROM schedules WHERE chat_id = ? "
                    "ORDER BY kind", (chat_id,))


# --- a group becomes a supergroup ---------------------------------------------------------------
async def test_migrating_into_a_known_id_keeps_the_old_groups_settings(
        bot: Harness, library: Library) -> None:
    bot.app.bot_data.clock = lambda: NOW
    bot.api.administrators[OLD] = bot.api.administrators[NEW] = {ADMIN}
    await in_chat(bot, "/remind 08:00 London", OLD, chat_type="group")
    picker = Harness.only_reply(await in_chat(bot, "/focus", OLD, chat_type="group"))
    sleep = next(t for t in library.topics if t.id == "sleep")
    picker = await press(bot, data_of(picker, sleep.label), OLD, "group")
    await press(bot, data_of(picker, "✅ Done"), OLD, "group")
    habits = Harness.only_reply(await in_chat(bot, "/habits", OLD, chat_type="group"))
    habit = library.habits[0]
    habits = await press(bot, data_of(habits, habit.label), OLD, "group")
    ask_time = await press(bot, data_of(habits, "✅ Done"), OLD, "group")
    await press(bot, data_of(ask_time, "21:00"), OLD, "group")
    await in_chat(bot, "/pause 3", OLD, chat_type="group")
    old_settings = settings_of(bot, OLD)
    assert old_settings == [("group", "active", "Europe/London", NOW + 3 * 86_400, "sleep",
                             habit.id)]
    old_schedules = schedules_of(bot, OLD)
    assert [k for k, *_ in old_schedules] == ["card", "checkin", "summary"]
    # Someone wrote in the new supergroup before the migration reached the bot, and even set
    # a card of its own there.
    await in_chat(bot, "/start", NEW, user_id=MEMBER)
    await in_chat(bot, "/remind 06:00 Tokyo", NEW)
    migrated = bot.message(None, chat_id=OLD, chat_type="group", user_id=ADMIN,
                           migrate_to_chat_id=NEW)
    await bot.feed({"message": migrated})
    assert settings_of(bot, OLD) == []
    assert settings_of(bot, NEW) == [("supergroup",) + old_settings[0][1:]]
    assert schedules_of(bot, NEW) == old_schedules
    overview = Harness.only_reply(await in_chat(bot, "/reminders", NEW))
    assert "every day at 08:00" in overview.plain and "Europe/London" in overview.plain
    assert sleep.title in overview.plain and habit.label in overview.plain
    assert "Paused until" in overview.plain


async def test_migrating_into_a_new_id_moves_everything(bot: Harness) -> None:
    bot.app.bot_data.clock = lambda: NOW
    bot.api.administrators[OLD] = {ADMIN}
    await in_chat(bot, "/remind 08:00 London", OLD, chat_type="group")
    before = settings_of(bot, OLD)
    await bot.feed({"message": bot.message(None, chat_id=OLD, chat_type="group",
                                           migrate_to_chat_id=NEW)})
    assert settings_of(bot, NEW) == [("supergroup",) + before[0][1:]]
    assert schedules_of(bot, NEW) == [("card", 480, 127)]


# --- the bot removed from a chat, and added back ------------------------------------------------
def membership(bot: Harness, chat_id: int, chat_type: str, old: str, new: str,
               by: int = ADMIN) -> dict[str, Any]:
    chat: dict[str, Any] = {"id": chat_id, "type": chat_type, "title": "Eczema parents"}
    if chat_type == "private":
        chat = {"id": chat_id, "type": "private", "first_name": "Sam"}

    def member(status: str) -> dict[str, Any]:
        body: dict[str, Any] = {"status": status, "user": BOT_USER}
        if status == "kicked":
            body["until_date"] = 0
        if status == "administrator":
            body.update(can_be_edited=False, is_anonymous=False, can_manage_chat=True,
                        can_delete_messages=True, can_manage_video_chats=True,
                        can_restrict_members=True, can_promote_members=False,
                        can_change_info=True, can_invite_users=True, can_post_stories=False,
                        can_edit_stories=False, can_delete_stories=False,
                        can_post_messages=True)
        return body

    return {"my_chat_member": {
        "chat": chat, "date": NOW, "old_chat_member": member(old),
        "new_chat_member": member(new),
        "from": {"id": by, "is_bot": False, "first_name": "Admin"}}}


@pytest.fixture
async def subscribed(bot: Harness) -> Harness:
    """A group and a channel with daily cards, and a person."""
    bot.app.bot_data.clock = lambda: NOW
    bot.api.administrators[NEW] = {ADMIN}
    bot.api.chat_types[-1007] = "channel"
    bot.api.administrators[-1007] = {ADMIN}
    await in_chat(bot, "/remind 08:00 London", NEW)
    post = bot.message("/remind 09:00 London", chat_id=-1007, chat_type="channel")
    post.pop("from")
    await bot.feed({"channel_post": post})
    await bot.send("/remind 07:00 London", chat_id=101)
    await bot.send("/start", chat_id=102)
    return bot


@pytest.mark.parametrize(("chat_id", "chat_type", "old", "new"), [
    (NEW, "supergroup", "member", "left"),
    (NEW, "supergroup", "administrator", "kicked"),
    (-1007, "channel", "administrator", "left"),
    (101, "private", "member", "kicked"),  # the person blocked the bot
])
async def test_a_chat_that_removed_the_bot_gets_nothing_more(
        subscribed: Harness, chat_id: int, chat_type: str, old: str, new: str) -> None:
    bot = subscribed
    db = bot.app.bot_data.db
    assert await campaigns.count_audience(db, campaigns.ALL, 0) == 4
    calls = await bot.feed(membership(bot, chat_id, chat_type, old, new))
    assert Harness.replies(calls) == []  # nothing can be said where the bot no longer is
    assert bot.rows("SELECT status FROM chats WHERE id = ?", (chat_id,)) == [("blocked",)]
    assert bot.rows("SELECT next_due FROM schedules WHERE chat_id = ?", (chat_id,)) == [(None,)]
    assert await campaigns.count_audience(db, campaigns.ALL, 0) == 3
    # A broadcast and the next reminders leave the removed chat out.
    campaign = await campaigns.create_draft(db, created_by=9000001, report_chat=9000001,
                                            kind="message", body_html="Hi", now=NOW)
    await campaigns.set_audience(db, campaign, campaigns.ALL)
    assert await campaigns.start(db, campaign, NOW) == 3
    assert bot.rows("SELECT COUNT(*) FROM outbox WHERE chat_id = ?", (chat_id,)) == [(0,)]


@pytest.mark.parametrize(("chat_id", "chat_type", "admin_status"), [
    (NEW, "supergroup", "member"), (-1007, "channel", "administrator")])
async def test_adding_the_bot_back_asks_an_admin_before_reminders_restart(
        subscribed: Harness, chat_id: int, chat_type: str, admin_status: str) -> None:
    bot = subscribed
    await bot.feed(membership(bot, chat_id, chat_type, admin_status, "left"))
    back = Harness.only_reply(await bot.feed(membership(bot, chat_id, chat_type, "left",
                                                        admin_status)))
    assert back.chat_id == chat_id
    assert "adding me back" in back.plain and "/resume" in back.plain
    assert back.button_labels == ["▶️ Resume"]
    assert bot.rows("SELECT status FROM chats WHERE id = ?", (chat_id,)) == [("stopped",)]
    assert bot.rows("SELECT next_due FROM schedules WHERE chat_id = ?", (chat_id,)) == [(None,)]
    if chat_type == "supergroup":
        # Someone writing in the group does not switch them back on either.
        await in_chat(bot, "/topics", chat_id, user_id=MEMBER)
        refused = await press(bot, data_of(back, "▶️ Resume"), chat_id, user_id=MEMBER)
        assert "Only this group's admins" in refused.plain
        assert bot.rows("SELECT status FROM chats WHERE id = ?", (chat_id,)) == [("stopped",)]
    resumed = await press(bot, data_of(back, "▶️ Resume"), chat_id, chat_type)
    assert "reminders are on again" in resumed.plain
    assert bot.rows("SELECT status FROM chats WHERE id = ?", (chat_id,)) == [("active",)]
    assert bot.rows("SELECT next_due FROM schedules WHERE chat_id = ?", (chat_id,)) != [(None,)]


async def test_a_group_without_reminders_is_simply_back(subscribed: Harness) -> None:
    bot = subscribed
    group = -100333
    await in_chat(bot, "/topics", group, user_id=MEMBER)
    await bot.feed(membership(bot, group, "supergroup", "member", "left"))
    assert bot.rows("SELECT status FROM chats WHERE id = ?", (group,)) == [("blocked",)]
    calls = await bot.feed(membership(bot, group, "supergroup", "left", "member"))
    assert Harness.replies(calls) == []
    assert bot.rows("SELECT status FROM chats WHERE id = ?", (group,)) == [("active",)]


async def test_a_new_group_adding_the_bot_is_not_recorded(bot: Harness) -> None:
    calls = await bot.feed(membership(bot, -100444, "supergroup", "left", "member"))
    assert Harness.replies(calls) == []
    assert bot.rows("SELECT COUNT(*) FROM chats") == [(0,)]
