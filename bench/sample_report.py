"""A sample of /report's PDF, made from invented data through the real bot.

usage (from the repo root): python bench/sample_report.py [--out docs]

A parent in London has done the weekly skin check about their child since the end of January
(most weeks), answered the daily habit check-ins and written a few notes (one by the
grandmother, in Russian). The real application runs on the offline Bot API with a real SQLite
file (in a temporary folder) and a clock set to Sunday 22 November 2026; the parent sends
/report, taps "Last 12 weeks", then sends /report all. The documents exactly as sent are
written to OUT as sample-report.pdf (12 weeks: one page) and sample-report-everything.pdf (43
weeks: two pages), and, where pdftoppm (poppler-utils) is installed, each page as a PNG beside
them; without it the PNGs are skipped, and the script says so.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import sys
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.app import build_application, running
from bot.config import load_settings
from bot.delivery.sender import Limits
from bot.library.content import load_library
from bot.services import skin_checks
from bot.store.db import Database
from bot.telegram.offline import ApiCall, OfflineBotAPI
from tests.harness import Harness, assert_lands_well

ZONE = ZoneInfo("Europe/London")
TODAY = date(2026, 11, 22)  # a Sunday
CHAT = 5550001
# The last sixteen weeks of POEM answers about the child, oldest first (itch, sleep, bleeding,
# weeping, cracked, flaking, dry): a late-summer flare with weeping, a new cream, calmer weeks,
# a wobble after a cold. None: no check that week; a "-" is a skipped question.
RECENT: list[str | None] = [
    "3312232", "3323333", "4434333", "3322232", None, "2211222", "2201122", "2-0-1-2",
    "2101112", "1100112", "2211122", "3322232", "2201122", "1100111", None, "1100101",
]
# The 27 weeks before them: spring and early summer, milder, with a few weeks missed.
EARLIER: list[str | None] = [
    "2212232", "2211222", "2201222", None, "1201122", "2211122", "1100112", "1101112",
    "2211122", None, "1100111", "1100011", "2201112", "2211222", "1100111", None, "1101111",
    "1100111", "2211122", "2212222", "2211122", "1100112", None, "1100101", "2201112",
    "2211122", "2211222",
]
ANSWERS = EARLIER + RECENT
HABITS = ("fibre", "sleep", "fermented")  # kept on some days of each week
NOTES = [  # (days before TODAY, what was written)
    (101, "Flare on both elbows after the school swimming lesson"),
    (96, "GP: started a new emollient twice a day, and the steroid cream for 5 days"),
    (88, "Woke up 3 times scratching; wet wraps helped"),
    (74, "Tried a new washing powder: non-bio, fragrance-free"),
    (61, "Slept through for the first time in weeks!"),
    (47, "Cold and a high temperature for 3 days, skin worse on the cheeks"),
    (40, "Бабушка: после бассейна снова покраснение на руках"),
    (26, "Eats more vegetables at school lunch now"),
    (12, "Itchy again after a weekend at grandma's (her cat)"),
    (3, "Good week, only dry patches behind the knees"),
]


def epoch(day: date, hhmm: str = "19:00") -> int:
    hour, minute = (int(x) for x in hhmm.split(":"))
    return int(datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE).timestamp())


async def seed(db: Database, chat_id: int = CHAT, *, weeks: list[str | None] | None = None,
               notes: list[tuple[int, str]] | None = None, about: str = "child") -> None:
    """The invented history, written with the store's own tables: one check each Sunday,
    habit answers every day, and the notes."""
    weeks = ANSWERS if weeks is None else weeks
    notes = NOTES if notes is None else notes
    await db.execute(
        "INSERT INTO skin_profiles (chat_id, about) VALUES (?, ?) "
        "ON CONFLICT (chat_id) DO NOTHING", (chat_id, about))
    checks, kept = [], []
    for back, given in zip(range(len(weeks) - 1, -1, -1), weeks):
        sunday = TODAY - timedelta(weeks=back)
        if given is not None:
            checks.append((chat_id, about, given, sunday.isoformat(), skin_checks.score(given),
                           epoch(sunday)))
        for offset in range(7):
            day = sunday - timedelta(days=offset)
            for n, habit in enumerate(HABITS):
                done = (offset * (n + 3) + back * (n + 1)) % 7 < 2 + (back + 2 * n) % 5
                kept.append((chat_id, day.isoformat(), habit, int(done), epoch(day, "21:00")))
    await db.executemany(
        "INSERT INTO skin_checks (chat_id, about, answers, started_at, day, score, finished_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(c, a, g, f - 120, d, s, f) for c, a, g, d, s, f in checks])
    await db.executemany(
        "INSERT INTO checkins (chat_id, day, habit, done, answered_at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (chat_id, day, habit) DO NOTHING", kept)
    await db.executemany(
        "INSERT INTO notes (chat_id, day, written_at, text) VALUES (?, ?, ?, ?)",
        [(chat_id, (TODAY - timedelta(days=back)).isoformat(),
          epoch(TODAY - timedelta(days=back), "20:30"), text) for back, text in notes])


def document(calls: list[ApiCall], disclaimer: str) -> bytes:
    [call] = [c for c in calls if c.method == "sendDocument"]
    assert_lands_well(call, disclaimer)
    return call.files["document"]


async def make(out: Path) -> list[Path]:
    library = load_library(ROOT / "content")
    written = []
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "bot.sqlite3"
        settings = load_settings({"BOT_DATABASE": str(db_path)})
        api = OfflineBotAPI()
        app = build_application(settings, library, request=api, background=False,
                                limits=Limits(enabled=False))
        async with running(app):
            bot = Harness(app, api, db_path)
            app.bot_data.clock = lambda: epoch(TODAY, "18:30")
            await bot.send("/start", chat_id=CHAT)
            await bot.send("/remind 8am London", chat_id=CHAT)
            await seed(app.bot_data.db)
            picker = Harness.only_reply(await bot.send("/report", chat_id=CHAT))
            choice = next(b["callback_data"] for row in picker.buttons for b in row
                          if b["text"] == "🗓 Last 12 weeks")
            twelve = document(await bot.press(choice, chat_id=CHAT), bot.disclaimer)
            everything = document(await bot.send("/report all", chat_id=CHAT), bot.disclaimer)
    out.mkdir(parents=True, exist_ok=True)
    for name, pdf in (("sample-report", twelve), ("sample-report-everything", everything)):
        path = out / f"{name}.pdf"
        path.write_bytes(pdf)
        written.append(path)
        print(f"wrote {path} ({len(pdf):,} bytes)")
        pdftoppm = shutil.which("pdftoppm")
        if pdftoppm is None:
            print(f"  no PNG of {path.name}: pdftoppm (poppler-utils) is not installed")
            continue
        for old in out.glob(f"{name}-*.png"):
            old.unlink()
        subprocess.run([pdftoppm, "-png", "-r", "100", str(path), str(out / name)],
                       check=True)
        for png in sorted(out.glob(f"{name}-*.png")):
            written.append(png)
            print(f"  wrote {png} (pdftoppm, 100 dpi)")
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    asyncio.run(make(args.out))


if __name__ == "__main__":
    main()
