"""Six weekly skin checks, end to end, written down as the person saw them.

usage (from the repo root): python bench/skin_check_transcript.py [--out docs]

The real application runs on the offline Bot API with a real SQLite file (in a temporary
folder) and an injected clock: a parent in London sets up habit check-ins, takes the weekly
skin check offer, answers the evening check-ins, and each Sunday at 18:00 the minute tick puts
the summary and the offer in the outbox and the sender delivers them. The parent taps through
POEM's questions about their child. Every message is checked as the tests check it (the
disclaimer last, Telegram's HTML and lengths). Writes skin-check-transcript.md and the chart
of the sixth week, exactly the PNG sent, as skin-check-example.png.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.app import build_application, running
from bot.config import load_settings
from bot.delivery import scheduling
from bot.delivery.sender import Limits
from bot.library.content import load_library
from bot.telegram.offline import ApiCall, OfflineBotAPI
from tests.harness import Harness, assert_lands_well

ZONE = ZoneInfo("Europe/London")
FIRST_SUNDAY = date(2026, 11, 1)
ANSWER = ["No days", "1–2 days", "3–4 days", "5–6 days", "Every day"]
# Each week's answers, in POEM's order: itch, sleep, bleeding, weeping, cracked, flaking, dry.
WEEKS = [
    [3, 3, 1, 2, 2, 3, 4],  # 18: severe
    [3, 2, 1, 1, 2, 2, 3],  # 14
    [2, 2, 0, 1, 1, 2, 3],  # 11
    [2, 1, 0, 0, 1, 2, 3],  # 9
    [3, 3, 1, 3, 2, 2, 3],  # 17: a flare, weeping on most days
    [2, 1, 0, 1, 1, 2, 2],  # 9
]
# Days each habit was kept, per week (fibre, sleep): the chart shows them beside the scores.
KEPT = [(2, 3), (4, 3), (5, 4), (5, 5), (3, 1), (6, 4)]


def epoch(day: date, hhmm: str) -> int:
    hour, minute = (int(x) for x in hhmm.split(":"))
    return int(datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE).timestamp())


class Story:
    def __init__(self, bot: Harness) -> None:
        self.bot = bot
        self.lines: list[str] = []
        self.chart: bytes | None = None

    def at(self, day: date, hhmm: str) -> None:
        now = epoch(day, hhmm) + 1
        self.bot.app.bot_data.clock = lambda: now

    # --- what the person does --------------------------------------------------------------
    async def say(self, text: str) -> list[ApiCall]:
        self.lines.append(f"**you:** `{text}`\n")
        return self.show(Harness.replies(await self.bot.send(text)))

    async def tap(self, message: ApiCall, label: str, *, announce: bool = True,
                  quiet: bool = False) -> list[ApiCall]:
        """Press the button `label`; `announce` writes the tap down, `quiet` hides replies."""
        data = next(b["callback_data"] for row in message.buttons for b in row
                    if b["text"] == label)
        if announce:
            self.lines.append(f"**you:** tap [{label}]\n")
        return self.show(Harness.replies(await self.bot.press(data)), quiet=quiet)

    async def answer_checkin(self, checkin: ApiCall, habit: str, kept: bool) -> ApiCall:
        """Yes or Not today on the habit's row of an evening check-in (not written down)."""
        row = next(r for r in checkin.buttons if r[0]["text"].startswith(habit))
        pressed = await self.bot.press(row[0 if kept else 1]["callback_data"])
        return Harness.replies(pressed)[0]

    async def tick(self) -> list[ApiCall]:
        """The minute tick and the sender, as in production, at the clock's minute."""
        data = self.bot.app.bot_data
        before = len(self.bot.api.calls)
        await scheduling.enqueue_due(data.db, data.library, data.now())
        await data.sender.drain()
        landed = [c for c in self.bot.api.calls[before:] if c.method == "sendMessage"]
        for call in landed:
            assert_lands_well(call, self.bot.disclaimer)
        return landed

    # --- what the bot says ------------------------------------------------------------------
    def show(self, calls: list[ApiCall], *, quiet: bool = False) -> list[ApiCall]:
        for call in calls:
            if call.method == "sendPhoto":
                self.chart = call.files["photo"]
            if quiet:
                continue
            kind = {"editMessageText": " (the message changes to)",
                    "sendPhoto": " (a picture: the chart)"}.get(call.method, "")
            text = "\n".join(f"> {line}" if line else ">" for line in call.plain.splitlines())
            buttons = " ".join(f"[{label}]" for label in call.button_labels)
            self.lines.append(f"**bot{kind}:**\n\n{text}\n" + (f">\n> {buttons}\n" if buttons
                                                              else ""))
        return calls

    def heading(self, text: str) -> None:
        self.lines.append(f"\n## {text}\n")

    def note(self, text: str) -> None:
        self.lines.append(f"*{text}*\n")


async def one_check(story: Story, offer: ApiCall, answers: list[int], week: int) -> None:
    shown = (await story.tap(offer, "🩺 Start the skin check"))[0]
    if "about you or your child" in shown.plain:
        shown = (await story.tap(shown, "🧒 About my child"))[0]
    quiet = week > 1  # the first week shows every question; later weeks only the taps
    if quiet:
        story.lines.append("**you:** tap " + ", ".join(f"[{ANSWER[a]}]" for a in answers)
                           + " (questions 1 to 7, the same as week 1)\n")
    for number, value in enumerate(answers, start=1):
        last = number == len(answers)
        replies = await story.tap(shown, ANSWER[value], announce=not quiet,
                                  quiet=quiet and not last)
        shown = replies[0]


async def evenings(story: Story, sunday: date, fibre: int, sleep: int) -> None:
    """The seven evening check-ins from this Sunday to Saturday, each answered: fibre kept on
    the first `fibre` evenings, sleep on the first `sleep`."""
    for index in range(7):
        story.at(sunday + timedelta(days=index), "21:00")
        checkin = next(c for c in await story.tick() if "Daily check-in" in c.plain)
        checkin = await story.answer_checkin(checkin, "🥦", index < fibre)
        await story.answer_checkin(checkin, "😴", index < sleep)


async def run(out: Path) -> None:
    library = load_library(ROOT / "content")
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "bot.sqlite3"
        settings = load_settings({"BOT_DATABASE": str(db_path)})
        api = OfflineBotAPI()
        app = build_application(settings, library, request=api, background=False,
                                limits=Limits(enabled=False))
        async with running(app):
            bot = Harness(app, api, db_path)
            story = Story(bot)
            story.heading("Sun 1 Nov: setting up")
            story.at(FIRST_SUNDAY, "10:00")
            await story.say("/remind 8am London")
            picker = (await story.say("/habits"))[0]
            picker = (await story.tap(picker, "🥦 Fibre-rich meal"))[0]
            picker = (await story.tap(picker, "😴 Good night's sleep"))[0]
            ask_time = (await story.tap(picker, "✅ Done"))[0]
            saved = (await story.tap(ask_time, "21:00"))[0]
            await story.tap(saved, "📅 Offer it every week")

            for week, answers in enumerate(WEEKS, start=1):
                sunday = FIRST_SUNDAY + timedelta(weeks=week - 1)
                story.heading(f"Week {week}: {sunday:%a} {sunday.day} {sunday:%b}")
                if week > 1:
                    fibre, sleep = KEPT[week - 2]
                    story.note(f"Each evening since last Sunday the 21:00 check-in was "
                               f"answered: a fibre-rich meal on {fibre} days, a good night's "
                               f"sleep on {sleep}.")
                story.at(sunday, "18:00")
                landed = await story.tick()
                summary = [c for c in landed if "Your week" in c.plain]
                offer = next(c for c in landed if "weekly skin check?" in c.plain)
                story.note("18:00: the weekly summary and the skin check offer arrive.")
                story.show(summary + [offer])
                story.at(sunday, "18:05")
                await one_check(story, offer, answers, week)
                if week < len(WEEKS):
                    await evenings(story, sunday, *KEPT[week - 1])

            story.heading("Afterwards")
            story.at(FIRST_SUNDAY + timedelta(weeks=5), "19:00")
            await story.say("/mydata")

    assert story.chart is not None
    out.mkdir(parents=True, exist_ok=True)
    (out / "skin-check-example.png").write_bytes(story.chart)
    header = (
        "# Six weekly skin checks: a transcript\n\n"
        "Written by `python bench/skin_check_transcript.py`: the real application on the\n"
        "offline Bot API, a real SQLite file and an injected clock (Europe/London, November\n"
        "and December 2026). A parent tracks two habits with the evening check-in and takes\n"
        "the weekly skin check offer; each Sunday at 18:00 the minute tick and the outbox\n"
        "deliver the summary and the offer, and the parent answers POEM's seven questions\n"
        "about their child. Every message ends with the disclaimer. The chart the parent\n"
        "received in week 6 is [skin-check-example.png](skin-check-example.png):\n\n"
        "![The week-6 chart](skin-check-example.png)\n")
    (out / "skin-check-transcript.md").write_text(header + "\n".join(story.lines), "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    started = time.perf_counter()
    asyncio.run(run(args.out))
    print(f"wrote {args.out / 'skin-check-transcript.md'} and "
          f"{args.out / 'skin-check-example.png'} in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
