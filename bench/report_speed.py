"""The time and memory of one /report, beside baselines from the same run.

usage (from the repo root): python bench/report_speed.py [--rounds N]

Pinned to one core, garbage collection on (as in the bot), a real SQLite file in a temporary
folder. Two chats: the invented history of bench/sample_report.py (43 weeks of checks, habit
answers every day, 10 notes) and five years of weekly checks with 600 long notes. Printed:
- the whole update: "/report 12" through the real Application on the offline Bot API (the
  store read, the PDF drawn in its worker thread, the document sent), median and p95 over the
  rounds, and "/report all" for the five years (two pages);
- the parts: gathering the report from the store, and drawing the PDF;
- baselines: an empty ReportLab page (Canvas, showPage, save); the 12-week page's words and
  lines drawn with ReportLab's built-in Helvetica, nothing embedded (what the layout costs
  without the embedded font); fpdf2's empty page when fpdf2 is installed (it is not a
  dependency); and the first report of the process, which parses the two fonts once;
- memory: the Python heap's peak while drawing one report (tracemalloc), and the process's
  peak resident memory (VmHWM) before the first report and at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from bench.sample_report import CHAT, TODAY, epoch, seed
from bench.search_speed import pin_to_one_core
from bot.app import build_application, running
from bot.config import load_settings
from bot.delivery.sender import Limits
from bot.library.content import load_library
from bot.services import doctor_report
from bot.telegram.offline import OfflineBotAPI
from bot.views import report_pdf
from tests.harness import Harness

LONG_CHAT = CHAT + 1
FONTS = ROOT / "content" / "fonts"


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms"


def timed(rounds: int, work: Callable[[], object]) -> list[float]:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        samples.append(time.perf_counter() - start)
    return samples


async def timed_async(rounds: int, work: Callable[[], Awaitable[object]]) -> list[float]:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        await work()
        samples.append(time.perf_counter() - start)
    return samples


def empty_reportlab_page() -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def helvetica_page(lines: list[str]) -> bytes:
    """The 12-week page's words, one line each, and the chart's shapes, in Helvetica."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1)
    canvas.setFont("Helvetica", 8)
    y = 800.0
    for line in lines:
        canvas.drawString(40, y, line.encode("latin-1", "replace").decode("latin-1"))
        y = y - 9 if y > 60 else 800.0
    for i in range(40):
        canvas.rect(40 + i * 12, 600, 10, 10, stroke=1, fill=i % 2)
        canvas.line(40 + i * 12, 600, 52 + i * 12, 620)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def fpdf2_empty_page() -> Callable[[], object] | None:
    try:
        from fpdf import FPDF  # type: ignore[import-not-found]
    except ImportError:
        return None

    def page() -> object:
        pdf = FPDF(format="A4")
        pdf.add_page()
        return pdf.output()
    return page


async def run(rounds: int) -> None:
    print(f"bench/report_speed.py: {pin_to_one_core()}, {rounds} rounds, "
          f"Python {sys.version.split()[0]}")
    library = load_library(ROOT / "content")
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "bot.sqlite3"
        api = OfflineBotAPI()
        app = build_application(load_settings({"BOT_DATABASE": str(db_path)}), library,
                                request=api, background=False, limits=Limits(enabled=False))
        async with running(app):
            bot = Harness(app, api, db_path)
            data = app.bot_data
            data.clock = lambda: epoch(TODAY, "18:30")
            for chat in (CHAT, LONG_CHAT):
                await bot.send("/start", chat_id=chat)
                await bot.send("/remind 8am London", chat_id=chat)
            await seed(data.db)
            five_years: list[str | None] = [f"{1 + w % 3}{w % 4}{w % 2}{w % 3 // 2}2{w % 4}3"
                                            for w in range(260)]
            await seed(data.db, LONG_CHAT, weeks=five_years,
                       notes=[(d, f"note {d}: " + "itchy after the swim " * 9)
                              for d in range(0, 1800, 3)])

            async def gather(chat: int, period: str) -> doctor_report.Report:
                report = await doctor_report.gather(data.db, library, chat, period, TODAY,
                                                    paper=doctor_report.A4)
                assert report is not None
                return report

            twelve = await gather(CHAT, "12")
            everything = await gather(LONG_CHAT, "all")
            rss_before = peak_rss_mb()
            start = time.perf_counter()
            report_pdf.draw(twelve, FONTS)
            first = time.perf_counter() - start

            async def report_update(chat: int, line: str) -> None:
                calls = await bot.send(line, chat_id=chat)
                assert any(c.method == "sendDocument" for c in calls), line

            whole_12 = await timed_async(rounds, lambda: report_update(CHAT, "/report 12"))
            whole_all = await timed_async(max(rounds // 3, 3),
                                          lambda: report_update(LONG_CHAT, "/report all"))
            gathered = await timed_async(rounds, lambda: gather(CHAT, "12"))
            gathered_all = await timed_async(max(rounds // 3, 3),
                                             lambda: gather(LONG_CHAT, "all"))
            drawn = timed(rounds, lambda: report_pdf.draw(twelve, FONTS))
            drawn_all = timed(max(rounds // 3, 3), lambda: report_pdf.draw(everything, FONTS))
            tracemalloc.start()
            pdf, pages = report_pdf.draw(twelve, FONTS)
            heap_12 = tracemalloc.get_traced_memory()[1] / 1e6
            tracemalloc.reset_peak()
            pdf_all, pages_all = report_pdf.draw(everything, FONTS)
            heap_all = tracemalloc.get_traced_memory()[1] / 1e6
            tracemalloc.stop()

    import pypdf

    words = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    empty = timed(rounds, empty_reportlab_page)
    plain = timed(rounds, lambda: helvetica_page(words.splitlines()))
    fpdf2 = fpdf2_empty_page()
    weeks = len(everything.weeks)
    print(f"\n/report 12 ({len(twelve.weeks)} weeks, {twelve.checks} checks, "
          f"{len(twelve.notes)} notes: {pages} page, {len(pdf):,} bytes)")
    print(f"  the whole update (store, PDF, sendDocument)   {ms(whole_12)}")
    print(f"  gathering it from the store                   {ms(gathered)}")
    print(f"  drawing the PDF                               {ms(drawn)}")
    print(f"  Python heap's peak while drawing              {heap_12:7.1f} MB")
    print(f"/report all (five years: {weeks} weeks, {everything.checks} checks, "
          f"{len(everything.notes)} notes: {pages_all} pages, {len(pdf_all):,} bytes)")
    print(f"  the whole update                              {ms(whole_all)}")
    print(f"  gathering it from the store                   {ms(gathered_all)}")
    print(f"  drawing the PDF                               {ms(drawn_all)}")
    print(f"  Python heap's peak while drawing              {heap_all:7.1f} MB")
    print("baselines, same run")
    print(f"  the first report of the process (fonts parsed) {first * 1000:6.1f} ms")
    print(f"  an empty ReportLab page                       {ms(empty)}")
    print(f"  the 12-week page's words in Helvetica         {ms(plain)}")
    if fpdf2 is not None:
        print(f"  an empty fpdf2 page                           {ms(timed(rounds, fpdf2))}")
    else:
        print("  an empty fpdf2 page                           (fpdf2 not installed: not a "
              "dependency)")
    print(f"process peak resident memory: {rss_before:.0f} MB before the first report, "
          f"{peak_rss_mb():.0f} MB at the end")
    goal = statistics.median(whole_12) < 0.3
    print(f"goal, a 12-week report under 300 ms on one core: {'met' if goal else 'NOT met'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    asyncio.run(run(args.rounds))


if __name__ == "__main__":
    main()
