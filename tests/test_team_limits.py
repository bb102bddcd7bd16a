"""Limits and abuse: one open conversation per person, a flood limit, and a moderator can
block a person from the inbox (they are told kindly) until /unblock."""

from __future__ import annotations

import asyncio

from tests.harness import Harness
from tests.team_helpers import MOD, NOW, PERSON, TEAM, drain, in_topic, press, sent_to, thread_of
from tests.test_reminder_setup import data_of

BOT_ENV = {"BOT_TEAM_CHAT": str(TEAM), "BOT_TEAM_FLOOD": "3"}


async def preview(bot: Harness, text: str = "Any tips for school days?") -> object:
    await bot.send("/human")
    return Harness.only_reply(await bot.send(text))


async def test_one_send_opens_one_conversation(team: Harness) -> None:
    bot = team
    shown = await preview(bot)
    send = data_of(shown, "📨 Send to the team")
    before = len(bot.api.calls)
    await asyncio.gather(bot.press(send), bot.press(send))  # a double tap, side by side
    texts = [c.plain for c in Harness.replies(bot.api.calls[before:])]
    assert sum("Sent to the team as #1" in t for t in texts) == 1
    assert bot.rows("SELECT COUNT(*) FROM tickets") == [(1,)]
    assert len(sent_to(await drain(bot), TEAM)) == 1


async def test_a_flood_is_not_passed_on_and_the_person_is_told(team: Harness) -> None:
    bot = team
    # (Words the triage reads as calm: each is only passed on.)
    shown = await preview(bot, "We tried oat baths last week.")
    await bot.press(data_of(shown, "📨 Send to the team"))
    assert Harness.replies(await bot.send("He sleeps better with cotton pyjamas.")) == []
    assert Harness.replies(await bot.send("Thanks again for listening.")) == []
    told = Harness.only_reply(await bot.send("And what about the sea?"))
    assert "That one wasn't passed on: you've sent the team 3 messages in the last hour" \
        in told.plain
    relayed = [c.plain for c in sent_to(await drain(bot), TEAM)]
    assert len(relayed) == 3 and not any("the sea" in t for t in relayed)
    # An hour later there is room again.
    bot.app.bot_data.clock = lambda: NOW + 3601
    assert Harness.replies(await bot.send("Does swimming make eczema worse?")) == []
    assert "Does swimming" in sent_to(await drain(bot), TEAM)[0].plain


async def test_a_moderator_blocks_a_person_kindly_and_unblock_lets_them_back(
        team: Harness) -> None:
    bot = team
    shown = await preview(bot, "you are all useless")
    await bot.press(data_of(shown, "📨 Send to the team"))
    [ticket] = sent_to(await drain(bot), TEAM)
    thread = thread_of(ticket)
    claimed = Harness.only_reply(await press(bot, ticket, "✋ Claim #1", user_id=MOD))
    ask = Harness.only_reply(await press(bot, claimed, "🚫 Block…", user_id=MOD))
    assert "Block the person behind #1 from the team's inbox?" in ask.plain
    kept = Harness.only_reply(await press(bot, ask, "Keep it open", user_id=MOD))
    assert "nobody was blocked" in kept.plain
    assert bot.rows("SELECT COUNT(*) FROM team_blocks") == [(0,)]
    ask = Harness.only_reply(await press(bot, claimed, "🚫 Block…", user_id=MOD))
    done = Harness.only_reply(await press(bot, ask, "🚫 Yes, block", user_id=MOD))
    assert "can no longer write to the team. /unblock 1 lifts it." in done.plain
    assert bot.api.topics[TEAM][thread]["closed"]  # type: ignore[index]
    told = [c for c in sent_to(await drain(bot), PERSON) if "can't take more" in c.plain]
    [kindly] = told
    assert "I'm sorry." in kindly.plain and "Everything else here works as before" in kindly.plain
    assert bot.rows("SELECT status, closed_by FROM tickets") == [("closed", "blocked")]
    assert bot.rows("SELECT chat_id, ticket, blocked_by FROM team_blocks") == [(PERSON, 1, MOD)]
    # /human says the inbox isn't open to this chat; their words are questions again.
    closed = Harness.only_reply(await bot.send("/human"))
    assert "The team's inbox isn't open to this chat." in closed.plain
    await bot.send("is kefir good for eczema?")
    assert sent_to(await drain(bot), TEAM) == []
    # Only a moderator can lift it, by the ticket number the team knew.
    expected = Harness.only_reply(await bot.send("/frobnicate")).text
    assert Harness.only_reply(await bot.send("/unblock 1")).text == expected
    lifted = Harness.only_reply(await in_topic(bot, "/unblock 1", None))
    assert "The person behind #1 can write to the team again." in lifted.plain
    assert Harness.only_reply(await in_topic(bot, "/unblock 1", None)).plain.startswith(
        "Nobody is blocked from ticket #1.")
    assert "Ask the community's team" in Harness.only_reply(await bot.send("/human")).plain
    log = [r[0] for r in bot.rows("SELECT action FROM audit_log ORDER BY id")]
    assert log[-3:] == ["team claim", "team block", "team unblock"]
