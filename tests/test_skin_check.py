"""/skin, the weekly skin check (POEM): one tap a question, a score in its range, the change
since last time, a doctor suggested when it matters, the chat's own, and the community
counts moderators see. The real Application on the offline Bot API and a real SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import build_application, running
from bot.config import ConfigError, load_settings
from bot.delivery.sender import Limits
from bot.library.model import Library
from bot.services import skin_checks
from bot.telegram.html import visible_length
from bot.telegram.offline import ApiCall, OfflineBotAPI
from tests.harness import USER_ID, Harness
from tests.test_reminder_delivery import ZONE, deliver_day
from tests.test_reminder_setup import data_of
from tests.test_reminder_times import at

ANSWER = ["No days", "1–2 days", "3–4 days", "5–6 days", "Every day"]
SKIP = "Skip this one"
WEEK = 7 * 86_400
NOW = at("UTC", "2026-11-22T10:00")  # a Sunday
OWNER = 9000001
# Items filled first when building a score: itch, sleep, cracked, flaking, dry, then bleeding
# and weeping, so that scores up to 20 carry no "most days" bleeding or weeping.
FILL_ORDER = (0, 1, 4, 5, 6, 2, 3)


def answers_for(score: int) -> list[int | None]:
    values: list[int | None] = [0] * 7
    left = score
    for item in FILL_ORDER:
        values[item] = min(4, left)
        left -= values[item]  # type: ignore[operator]
    return values


async def do_check(bot: Harness, answers: list[int | None], *, who: str | None = "me",
                   chat_id: int = USER_ID) -> tuple[ApiCall, ApiCall]:
    """Send /skin and tap through all seven questions; return the result and the chart."""
    shown = Harness.only_reply(await bot.send("/skin", chat_id=chat_id))
    if "about you or your child" in shown.plain:
        assert who is not None, "the chat was asked whose skin"
        label = "🙋 About me" if who == "me" else "🧒 About my child"
        shown = Harness.only_reply(await bot.press(data_of(shown, label), chat_id=chat_id))
    replies: list[ApiCall] = []
    for number, value in enumerate(answers, start=1):
        assert f"· {number} of 7" in shown.plain, shown.plain
        label = SKIP if value is None else ANSWER[value]
        replies = Harness.replies(await bot.press(data_of(shown, label), chat_id=chat_id))
        shown = replies[0]
    result, chart = replies
    assert result.method == "editMessageText" and chart.method == "sendPhoto"
    return result, chart


def at_week(bot: Harness, week: int) -> None:
    bot.app.bot_data.clock = lambda: NOW + week * WEEK


# --- the questions ---------------------------------------------------------------------------

async def test_the_first_check_asks_whose_skin_then_seven_questions(bot: Harness) -> None:
    at_week(bot, 0)
    first = Harness.only_reply(await bot.send("/skin"))
    assert "Patient-Oriented Eczema Measure" in first.plain
    assert "the same questionnaire doctors and eczema trials use" in first.plain
    assert first.button_labels == ["🙋 About me", "🧒 About my child"]
    question = Harness.only_reply(await bot.press(data_of(first, "🙋 About me")))
    assert "· 1 of 7" in question.plain and "same ones doctors and eczema trials use" in \
        question.plain
    assert "on how many days has your skin been itchy because of your eczema?" in question.plain
    assert question.button_labels == ANSWER + [SKIP]
    asked = []
    for _ in range(6):
        question = Harness.only_reply(await bot.press(data_of(question, "No days")))
        asked.append(question.plain)
    assert "nights has your sleep been disturbed" in asked[0]
    assert "skin been bleeding" in asked[1]
    assert "weeping or oozing clear fluid" in asked[2]
    assert "skin been cracked" in asked[3] and "flaking off" in asked[4]
    assert "felt dry or rough" in asked[5] and "· 7 of 7" in asked[5]
    # Once chosen, the question is not asked again.
    again = Harness.only_reply(await bot.send("/skin"))
    assert "· 1 of 7" in again.plain and "your skin been itchy" in again.plain


async def test_a_child_check_is_worded_for_the_child(bot: Harness) -> None:
    at_week(bot, 0)
    first = Harness.only_reply(await bot.send("/skin"))
    question = Harness.only_reply(await bot.press(data_of(first, "🧒 About my child")))
    assert "Your child's weekly skin check" in question.plain
    assert "has your child's skin been itchy because of their eczema?" in question.plain
    question = Harness.only_reply(await bot.press(data_of(question, "No days")))
    assert "has your child's sleep been disturbed because of their eczema?" in question.plain
    result, chart = await do_check(bot, [1, 1, 0, 0, 1, 1, 2], who=None)
    assert result.plain.startswith("🩺 Your child's skin check")
    assert "first score I have for your child" in result.plain
    assert "Your child's skin, week by week" in chart.plain
    shown = Harness.only_reply(await bot.send("/mydata"))
    assert "Skin checks (POEM): 1, about your child" in shown.plain
    # /skin me switches it, and the next check says so.
    switched = Harness.only_reply(await bot.send("/skin me"))
    assert "This check is about you" in switched.plain and "child's" not in switched.plain
    assert bot.rows("SELECT about FROM skin_profiles") == [("self",)]


# --- scores and bands ------------------------------------------------------------------------

@pytest.mark.parametrize(("score", "words"), [
    (0, "clear or almost clear"), (2, "clear or almost clear"), (3, "mild"), (7, "mild"),
    (8, "moderate"), (16, "moderate"), (17, "severe"), (24, "severe"), (25, "very severe"),
    (28, "very severe")])
async def test_every_band_boundary(bot: Harness, score: int, words: str) -> None:
    at_week(bot, 0)
    result, _ = await do_check(bot, answers_for(score))
    assert f"Score: {score} out of 28, in the {words} range." in result.plain
    assert bot.rows("SELECT score FROM skin_checks") == [(score,)]
    assert "cured" not in result.plain.lower()


def test_scoring_and_bands_as_plain_functions() -> None:
    for score in range(29):
        expected = ("clear" if score <= 2 else "mild" if score <= 7 else "moderate"
                    if score <= 16 else "severe" if score <= 24 else "very_severe")
        assert skin_checks.band(score).id == expected
        assert skin_checks.score("".join(str(v) for v in answers_for(score))) == score
    with pytest.raises(ValueError):
        skin_checks.band(29)
    assert skin_checks.score("4444-44") == 24  # one unanswered counts as 0
    assert skin_checks.score("444-4-4") is None  # two unanswered: no score
    assert skin_checks.score("44444.4") == 24 and skin_checks.next_item("44444.4") == 5


async def test_one_skipped_question_counts_as_zero(bot: Harness) -> None:
    at_week(bot, 0)
    result, _ = await do_check(bot, [2, 2, 0, 0, None, 2, 2])
    assert "Score: 8 out of 28, in the moderate range." in result.plain
    assert "One question was skipped; POEM counts it as 0." in result.plain
    assert bot.rows("SELECT answers, score FROM skin_checks") == [("2200-22", 8)]


async def test_two_skipped_questions_give_no_score(bot: Harness) -> None:
    at_week(bot, 0)
    await do_check(bot, [1] * 7)
    at_week(bot, 1)
    result, chart = await do_check(bot, [4, None, 1, 1, None, 4, 4])
    assert "No score this time: two or more questions were skipped" in result.plain
    assert "Score:" not in result.plain and "since your last check" not in result.plain
    assert bot.rows("SELECT answers, score FROM skin_checks ORDER BY id")[1] == ("4-11-44", None)
    assert "the latest score is 7 (mild)" in chart.plain  # the last one with a score
    # The next scored check is compared with the last score, 7, a fortnight ago.
    at_week(bot, 2)
    result, _ = await do_check(bot, [2, 1, 0, 0, 1, 1, 2])
    assert "The same score as your last check (Sun 22 Nov)." in result.plain


# --- the change since last time --------------------------------------------------------------

async def test_the_change_since_the_last_check_and_what_it_may_mean(bot: Harness) -> None:
    at_week(bot, 0)
    first, _ = await do_check(bot, answers_for(12))
    assert "This is the first score I have." in first.plain
    assert "what caused" not in first.plain
    at_week(bot, 1)
    down, _ = await do_check(bot, answers_for(9))
    assert "Down 3 points since your last check (Sun 22 Nov: 12)." in down.plain
    assert "A change of about 3 to 4 points is the smallest change people tend to notice" \
        in down.plain
    assert "I can't tell what caused any change" in down.plain
    at_week(bot, 2)
    small, _ = await do_check(bot, answers_for(11))
    assert "Up 2 points since your last check (Sun 29 Nov: 9)." in small.plain
    assert "may just be the usual ups and downs" in small.plain
    at_week(bot, 3)
    one, _ = await do_check(bot, answers_for(10))
    assert "Down 1 point since" in one.plain
    at_week(bot, 4)
    clear, _ = await do_check(bot, answers_for(0))
    assert "in the clear or almost clear range" in clear.plain
    assert "Down 10 points" in clear.plain
    for text in (first, down, small, one, clear):
        assert "cured" not in text.plain.lower() and "thanks to" not in text.plain.lower()
        assert "Worth showing to a doctor" not in text.plain


# --- when to suggest a doctor ----------------------------------------------------------------

DOCTOR = "Worth showing to a doctor."
CANNOT_DIAGNOSE = "I can't diagnose anything"


async def test_a_severe_score_suggests_a_doctor(bot: Harness) -> None:
    at_week(bot, 0)
    result, _ = await do_check(bot, answers_for(17))
    assert DOCTOR in result.plain and CANNOT_DIAGNOSE in result.plain
    assert "This week's answers show a score in the severe range." in result.plain
    assert "GP or dermatologist" in result.plain
    at_week(bot, 1)
    result, _ = await do_check(bot, answers_for(26))
    assert ("a score in the very severe range, a rise of 9 points since the last check and "
            "bleeding on most days.") in result.plain


async def test_a_rise_of_five_in_a_week_suggests_a_doctor(bot: Harness) -> None:
    at_week(bot, 0)
    await do_check(bot, answers_for(3))
    at_week(bot, 1)
    four, _ = await do_check(bot, answers_for(7))
    assert DOCTOR not in four.plain  # up 4: noticeable, not alarming
    at_week(bot, 2)
    five, _ = await do_check(bot, answers_for(12))
    assert DOCTOR in five.plain and CANNOT_DIAGNOSE in five.plain
    assert "a rise of 5 points since the last check" in five.plain


@pytest.mark.parametrize(("item", "words"), [(2, "bleeding on most days"),
                                             (3, "weeping or oozing on most days")])
async def test_bleeding_or_oozing_on_most_days_suggests_a_doctor(bot: Harness, item: int,
                                                                 words: str) -> None:
    at_week(bot, 0)
    answers: list[int | None] = [0] * 7
    answers[item] = 2  # 3-4 days: not yet most days
    result, _ = await do_check(bot, answers)
    assert DOCTOR not in result.plain
    for value in (3, 4):  # 5-6 days, every day
        answers[item] = value
        result, _ = await do_check(bot, answers)
        assert "mild range" in result.plain
        assert f"This week's answers show {words}." in result.plain
        assert CANNOT_DIAGNOSE in result.plain
        fever = "🌡 Weeping with a fever?" in result.button_labels
        assert fever == (item == 3)
        assert ("a fever, crusts or feeling unwell" in result.plain) == (item == 3)


async def test_weeping_with_a_fever_gets_the_same_day_guidance(bot: Harness) -> None:
    at_week(bot, 0)
    await bot.send("/remind 8am London")  # the chat's country: its numbers come first
    result, _ = await do_check(bot, [1, 1, 0, 4, 1, 1, 1])
    guidance = Harness.only_reply(await bot.press(data_of(result, "🌡 Weeping with a fever?")))
    assert "Please see a doctor today." in guidance.plain
    assert "Help today:" in guidance.plain
    assert guidance.plain.index("UK: NHS 111") < guidance.plain.index("US:")  # its own first


# --- buttons that outlive their check, and a restart -----------------------------------------

async def test_old_forged_and_repeated_buttons_change_nothing(bot: Harness) -> None:
    at_week(bot, 0)
    first = Harness.only_reply(await bot.send("/skin"))
    abandoned = Harness.only_reply(await bot.press(data_of(first, "🙋 About me")))
    result, _ = await do_check(bot, [0, 1, 0, 0, 1, 1, 1])
    before = bot.snapshot()
    old = Harness.only_reply(await bot.press(data_of(abandoned, "Every day")))
    assert "belongs to an older skin check" in old.plain
    again = Harness.only_reply(await bot.press(data_of(result, "📅 Offer it every week")))
    assert "Done." in again.plain
    check_id = bot.rows("SELECT id FROM skin_checks")[0][0]
    twice = Harness.only_reply(await bot.press(f"sk:a:{check_id}:6:4"))
    assert "already finished and counted" in twice.plain
    other = Harness.only_reply(await bot.press(f"sk:a:{check_id}:6:4", chat_id=USER_ID + 1))
    assert "belongs to an older skin check" in other.plain  # someone else's check
    for forged in (f"sk:a:{check_id}:7:1", f"sk:a:{check_id}:0:5", "sk:a:1:2", "sk:nope"):
        assert "out of date" in Harness.only_reply(await bot.press(forged)).plain
    after = bot.snapshot()
    assert after["skin_checks"] == before["skin_checks"]


async def test_a_restart_in_the_middle_of_a_check_carries_on(library: Library,
                                                             db_path: Path) -> None:
    settings = load_settings({"BOT_DATABASE": str(db_path)})

    def app_on(api: OfflineBotAPI):  # type: ignore[no-untyped-def]
        app = build_application(settings, library, request=api, background=False,
                                limits=Limits(enabled=False), clock=lambda: NOW)
        return app

    api = OfflineBotAPI()
    async with running(app_on(api)) as app:
        bot = Harness(app, api, db_path)
        shown = Harness.only_reply(await bot.send("/skin"))
        shown = Harness.only_reply(await bot.press(data_of(shown, "🙋 About me")))
        for value in (3, 2, 0):
            shown = Harness.only_reply(await bot.press(data_of(shown, ANSWER[value])))
        assert "· 4 of 7" in shown.plain
    # A new process: nothing in memory, the same database file, the old message's buttons.
    api = OfflineBotAPI()
    async with running(app_on(api)) as app:
        bot = Harness(app, api, db_path)
        shown = Harness.only_reply(await bot.press(data_of(shown, ANSWER[1])))
        assert "· 5 of 7" in shown.plain
        for value in (2, 2, 3):
            replies = Harness.replies(await bot.press(data_of(shown, ANSWER[value])))
            shown = replies[0]
        assert "Score: 13 out of 28, in the moderate range." in shown.plain
        assert bot.rows("SELECT answers, score FROM skin_checks") == [("3201223", 13)]


# --- the person's own ------------------------------------------------------------------------

async def test_mydata_shows_the_checks_and_forget_leaves_no_score(bot: Harness) -> None:
    at_week(bot, 0)
    await do_check(bot, [1, 2, 0, 0, 1, 2, 3])
    at_week(bot, 1)
    await do_check(bot, [1, 1, 0, 0, 1, 1, 2])
    shown = Harness.only_reply(await bot.send("/mydata"))
    assert ("Skin checks (POEM): 2, about you: 2026-11-22 score 9 (answers 1,2,0,0,1,2,3); "
            "2026-11-29 score 6 (answers 1,1,0,0,1,1,2)") in shown.plain
    ask = Harness.only_reply(await bot.press(data_of(shown, "🗑 Erase my data…")))
    assert "skin checks" in ask.plain
    await bot.press(data_of(ask, "🗑 Yes, erase everything"))
    assert bot.rows("SELECT COUNT(*) FROM skin_checks") == [(0,)]
    assert bot.rows("SELECT COUNT(*) FROM skin_profiles") == [(0,)]
    history = Harness.only_reply(await bot.send("/skin history"))
    assert "No skin checks yet" in history.plain
    fresh = Harness.only_reply(await bot.send("/skin"))
    assert "about you or your child" in fresh.plain  # asked again: nothing was kept


async def test_the_check_is_private_and_can_be_switched_off(library: Library,
                                                             db_path: Path) -> None:
    settings = load_settings({"BOT_DATABASE": str(db_path), "BOT_SKIN_CHECK": "off"})
    api = OfflineBotAPI()
    app = build_application(settings, library, request=api, background=False,
                            limits=Limits(enabled=False))
    async with running(app):
        bot = Harness(app, api, db_path)
        menu = [c for c in api.calls if c.method == "setMyCommands"]
        assert menu and '"skin"' not in str(menu[0].params["commands"])
        for line in ("/skin", "/skin history"):
            off = Harness.only_reply(await bot.send(line))
            assert "switched off on this bot" in off.plain
        assert "switched off" in Harness.only_reply(await bot.press("sk:start")).plain
        assert "The check is switched off on this bot." in \
            Harness.only_reply(await bot.send("/about")).plain
        assert bot.rows("SELECT COUNT(*) FROM skin_checks") == [(0,)]
    with pytest.raises(ConfigError, match="^BOT_SKIN_CHECK: 'maybe' is neither on nor off$"):
        load_settings({"BOT_SKIN_CHECK": "maybe"})
    assert load_settings({"BOT_SKIN_CHECK": "ON"}).skin_check
    assert load_settings({}).skin_check


async def test_in_a_group_the_check_points_to_a_private_chat(bot: Harness) -> None:
    group = Harness.only_reply(await bot.send("/skin", chat_id=-100777, chat_type="supergroup"))
    assert "only works in a private chat" in group.plain
    assert bot.rows("SELECT COUNT(*) FROM skin_checks") == [(0,)]


async def test_about_and_help_cite_poem_and_its_licence(bot: Harness) -> None:
    about = Harness.only_reply(await bot.send("/about")).plain
    assert "© The University of Nottingham; Charman, Venn and Williams, Arch Dermatol 2004" \
        in about
    assert "Br J Dermatol 2013" in about and "commercial use needs a licence" in about
    assert "free to use once registered through the University of Nottingham's " \
        "non-commercial use form" in about
    assert "about 3 to 4 points is the smallest change people tend to notice" in about
    assert "/skin" in Harness.only_reply(await bot.send("/help")).plain
    readme = " ".join((Path(__file__).resolve().parent.parent / "README.md").read_text(
        "utf-8").split())
    assert "© The University of Nottingham" in readme and "BOT_SKIN_CHECK" in readme
    assert "free of charge for non-commercial purposes" in readme


# --- the weekly offer ------------------------------------------------------------------------

async def test_the_weekly_offer_comes_with_the_summary_once_a_week(bot: Harness) -> None:
    bot.app.bot_data.clock = lambda: at(ZONE, "2026-11-01T00:00")
    await bot.send("/remind 8am London")
    picker = Harness.only_reply(await bot.send("/habits"))
    picker = Harness.only_reply(await bot.press(data_of(picker, "🥦 Fibre-rich meal")))
    ask_time = Harness.only_reply(await bot.press(data_of(picker, "✅ Done")))
    saved = Harness.only_reply(await bot.press(data_of(ask_time, "21:00")))
    assert "adds a short weekly skin check" in saved.plain
    opted = Harness.only_reply(await bot.press(data_of(saved, "📅 Offer it every week")))
    assert "every week, on Sun at 18:00 (Europe/London)" in opted.plain
    # /summary moves the offer with it; moving it within a week sends no second offer.
    await bot.send("/summary saturday 17:00")
    assert bot.rows("SELECT local_minute, days FROM schedules WHERE kind = 'skin_offer'") == \
        [(17 * 60, 1 << 5)]
    [offer] = [c for c in await deliver_day(bot, "2026-11-07", "17:00")
               if "weekly skin check?" in c.plain]
    assert offer.button_labels == ["🩺 Start the skin check", "🔕 Stop these offers"]
    assert bot.rows("SELECT dedupe_key FROM outbox WHERE kind = 'skin_offer'") == \
        [(f"skin_offer:week-2026-11-02:{USER_ID}",)]
    await bot.send("/summary sunday 18:00")
    assert not [c for c in await deliver_day(bot, "2026-11-08", "18:00")
                if "weekly skin check?" in c.plain]  # same week: already offered
    first = Harness.only_reply(await bot.press(data_of(offer, "🩺 Start the skin check")))
    assert "about you or your child" in first.plain
    # A week later it comes again, unless a check was done in the last three days.
    assert [c for c in await deliver_day(bot, "2026-11-15", "18:00")
            if "weekly skin check?" in c.plain]
    bot.app.bot_data.clock = lambda: at(ZONE, "2026-11-21T09:00")
    await do_check(bot, [1] * 7)
    assert not [c for c in await deliver_day(bot, "2026-11-22", "18:00")
                if "weekly skin check?" in c.plain]
    assert bot.rows("SELECT status FROM outbox WHERE dedupe_key LIKE ?",
                    ("skin_offer:week-2026-11-16:%",)) == [("skipped",)]
    stop = Harness.only_reply(await bot.press(data_of(offer, "🔕 Stop these offers")))
    assert "No more weekly skin check offers" in stop.plain
    assert bot.rows("SELECT COUNT(*) FROM schedules WHERE kind = 'skin_offer'") == [(0,)]
    assert not [c for c in await deliver_day(bot, "2026-11-29", "18:00")
                if "weekly skin check?" in c.plain]


async def test_opting_in_without_habits_uses_sunday_evening(bot: Harness) -> None:
    bot.app.bot_data.clock = lambda: at("UTC", "2026-11-24T09:00")
    opted = Harness.only_reply(await bot.send("/skin weekly"))
    assert "every week, on Sun at 18:00 (UTC)" in opted.plain
    assert "Weekly skin check offer: on Sun at 18:00" in \
        Harness.only_reply(await bot.send("/reminders")).plain
    off = Harness.only_reply(await bot.send("/skin weekly off"))
    assert "No more weekly skin check offers" in off.plain
    assert bot.rows("SELECT COUNT(*) FROM schedules") == [(0,)]


# --- what moderators see ---------------------------------------------------------------------

async def seed_people(bot: Harness, regular: int, occasional: int) -> list[int]:
    """`regular` people with a check each week for 4 weeks, their score falling by 1 to
    `regular` points; `occasional` people with one check 2 days ago and one 40 days ago.
    Returns the regular people's changes."""
    db = bot.app.bot_data.db
    day = 86_400
    rows, chats, changes = [], [], []
    for person in range(1, regular + occasional + 1):
        chats.append((person, "private", NOW - 60 * day, NOW))
        if person <= regular:
            first = 20
            for week, score in enumerate((first, first - 1, first - 2, first - 1 - person)):
                when = NOW - (3 - week) * WEEK - day
                rows.append((person, when, _iso(when), score))
            changes.append(-1 - person)
        else:
            for when in (NOW - 2 * day, NOW - 40 * day):
                rows.append((person, when, _iso(when), 10))
    await db.executemany("INSERT INTO chats (id, kind, first_seen, last_seen) VALUES (?, ?, ?, ?)",
                         chats)
    await db.executemany(
        "INSERT INTO skin_checks (chat_id, about, answers, started_at, finished_at, day, score) "
        "VALUES (?, 'self', '1111111', 0, ?, ?, ?)", rows)
    return changes


def _iso(when: int) -> str:
    from datetime import UTC, datetime
    return datetime.fromtimestamp(when, UTC).date().isoformat()


async def test_moderators_see_no_figure_drawn_from_fewer_than_ten_people(bot: Harness) -> None:
    await seed_people(bot, regular=9, occasional=0)
    bot.app.bot_data.clock = lambda: NOW
    stats = Harness.only_reply(await bot.send("/stats", chat_id=OWNER))
    assert "Did one: fewer than 10 in 7 days, fewer than 10 in 28 days" in stats.plain
    assert "4+ checks in 8 weeks: fewer than 10 people" in stats.plain
    assert "below 0 is better): fewer than 10 people" in stats.plain


async def test_moderators_see_counts_and_the_median_change(bot: Harness) -> None:
    changes = await seed_people(bot, regular=11, occasional=3)
    bot.app.bot_data.clock = lambda: NOW
    stats = Harness.only_reply(await bot.send("/stats", chat_id=OWNER))
    assert stats.method == "sendPhoto" and visible_length(stats.text) <= 1024
    # 11 regular people checked 1 day ago; 3 occasional 2 days ago (and 40 days ago).
    assert "Did one: 14 in 7 days, 14 in 28 days" in stats.plain
    assert "4+ checks in 8 weeks: 79% of 14 people" in stats.plain  # 11 of 14
    assert sorted(changes)[5] == -7
    assert "below 0 is better): -7 points over 11 people" in stats.plain
    for person in range(1, 15):
        assert f"chat {person}" not in stats.plain


def test_the_community_figures_as_plain_functions() -> None:
    hidden = skin_checks.community(9, 9, [4] * 9, [1] * 9)
    assert (hidden.checked_7d, hidden.checked_28d, hidden.regular_share,
            hidden.median_change) == (None, None, None, None)
    shown = skin_checks.community(10, 12, [4] * 5 + [1] * 5, [-3, -1, 0, 2, -4, -6, 1, -2,
                                                              -5, -1])
    assert (shown.checked_7d, shown.checked_28d, shown.regular_share) == (10, 12, 0.5)
    assert shown.median_change == -1.5 and shown.change_of == 10
