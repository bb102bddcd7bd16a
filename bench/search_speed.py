"""The time to answer a question, whole and in parts, beside baselines from the same run.

usage (from the repo root): python bench/search_speed.py [--rounds N]

Prints median and p95 in milliseconds over the test questions, garbage collection on (as in
the bot), pinned to one core:
- the whole update: a question's Telegram update through the real Application (routing, the
  urgent-care triage, the search, the anonymised question kept for /gaps in a SQLite file,
  the reply rendered and sent on the offline Bot API), beside a bare python-telegram-bot
  Application on the same offline transport whose one handler sends the text back;
- the answer without storage or Telegram: triage, search, masking and the rendered reply;
- the search alone (CardIndex.search), beside two naive searches:
  - lookup: message.lower().split() and a dict lookup per word in a word -> cards table
    (the cheapest search imaginable: no typos, no synonyms, no ranking to speak of);
  - scan: a substring test of every word against every card's title, keywords and body.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters

from bot.app import build_application, running
from bot.config import load_settings
from bot.delivery.sender import Limits
from bot.library.content import load_library
from bot.library.model import Library
from bot.library.render import Renderer
from bot.library.search import CardIndex
from bot.services import gaps
from bot.telegram.offline import OfflineBotAPI
from bot.views import answers
from bot.views import triage as triage_views

MIN_TIMINGS = 2000


def pin_to_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        try:
            os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
            return f"pinned to CPU {min(os.sched_getaffinity(0))}"
        except OSError as exc:
            return f"not pinned ({exc})"
    return "not pinned (no sched_setaffinity here)"


def questions() -> list[str]:
    data = yaml.safe_load((ROOT / "tests" / "data" / "questions.yaml").read_text("utf-8"))
    items = data["questions"] if isinstance(data, dict) else data
    return [str(item["q"]) for item in items]


def lookup_baseline(library: Library) -> Callable[[str], object]:
    table: dict[str, set[str]] = {}
    for card in library.cards.values():
        for word in f"{card.title} {' '.join(card.keywords)} {card.body}".lower().split():
            table.setdefault(word, set()).add(card.id)

    def search(text: str) -> object:
        counts: dict[str, int] = {}
        for word in text.lower().split():
            for card_id in table.get(word, ()):
                counts[card_id] = counts.get(card_id, 0) + 1
        return sorted(counts, key=counts.__getitem__, reverse=True)[:3]

    return search


def scan_baseline(library: Library) -> Callable[[str], object]:
    texts = [(c.id, f"{c.title} {' '.join(c.keywords)} {c.body}".lower())
             for c in library.cards.values()]

    def search(text: str) -> object:
        words = text.lower().split()
        scored = [(sum(w in body for w in words), cid) for cid, body in texts]
        return sorted(scored, reverse=True)[:3]

    return search


def answer_pipeline(library: Library, index: CardIndex,
                    renderer: Renderer) -> Callable[[str], object]:
    """What handlers/questions.py does with a question's text, without storage or Telegram:
    triage first; urgent guidance, a note in another language or a kind word to small talk;
    else the search, the question masked for /gaps and the answer rendered."""
    rules = library.triage
    assert rules is not None

    def answer(text: str) -> object:
        finding = rules.assess(text)
        if finding.tier is not None:
            here, others = triage_views.numbers_for(renderer, None, "en")
            cards = [] if finding.alarming else [h.card for h in index.search(text)]
            return triage_views.triage_reply(renderer, finding, here, others, cards)
        if finding.language is not None:
            return triage_views.not_english(renderer, finding.language)
        friendly = answers.small_talk(renderer, text)
        if friendly is not None:
            return friendly
        hits = index.search(text)
        gaps.masked(text)
        return answers.answer(renderer, hits, 1)

    return answer


def timings(fn: Callable[[str], object], texts: list[str], rounds: int) -> list[float]:
    for text in texts:  # warm up
        fn(text)
    result: list[float] = []
    clock = time.perf_counter_ns
    for _ in range(rounds):
        for text in texts:
            start = clock()
            fn(text)
            result.append((clock() - start) / 1e6)
    return result


async def update_timings(app: Application, texts: list[str],  # type: ignore[type-arg]
                         rounds: int) -> list[float]:
    """Each question as a private chat's message update, handled to the end by `app`; every
    update from a chat of its own (the first round only warms up)."""
    chats = itertools.count(10_000_001)
    result: list[float] = []
    clock = time.perf_counter_ns
    for round_number in range(rounds + 1):
        for text in texts:
            chat = next(chats)
            update = Update.de_json({"update_id": chat, "message": {
                "message_id": 1, "date": int(time.time()), "text": text,
                "chat": {"id": chat, "type": "private", "first_name": "Sam"},
                "from": {"id": chat, "is_bot": False, "first_name": "Sam",
                         "language_code": "en"}}}, app.bot)
            start = clock()
            await app.process_update(update)
            if round_number:
                result.append((clock() - start) / 1e6)
    return result


async def whole_updates(texts: list[str], rounds: int) -> tuple[list[float], list[float], int]:
    """(the bot's timings, the bare echo Application's, messages the bot sent)."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings({"BOT_DATABASE": str(Path(tmp) / "bot.sqlite3")})
        api = OfflineBotAPI()
        app = build_application(settings, load_library(settings.content_dir), request=api,
                                background=False, limits=Limits(enabled=False))
        async with running(app):
            bot = await update_timings(app, texts, rounds)
        sent = sum(c.method == "sendMessage" for c in api.calls)

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is not None and message.text:
            await context.bot.send_message(message.chat.id, message.text)

    bare = OfflineBotAPI()
    echo_app = (ApplicationBuilder().token("1:bare").request(bare).get_updates_request(bare)
                .build())
    echo_app.add_handler(MessageHandler(filters.TEXT, echo))
    async with echo_app:
        plain = await update_timings(echo_app, texts, rounds)
    return bot, plain, sent


def summary(ms: list[float]) -> tuple[float, float]:
    ordered = sorted(ms)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=0,
                        help=f"passes over the questions (default: enough for {MIN_TIMINGS})")
    args = parser.parse_args(argv)

    print(pin_to_one_core())
    library = load_library(ROOT / "content")
    start = time.perf_counter()
    index = CardIndex.build(library)
    print(f"index built in {(time.perf_counter() - start) * 1000:.1f} ms "
          f"({len(library.cards)} cards)")

    texts = questions()
    rounds = args.rounds or -(-MIN_TIMINGS // len(texts))
    print(f"{len(texts)} questions x {rounds} rounds = {len(texts) * rounds} timings each, "
          f"garbage collection on\n")

    renderer = Renderer(ROOT / "content" / "templates", library)
    bot, plain, sent = asyncio.run(whole_updates(texts, rounds))
    if sent != len(texts) * (rounds + 1):
        print(f"FAIL: {len(texts) * (rounds + 1)} questions but {sent} answers sent")
        return 1
    rows = [
        ("whole update, the bot", bot),
        ("baseline: bare PTB echo update", plain),
        ("answer: triage+search+render", timings(answer_pipeline(library, index, renderer),
                                                 texts, rounds)),
        ("search: CardIndex.search", timings(index.search, texts, rounds)),
        ("baseline: split + dict lookup", timings(lookup_baseline(library), texts, rounds)),
        ("baseline: substring scan", timings(scan_baseline(library), texts, rounds)),
    ]
    whole = summary(bot)[0]
    print(f"{'':32} {'median ms':>10} {'p95 ms':>10} {'share of the whole':>19}")
    for name, ms in rows:
        median, p95 = summary(ms)
        print(f"{name:32} {median:10.4f} {p95:10.4f} {median / whole:18.0%}")
    search_median = summary(rows[3][1])[0]
    print(f"\nthe search is {search_median / summary(rows[4][1])[0]:.1f}x the dict lookup and "
          f"{search_median / summary(rows[5][1])[0]:.2f}x the substring scan; the whole update "
          f"is {whole / summary(plain)[0]:.1f}x a bare echo update")

    long_texts = [
        ("my son has eczema and can't sleep at night because of the itch. " * 200)[:10_000],
        ("asdkjh qwpoeiru zxmcnv " * 500)[:10_000],
        "probiotcs fermnted sauerkrout kombuca dermatolgist " * 200,
    ]
    median, p95 = summary(timings(index.search, long_texts, 100))
    print(f"\n10,000-character messages: median {median:.3f} ms, p95 {p95:.3f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
