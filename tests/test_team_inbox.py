"""A person asks the community's team, with consent; the team answers in a forum topic of the
ticket's own; the person answers back; either side closes it. Through the real Application
and a fake Bot API that keeps forum topics."""

from __future__ import annotations

import pytest

from tests.harness import Harness
from tests.team_helpers import (
    HOURS_ENV,
    MOD,
    MOD2,
    OWNER,
    PERSON,
    TEAM,
    drain,
    in_topic,
    press,
    sent_to,
    thread_of,
)
from tests.test_reminder_setup import data_of

BOT_ENV = {"BOT_TEAM_CHAT": str(TEAM), **HOURS_ENV}
QUESTION = "My son's eczema flares after dairy. What have other parents tried?"


async def open_ticket(bot: Harness, text: str = QUESTION, *, name: bool = False) -> int:
    """/human, write, (add the first name,) Send: the ticket's topic in the team's chat."""
    await bot.send("/human")
    preview = Harness.only_reply(await bot.send(text))
    if name:
        preview = Harness.only_reply(
            await bot.press(data_of(preview, "👤 Add my first name (Sam)")))
    Harness.only_reply(await bot.press(data_of(preview, "📨 Send to the team")))
    calls = await drain(bot)
    [first] = sent_to(calls, TEAM)
    thread = thread_of(first)
    assert thread is not None
    return thread


async def test_a_person_asks_consents_a_moderator_claims_and_they_talk(team: Harness) -> None:
    bot = team
    intro = Harness.only_reply(await bot.send("/human"))
    # Who answers, when they are around, what they will see; nothing sent yet.
    assert "not doctors or nurses" in intro.plain
    assert "usually around Mon–Fri 09:00–17:00 (Europe/London)" in intro.plain
    assert "It's 23:10 for them, outside those hours" in intro.plain
    assert "within 12 hours" in intro.plain
    assert "your first name only if you choose to add it" in intro.plain
    assert "Nothing goes to them until you tap “📨 Send to the team”" in intro.plain
    preview = Harness.only_reply(await bot.send(QUESTION))
    assert QUESTION in preview.plain and "Without your name" in preview.plain
    assert preview.button_labels == ["📨 Send to the team", "👤 Add my first name (Sam)",
                                     "✏️ Write it again", "✖️ Don't send"]
    named = Harness.only_reply(await bot.press(data_of(preview, "👤 Add my first name (Sam)")))
    assert "With your first name: Sam." in named.plain
    # Writing, previewing and choosing sent nothing and stored no conversation.
    assert sent_to(await drain(bot), TEAM) == []
    assert bot.rows("SELECT COUNT(*) FROM tickets") == [(0,)]

    opened = Harness.only_reply(await bot.press(data_of(named, "📨 Send to the team")))
    assert "Sent to the team as #1" in opened.plain
    assert "It's 23:10 for them, outside those hours" in opened.plain
    assert "/cancel closes it" in opened.plain
    assert bot.rows("SELECT chat_id, first_name, status FROM tickets") == [(PERSON, "Sam", "open")]

    calls = await drain(bot)
    [created] = [c for c in calls if c.method == "createForumTopic"]
    assert created.params["name"] == "#1"  # the ticket's number, nothing about the person
    thread = int(created.result["message_thread_id"])
    assert bot.api.topics[TEAM][thread]["name"] == "#1"
    [ticket] = sent_to(calls, TEAM)
    assert thread_of(ticket) == thread
    assert "🎫 #1 · Sam asks the team" in ticket.plain and QUESTION in ticket.plain
    assert ticket.button_labels == ["✋ Claim #1"]
    assert str(PERSON) not in ticket.text and "5550001" not in str(created.params)
    assert bot.rows("SELECT thread FROM tickets") == [(thread,)]

    # Ana claims it; Ben's claim, a moment later, is refused.
    claimed = await press(bot, ticket, "✋ Claim #1", user_id=MOD)
    [edit] = [c for c in claimed if c.method == "editMessageText"]
    assert "Claimed by Ana" in edit.plain
    assert edit.button_labels == ["✖️ Close #1", "🚫 Block…"]
    [toast] = [c for c in claimed if c.method == "answerCallbackQuery"]
    assert toast.params["text"] == "It's yours: your replies now go to them."
    refused = await press(bot, ticket, "✋ Claim #1", user_id=MOD2, first_name="Ben")
    assert Harness.replies(refused) == []
    assert refused[-1].params["text"] == "A teammate has claimed this one already."
    assert bot.rows("SELECT claimed_by FROM tickets") == [(MOD,)]
    told = sent_to(await drain(bot), PERSON)
    assert [c.plain.splitlines()[0] for c in told] == [
        "🙋 Someone from the team has picked up your message (#1). Their answer will come here."]

    # Ana answers inside the topic: it reaches the person with the disclaimer.
    answer = "Many parents keep a food and skin diary for a few weeks, then show it to the GP."
    calls = await in_topic(bot, answer, thread)
    assert Harness.replies(calls) == []  # nothing said back in the topic
    assert [c.params["reaction"] for c in calls if c.method == "setMessageReaction"]
    [reply] = sent_to(await drain(bot), PERSON)
    assert reply.plain.startswith("💬 The community team · #1")
    assert answer in reply.plain and reply.text.endswith(bot.disclaimer)

    # The person answers back: it lands in the same topic.
    back = await bot.send("Thank you, we'll try the diary.")
    assert Harness.replies(back) == []
    assert [c.method for c in back] == ["setMessageReaction"]
    [relayed] = sent_to(await drain(bot), TEAM)
    assert thread_of(relayed) == thread
    assert relayed.plain.startswith("🎫 #1 · Sam wrote:")
    assert "we'll try the diary" in relayed.plain

    # /human shows where it stands; /cancel closes it and asks whether it helped.
    status = Harness.only_reply(await bot.send("/human"))
    assert "Your conversation with the team: #1" in status.plain
    assert "someone from the team has picked it up" in status.plain
    assert "You've sent 2 messages; the team 1." in status.plain
    closed = Harness.only_reply(await bot.send("/cancel"))
    assert "Your conversation with the team (#1) is closed." in closed.plain
    assert closed.button_labels == ["👍 It helped", "👎 Not really"]
    calls = await drain(bot)
    [notice] = sent_to(calls, TEAM)
    assert notice.plain.startswith("🎫 #1 · the person closed the conversation.")
    assert thread_of(notice) == thread
    assert bot.api.topics[TEAM][thread]["closed"]
    thanks = await bot.press(data_of(closed, "👍 It helped"))
    assert thanks[-1].params["text"] == "Thank you: noted."
    assert bot.rows("SELECT status, closed_by, rating FROM tickets") == [("closed", "person", 1)]
    # Afterwards the person's messages are questions again, not relayed.
    after = Harness.only_reply(await bot.send("is kefir good for kids?"))
    assert "🎫" not in after.plain and sent_to(await drain(bot), TEAM) == []


async def test_nothing_is_sent_without_the_tap(team: Harness) -> None:
    bot = team
    await bot.send("/human")
    preview = Harness.only_reply(await bot.send(QUESTION))
    dropped = Harness.only_reply(await bot.press(data_of(preview, "✖️ Don't send")))
    assert "Nothing was sent to the team." in dropped.plain
    # The old preview's Send is stale now.
    stale = Harness.only_reply(await bot.press(data_of(preview, "📨 Send to the team")))
    assert "no longer waiting" in stale.plain
    # Writing again, then /cancel.
    await bot.send("/human")
    await bot.send("another try")
    cancelled = Harness.only_reply(await bot.send("/cancel"))
    assert "Your message to the team wasn't sent." in cancelled.plain
    assert sent_to(await drain(bot), TEAM) == []
    assert bot.rows("SELECT COUNT(*) FROM tickets") == [(0,)]
    assert bot.rows("SELECT COUNT(*) FROM outbox WHERE kind LIKE 'team%'") == [(0,)]


async def test_the_team_closes_from_the_topic_and_the_person_is_asked(team: Harness) -> None:
    bot = team
    thread = await open_ticket(bot)
    ticket = [c for c in bot.api.sent(TEAM)][-1]
    await press(bot, ticket, "✋ Claim #1", user_id=MOD)
    await drain(bot)
    closed = Harness.only_reply(await in_topic(bot, "/cancel", thread))
    assert closed.plain.startswith("✖️ #1 is closed.")
    assert thread_of(closed) == thread
    assert bot.api.topics[TEAM][thread]["closed"]
    [note] = sent_to(await drain(bot), PERSON)
    assert "is closed by the team" in note.plain
    assert note.button_labels == ["👍 It helped", "👎 Not really"]
    await bot.press(data_of(note, "👎 Not really"))
    assert bot.rows("SELECT closed_by, rating FROM tickets") == [("team", 0)]
    # A moderator's message in a closed ticket's topic goes nowhere.
    late = Harness.only_reply(await in_topic(bot, "one more thing", thread))
    assert "Not sent: #1 is closed." in late.plain
    assert sent_to(await drain(bot), PERSON) == []


async def test_only_the_claimer_answers_and_a_moderator_must_claim_first(team: Harness) -> None:
    bot = team
    thread = await open_ticket(bot)
    first = Harness.only_reply(await in_topic(bot, "Hello there", thread))
    assert "claim #1 first" in first.plain
    ticket = bot.api.sent(TEAM)[0]
    await press(bot, ticket, "✋ Claim #1", user_id=MOD)
    other = Harness.only_reply(await in_topic(bot, "I can help", thread, user_id=MOD2,
                                              first_name="Ben"))
    assert "a teammate has claimed #1" in other.plain
    stranger = Harness.only_reply(await in_topic(bot, "hi", thread, user_id=424242))
    assert "only the bot's moderators answer people here" in stranger.plain
    await drain(bot)
    assert [c.plain for c in sent_to(bot.api.calls, PERSON)
            if "community team" in c.plain] == []
    assert bot.rows("SELECT COUNT(*) FROM ticket_messages WHERE author = 'team'") == [(0,)]


@pytest.mark.parametrize("entry", ["👎", "no card", "help"])
async def test_ask_the_team_buttons_under_a_thumbs_down_no_card_and_help(
        team: Harness, entry: str) -> None:
    bot = team
    if entry == "👎":
        answer = Harness.only_reply(await bot.send("is kefir good for eczema?"))
        shown = bot.message("answer", chat_id=PERSON)
        shown.update(reply_markup=answer.markup, **{"from": {"id": 7000000001, "is_bot": True,
                                                            "first_name": "Bot"}})
        calls = await bot.feed({"callback_query": {
            "id": "q1", "chat_instance": "ci", "message": shown,
            "data": data_of(answer, "👎 Not what I needed"),
            "from": {"id": PERSON, "is_bot": False, "first_name": "Sam"}}})
        [edit] = [c for c in calls if c.method == "editMessageReplyMarkup"]
        assert Harness.replies(calls) == []
        labels = [b["text"] for row in edit.buttons for b in row]
        # The answer keeps its cards and topics; 👍/👎 gave way to the team.
        assert "👎 Not what I needed" not in labels and labels[-2:] == ["💬 Ask the team",
                                                                         "📚 Topics"]
        assert labels[0] == "Read the whole card"
        offer = edit
    elif entry == "no card":
        offer = Harness.only_reply(await bot.send("how do I fix my car"))
        assert "I don't have a card" in offer.plain
    else:
        offer = Harness.only_reply(await bot.send("/help"))
        assert "/human" in offer.plain
    intro = Harness.only_reply(await bot.press(data_of(offer, "💬 Ask the team")))
    assert "Ask the community's team" in intro.plain


async def test_in_a_group_human_points_to_a_private_chat(team: Harness) -> None:
    calls = await team.send("/human", chat_id=-500, chat_type="supergroup", user_id=PERSON)
    hint = Harness.only_reply(calls)
    assert "write to me in a private chat" in hint.plain
    assert hint.buttons[0][0]["url"].endswith("?start=human")
    intro = Harness.only_reply(await team.send("/start human"))
    assert "Ask the community's team" in intro.plain


async def test_owner_sees_no_person_data_in_the_team_chat(team: Harness) -> None:
    """The topic, the ticket and every relayed message carry the ticket number only."""
    bot = team
    await open_ticket(bot)
    await bot.send("And what about the sea?")
    await drain(bot)
    for call in bot.api.calls:
        if call.chat_id == TEAM or call.method == "createForumTopic":
            assert str(PERSON) not in str(call.params)
            assert "Sam" not in call.plain  # no name was shared
    assert OWNER  # the owner reads the same topic as everyone


async def test_with_topics_off_tickets_go_to_general_and_replies_to_them_work(
        team: Harness) -> None:
    """Telegram refuses the topic (topics switched off, or no right to manage them): the
    ticket still reaches the team, headed with its number, and a reply to it answers."""
    from tests.team_helpers import bot_message

    bot = team
    bot.api.forums.discard(TEAM)
    await bot.send("/human")
    preview = Harness.only_reply(await bot.send(QUESTION))
    await bot.press(data_of(preview, "📨 Send to the team"))
    calls = await drain(bot)
    [refused] = [c for c in calls if c.method == "createForumTopic"]
    [ticket] = sent_to(calls, TEAM)
    assert thread_of(ticket) is None and "🎫 #1" in ticket.plain
    assert "replies to these messages" in ticket.plain
    await press(bot, ticket, "✋ Claim #1", user_id=MOD)
    await drain(bot)
    answer = "A diary of food and flares helps the GP."
    assert Harness.replies(await in_topic(bot, answer, None, reply_to=bot_message(ticket))) == []
    [reply] = sent_to(await drain(bot), PERSON)
    assert answer in reply.plain
    # The next message does not ask Telegram for a topic again straight away.
    await bot.send("Thank you!")
    calls = await drain(bot)
    assert [c.method for c in calls if c.method == "createForumTopic"] == []
    assert "Thank you!" in sent_to(calls, TEAM)[0].plain and refused


async def test_a_moderator_who_asks_the_team_is_not_their_own_team(team: Harness) -> None:
    """Without a supergroup a moderator's own question goes to the others only; here, in the
    supergroup, it is a ticket like any other, without their id."""
    bot = team
    await bot.send("/human", chat_id=MOD)
    preview = Harness.only_reply(await bot.send("A question of my own", chat_id=MOD))
    await bot.press(data_of(preview, "📨 Send to the team"), chat_id=MOD)
    calls = await drain(bot)
    [ticket] = sent_to(calls, TEAM)
    assert str(MOD) not in str(ticket.params)


async def test_a_message_left_unwritten_is_forgotten_after_an_hour(team: Harness) -> None:
    from tests.team_helpers import NOW

    bot = team
    await bot.send("/human")
    bot.app.bot_data.clock = lambda: NOW + 3601
    answer = Harness.only_reply(await bot.send("is kefir good for eczema?"))
    assert "This card may help" in answer.plain  # a question again, not a message to send
    assert "hm:" not in str(answer.buttons)
