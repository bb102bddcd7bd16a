"""/privacy in plain words, and /mydata's file: every record kept, as JSON, with a caption
that carries the disclaimer like every message."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from bot.store import feedback, outbox
from bot.telegram.offline import ApiCall
from tests.harness import USER_ID, Harness
from tests.test_reminder_setup import data_of

OWNER = 9000001  # BOT_ADMIN_IDS in conftest
MOD = 9000002


def the_file(calls: list[ApiCall]) -> dict[str, Any]:
    [sent] = [c for c in calls if c.method == "sendDocument"]
    assert sent.params["parse_mode"] == "HTML"  # the caption was checked by the harness
    assert "📎 The same as a file" in sent.plain
    document: dict[str, Any] = json.loads(sent.files["document"])
    return document


async def test_privacy_says_what_is_kept_why_how_long_and_who_sees_it(bot: Harness) -> None:
    shown = Harness.only_reply(await bot.send("/privacy")).plain
    for words in ("reminder time, days, time zone", "The cards you've read",
                  "habit check-in answers", "weekly skin checks",
                  f"kept for {feedback.KEEP_DAYS} days",
                  f"Notes of sent messages are deleted after {outbox.KEEP_DAYS} days",
                  "I don't keep your name, your username or the messages you write, except the "
                  "questions below",
                  "see only counts", "never what you wrote",
                  "/mydata shows all of it and sends it as a file", "/forget erases all of it",
                  "overwritten on disk"):
        assert words in shown, words
    assert "Sentry" not in shown  # no SENTRY_DSN here
    assert "/privacy" in Harness.only_reply(await bot.send("/help")).plain


async def test_mydata_sends_every_record_as_a_json_file(bot: Harness) -> None:
    await bot.send("/remind 8am London")
    await bot.send("/card fibre-gentle-start")
    calls = await bot.send("/mydata")
    assert Harness.only_reply(calls).plain.startswith("🔒 What I keep about this chat")
    assert [c.method for c in calls].index("sendDocument") > [c.method for c in calls].index(
        "sendMessage")  # the file follows the text
    document = the_file(calls)
    assert document["chat_id"] == USER_ID
    tables = document["tables"]
    [chat] = tables["chats"]
    assert (chat["id"], chat["timezone"], chat["kind"]) == (USER_ID, "Europe/London", "private")
    # Times a person can read (issue 21): ISO 8601 in UTC, day names, the time of day.
    [schedule] = tables["schedules"]
    assert (schedule["kind"], schedule["time"], schedule["days"]) == (
        "card", "08:00", ["mon", "tue", "wed", "thu", "fri", "sat", "sun"])
    assert "local_minute" not in schedule
    [(due_minute, seen)] = bot.rows(
        "SELECT s.next_due, c.first_seen FROM schedules s JOIN chats c ON c.id = s.chat_id")
    assert schedule["next_due"] == datetime.fromtimestamp(due_minute * 60, UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ")
    assert schedule["next_due"].endswith(":00:00Z")  # 08:00 in London is on the hour in UTC
    assert chat["first_seen"] == datetime.fromtimestamp(seen, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", document["exported_at"])
    assert "ISO 8601" in document["about"] and "seconds" not in document["about"]
    for row in tables["card_views"]:
        assert row["first_read"].endswith("Z") and row["last_read"].endswith("Z")
    assert [r["card_id"] for r in tables["card_views"]] == ["fibre-gentle-start"]
    assert "moderators" not in tables and "claimed_by" not in json.dumps(document)
    # Exactly what the database holds for this chat, row for row.
    assert bot.rows("SELECT id, timezone FROM chats") == [(USER_ID, "Europe/London")]
    assert len(tables["card_views"]) == bot.rows("SELECT COUNT(*) FROM card_views")[0][0]


async def test_a_moderators_file_holds_what_they_did_and_forget_leaves_no_file(
        bot: Harness) -> None:
    await bot.send(f"/mod add {MOD}", chat_id=OWNER)
    await bot.send("/start", chat_id=MOD)
    tables = the_file(await bot.send("/mydata", chat_id=MOD))["tables"]
    assert [r["user_id"] for r in tables["moderators"]] == [MOD]
    assert "audit_log" not in tables  # they have done nothing as a moderator yet
    owner = the_file(await bot.send("/mydata", chat_id=OWNER))["tables"]
    assert [(r["action"], r["detail"]) for r in owner["audit_log"]] == [("mod add", str(MOD))]

    nothing = await bot.send("/mydata")  # a chat with no record at all: no file
    assert [c.method for c in nothing] == ["sendMessage"]
    shown = Harness.only_reply(await bot.send("/mydata", chat_id=MOD))
    ask = Harness.only_reply(await bot.press(data_of(shown, "🗑 Erase my data…"), chat_id=MOD))
    await bot.press(data_of(ask, "🗑 Yes, erase everything"), chat_id=MOD)
    after = await bot.send("/mydata", chat_id=MOD)
    assert [c.method for c in after] == ["sendMessage"]  # nothing kept: no file
    assert "no record" in after[0].plain
