"""How fast the outbox sender delivers, beside a bare python-telegram-bot loop.

1. Limits off, against the loopback fake Bot API in its own process, the bot pinned to one
   core: messages/s of the sender (claim, render, send, mark) and of a bare PTB loop that
   only awaits bot.send_message with the same concurrency.
2. Limits on, against a fake that answers 429 to anything over Telegram's limits: the rate
   achieved as a share of the allowed 30/s, and how many 429s it caused.

    python bench/sender_throughput.py [--messages 5000] [--limited 450] [--store both]

--store sqlite|postgres|both: the outbox in a SQLite file, in PostgreSQL (a throwaway server
from the pgserver package, not pinned: it shares the machine's two cores), or each in turn.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from telegram import Bot  # noqa: E402
from telegram.request import HTTPXRequest  # noqa: E402

from bench.pg import new_database, postgres_server  # noqa: E402
from bot.delivery.sender import Limits, Sender  # noqa: E402
from bot.library.content import load_library  # noqa: E402
from bot.library.render import Renderer  # noqa: E402
from bot.store import (
    open_database,  # noqa: E402
    outbox,  # noqa: E402
)
from bot.store.outbox import Entry  # noqa: E402
from bot.telegram.transport import AiohttpRequest  # noqa: E402
from bot.views.outbox_rows import prepare, render_row  # noqa: E402
from tests.loopback_api import LoopbackBotAPI  # noqa: E402

SERVER = """
import sys, time
sys.path.insert(0, sys.argv[1])
from tests.loopback_api import LoopbackBotAPI
api = LoopbackBotAPI().start()
print(api.port, flush=True)
sys.stdin.read()
api.stop()
"""
CONCURRENCY = 64


class _Data:
    """The slice of BotData that render_row reads for a daily card."""

    def __init__(self) -> None:
        self.library = load_library(ROOT / "content")
        self.renderer = Renderer(ROOT / "content" / "templates", self.library)
        self.db: object = None
        self.audiences: dict[int, str | None] = {}


def make_bot(base_url: str, stock: bool = False) -> Bot:
    """The bot's own transport (aiohttp), or PTB's stock httpx one for the baseline."""
    request = (HTTPXRequest(connection_pool_size=CONCURRENCY) if stock
               else AiohttpRequest(connections=CONCURRENCY))
    return Bot("123456:BENCH-token", base_url=base_url, request=request)


async def fill(path: Path | str, chats: int) -> None:
    db = await open_database(path)
    await db.executemany("INSERT INTO chats (id, kind, first_seen, last_seen) "
                         "VALUES (?, 'private', 0, 0)", [(c,) for c in range(1, chats + 1)])
    cards = list(_Data().library.cards)
    await outbox.enqueue(db, [Entry(c, "card", f"bench:{c}", cards[c % len(cards)])
                              for c in range(1, chats + 1)], int(time.time()))
    await db.close()


async def run_sender(base_url: str, path: Path | str, limits: Limits, count: int) -> float:
    data = _Data()
    db = await open_database(path)
    data.db = db  # the daily card's greeting reads whom the chat's cards are for
    bot = make_bot(base_url)
    await bot.initialize()
    sender = Sender(bot, db, lambda row: render_row(data, row), limits=limits,  # type: ignore[arg-type]
                    in_flight=CONCURRENCY,
                    prepare=lambda rows: prepare(data, rows))  # type: ignore[arg-type]
    start = time.perf_counter()
    await sender.start()
    while sender.sent < count:
        await asyncio.sleep(0.01)
    elapsed = time.perf_counter() - start
    await sender.stop()
    await bot.shutdown()
    await db.close()
    return count / elapsed


async def run_bare(base_url: str, count: int, stock: bool) -> float:
    """A bare PTB loop: the same message to `count` chats, 64 at a time, nothing else."""
    data = _Data()
    card = data.library.reading_order()[0]
    text = data.renderer.finish(data.renderer.card_html(card)).text
    bot = make_bot(base_url, stock)
    await bot.initialize()
    slots = asyncio.Semaphore(CONCURRENCY)

    async def one(chat: int) -> None:
        async with slots:
            await bot.send_message(chat, text, parse_mode="HTML")

    start = time.perf_counter()
    await asyncio.gather(*(one(c) for c in range(1, count + 1)))
    elapsed = time.perf_counter() - start
    await bot.shutdown()
    return count / elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--limited", type=int, default=450, help="messages with limits on")
    parser.add_argument("--store", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    stores = ["sqlite", "postgres"] if args.store == "both" else [args.store]
    with contextlib.ExitStack() as stack:
        server_url = stack.enter_context(postgres_server()) if "postgres" in stores else ""

        def target(tmp: str, name: str, store: str) -> str:
            return new_database(server_url) if store == "postgres" else str(Path(tmp) / name)

        run_all(args, stores, target)


def run_all(args: argparse.Namespace, stores: list[str], target: Callable[[str, str, str], str]
            ) -> None:
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(ROOT)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        if hasattr(os, "sched_setaffinity"):
            os.sched_setaffinity(server.pid, {1})
            os.sched_setaffinity(0, {0})  # the bot on one core, the fake on the other
        assert server.stdout is not None
        base_url = f"http://127.0.0.1:{server.stdout.readline().strip()}/bot"
        stock = asyncio.run(run_bare(base_url, args.messages, stock=True))
        bare = asyncio.run(run_bare(base_url, args.messages, stock=False))
        print(f"baselines: bare PTB send loop on the bot's transport {bare:,.0f} msg/s; on "
              f"PTB's stock httpx transport {stock:,.0f} msg/s")
        for store in stores:
            with tempfile.TemporaryDirectory() as tmp:
                path = target(tmp, "bench.sqlite3", store)
                asyncio.run(fill(path, args.messages))
                ours = asyncio.run(run_sender(base_url, path, Limits(enabled=False),
                                              args.messages))
            print(f"[{store}] limits off, bot on one core: sender {ours:,.0f} msg/s (target "
                  f">= 1,000); ratio to the bare loop on the same transport {ours / bare:.2f}; "
                  f"{ours / stock:.1f}x the stock httpx loop")
    finally:
        assert server.stdin is not None
        server.stdin.close()
        server.wait(timeout=10)

    for store in stores:
        with LoopbackBotAPI(enforce_limits=True) as strict, \
                tempfile.TemporaryDirectory() as tmp:
            path = target(tmp, "limited.sqlite3", store)
            asyncio.run(fill(path, args.limited))
            asyncio.run(run_sender(strict.base_url, path, Limits(), args.limited))
            times = sorted(strict.send_times)
            rate = (len(times) - 1) / (times[-1] - times[0])
            print(f"[{store}] limits on: {rate:.1f} msg/s over {len(times)} messages = "
                  f"{rate / 30:.1%} of Telegram's 30/s (target >= 95%); 429s from the strict "
                  f"fake: {strict.rejected_429}")


if __name__ == "__main__":
    main()
