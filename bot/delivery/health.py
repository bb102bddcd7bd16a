"""Is the bot alive: the store answers, and the sender keeps cycling while messages are due."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.delivery.sender import Sender
from bot.store import health as store_health
from bot.store import outbox
from bot.store.db import Database

# The idle sender looks at the outbox every 5 s and a busy one finishes a batch in seconds; a
# minute without a cycle while rows are due means it is stuck (flood control's waits aside).
STUCK_AFTER = 60.0
STORE_TIMEOUT = 5.0  # a store that takes longer than this to answer its ping is down


@dataclass(frozen=True)
class Health:
    store: str  # "ok", or "down (<kind of error>)"
    sender_last_cycle_age_s: float
    outbox_backlog: int | None  # messages that may go now (None: the store did not say)
    flood_control_wait_s: float = 0.0
    problems: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.problems

    def shown(self) -> dict[str, Any]:
        """What GET /healthz answers: no ids, no texts, nothing secret."""
        return {"store": self.store, "sender_last_cycle_age_s": self.sender_last_cycle_age_s,
                "outbox_backlog": self.outbox_backlog,
                "flood_control_wait_s": self.flood_control_wait_s,
                "problems": list(self.problems)}


async def check(db: Database, sender: Sender, now: int, *,
                monotonic: Callable[[], float] = time.monotonic,
                stuck_after: float = STUCK_AFTER, timeout: float = STORE_TIMEOUT) -> Health:
    age = round(max(0.0, monotonic() - sender.last_cycle), 1)
    flood = round(sender.flood_wait, 1)
    try:
        async with asyncio.timeout(timeout):
            await store_health.ping(db)
            backlog: int | None = await outbox.ready_count(db, now)
        store = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure to answer is "down"
        # The kind only: a driver's message may quote a connection string.
        store, backlog = f"down ({type(exc).__name__})", None
    problems = []
    if store != "ok":
        problems.append("the store does not answer")
    elif backlog and age > stuck_after and not flood:
        problems.append(f"the sender has not cycled for {age:.0f} s while {backlog} "
                        "message(s) are due")
    return Health(store, age, backlog, flood, tuple(problems))
