"""Honest waiting: the team's hours and time now, how long answers usually take (the median
of the last 30 days, or the owners' aim), a word when nobody has claimed it within the
owners' limit, with the nearest cards meanwhile; and /human shows where it stands."""

from __future__ import annotations

from typing import Any

from bot.app import minute_tick
from tests.harness import Harness
from tests.team_helpers import (
    HOURS_ENV,
    MOD,
    NOW,
    PERSON,
    TEAM,
    Job,
    clock,
    drain,
    in_topic,
    press,
    sent_to,
    thread_of,
)
from tests.test_reminder_setup import data_of
from tests.test_reminder_times import at

BOT_ENV = {"BOT_TEAM_CHAT": str(TEAM), **HOURS_ENV, "BOT_TEAM_CLAIM_HOURS": "12"}
HOUR = 3600


async def ask(bot: Harness, text: str, chat_id: int = PERSON) -> Any:
    await bot.send("/human", chat_id=chat_id)
    preview = Harness.only_reply(await bot.send(text, chat_id=chat_id))
    opened = Harness.only_reply(await bot.press(data_of(preview, "📨 Send to the team"),
                                                chat_id=chat_id))
    return opened


async def test_nobody_claimed_within_the_limit_the_person_is_told_once(team: Harness) -> None:
    bot = team
    opened = await ask(bot, "Is it normal for a baby's eczema to spread to the tummy?")
    assert "Sent to the team as #1" in opened.plain
    assert opened.button_labels  # the nearest cards, meanwhile
    [ticket] = sent_to(await drain(bot), TEAM)
    clock(bot, NOW + 12 * HOUR - 120)
    await minute_tick(Job(bot))  # type: ignore[arg-type]
    assert sent_to(await drain(bot), PERSON) == []
    clock(bot, NOW + 12 * HOUR + 60)
    await minute_tick(Job(bot))  # type: ignore[arg-type]
    calls = await drain(bot)
    [late] = sent_to(calls, PERSON)
    assert "Nobody from the team has picked up your message (#1) yet: it's been 12 hours" \
        in late.plain
    assert "It stays open, and they've been reminded." in late.plain
    assert "your GP or pharmacist can help" in late.plain
    assert late.button_labels  # the cards nearest their message
    [reminder] = sent_to(calls, TEAM)
    assert thread_of(reminder) == thread_of(ticket)
    assert "⏰ nobody has claimed this for 12 hours" in reminder.plain
    # Said once.
    clock(bot, NOW + 13 * HOUR)
    await minute_tick(Job(bot))  # type: ignore[arg-type]
    calls = await drain(bot)
    assert sent_to(calls, PERSON) == [] and sent_to(calls, TEAM) == []
    # Claimed after all, it goes on as usual.
    await press(bot, ticket, "✋ Claim #1", user_id=MOD)
    assert "picked up your message" in sent_to(await drain(bot), PERSON)[0].plain


async def test_a_claimed_ticket_is_never_late(team: Harness) -> None:
    bot = team
    await ask(bot, "How long do flares usually last?")
    [ticket] = sent_to(await drain(bot), TEAM)
    await press(bot, ticket, "✋ Claim #1", user_id=MOD)
    await drain(bot)
    clock(bot, NOW + 20 * HOUR)
    await minute_tick(Job(bot))  # type: ignore[arg-type]
    assert sent_to(await drain(bot), PERSON) == []


async def test_within_the_teams_hours_they_may_be_about(team: Harness) -> None:
    clock(team, at("Europe/London", "2026-11-24T10:30"))
    intro = Harness.only_reply(await team.send("/human"))
    assert "It's 10:30 for them, so someone may be about now." in intro.plain
    # A Saturday morning is outside Mon-Fri.
    clock(team, at("Europe/London", "2026-11-28T10:30"))
    await team.send("/cancel")
    intro = Harness.only_reply(await team.send("/human"))
    assert "It's 10:30 for them, outside those hours." in intro.plain


async def test_the_usual_wait_is_the_median_of_the_last_30_days(team: Harness) -> None:
    """Three conversations answered after 30, 60 and 150 minutes: 'about 60 minutes'."""
    bot = team
    for person, minutes in ((6000001, 30), (6000002, 60), (6000003, 150)):
        clock(bot, NOW)
        await bot.send("/start", chat_id=person)
        await ask(bot, "a question for the team", chat_id=person)
        calls = await drain(bot)
        ticket = [c for c in sent_to(calls, TEAM) if c.buttons][0]
        await press(bot, ticket, ticket.button_labels[0], user_id=MOD)
        clock(bot, NOW + minutes * 60)
        await in_topic(bot, "an answer", thread_of(ticket))
        await drain(bot)
    intro = Harness.only_reply(await bot.send("/human"))
    assert "Over the last 30 days they usually answered within about 60 minutes." in intro.plain
    # A month on, those are too old to say anything: the owners' aim again.
    clock(bot, NOW + 31 * 24 * HOUR)
    await bot.send("/cancel")
    intro = Harness.only_reply(await bot.send("/human"))
    assert "They aim to pick up each message within 12 hours." in intro.plain


async def test_human_again_shows_the_open_conversation_and_its_close_button(
        team: Harness) -> None:
    bot = team
    await ask(bot, "Does swimming make eczema worse?")
    await bot.send("And what about the sea?")
    status = Harness.only_reply(await bot.send("/human"))
    assert "Your conversation with the team: #1" in status.plain
    assert "waiting for someone to pick it up" in status.plain
    assert "You've sent 2 messages; the team 0." in status.plain
    assert status.button_labels == ["✖️ Close the conversation"]
    # A second /human never opens a second conversation.
    assert bot.rows("SELECT COUNT(*) FROM tickets") == [(1,)]
    closed = Harness.only_reply(await bot.press(data_of(status, "✖️ Close the conversation")))
    assert "is closed." in closed.plain
    assert bot.rows("SELECT status, closed_by FROM tickets") == [("closed", "person")]
    # Its old Close button is stale now.
    stale = Harness.only_reply(await bot.press(data_of(status, "✖️ Close the conversation")))
    assert "out of date" in stale.plain
