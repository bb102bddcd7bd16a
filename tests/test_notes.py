"""/note keeps a short dated note between skin checks, /notes lists them and deletes them one
by one, and they are the person's own: /mydata shows them, /forget erases them, /stats never
counts them. The real Application on the offline Bot API and a real SQLite file."""

from __future__ import annotations

import json

from tests.harness import USER_ID, Harness
from tests.test_reminder_delivery import deliver_day, subscribe
from tests.test_reminder_setup import data_of
from tests.test_skin_check import NOW, OWNER, answers_for, at_week, do_check

OTHER = 5550002
# Each test here runs on SQLite and on PostgreSQL (tests/conftest.py).
BOTH_ENGINES = True


def notes_rows(bot: Harness) -> list[tuple[object, ...]]:
    return bot.rows("SELECT chat_id, day, text FROM notes ORDER BY id")


async def test_a_note_typed_with_the_command_is_kept_with_its_day(bot: Harness) -> None:
    at_week(bot, 0)  # Sunday 22 November 2026, 10:00 UTC
    saved = Harness.only_reply(await bot.send("/note   flare after   swimming"))
    assert saved.plain.startswith("📝 Noted for Sun 22 Nov: “flare after swimming”")
    assert "1 note so far" in saved.plain
    assert saved.button_labels == ["📋 My notes", "📝 Add a note"]
    assert notes_rows(bot) == [(USER_ID, "2026-11-22", "flare after swimming")]
    # The day is the chat's own: at 23:30 in Sydney it is already Monday.
    await bot.send("/remind 8am Sydney")
    bot.app.bot_data.clock = lambda: NOW + 3 * 3600
    await bot.send("/note started new cream")
    assert notes_rows(bot)[-1] == (USER_ID, "2026-11-23", "started new cream")


async def test_note_alone_asks_and_the_next_message_is_the_note(bot: Harness) -> None:
    at_week(bot, 0)
    asked = Harness.only_reply(await bot.send("/note"))
    assert "📝 A note for Sun 22 Nov" in asked.plain
    assert "What would you like to note?" in asked.plain
    saved = Harness.only_reply(await bot.send("slept through 🎉"))
    assert "Noted for Sun 22 Nov: “slept through 🎉”" in saved.plain
    # The question is answered once: the next message is a question again, not a note.
    await bot.send("is kefir good for eczema?")
    assert [r[2] for r in notes_rows(bot)] == ["slept through 🎉"]
    # /cancel while a note is awaited keeps nothing.
    await bot.send("/note")
    stopped = Harness.only_reply(await bot.send("/cancel"))
    assert "Stopped: no note was kept." in stopped.plain
    assert len(notes_rows(bot)) == 1


async def test_a_long_note_is_asked_to_be_shorter(bot: Harness) -> None:
    at_week(bot, 0)
    long = "itchy " * 40
    refused = Harness.only_reply(await bot.send(f"/note {long}"))
    assert "That note is 239 characters long. Notes keep to 200" in refused.plain
    assert notes_rows(bot) == []
    saved = Harness.only_reply(await bot.send("itchy all week"))  # the shorter one
    assert "Noted" in saved.plain and notes_rows(bot)[0][2] == "itchy all week"


async def test_add_a_note_under_the_skin_result_and_the_daily_card(bot: Harness) -> None:
    at_week(bot, 0)
    result, _ = await do_check(bot, answers_for(9))
    assert "📝 Add a note" in result.button_labels
    asked = Harness.only_reply(await bot.press(data_of(result, "📝 Add a note")))
    assert "What would you like to note?" in asked.plain
    await bot.send("new detergent this week")
    await subscribe(bot)
    [card] = await deliver_day(bot, "2026-11-01")
    asked = Harness.only_reply(await bot.press(data_of(card, "📝 Add a note")))
    assert "What would you like to note?" in asked.plain
    await bot.send("grandma's house, wool blanket")
    assert [r[2] for r in notes_rows(bot)] == ["new detergent this week",
                                              "grandma's house, wool blanket"]


async def test_notes_are_listed_newest_first_and_deleted_one_by_one(bot: Harness) -> None:
    for week, text in enumerate(["flare after swimming", "started new cream from the GP",
                                 "slept through"]):
        at_week(bot, week)
        await bot.send(f"/note {text}")
    listed = Harness.only_reply(await bot.send("/notes"))
    plain = listed.plain
    assert "📋 Your notes (3)" in plain
    assert plain.index("slept through") < plain.index("started new cream") < \
        plain.index("flare after swimming")
    assert listed.button_labels == ["🗑 Sun 6 Dec: slept through",
                                    "🗑 Sun 29 Nov: started new cream fro…",
                                    "🗑 Sun 22 Nov: flare after swimming", "📝 Add a note"]
    # Another chat cannot delete it with the same button.
    forged = data_of(listed, "🗑 Sun 29 Nov: started new cream fro…")
    await bot.send("/start", chat_id=OTHER)
    await bot.press(forged, chat_id=OTHER)
    assert len(notes_rows(bot)) == 3
    after = Harness.only_reply(await bot.press(forged))
    assert after.method == "editMessageText"
    assert "🗑 Deleted your note of Sun 29 Nov." in after.plain
    assert "📋 Your notes (2)" in after.plain and "started new cream" not in after.plain
    assert [r[2] for r in notes_rows(bot)] == ["flare after swimming", "slept through"]
    again = Harness.only_reply(await bot.press(forged))
    assert "That note had already been deleted." in again.plain
    assert len(notes_rows(bot)) == 2


async def test_many_notes_page_by_page(bot: Harness) -> None:
    at_week(bot, 0)
    for n in range(11):
        await bot.send(f"/note note number {n}")
    first = Harness.only_reply(await bot.send("/note list"))
    assert "Newest first: 1 to 8 of 11." in first.plain
    assert "note number 10" in first.plain and "note number 2" not in first.plain
    older = Harness.only_reply(await bot.press(data_of(first, "Older ▶")))
    assert "Newest first: 9 to 11 of 11." in older.plain and "note number 0" in older.plain
    assert "◀ Newer" in older.button_labels


async def test_notes_are_private_and_the_persons_own(bot: Harness) -> None:
    group = Harness.only_reply(await bot.send("/note flare", chat_id=-100777,
                                              chat_type="supergroup"))
    assert "only work in a private chat" in group.plain
    at_week(bot, 0)
    await bot.send("/note flare after swimming")
    await bot.send("/note started new cream")
    shown = Harness.only_reply(await bot.send("/mydata"))
    assert "Notes (2): 2026-11-22 “flare after swimming”; 2026-11-22 “started new cream”" \
        in shown.plain
    [file] = [c for c in bot.api.calls if c.method == "sendDocument"]
    exported = json.loads(file.files["document"])
    assert [n["text"] for n in exported["tables"]["notes"]] == ["flare after swimming",
                                                                "started new cream"]
    # Moderators' /stats stays counts only: no note, nothing a person wrote.
    stats = Harness.only_reply(await bot.send("/stats", chat_id=OWNER))
    assert "swimming" not in stats.plain and "cream" not in stats.plain
    told = Harness.only_reply(await bot.send("/privacy")).plain
    assert "Your notes (/note), each with its date" in told
    assert "Reports (/report) are made when you ask, sent to you, and not kept" in told
    ask = Harness.only_reply(await bot.send("/forget"))
    assert "skin checks, notes, the cards" in ask.plain
    await bot.press(data_of(ask, "🗑 Yes, erase everything"))
    assert notes_rows(bot) == []


async def test_an_urgent_note_gets_urgent_care_first(bot: Harness) -> None:
    at_week(bot, 0)
    await bot.send("/note")
    urgent = Harness.replies(await bot.send("her skin is weeping yellow crusts and she has "
                                            "a fever"))
    # The same-day guidance first; the note is kept, for the doctor, in a message of its own.
    assert "same day" in urgent[0].plain.lower() or "today" in urgent[0].plain.lower()
    assert "Noted for Sun 22 Nov" in urgent[1].plain
    assert len(notes_rows(bot)) == 1
    # An emergency gets its reply alone, and nothing is kept.
    emergency = Harness.replies(await bot.send("/note my child can't breathe, lips swelling"))
    assert len(emergency) == 1 and "Noted" not in emergency[0].plain
    assert len(notes_rows(bot)) == 1
