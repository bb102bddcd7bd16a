"""/report: a PDF of the skin checks, habits and notes to take to the doctor, sent as a
document and kept nowhere. The real Application on the offline Bot API and a real SQLite
file; each PDF is opened with pypdf and read as a person (or their doctor) would."""

from __future__ import annotations

import asyncio
import io
from datetime import date, timedelta
from pathlib import Path

import pypdf

from bot.app import build_application, running
from bot.config import load_settings
from bot.delivery.sender import Limits
from bot.library.model import Library
from bot.services import doctor_report, skin_checks
from bot.telegram.html import MAX_CAPTION_LENGTH, visible_length
from bot.telegram.offline import ApiCall, OfflineBotAPI
from bot.views import report_pdf, skin_chart
from tests.harness import USER_ID, Harness, _json, assert_lands_well
from tests.test_reminder_setup import data_of
from tests.test_skin_chart import POINT, Picture
from tests.test_skin_check import FILL_ORDER, NOW, WEEK, answers_for, at_week, do_check

TODAY = date(2026, 11, 22)  # NOW's day, a Sunday
A4, LETTER = (595, 842), (612, 792)
TELEGRAM_DOCUMENT_LIMIT = 50 * 1024 * 1024  # what a bot may upload
# Each test here runs on SQLite and on PostgreSQL (tests/conftest.py).
BOTH_ENGINES = True


def answers(score: int, **set_to: int) -> str:
    """Seven answers adding up to `score`, with any item set by name (sleep=3, ...) and the
    others filled in answers_for's order."""
    given = [0] * 7
    for item, value in set_to.items():
        given[skin_checks.ITEMS.index(item)] = value
    left = score - sum(given)
    for index in FILL_ORDER:
        if skin_checks.ITEMS[index] not in set_to:
            given[index] = min(4, left)
            left -= given[index]
    assert left == 0
    return "".join(str(v) for v in given)


async def seed(bot: Harness, checks: dict[int, str], *, about: str = "child",
               habits: dict[int, dict[str, int]] | None = None) -> None:
    """Checks finished on the Sunday `weeks back` from TODAY, with these answers; habits kept
    so many days in the week ending that Sunday."""
    db = bot.app.bot_data.db
    at_week(bot, 0)
    await bot.send("/start")
    await db.execute("INSERT INTO skin_profiles (chat_id, about) VALUES (?, ?)",
                     (USER_ID, about))
    await db.executemany(
        "INSERT INTO skin_checks (chat_id, about, answers, started_at, day, score, finished_at) "
        "VALUES (?, ?, ?, 0, ?, ?, ?)",
        [(USER_ID, about, given, (TODAY - timedelta(weeks=back)).isoformat(),
          skin_checks.score(given), NOW - back * WEEK) for back, given in checks.items()])
    kept = []
    for back, per_habit in (habits or {}).items():
        sunday = TODAY - timedelta(weeks=back)
        for habit, days in per_habit.items():
            kept += [(USER_ID, (sunday - timedelta(days=d)).isoformat(), habit, int(d < days))
                     for d in range(7)]
    await db.executemany(
        "INSERT INTO checkins (chat_id, day, habit, done, answered_at) VALUES (?, ?, ?, ?, 0)",
        kept)


async def note_at(bot: Harness, weeks_back: float, text: str) -> None:
    bot.app.bot_data.clock = lambda: NOW - int(weeks_back * WEEK)
    await bot.send(f"/note {text}")
    at_week(bot, 0)


def documents(calls: list[ApiCall]) -> list[ApiCall]:
    return [c for c in calls if c.method == "sendDocument"]


class Pdf:
    """The document as a reader sees it: its pages' text, size and metadata."""

    def __init__(self, call: ApiCall, disclaimer: str) -> None:
        assert_lands_well(call, disclaimer)  # the caption: disclaimer last, within 1,024
        self.raw = call.files["document"]
        self.name = call.file_names["document"]
        assert self.raw.startswith(b"%PDF-")
        reader = pypdf.PdfReader(io.BytesIO(self.raw))
        self.pages = [page.extract_text() for page in reader.pages]
        box = reader.pages[0].mediabox
        self.size = (round(float(box.width)), round(float(box.height)))
        self.metadata = " ".join(str(v) for v in (reader.metadata or {}).values())
        self.text = "\n".join(self.pages)
        self.lines = [line.strip() for line in self.text.splitlines()]
        self.caption = call.plain

    def has_row(self, *cells: str) -> bool:
        """These cells one after another in the text: a row of the table."""
        n = len(cells)
        return any(tuple(self.lines[i:i + n]) == cells for i in range(len(self.lines)))

    def every_page_has(self, words: str) -> bool:
        return all(words in " ".join(page.split()) for page in self.pages)


def assert_nothing_about_who(pdf: Pdf, *words: str) -> None:
    for word in (str(USER_ID), *words):
        assert word not in pdf.text and word not in pdf.metadata and word not in pdf.name
        assert word.encode() not in pdf.raw


CHILD_WEEKS = {  # weeks back -> the seven answers: a child whose skin got better
    10: "4402443", 9: "3431330", 8: "12--3-2", 7: "3200432", 6: "2103321", 5: "3200321",
    4: "2200321", 3: "2100321", 2: "2200221", 1: "2100221",
}


async def test_the_12_week_report_for_a_child(bot: Harness) -> None:
    await seed(bot, CHILD_WEEKS, habits={b: {"fibre": 7 - b % 4, "sleep": 3} for b in
                                         range(1, 11)})
    await bot.send("/remind 8am London")  # A4 where the chat is
    await note_at(bot, 12.5, "too early for 12 weeks")
    await note_at(bot, 6.5, "flare after swimming")
    await note_at(bot, 4.2, "started new cream")
    await note_at(bot, 0.3, "Спала всю ночь")  # her grandmother writes in Russian
    picker = Harness.only_reply(await bot.send("/report"))
    assert "📄 A report for the doctor" in picker.plain
    assert "your child's weekly skin checks" in picker.plain and "don't keep it" in picker.plain
    assert picker.button_labels == ["🗓 Last 4 weeks", "🗓 Last 12 weeks", "🗂 Everything"]
    calls = await bot.press(data_of(picker, "🗓 Last 12 weeks"))
    [making] = Harness.replies(calls)
    assert making.method == "editMessageText" and making.buttons == []
    assert "Making your report for the last 12 weeks" in making.plain
    [call] = documents(calls)
    pdf = Pdf(call, bot.disclaimer)
    assert len(pdf.pages) == 1 and pdf.size == A4
    assert pdf.name == "skin-report-2026-11-22.pdf"
    assert "Your child's skin report: the last 12 weeks, 10 skin checks and 3 notes, on 1 page" \
        in pdf.caption
    assert "don't keep it" in pdf.caption and "can't tell what caused a change" in pdf.caption
    assert visible_length(call.text) <= MAX_CAPTION_LENGTH

    assert "Whose skin: a child's, as answered by their parent" in pdf.text
    assert "Weeks: 31 Aug to 22 Nov 2026 (the last 12 weeks) · 10 skin checks" in pdf.text
    # Each week's score and band, the week without one, and the unscored check.
    for back, given in CHILD_WEEKS.items():
        monday = skin_checks.week_start(TODAY - timedelta(weeks=back))
        label = f"{monday.day} {monday:%b}"
        score = skin_checks.score(given)
        if score is None:
            assert pdf.has_row(label, "?", "not scored", "1–2", "3–4", "skip", "skip")
        else:
            assert pdf.has_row(label, str(score), skin_checks.band(score).words), label
    assert pdf.has_row("31 Aug", "no check")  # 12 weeks, though the first check came later
    assert pdf.has_row("7 Sep", "21", "severe", "7", "7")  # itch and sleep every day
    # The change, with the published caveat, and the answers that drove the scores.
    flat = " ".join(pdf.text.split())
    assert "Change over these weeks: down 13 points, from 21 (severe) in the week of 7 Sep to " \
        "8 (moderate) in the week of 9 Nov." in flat
    assert "A change of about 3 to 4 points is the smallest change people tend to notice " \
        "(Howells L et al., Br J Dermatol 2018;178:1135–42)" in flat
    assert "sleep disturbed in 2 of 10 checked weeks; bleeding in 1; weeping or oozing in 1" \
        in flat
    # Habits beside the scores, without a cause.
    assert "Fibre-rich meal" in pdf.text and "Good night's sleep" in pdf.text
    assert "the report does not say whether they made a difference" in flat
    # Notes in date order, only this period's, in any script.
    assert "too early" not in pdf.text
    positions = [flat.index(n) for n in ("flare after swimming", "started new cream",
                                         "Спала всю ночь")]
    assert positions == sorted(positions)
    # Three questions from the cards that fit: weeping and bleeding, sleep, the new cream.
    assert "Questions you may want to ask" in flat
    assert "1. Some weeks had weeping or bleeding on most days." in flat
    assert "2. The scores came down over these weeks." not in flat
    assert "Itch broke up sleep on most nights" in flat
    assert "My notes mention creams or medicines" in flat
    assert "From the card “Calmer nights with itchy skin”" in flat
    # POEM's citation and licence, and the disclaimer, on every page.
    assert pdf.every_page_has("© The University of Nottingham (Charman CR, Venn AJ, Williams "
                              "HC. Arch Dermatol 2004;140:1513–9)")
    assert pdf.every_page_has("non-commercial")
    assert pdf.every_page_has("not medical advice")
    assert_nothing_about_who(pdf, "Sam")
    # Nothing kept: no row, no file, no set-up state holds the report.
    assert bot.rows("SELECT COUNT(*) FROM outbox") == [(0,)]
    assert bot.rows("SELECT data FROM setup_state") == []


async def test_4_weeks_and_everything(bot: Harness) -> None:
    weeks = {back: answers(8 + back % 5) for back in range(0, 30)}
    await seed(bot, weeks, about="self")
    await note_at(bot, 2, "slept badly, itchy")
    await note_at(bot, 20, "new detergent")
    four = Pdf(documents(await bot.send("/report 4"))[0], bot.disclaimer)
    assert len(four.pages) == 1
    assert "(the last 4 weeks)" in four.text and "4 skin checks" in four.text
    assert four.has_row("26 Oct", "11", "moderate") and four.has_row("16 Nov", "8", "moderate")
    assert not four.has_row("19 Oct", "12", "moderate")
    assert "slept badly" in four.text and "new detergent" not in four.text
    assert "Whose skin: the person's own, self-reported" in four.text
    everything = Pdf(documents(await bot.send("/report all"))[0], bot.disclaimer)
    assert len(everything.pages) == 2
    assert "everything: 30 weeks" in everything.text and "30 skin checks" in everything.text
    assert "Change over these weeks: down 4 points, from 12 (moderate)" in " ".join(
        everything.text.split())
    assert "new detergent" in everything.text and "slept badly" in everything.text
    assert everything.every_page_has("not medical advice")
    assert everything.every_page_has("© The University of Nottingham")
    assert "Questions you may want to ask" in everything.pages[0]
    assert "Week by week" in everything.pages[1] and "Notes, in date order" in everything.pages[1]


async def test_a_self_report_with_a_typed_name_on_us_letter(bot: Harness) -> None:
    await seed(bot, {3: answers(6), 1: answers(4)}, about="self")
    await bot.send("/remind 8am New York")
    [call] = documents(await bot.send("/report 12 for Jordan Lee"))
    pdf = Pdf(call, bot.disclaimer)
    assert pdf.size == LETTER
    assert "Whose skin: Jordan Lee (adult), self-reported" in pdf.text
    assert "Your skin report: the last 12 weeks, 2 skin checks" in pdf.caption
    assert "down 2 points, from 6 (mild)" in " ".join(pdf.text.split())
    assert "No habit check-ins were answered in these weeks." in " ".join(pdf.text.split())
    assert "No notes in these weeks." in pdf.text
    # Without a name it says only whose skin; a name alone asks for the weeks first.
    calls = await bot.send("/report Jordan")
    assert "/report 12 Jordan" in Harness.only_reply(calls).plain and documents(calls) == []


async def test_a_chat_with_no_checks_is_told_how_to_start_and_gets_nothing_empty(
        bot: Harness) -> None:
    at_week(bot, 0)
    await bot.send("/note flare after swimming")  # notes alone make no report
    for command in ("/report", "/report 12", "/report all"):
        calls = await bot.send(command)
        assert documents(calls) == []
        said = Harness.only_reply(calls)
        assert "There are no skin checks yet" in said.plain and "/skin starts one" in said.plain
    group = Harness.only_reply(await bot.send("/report", chat_id=-100777,
                                              chat_type="supergroup"))
    assert "only works in a private chat" in group.plain


async def test_a_period_without_a_check_offers_everything(bot: Harness) -> None:
    await seed(bot, {8: answers(12)})
    calls = await bot.send("/report 4")
    assert documents(calls) == []
    said = Harness.only_reply(calls)
    assert "There's no skin check in the last 4 weeks (your last was on Sun 27 Sep)" \
        in said.plain
    pdf = Pdf(documents(await bot.press(data_of(said, "🗂 Everything")))[0], bot.disclaimer)
    assert "One scored check in these weeks: 12 (moderate) in the week of 21 Sep. A change " \
        "needs two." in " ".join(pdf.text.split())


async def test_one_check_after_the_skin_check_itself(bot: Harness) -> None:
    at_week(bot, 0)
    await do_check(bot, answers_for(12), who="child")
    picker = Harness.only_reply(await bot.send("/report"))
    pdf = Pdf(documents(await bot.press(data_of(picker, "🗓 Last 4 weeks")))[0],
              bot.disclaimer)
    assert len(pdf.pages) == 1
    assert pdf.has_row("16 Nov", "12", "moderate")
    assert "A change needs two." in " ".join(pdf.text.split())
    assert "1 skin check" in pdf.caption


async def test_the_same_choice_twice_and_a_request_while_one_is_built(bot: Harness) -> None:
    await seed(bot, {2: answers(10), 1: answers(12)})
    picker = Harness.only_reply(await bot.send("/report"))
    choice = data_of(picker, "🗓 Last 12 weeks")
    assert len(documents(await bot.press(choice))) == 1
    again = await bot.press(choice)
    assert documents(again) == []
    assert "That choice was already made" in Harness.only_reply(again).plain
    # A request while a report is being built builds nothing more. (Holding the drawing's
    # lock keeps the first one in its worker thread, however fast the store answers.)
    with report_pdf.DRAWING:
        first = asyncio.ensure_future(bot.send("/report 12"))
        for _ in range(100_000):  # until the first is being built
            if USER_ID in bot.app.bot_data.reports_building:
                break
            await asyncio.sleep(0)
        second = await bot.send("/report all")
    assert documents(second) == []
    assert "Your report is being made right now" in Harness.only_reply(second).plain
    assert len(documents(await first)) == 1


async def test_forget_then_report(bot: Harness) -> None:
    await seed(bot, {1: answers(10)})
    await bot.send("/note started new cream")
    picker = Harness.only_reply(await bot.send("/report"))
    ask = Harness.only_reply(await bot.send("/forget"))
    await bot.press(data_of(ask, "🗑 Yes, erase everything"))
    assert bot.rows("SELECT COUNT(*) FROM skin_checks") == [(0,)]
    assert bot.rows("SELECT COUNT(*) FROM notes") == [(0,)]
    for calls in (await bot.send("/report 12"),
                  await bot.press(data_of(picker, "🗓 Last 12 weeks"))):  # a picker from before
        assert documents(calls) == []
        assert "There are no skin checks yet" in Harness.only_reply(calls).plain


async def test_a_very_long_history_stays_within_two_pages_and_telegrams_limits(
        bot: Harness) -> None:
    weeks = {back: answers(5 + back % 20, sleep=back % 5) for back in range(0, 260)}
    await seed(bot, weeks, habits={b: {"fibre": b % 8, "sleep": 7, "fermented": 2,
                                       "wind-down": 5} for b in range(0, 260)})
    db = bot.app.bot_data.db
    await db.executemany(
        "INSERT INTO notes (chat_id, day, written_at, text) VALUES (?, ?, 0, ?)",
        [(USER_ID, (TODAY - timedelta(days=d)).isoformat(), f"note {d}: " + "itchy " * 31)
         for d in range(0, 1800, 3)])
    [call] = documents(await bot.send("/report all"))
    pdf = Pdf(call, bot.disclaimer)
    assert len(pdf.pages) == 2
    assert len(pdf.raw) < TELEGRAM_DOCUMENT_LIMIT and len(pdf.raw) < 500_000
    assert "everything: 260 weeks" in pdf.text
    flat = " ".join(pdf.text.split())
    assert "note 0:" in flat  # the latest note is there; the oldest did not fit
    assert "note 1797:" not in flat
    assert "earlier notes in these weeks did not fit here" in flat
    assert "earlier weeks with a check or a habit are in the chart but not listed here" in flat
    assert pdf.every_page_has("not medical advice")


async def test_no_report_when_the_skin_check_is_switched_off(library: Library,
                                                             db_path: Path) -> None:
    settings = load_settings({"BOT_DATABASE": str(db_path), "BOT_SKIN_CHECK": "off"})
    api = OfflineBotAPI()
    app = build_application(settings, library, request=api, background=False,
                            limits=Limits(enabled=False))
    async with running(app):
        bot = Harness(app, api, db_path)
        [menu, *_] = [c for c in api.calls if c.method == "setMyCommands"]
        names = {c["command"] for c in _json(menu.params["commands"])}
        assert "report" not in names and "skin" not in names
        assert {"note", "notes"} <= names  # notes need no POEM
        calls = await bot.send("/report 12")
        assert "switched off on this bot" in Harness.only_reply(calls).plain
        assert documents(calls) == []
        assert "Noted" in Harness.only_reply(await bot.send("/note new cream")).plain


async def test_the_report_shows_the_weeks_the_skin_chart_shows(bot: Harness) -> None:
    await seed(bot, CHILD_WEEKS)
    chart = Picture(Harness.only_reply(await bot.send("/skin history")).files["photo"])
    pdf = Pdf(documents(await bot.send("/report 12"))[0], bot.disclaimer)
    for index, monday in enumerate(skin_checks.week_starts(12, TODAY)):
        label = f"{monday.day} {monday:%b}"
        x = skin_chart.x_of(index, 12)
        listed = [s for s in range(29) if pdf.has_row(label, str(s))]
        if listed:  # the same score in both
            assert chart.at(x, skin_chart.y_of(listed[0])) == POINT, label
        else:  # no score in either
            assert all(chart.at(x, skin_chart.y_of(s)) != POINT for s in range(29)), label


def test_paper_by_the_chats_country() -> None:
    letter, a4 = doctor_report.LETTER, doctor_report.A4
    assert doctor_report.paper_for("America/Toronto", None) == letter
    assert doctor_report.paper_for("America/Mexico_City", "es") == letter
    assert doctor_report.paper_for("America/Sao_Paulo", "pt-BR") == a4
    assert doctor_report.paper_for("Europe/London", "en-US") == a4  # the zone says where
    assert doctor_report.paper_for(None, "en-US") == letter  # else the language tag
    assert doctor_report.paper_for(None, "en") == a4
