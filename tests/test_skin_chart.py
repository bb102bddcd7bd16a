"""The skin chart a person receives: a valid PNG of the weeks, each score where it belongs over
its shaded range, the habits kept beneath, and a caption that ends with the disclaimer."""

from __future__ import annotations

import struct
import zlib
from datetime import date, timedelta

from bot.services import skin_checks
from bot.telegram.html import MAX_CAPTION_LENGTH, visible_length
from bot.views import skin_chart
from tests.harness import USER_ID, Harness
from tests.test_skin_check import NOW, WEEK, answers_for, at_week, do_check

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
POINT = (30, 80, 150)
CLEAR_SHADE, SEVERE_SHADE = (225, 242, 228), (252, 225, 205)
WHITE, QUESTION_INK = (255, 255, 255), (120, 120, 120)
TODAY = date(2026, 11, 22)  # NOW's day, a Sunday


class Picture:
    """The pixels of a PNG as this project writes it (8-bit RGB, one IDAT, no filter)."""

    def __init__(self, png: bytes) -> None:
        assert png.startswith(PNG_SIGNATURE) and png[12:16] == b"IHDR"
        self.width, self.height, depth, colour = struct.unpack(">IIBB", png[16:26])
        assert (depth, colour) == (8, 2)
        length = struct.unpack(">I", png[33:37])[0]
        assert png[37:41] == b"IDAT" and png.endswith(b"IEND\xaeB`\x82")
        crc = struct.unpack(">I", png[41 + length:45 + length])[0]
        assert crc == zlib.crc32(png[37:41 + length])
        self.raw = zlib.decompress(png[41:41 + length])
        assert len(self.raw) == self.height * (1 + 3 * self.width)

    def at(self, x: int, y: int) -> tuple[int, int, int]:
        i = y * (1 + 3 * self.width) + 1 + 3 * x
        r, g, b = self.raw[i:i + 3]
        return r, g, b


async def seed_weeks(bot: Harness, scores: list[int | None]) -> None:
    """One check a week on Sundays, ending last Sunday; fibre kept 3 days a week, more each
    week for sleep."""
    db = bot.app.bot_data.db
    await bot.send("/start")
    rows, kept = [], []
    for back, score in zip(range(len(scores), 0, -1), scores):
        day = TODAY - timedelta(weeks=back)
        rows.append((USER_ID, day.isoformat(), score, NOW - back * WEEK))
        for offset in range(7):
            habit_day = (day - timedelta(days=offset)).isoformat()
            kept.append((USER_ID, habit_day, "fibre", int(offset < 3)))
            kept.append((USER_ID, habit_day, "sleep", int(offset < 7 - back)))
    await db.executemany(
        "INSERT INTO skin_checks (chat_id, about, answers, started_at, day, score, finished_at) "
        "VALUES (?, 'self', '2222222', 0, ?, ?, ?)", rows)
    await db.executemany(
        "INSERT INTO checkins (chat_id, day, habit, done, answered_at) VALUES (?, ?, ?, ?, 0)",
        kept)


async def test_the_chart_sent_with_the_result_shows_every_week(bot: Harness) -> None:
    await seed_weeks(bot, [19, 16, None, 12, 10])
    at_week(bot, 0)
    result, chart = await do_check(bot, answers_for(9))
    assert "Down 1 point since your last check (Sun 15 Nov: 10)." in result.plain

    # The caption: what the picture shows, never a cause, the disclaimer last, within 1,024.
    assert chart.text.endswith(bot.disclaimer)
    assert visible_length(chart.text) <= MAX_CAPTION_LENGTH
    assert "Checks so far: 6; the latest score is 9 (moderate)." in chart.plain
    assert "it can't tell what caused a change" in chart.plain

    picture = Picture(chart.files["photo"])
    assert (picture.width, picture.height) == skin_chart.size(2)  # fibre and sleep rows
    weeks = skin_checks.weeks([(TODAY - timedelta(weeks=b), 0) for b in range(6)], [], TODAY)
    assert len(weeks) == 12  # at least 12 weeks, the last one this week
    scores = {11 - back: score for back, score in enumerate([9, 10, 12, None, 16, 19])}
    for index, score in scores.items():
        if score is not None:
            assert picture.at(skin_chart.x_of(index, 12), skin_chart.y_of(score)) == POINT
    # The week without a score, and the weeks before the first check, have no point.
    for index in (0, 3, 8):
        for score in range(29):
            assert picture.at(skin_chart.x_of(index, 12), skin_chart.y_of(score)) != POINT
    # The week without a score is a gap through the bands, its "?" in the gap: a "?" over
    # the clear band read as "clear" (issue 21).
    gap = skin_chart.x_of(8, 12)
    column = {picture.at(x, y) for x in range(gap - 5, gap + 6)
              for y in range(skin_chart.y_of(28), skin_chart.y_of(0))}
    assert column == {WHITE, QUESTION_INK}
    assert picture.at(gap, skin_chart.y_of(1)) == WHITE
    assert picture.at(skin_chart.x_of(7, 12), skin_chart.y_of(1)) == CLEAR_SHADE  # beside it
    # The ranges are shaded: clear at the bottom left, severe higher up.
    assert picture.at(72, skin_chart.y_of(1)) == CLEAR_SHADE
    assert picture.at(72, skin_chart.y_of(20)) == SEVERE_SHADE

    # /skin history sends the same picture.
    again = Harness.only_reply(await bot.send("/skin history"))
    assert again.method == "sendPhoto" and again.files["photo"] == chart.files["photo"]


async def test_the_chart_without_habits_and_the_chart_of_a_long_history(bot: Harness) -> None:
    await bot.send("/start")
    db = bot.app.bot_data.db
    await db.executemany(
        "INSERT INTO skin_checks (chat_id, about, answers, started_at, day, score, finished_at) "
        "VALUES (?, 'child', '1111111', 0, ?, 7, ?)",
        [(USER_ID, (TODAY - timedelta(weeks=b)).isoformat(), NOW - b * WEEK)
         for b in range(1, 40)])
    at_week(bot, 0)
    chart = Harness.only_reply(await bot.send("/skin history"))
    assert chart.plain.startswith("📈 Your child's skin, week by week")
    picture = Picture(chart.files["photo"])
    assert (picture.width, picture.height) == skin_chart.size(0)
    assert 600 <= picture.width <= 1200 and 300 <= picture.height <= 800
    for index in range(25):  # 26 weeks at most: the 25 before this one each have a point
        assert picture.at(skin_chart.x_of(index, 26), skin_chart.y_of(7)) == POINT
    assert picture.at(skin_chart.x_of(25, 26), skin_chart.y_of(7)) != POINT  # none this week


def test_weeks_for_the_chart() -> None:
    monday = date(2026, 11, 16)
    assert skin_checks.week_start(TODAY) == monday
    assert skin_checks.week_start(monday) == monday
    few = skin_checks.weeks([(TODAY, 5)], [], TODAY)
    assert len(few) == 12 and few[-1].start == monday and few[-1].score == 5
    assert all(w.score is None and not w.checked for w in few[:-1])
    many = skin_checks.weeks([(TODAY - timedelta(weeks=40), 3)], [], TODAY)
    assert len(many) == 26 and not any(w.checked for w in many)
    # Two checks in one week: the later one; a check with no score still marks its week.
    week = skin_checks.weeks([(monday, 10), (TODAY, 8), (TODAY - timedelta(weeks=1), None)],
                             [(monday, "fibre"), (TODAY, "fibre"), (TODAY, "sleep")], TODAY)
    assert (week[-1].score, week[-1].kept) == (8, {"fibre": 2, "sleep": 1})
    assert (week[-2].score, week[-2].checked) == (None, True)


def test_the_chart_is_drawn_from_weeks_alone() -> None:
    weeks = skin_checks.weeks([(TODAY - timedelta(weeks=b), s) for b, s in
                               enumerate([4, 6, 9])], [(TODAY, "fibre")], TODAY)
    names = [(f"habit-{i}", f"HABIT {i}") for i in range(9)]
    picture = Picture(skin_chart.draw(weeks, names))
    assert picture.height == skin_chart.size(6)[1] == skin_chart.size(9)[1]  # six rows at most
    empty = Picture(skin_chart.draw(skin_checks.weeks([], [], TODAY), []))
    assert (empty.width, empty.height) == skin_chart.size(0)
