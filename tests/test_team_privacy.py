"""Privacy: /mydata shows a person's conversations with the team, /forget deletes them (an
open one closes and the team hears only that the person withdrew), conversations are deleted
after the owners' retention, and /privacy says all this."""

from __future__ import annotations

import json

from bot.app import minute_tick
from tests.harness import Harness
from tests.team_helpers import (
    MOD,
    NOW,
    PERSON,
    TEAM,
    Job,
    drain,
    in_topic,
    press,
    sent_to,
    thread_of,
)
from tests.test_reminder_setup import data_of

BOT_ENV = {"BOT_TEAM_CHAT": str(TEAM), "BOT_TEAM_KEEP_DAYS": "90"}
DAY = 86_400
QUESTION = "Has anyone found a good moisturiser for toddlers?"


async def talking(bot: Harness) -> int:
    """An open, claimed conversation with a reply each way; returns its topic."""
    await bot.send("/human")
    preview = Harness.only_reply(await bot.send(QUESTION))
    named = Harness.only_reply(await bot.press(data_of(preview, "👤 Add my first name (Sam)")))
    await bot.press(data_of(named, "📨 Send to the team"))
    [ticket] = sent_to(await drain(bot), TEAM)
    await press(bot, ticket, "✋ Claim #1", user_id=MOD)
    thread = thread_of(ticket)
    assert thread is not None
    await in_topic(bot, "Many of us like a thick, fragrance-free one.", thread)
    await drain(bot)
    return thread


async def test_mydata_shows_the_conversations(team: Harness) -> None:
    bot = team
    await talking(bot)
    calls = await bot.send("/mydata")
    shown = Harness.replies(calls)[0]
    assert ("Conversations with the community's team: 1 (one open), 2 messages both ways, "
            "kept 90 days after the last one (the file has them)") in shown.plain
    [file] = [c for c in calls if c.method == "sendDocument"]
    tables = json.loads(file.files["document"])["tables"]
    assert [t["first_name"] for t in tables["tickets"]] == ["Sam"]
    assert tables["tickets"][0]["opened_at"].endswith("Z")  # a time a person can read
    assert [m["body"] for m in tables["ticket_messages"]] == [
        QUESTION, "Many of us like a thick, fragrance-free one."]


async def test_forget_mid_conversation_deletes_it_and_the_team_hears_only_that_they_withdrew(
        team: Harness) -> None:
    bot = team
    thread = await talking(bot)
    await bot.send("We also tried a humidifier.")  # not yet sent to the team
    ask = Harness.only_reply(await bot.send("/forget"))
    assert "your conversations with the team" in ask.plain
    assert "Your conversation with the team (#1) is open: it closes, and the team is told " \
        "only that you withdrew." in ask.plain
    done = Harness.only_reply(await bot.press(data_of(ask, "🗑 Yes, erase everything")))
    assert done.plain.startswith("🗑 Done: everything I kept about this chat is erased")
    for table in ("tickets", "ticket_messages"):
        assert bot.rows(f"SELECT COUNT(*) FROM {table}") == [(0,)], table
    calls = await drain(bot)
    [withdrew] = sent_to(calls, TEAM)
    assert withdrew.plain.splitlines()[0] == "🎫 #1 · the person withdrew."
    assert thread_of(withdrew) == thread
    assert bot.api.topics[TEAM][thread]["closed"]
    # Their message waiting to go was not delivered; the person gets nothing more.
    assert not any("humidifier" in c.plain for c in calls)
    assert sent_to(calls, PERSON) == []
    # The moderator's Claim/Close buttons on the old ticket are stale now.
    stale = await bot.press("tk:1:close", chat_id=TEAM, chat_type="supergroup", user_id=MOD)
    assert "out of date" in Harness.only_reply(stale).plain


async def test_a_block_outlives_forget_and_is_shown(team: Harness) -> None:
    bot = team
    await talking(bot)
    claimed = [c for c in bot.api.sent(TEAM) if c.method == "editMessageText"][0]
    ask = Harness.only_reply(await press(bot, claimed, "🚫 Block…", user_id=MOD))
    await press(bot, ask, "🚫 Yes, block", user_id=MOD)
    await drain(bot)
    shown = Harness.replies(await bot.send("/mydata"))[0]
    assert "this chat can't write to the team since 2026-11-24" in shown.plain
    forget = Harness.only_reply(await bot.send("/forget"))
    await bot.press(data_of(forget, "🗑 Yes, erase everything"))
    assert bot.rows("SELECT COUNT(*) FROM tickets") == [(0,)]
    assert bot.rows("SELECT chat_id, ticket FROM team_blocks") == [(PERSON, 1)]
    assert "isn't open to this chat" in Harness.only_reply(await bot.send("/human")).plain


async def test_conversations_are_deleted_after_the_retention_with_their_topics(
        team: Harness) -> None:
    bot = team
    thread = await talking(bot)
    closed = Harness.only_reply(await bot.send("/cancel"))
    assert "is closed" in closed.plain
    await drain(bot)
    bot.app.bot_data.clock = lambda: NOW + 90 * DAY - 60
    await minute_tick(Job(bot))  # type: ignore[arg-type]
    assert bot.rows("SELECT COUNT(*) FROM tickets") == [(1,)]
    bot.app.bot_data.clock = lambda: NOW + 90 * DAY + 60
    await minute_tick(Job(bot))  # type: ignore[arg-type]
    assert bot.rows("SELECT COUNT(*) FROM tickets") == [(0,)]
    assert bot.rows("SELECT COUNT(*) FROM ticket_messages") == [(0,)]
    assert [c.params["message_thread_id"] for c in bot.api.calls
            if c.method == "deleteForumTopic"] == [thread]
    assert thread not in bot.api.topics[TEAM]


async def test_privacy_says_what_is_kept_about_conversations(team: Harness) -> None:
    shown = Harness.only_reply(await team.send("/privacy")).plain
    for words in ("Conversations with the community's team",
                  "never your username, your chat's number",
                  "deleted 90 days after their last message",
                  "/forget deletes yours at once and tells the team only that you withdrew",
                  "and what you send the community's team"):
        assert words in shown, words
