"""Without a supergroup (no BOT_TEAM_CHAT), the owners and moderators who started the bot get
each ticket in their own chat and answer by replying to it; after a claim only the claimer
gets the person's messages. A moderator reaches nothing but the tickets."""

from __future__ import annotations

import json

import pytest

from tests.harness import Harness
from tests.team_helpers import (
    MOD,
    MOD2,
    OWNER,
    PERSON,
    bot_message,
    drain,
    moderators,
    press,
    sent_to,
)
from tests.test_reminder_setup import data_of

QUESTION = "Does anyone else's child scratch more at night? We're exhausted."


@pytest.fixture
async def team(bot: Harness) -> Harness:
    """Unlike conftest's `team`, no supergroup: the tickets go to the team's own chats."""
    await moderators(bot)
    return bot


async def reply_to(bot: Harness, chat_id: int, call_result: dict, text: str,  # type: ignore[type-arg]
                   first_name: str = "Ana") -> list:  # type: ignore[type-arg]
    message = bot.message(text, chat_id=chat_id, first_name=first_name,
                          reply_to_message=call_result)
    return await bot.feed({"message": message})


async def ask(bot: Harness, text: str = QUESTION, chat_id: int = PERSON) -> dict[int, object]:
    """The person asks; returns each team member's copy of the ticket, by chat."""
    await bot.send("/human", chat_id=chat_id)
    preview = Harness.only_reply(await bot.send(text, chat_id=chat_id))
    await bot.press(data_of(preview, "📨 Send to the team"), chat_id=chat_id)
    calls = await drain(bot)
    return {c.chat_id: c for c in calls if c.method == "sendMessage" and c.chat_id != chat_id}


async def test_each_moderator_gets_the_ticket_and_the_claimer_answers_by_replying(
        team: Harness) -> None:
    bot = team
    copies = await ask(bot)
    assert sorted(copies) == sorted([OWNER, MOD, MOD2])
    assert not [c for c in bot.api.calls if c.method == "createForumTopic"]
    ana = copies[MOD]
    assert ana.plain.startswith("🎫 #1 · someone (no name shared) asks the team")  # type: ignore
    assert "replies to these messages" in ana.plain  # type: ignore[attr-defined]
    # Ben answers before anyone claimed it: not sent.
    early = Harness.only_reply(await reply_to(bot, MOD2, bot_message(copies[MOD2]),  # type: ignore
                                              "Hi!", first_name="Ben"))
    assert "claim #1 first" in early.plain
    # Ana claims on her copy; the owner's claim on his is refused.
    claimed = await press(bot, ana, "✋ Claim #1", user_id=MOD)  # type: ignore[arg-type]
    assert "Claimed by Ana" in Harness.only_reply(claimed).plain
    refused = await press(bot, copies[OWNER], "✋ Claim #1", user_id=OWNER)  # type: ignore
    assert refused[-1].params["text"] == "A teammate has claimed this one already."
    await drain(bot)

    answer = "Yes, nights are the hardest for many families. Cool, breathable cotton helps some."
    calls = await reply_to(bot, MOD, bot_message(ana), answer)  # type: ignore[arg-type]
    assert Harness.replies(calls) == []
    [to_person] = sent_to(await drain(bot), PERSON)
    assert answer in to_person.plain and to_person.plain.startswith("💬 The community team · #1")

    # After the claim, the person's messages go to Ana alone; she answers that one too.
    await bot.send("Thanks. He's 3, if that matters.")
    calls = await drain(bot)
    relayed = [c for c in calls if c.method == "sendMessage"]
    assert [c.chat_id for c in relayed] == [MOD]
    assert relayed[0].plain.startswith("🎫 #1 · they wrote:")
    await reply_to(bot, MOD, bot_message(relayed[0]), "At 3 that's very common.")
    [again] = sent_to(await drain(bot), PERSON)
    assert "At 3 that's very common." in again.plain

    # The owner replying to his own copy: a teammate has it, nothing reaches the person.
    other = Harness.only_reply(await reply_to(bot, OWNER, bot_message(copies[OWNER]),  # type: ignore
                                              "I'd add..."))
    assert "a teammate has claimed #1" in other.plain
    # /cancel as a reply to the ticket closes it from the team's side.
    closed = Harness.only_reply(await reply_to(bot, MOD, bot_message(ana), "/cancel"))  # type: ignore
    assert closed.plain.startswith("✖️ #1 is closed.")
    [note] = sent_to(await drain(bot), PERSON)
    assert "closed by the team" in note.plain
    assert bot.rows("SELECT status, closed_by, claimed_by FROM tickets") == [
        ("closed", "team", MOD)]


async def test_a_moderator_reaches_nothing_but_the_tickets(team: Harness) -> None:
    """Another chat's data, another moderator's conversation, a ticket that is not there, a
    forged button: all refused, and nothing changes."""
    bot = team
    copies = await ask(bot)
    await press(bot, copies[MOD], "✋ Claim #1", user_id=MOD)  # type: ignore[arg-type]
    await drain(bot)
    # A second person's ticket, claimed by Ben.
    other_person = 5550002
    await bot.send("/start", chat_id=other_person)
    second = await ask(bot, "private worry about my skin", chat_id=other_person)
    await press(bot, second[MOD2], "✋ Claim #2", user_id=MOD2, first_name="Ben")  # type: ignore
    await drain(bot)
    before = bot.snapshot()

    # Ana writes into Ben's conversation (replying to her own copy of #2): refused.
    refused = Harness.only_reply(await reply_to(bot, MOD, bot_message(second[MOD]),  # type: ignore
                                                "let me see"))
    assert "a teammate has claimed #2" in refused.plain
    # A forged "send anyway" for a message that is not hers and not held: refused.
    person_message = bot.rows("SELECT id FROM ticket_messages WHERE ticket_id = 2")[0][0]
    forged = Harness.only_reply(await bot.press(f"tk:2:send:{person_message}", chat_id=MOD))
    assert "no longer waiting" in forged.plain
    # A ticket number that does not exist is no ticket: her text is just a question.
    fake = bot.message("🎫 #99 · someone asks the team", chat_id=MOD)
    fake["from"] = {"id": 7000000001, "is_bot": True, "first_name": "Bot"}
    answer = Harness.only_reply(await reply_to(bot, MOD, fake, "is kefir good for eczema?"))
    assert "🎫" not in answer.plain
    # A person (not a moderator) pressing the team's buttons gets the unknown-command answer.
    stranger = Harness.only_reply(await bot.press("tk:1:claim", chat_id=5550003))
    assert "I don't know that command" in stranger.plain
    await drain(bot)
    after = bot.snapshot()
    # Her own question (kept for /gaps, and its number), last seen, the stranger's first
    # visit: nothing else changed.
    for table in ("answer_feedback", "sqlite_sequence", "chats", "setup_state"):
        after.pop(table)
        before.pop(table)
    assert after == before
    # Ana's /mydata holds what she wrote as a moderator, never a person's words.
    calls = await bot.send("/mydata", chat_id=MOD)
    [file] = [c for c in calls if c.method == "sendDocument"]
    exported = json.loads(next(iter(file.files.values())))
    assert "private worry" not in json.dumps(exported) and QUESTION not in json.dumps(exported)


async def test_without_set_hours_the_person_is_told_so(team: Harness) -> None:
    intro = Harness.only_reply(await team.send("/human"))
    assert "The team has no set hours: they answer when they can. It's 23:10 for them (UTC)." \
        in intro.plain


async def test_a_moderator_who_asks_the_team_does_not_get_their_own_ticket(
        team: Harness) -> None:
    copies = await ask(team, "A question of my own, as a parent.", chat_id=MOD)
    assert sorted(copies) == sorted([OWNER, MOD2])
