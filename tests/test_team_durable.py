"""Durable and multi-instance: a restart mid-conversation loses nothing and sends nothing
twice; on PostgreSQL two instances serving one team see one claim win."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from bot.app import build_application, running
from bot.config import load_settings
from bot.delivery.sender import Limits
from bot.library.model import Library
from bot.store import outbox
from bot.telegram.offline import OfflineBotAPI
from tests.harness import Harness
from tests.team_helpers import (
    MOD,
    MOD2,
    PERSON,
    TEAM,
    drain,
    in_topic,
    moderators,
    press,
    sent_to,
    thread_of,
)
from tests.test_reminder_setup import data_of

ENV = {"BOT_ADMIN_IDS": "9000001", "BOT_TEAM_CHAT": str(TEAM)}


@contextlib.asynccontextmanager
async def instance(library: Library, api: OfflineBotAPI, db_path: Path,
                   database_url: str | None = None) -> AsyncIterator[Harness]:
    """One bot process, as the `bot` fixture builds it, on a given store and Bot API."""
    env = {**ENV, "BOT_DATABASE": str(db_path)}
    if database_url:
        env["DATABASE_URL"] = database_url
    app = build_application(load_settings(env), library, request=api, background=False,
                            limits=Limits(enabled=False))
    async with running(app):
        yield Harness(app, api, db_path, database_url)


def telegram() -> OfflineBotAPI:
    api = OfflineBotAPI()
    api.forums.add(TEAM)
    return api


async def test_a_restart_mid_conversation_loses_nothing_and_repeats_nothing(
        library: Library, tmp_path: Path) -> None:
    api = telegram()  # Telegram outlives the bot's restarts, topics and all
    db_path = tmp_path / "bot.sqlite3"
    async with instance(library, api, db_path) as bot:
        await moderators(bot)
        await bot.send("/human")
        preview = Harness.only_reply(await bot.send("Our GP says wet wraps. Any tips?"))
        await bot.press(data_of(preview, "📨 Send to the team"))
        [ticket] = sent_to(await drain(bot), TEAM)
        thread = thread_of(ticket)
        await press(bot, ticket, "✋ Claim #1", user_id=MOD)
        await drain(bot)
        # Ana answers; the bot stops before it is sent, then while the next one is in flight.
        await in_topic(bot, "We put the damp layer on after the cream.", thread)
        await in_topic(bot, "And a dry layer over it.", thread)
        claimed = await outbox.claim_batch(bot.app.bot_data.db, bot.app.bot_data.now(), 1)
        assert [r.kind for r in claimed] == ["team_out"]  # in flight when it stopped
        assert sent_to(api.calls, PERSON)[-1].plain.startswith("🙋")
    async with instance(library, api, db_path) as bot:
        # What the sender does first when it starts (these tests drive it by hand): the row
        # in flight at the stop goes out again.
        assert await outbox.recover(bot.app.bot_data.db) == 1
        calls = await drain(bot)
        replies = [c.plain for c in sent_to(calls, PERSON)]
        assert len(replies) == 2
        assert any("damp layer" in r for r in replies) and any("dry layer" in r for r in replies)
        # The conversation carries on in the same topic, both ways.
        await bot.send("Thank you both, that helps.")
        [relayed] = sent_to(await drain(bot), TEAM)
        assert thread_of(relayed) == thread and "that helps" in relayed.plain
        await in_topic(bot, "Glad to help.", thread)
        assert ["Glad to help." in c.plain for c in sent_to(await drain(bot), PERSON)] == [True]
    # Over both runs each message reached the person once.
    texts = [c.plain for c in sent_to(api.calls, PERSON)]
    for words in ("damp layer", "dry layer", "Glad to help."):
        assert sum(words in t for t in texts) == 1, words


async def test_a_message_being_written_survives_a_restart(library: Library,
                                                           tmp_path: Path) -> None:
    api = telegram()
    db_path = tmp_path / "bot.sqlite3"
    async with instance(library, api, db_path) as bot:
        await moderators(bot)
        await bot.send("/human")
        preview = Harness.only_reply(await bot.send("Is it OK to swim with eczema?"))
    async with instance(library, api, db_path) as bot:
        opened = Harness.only_reply(await bot.press(data_of(preview, "📨 Send to the team")))
        assert "Sent to the team as #1" in opened.plain
        [ticket] = sent_to(await drain(bot), TEAM)
        assert "Is it OK to swim with eczema?" in ticket.plain


async def test_two_instances_on_postgresql_one_claim_wins(library: Library, tmp_path: Path,
                                                          postgres_url: str) -> None:
    api = telegram()  # one Telegram, two bot processes sharing one PostgreSQL
    async with instance(library, api, tmp_path / "a", postgres_url) as first, \
            instance(library, api, tmp_path / "b", postgres_url) as second:
        await moderators(first)
        second.app.bot_data.clock = first.app.bot_data.clock
        await first.send("/human")
        preview = Harness.only_reply(await first.send("Where do you buy cotton gloves?"))
        # The next tap reaches the other instance: the message being written is in the store
        # (PTB writes set-ups there every second).
        await first.app.update_persistence()
        await second.press(data_of(preview, "📨 Send to the team"))
        # Both instances send at once: one message, one topic.
        await asyncio.gather(first.app.bot_data.sender.drain(),
                             second.app.bot_data.sender.drain())
        tickets = [c for c in api.sent(TEAM) if c.method == "sendMessage"]
        assert len(tickets) == 1
        assert len([c for c in api.calls if c.method == "createForumTopic"]) == 1
        ticket = tickets[0]
        # Ana presses Claim on one instance, Ben on the other, at the same moment.
        before = len(api.calls)
        await asyncio.gather(press(first, ticket, "✋ Claim #1", user_id=MOD),
                             press(second, ticket, "✋ Claim #1", user_id=MOD2,
                                   first_name="Ben"))
        notes = sorted(c.params.get("text") or "" for c in api.calls[before:]
                       if c.method == "answerCallbackQuery")
        assert notes == ["A teammate has claimed this one already.",
                         "It's yours: your replies now go to them."]
        claimers = first.rows("SELECT claimed_by FROM tickets")
        assert claimers in ([(MOD,)], [(MOD2,)])
        await asyncio.gather(first.app.bot_data.sender.drain(),
                             second.app.bot_data.sender.drain())
        picked = [c for c in api.sent(PERSON) if "picked up your message" in c.plain]
        assert len(picked) == 1
