"""Setting up reminders by buttons, by typing, in one line; bad input changes nothing."""

from __future__ import annotations

import pytest

from bot.library.model import Library
from bot.telegram.offline import ApiCall
from tests.harness import USER_ID, Harness
from tests.test_reminder_times import at

NOW = at("Europe/London", "2026-11-24T09:00")


@pytest.fixture
def clock(bot: Harness) -> Harness:
    bot.app.bot_data.clock = lambda: NOW
    return bot


def data_of(reply, label: str) -> str:  # type: ignore[no-untyped-def]
    for row in reply.buttons:
        for button in row:
            if button["text"] == label:
                return button["callback_data"]
    raise AssertionError(f"no button {label!r} in {reply.button_labels}")


def zone_step(calls: list[ApiCall]) -> ApiCall:
    """The zone question and, beside it in a private chat, the "Share my location" keyboard
    (a message carries inline buttons or a reply keyboard, not both)."""
    question, offer = Harness.replies(calls)
    assert "Which time zone" in question.plain
    assert [k["text"] for k in offer.keys] == ["📍 Share my location"]
    assert offer.keys[0]["request_location"] is True
    return question


def after_zone(calls: list[ApiCall]) -> ApiCall:
    """Where the location keyboard was offered: the zone said back in a message that takes
    the keyboard away, then the next step."""
    noted, following = Harness.replies(calls)
    assert noted.removes_keys and "Time zone" in noted.plain
    assert not following.keys
    return following


def schedule(bot: Harness) -> list[tuple[object, ...]]:
    return bot.rows("SELECT s.kind, s.local_minute, s.days, c.timezone FROM schedules s "
                    "JOIN chats c ON c.id = s.chat_id")


async def test_buttons_all_the_way(clock: Harness) -> None:
    bot = clock
    ask_time = Harness.only_reply(await bot.send("/remind"))
    assert "What time" in ask_time.plain
    ask_zone = zone_step(await bot.press(data_of(ask_time, "08:00")))
    assert "🇬🇧 UK" in ask_zone.button_labels
    ask_days = after_zone(await bot.press(data_of(ask_zone, "🇬🇧 UK")))
    assert ask_days.button_labels == ["Every day", "Weekdays", "Weekends", "Choose days…"]
    done = Harness.only_reply(await bot.press(data_of(ask_days, "Weekdays")))
    assert "on weekdays at 08:00 (Europe/London)" in done.plain
    assert "Wed 25 Nov, 08:00" in done.plain  # today's 08:00 has passed
    assert schedule(bot) == [("card", 480, 31, "Europe/London")]


async def test_typed_time_zone_and_chosen_days(clock: Harness) -> None:
    bot = clock
    await bot.send("/remind")
    ask_zone = zone_step(await bot.send("7.30pm"))
    assert "19:30" in ask_zone.plain
    ask_days = after_zone(await bot.send("sydney"))
    picker = Harness.only_reply(await bot.press(data_of(ask_days, "Choose days…")))
    picker = Harness.only_reply(await bot.press(data_of(picker, "Mon")))
    picker = Harness.only_reply(await bot.press(data_of(picker, "Wed")))
    assert "✅ Mon" in picker.button_labels and "Mon, Wed" in picker.plain
    done = Harness.only_reply(await bot.press(data_of(picker, "✅ Done")))
    assert "on Mon, Wed at 19:30 (Australia/Sydney)" in done.plain
    assert schedule(bot) == [("card", 19 * 60 + 30, 0b101, "Australia/Sydney")]


@pytest.mark.parametrize(("line", "minute", "zone"), [
    ("08:00 Europe/London", 480, "Europe/London"),
    ("8am UTC+10", 480, "UTC+10:00"),
    ("19:30 new york", 1170, "America/New_York"),
    ("6.45pm nz", 1125, "Pacific/Auckland"),
])
async def test_one_line_form(clock: Harness, line: str, minute: int, zone: str) -> None:
    reply = Harness.only_reply(await clock.send(f"/remind {line}"))
    assert "All set" in reply.plain
    assert schedule(clock) == [("card", minute, 127, zone)]


async def test_card_button_leads_to_reminders(clock: Harness, library: Library) -> None:
    card = library.reading_order()[0]
    shown = Harness.only_reply(await clock.send(f"/card {card.id}"))
    reply = Harness.only_reply(await clock.press(data_of(shown, "⏰ Daily reminders")))
    assert "What time" in reply.plain


@pytest.mark.parametrize("typed", ["25:00", "8:75", "tomorrow", "13pm", "-1"])
async def test_a_bad_time_says_what_is_accepted(clock: Harness, typed: str) -> None:
    await clock.send("/remind 07:00 London")
    before = clock.snapshot()
    await clock.send("/remind")
    reply = Harness.only_reply(await clock.send(typed))
    assert "isn't a time I can read" in reply.plain and "7.30pm" in reply.plain
    assert "nothing has changed" in reply.plain
    assert clock.snapshot() == before


@pytest.mark.parametrize("line", ["25:00 London", "8:75 UTC", "tomorrow banana",
                                  "08:00 Mars/Olympus", "08:00 UTC+99"])
async def test_a_bad_one_line_form_changes_nothing(clock: Harness, line: str) -> None:
    await clock.send("/remind 07:00 London")
    before = clock.snapshot()
    reply = Harness.only_reply(await clock.send(f"/remind {line}"))
    assert "nothing has changed" in reply.plain
    assert clock.snapshot() == before


async def test_a_line_without_a_time_asks_for_one_and_changes_nothing(clock: Harness) -> None:
    await clock.send("/remind 07:00 London")
    before = clock.snapshot()
    # (Not "tomorrow Sydney": one day alone is refused, tests/test_one_off_requests.py.)
    reply = Harness.only_reply(await clock.send("/remind weekends Sydney"))
    assert "What time" in reply.plain
    assert clock.snapshot() == before


async def test_an_unknown_zone_is_refused(clock: Harness) -> None:
    await clock.send("/remind")
    await clock.send("8")
    before = clock.snapshot()
    reply = Harness.only_reply(await clock.send("Atlantis"))
    assert "don't know the time zone “Atlantis”" in reply.plain
    assert clock.snapshot() == before


@pytest.mark.parametrize("arg", ["-1", "99999", "0", "soon", "3.5"])
async def test_bad_pause_lengths(clock: Harness, arg: str) -> None:
    await clock.send("/remind 07:00 London")
    before = clock.snapshot()
    reply = Harness.only_reply(await clock.send(f"/pause {arg}"))
    assert "can't pause" in reply.plain and "1 to 365" in reply.plain
    assert clock.snapshot() == before


async def test_a_button_from_an_old_settings_message_changes_nothing(clock: Harness) -> None:
    bot = clock
    old = Harness.only_reply(await bot.send("/remind"))
    await bot.send("/remind 07:00 London")  # a newer set-up finished meanwhile
    before = bot.snapshot()
    reply = Harness.only_reply(await bot.press(data_of(old, "08:00")))
    assert "older settings message" in reply.plain
    assert bot.snapshot() == before
    forged = Harness.only_reply(await bot.press("rd:beef:0"))
    assert "older settings message" in forged.plain
    assert bot.snapshot() == before


async def test_pause_resume_stop_and_start_again(clock: Harness) -> None:
    bot = clock
    await bot.send("/remind 08:00 London")
    paused = Harness.only_reply(await bot.send("/pause 3"))
    assert "until Fri 27 Nov, 09:00" in paused.plain
    due = bot.rows("SELECT next_due FROM schedules")[0][0]
    assert due * 60 >= NOW + 3 * 86400
    resumed = Harness.only_reply(await bot.send("/resume"))
    assert "Wed 25 Nov, 08:00" in resumed.plain
    await bot.app.bot_data.db.execute(
        "INSERT INTO outbox (chat_id, kind, dedupe_key, payload, not_before, created) "
        "VALUES (?, 'card', 'k', 'x', 0, 0)", (USER_ID,))
    stopped = Harness.only_reply(await bot.send("STOP"))
    assert "/start" in stopped.plain
    assert bot.rows("SELECT status FROM chats") == [("stopped",)]
    assert bot.rows("SELECT next_due FROM schedules") == [(None,)]
    assert bot.rows("SELECT status FROM outbox") == [("cancelled",)]
    calls = await bot.send("/start")
    texts = [c.plain for c in Harness.replies(calls)]
    assert "reminders are on again" in texts[0] and texts[1].startswith("Hi Sam")
    assert bot.rows("SELECT status FROM chats") == [("active",)]


async def test_only_group_admins_change_group_reminders(clock: Harness) -> None:
    bot = clock
    group = -100555
    bot.api.administrators[group] = {42}
    refused = Harness.only_reply(await bot.send("/remind 08:00 London", chat_id=group,
                                                chat_type="supergroup", user_id=77))
    assert "Only this group's admins" in refused.plain
    assert bot.rows("SELECT COUNT(*) FROM schedules") == [(0,)]
    ok = Harness.only_reply(await bot.send("/remind 08:00 London", chat_id=group,
                                           chat_type="supergroup", user_id=42))
    assert "All set" in ok.plain
    assert bot.rows("SELECT chat_id FROM schedules") == [(group,)]
    refused = Harness.only_reply(await bot.send("/stop", chat_id=group, chat_type="supergroup",
                                                user_id=77))
    assert "Only this group's admins" in refused.plain


async def test_reminders_overview_lists_everything(clock: Harness) -> None:
    bot = clock
    empty = Harness.only_reply(await bot.send("/reminders"))
    assert "don't have any reminders" in empty.plain
    await bot.send("/remind 08:00 London")
    overview = Harness.only_reply(await bot.send("/reminders"))
    assert "every day at 08:00" in overview.plain and "Europe/London" in overview.plain
    assert "⏸ Pause 3 days" in overview.button_labels and "🛑 Stop all" in overview.button_labels


async def test_a_chat_that_blocked_the_bot_gets_reminders_back_when_it_writes(
    clock: Harness
) -> None:
    from bot.store import chats

    bot = clock
    await bot.send("/remind 08:00 London")
    await chats.mark_unreachable(bot.app.bot_data.db, USER_ID)  # the sender met a 403
    assert bot.rows("SELECT status FROM chats") == [("blocked",)]
    assert bot.rows("SELECT next_due FROM schedules") == [(None,)]
    await bot.send("/topics")  # they unblocked the bot and wrote again
    assert bot.rows("SELECT status FROM chats") == [("active",)]
    due = bot.rows("SELECT next_due FROM schedules")[0][0]
    assert due == at("Europe/London", "2026-11-25T08:00") // 60


async def test_a_channel_subscribes_by_a_post_from_its_admins(clock: Harness) -> None:
    bot = clock
    post = bot.message("/remind 08:00 London", chat_id=-1009, chat_type="channel")
    post.pop("from")  # channel posts have no sender
    reply = Harness.only_reply(await bot.feed({"channel_post": post}))
    assert "All set" in reply.plain and reply.chat_id == -1009
    assert bot.rows("SELECT chat_id, kind FROM schedules") == [(-1009, "card")]
    assert bot.rows("SELECT kind FROM chats") == [("channel",)]


async def test_editing_a_command_does_not_run_it_again(clock: Harness) -> None:
    bot = clock
    edited = bot.message("/remind 09:00 London")
    assert Harness.replies(await bot.feed({"edited_message": edited})) == []
    assert bot.rows("SELECT COUNT(*) FROM schedules") == [(0,)]


async def test_changing_only_the_time_keeps_zone_and_days(clock: Harness) -> None:
    bot = clock
    await bot.send("/remind 07:00 Sydney")
    await bot.app.bot_data.db.execute("UPDATE schedules SET days = 31")
    overview = Harness.only_reply(await bot.send("/reminders"))
    ask = Harness.only_reply(await bot.press(data_of(overview, "⏰ Change time")))
    assert "What time" in ask.plain
    done = Harness.only_reply(await bot.send("6.30am"))
    assert "on weekdays at 06:30 (Australia/Sydney)" in done.plain
    assert schedule(bot) == [("card", 390, 31, "Australia/Sydney")]
    ask = zone_step(await bot.press(data_of(
        Harness.only_reply(await bot.send("/reminders")), "🌍 Change time zone")))
    done = after_zone(await bot.press(data_of(ask, "🇳🇿 New Zealand")))
    assert "on weekdays at 06:30 (Pacific/Auckland)" in done.plain


async def test_keeping_the_saved_zone_in_a_new_set_up(clock: Harness) -> None:
    bot = clock
    await bot.send("/remind 07:00 Sydney")
    await bot.send("/remind")
    ask_zone = zone_step(await bot.send("9pm"))
    ask_days = after_zone(await bot.press(data_of(ask_zone, "Keep Australia/Sydney")))
    done = Harness.only_reply(await bot.press(data_of(ask_days, "Every day")))
    assert "every day at 21:00 (Australia/Sydney)" in done.plain


async def test_an_anonymous_group_admin_may_change_the_groups_reminders(clock: Harness) -> None:
    bot = clock
    group = -100777
    post = bot.message("/remind 08:00 London", chat_id=group, chat_type="supergroup",
                       user_id=1087968824)  # Telegram's stand-in user for anonymous admins
    post["sender_chat"] = {"id": group, "type": "supergroup", "title": "Eczema parents"}
    reply = Harness.only_reply(await bot.feed({"message": post}))
    assert "All set" in reply.plain
    assert bot.rows("SELECT chat_id FROM schedules") == [(group,)]
