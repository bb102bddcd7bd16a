"""/forget by a moderator erases what they did as a moderator too, down to the bytes on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import report_finished_campaigns
from tests.harness import Harness
from tests.test_reminder_setup import data_of
from tests.test_reminder_times import at

OWNER = 9000001  # BOT_ADMIN_IDS in conftest
MOD = 9000002
NOW = at("Europe/London", "2026-11-24T10:00")
DRAFT = "ZEBRA-PRIVATE-7741 notes for the meet-up"
SCHEDULED = "QUOKKA-UNSENT-3310 news"
SENT = "Public news for everyone"


def on_disk(db_path: Path, text: str) -> bool:
    """Whether `text` can be read in the raw bytes of the database or its write-ahead log."""
    needle = text.encode()
    return any(path.exists() and needle in path.read_bytes()
               for path in (db_path, Path(f"{db_path}-wal")))


async def broadcast(bot: Harness, text: str, who: int) -> str:
    """Compose a broadcast; returns the audience menu's 'Only me' button."""
    await bot.send("/broadcast", chat_id=who)
    _, menu = Harness.replies(await bot.send(text, chat_id=who))
    return data_of(menu, "🧪 Only me, as a test")


@pytest.fixture
async def moderated(bot: Harness) -> Harness:
    """An owner who added MOD; MOD has a draft, a scheduled campaign and a sent one."""
    bot.app.bot_data.clock = lambda: NOW
    await bot.send("/start", chat_id=OWNER)
    await bot.send(f"/mod add {MOD}", chat_id=OWNER)
    await bot.send("/remind 8am London", chat_id=MOD)
    sent = Harness.only_reply(await bot.press(await broadcast(bot, SENT, MOD), chat_id=MOD))
    await bot.press(data_of(sent, "🚀 Send now"), chat_id=MOD)
    await bot.app.bot_data.sender.drain()
    scheduled = Harness.only_reply(await bot.press(await broadcast(bot, SCHEDULED, MOD),
                                                   chat_id=MOD))
    await bot.press(data_of(scheduled, "🕒 Schedule…"), chat_id=MOD)
    await bot.send("tomorrow 9am", chat_id=MOD)
    await broadcast(bot, DRAFT, MOD)
    assert bot.rows("SELECT status, created_by FROM campaigns ORDER BY id") == [
        ("running", MOD), ("scheduled", MOD), ("draft", MOD)]
    assert bot.rows("SELECT actor, action FROM audit_log ORDER BY id") == [
        (OWNER, "mod add"), (MOD, "broadcast sent"), (MOD, "broadcast scheduled")]
    return bot


async def test_mydata_shows_a_moderators_rows_and_forget_erases_them(moderated: Harness) -> None:
    bot = moderated
    assert on_disk(bot.db_path, DRAFT)  # before: the draft's text is in the files
    shown = Harness.only_reply(await bot.send("/mydata", chat_id=MOD))
    assert ("As a moderator: on the moderators' list, 3 campaign(s) you wrote (with their "
            "text), 2 entries of yours in the moderators' log") in shown.plain
    ask = Harness.only_reply(await bot.press(data_of(shown, "🗑 Erase my data…"), chat_id=MOD))
    assert "leave the moderators' list" in ask.plain
    done = Harness.only_reply(await bot.press(data_of(ask, "🗑 Yes, erase everything"),
                                              chat_id=MOD))
    assert "erased" in done.plain

    assert bot.rows("SELECT COUNT(*) FROM moderators") == [(0,)]
    # What never went out is gone with its text; what went out stays, without who sent it.
    assert bot.rows("SELECT status, created_by, report_chat, body_html FROM campaigns") == [
        ("running", 0, 0, SENT)]
    assert bot.rows("SELECT actor, action, detail FROM audit_log ORDER BY id") == [
        (OWNER, "mod add", "(erased)"), (0, "broadcast sent", f"#1 “{SENT}” to me"),
        (0, "broadcast scheduled", "#2 for Wed 25 Nov 2026, 09:00 (Europe/London) to me")]
    for table, column in (("chats", "id"), ("outbox", "chat_id"), ("schedules", "chat_id")):
        assert bot.rows(f"SELECT COUNT(*) FROM {table} WHERE {column} = ?", (MOD,)) == [(0,)]
    for text in (DRAFT, SCHEDULED):
        assert not on_disk(bot.db_path, text), text
    # The sent campaign finishes; its report has nobody to go to.
    assert await report_finished_campaigns(bot.app.bot_data) == 1
    assert bot.rows("SELECT COUNT(*) FROM outbox WHERE kind = 'report'") == [(0,)]

    # They are no moderator any more, and nothing is known about them.
    unknown = Harness.only_reply(await bot.send("/frobnicate", chat_id=MOD)).text
    assert Harness.only_reply(await bot.send("/broadcast", chat_id=MOD)).text == unknown
    empty = Harness.only_reply(await bot.send("/mydata", chat_id=MOD))
    assert "no record of this chat" in empty.plain
    log = Harness.only_reply(await bot.send("/audit", chat_id=OWNER))
    assert f"{OWNER} · mod add · (erased)" in log.plain and str(MOD) not in log.plain


async def test_a_moderator_in_the_middle_of_composing_forgets(moderated: Harness) -> None:
    bot = moderated
    await bot.send("/broadcast", chat_id=MOD)
    ask = Harness.only_reply(await bot.send("/forget", chat_id=MOD))
    await bot.press(data_of(ask, "🗑 Yes, erase everything"), chat_id=MOD)
    # The next message is not taken as a broadcast (nor could it be: they are no moderator).
    reply = Harness.only_reply(await bot.send("is kefir good for kids?", chat_id=MOD))
    assert "From the community team" not in reply.plain
    assert bot.rows("SELECT COUNT(*) FROM campaigns WHERE created_by = ?", (MOD,)) == [(0,)]


async def test_an_owner_who_forgets_stays_an_owner(moderated: Harness) -> None:
    bot = moderated
    await broadcast(bot, "OWNER-DRAFT-5521", OWNER)
    ask = Harness.only_reply(await bot.send("/forget", chat_id=OWNER))
    await bot.press(data_of(ask, "🗑 Yes, erase everything"), chat_id=OWNER)
    assert bot.rows("SELECT COUNT(*) FROM audit_log WHERE actor = ?", (OWNER,)) == [(0,)]
    assert bot.rows("SELECT COUNT(*) FROM moderators WHERE added_by = ?", (OWNER,)) == [(0,)]
    assert not on_disk(bot.db_path, "OWNER-DRAFT-5521")
    log = Harness.only_reply(await bot.send("/audit", chat_id=OWNER))  # still an owner
    assert "0 · mod add · 9000002" in log.plain


async def test_forget_in_a_group_leaves_the_admins_own_rows(moderated: Harness) -> None:
    bot = moderated
    group = -100600
    bot.api.administrators[group] = {MOD}
    await bot.send("/remind 8am London", chat_id=group, chat_type="supergroup", user_id=MOD)
    ask = Harness.only_reply(await bot.send("/forget", chat_id=group, chat_type="supergroup",
                                            user_id=MOD))
    assert "moderator" not in ask.plain
    await bot.press(data_of(ask, "🗑 Yes, erase everything"), chat_id=group,
                    chat_type="supergroup", user_id=MOD)
    assert bot.rows("SELECT COUNT(*) FROM chats WHERE id = ?", (group,)) == [(0,)]
    assert bot.rows("SELECT user_id FROM moderators") == [(MOD,)]
    assert bot.rows("SELECT COUNT(*) FROM campaigns WHERE created_by = ?", (MOD,)) == [(3,)]


async def test_the_database_zeroes_what_it_deletes(bot: Harness) -> None:
    assert bot.app.bot_data.db is not None
    row = await bot.app.bot_data.db.fetchone("PRAGMA secure_delete")
    assert row is not None and row[0] == 1
