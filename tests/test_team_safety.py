"""Safety first, still: every message a person sends the team passes the urgent-care triage
before it is relayed, and a moderator's reply passes the broadcast guard before it goes."""

from __future__ import annotations

from tests.harness import Harness
from tests.team_helpers import MOD, MOD2, PERSON, TEAM, drain, in_topic, press, sent_to, thread_of
from tests.test_reminder_setup import data_of

BOT_ENV = {"BOT_TEAM_CHAT": str(TEAM)}
URGENT = "my lips look blue and I can't breathe properly"


async def claimed_ticket(bot: Harness, text: str = "How do other parents manage bath time?"
                         ) -> int:
    await bot.send("/human")
    preview = Harness.only_reply(await bot.send(text))
    await bot.press(data_of(preview, "📨 Send to the team"))
    [ticket] = sent_to(await drain(bot), TEAM)
    await press(bot, ticket, "✋ Claim #1", user_id=MOD)
    await drain(bot)
    thread = thread_of(ticket)
    assert thread is not None
    return thread


async def test_an_urgent_message_in_a_conversation_is_answered_at_once_and_flags_it(
        team: Harness) -> None:
    bot = team
    thread = await claimed_ticket(bot)
    calls = await bot.send(URGENT)
    # The urgent reply comes first, at once, before anything is relayed.
    urgent = Harness.only_reply(calls)
    assert urgent.plain.startswith("Trouble breathing needs help now.")
    assert calls[0] is urgent and not urgent.buttons  # nothing should wait on a tap
    assert bot.rows("SELECT urgent FROM tickets") == [(1,)]
    assert bot.rows("SELECT urgent FROM ticket_messages WHERE body = ?", (URGENT,)) == [(1,)]
    calls = await drain(bot)
    [renamed] = [c for c in calls if c.method == "editForumTopic"]
    assert renamed.params["name"] == "🚨 #1 urgent"
    assert bot.api.topics[TEAM][thread]["name"] == "🚨 #1 urgent"  # at the top for the team
    [relayed] = sent_to(calls, TEAM)
    assert thread_of(relayed) == thread
    assert "🚨 urgent: the bot gave them its urgent-care reply" in relayed.plain
    assert URGENT in relayed.plain


async def test_an_urgent_first_message_gets_the_urgent_reply_and_opens_an_urgent_topic(
        team: Harness) -> None:
    bot = team
    await bot.send("/human")
    calls = Harness.replies(await bot.send(URGENT))
    urgent, preview = calls  # the urgent reply first, then what the team would read
    assert urgent.plain.startswith("Trouble breathing needs help now.")
    assert "marked urgent" in preview.plain
    assert "The team can't help in an emergency" in preview.plain
    assert bot.rows("SELECT COUNT(*) FROM tickets") == [(0,)]  # still nothing sent
    await bot.press(data_of(preview, "📨 Send to the team"))
    calls = await drain(bot)
    [created] = [c for c in calls if c.method == "createForumTopic"]
    assert created.params["name"] == "🚨 #1 urgent"
    [ticket] = sent_to(calls, TEAM)
    assert "🚨 Urgent: the bot has already given them its urgent-care reply." in ticket.plain


async def test_urgent_words_in_a_command_are_triaged_too(team: Harness) -> None:
    calls = Harness.replies(await team.send(f"/human {URGENT}"))
    assert calls[0].plain.startswith("Trouble breathing needs help now.")
    assert "marked urgent" in calls[1].plain


async def test_distress_brings_the_helplines_with_the_confirmation(team: Harness) -> None:
    bot = team
    await bot.send("/human")
    preview = Harness.only_reply(await bot.send("everything feels hopeless, I can't cope 😭"))
    opened = Harness.only_reply(await bot.press(data_of(preview, "📨 Send to the team")))
    assert "Sent to the team as #1" in opened.plain
    # No country known for this chat: the international directory, and the GP.
    assert "If you'd like to talk to someone now, findahelpline.com lists" in opened.plain
    assert bot.rows("SELECT support FROM tickets") == [(1,)]


async def test_a_reply_that_trips_the_guard_needs_a_second_tap(team: Harness) -> None:
    bot = team
    thread = await claimed_ticket(bot)
    risky = "Honestly, just stop the steroid cream and try kefir, it cures eczema."
    held = Harness.only_reply(await in_topic(bot, risky, thread))
    assert held.plain.startswith("⚠️ Not sent yet: please check your reply to #1.")
    assert "stop or swap a prescribed treatment" in held.plain
    assert held.button_labels == ["⚠️ Send it anyway", "✖️ Don't send"]
    assert thread_of(held) == thread
    assert sent_to(await drain(bot), PERSON) == []  # nothing went yet
    # Someone else's tap does nothing: the writer decides.
    other = await press(bot, held, "⚠️ Send it anyway", user_id=MOD2, first_name="Ben")
    assert "no longer waiting" in Harness.only_reply(other).plain
    assert sent_to(await drain(bot), PERSON) == []
    went = Harness.only_reply(await press(bot, held, "⚠️ Send it anyway", user_id=MOD))
    assert "Sent to #1 despite the warning" in went.plain
    [reply] = sent_to(await drain(bot), PERSON)
    assert risky in reply.plain and reply.text.endswith(bot.disclaimer)
    (detail,), = bot.rows("SELECT detail FROM audit_log WHERE action = 'team reply sent'")
    assert "#1" in detail and "sent despite warning" in detail and "stop_treatment" in detail
    # Pressed again: it went once.
    again = Harness.only_reply(await press(bot, held, "⚠️ Send it anyway", user_id=MOD))
    assert "no longer waiting" in again.plain
    assert sent_to(await drain(bot), PERSON) == []
    # A second risky reply, not sent.
    second = Harness.only_reply(await in_topic(bot, "This diet heals eczema for good.", thread))
    dropped = Harness.only_reply(await press(bot, second, "✖️ Don't send", user_id=MOD))
    assert "Not sent." in dropped.plain
    assert sent_to(await drain(bot), PERSON) == []
    assert bot.rows("SELECT status FROM ticket_messages WHERE author = 'team' ORDER BY id") == [
        ("sent",), ("dropped",)]
    # A careful reply goes at once.
    await in_topic(bot, "Please keep using the cream your GP prescribed.", thread)
    assert len(sent_to(await drain(bot), PERSON)) == 1
