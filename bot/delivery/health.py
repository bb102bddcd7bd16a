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


# What /healthz answers before the bot has started: alive and waiting is healthy, since a
# restart would only wait again (for the Bot API, or a migration).
STARTING: dict[str, Any] = {"store": "starting", "sender_last_cycle_age_s": None,
                            "outbox_backlog": None, "flood_control_wait_s": 0.0,
                            "problems": [], "starting": True}


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


# The probe still waiting on the store, if any: a frozen server never answers, and each
# health request starting one more would pile connections onto it.
_pending: dict[int, asyncio.Task[int]] = {}


async def _store_backlog(db: Database, now: int) -> int:
    await store_health.ping(db)
    return await outbox.ready_count(db, now)


async def probe_store(db: Database, now: int, timeout: float) -> int:
    """The outbox backlog, or TimeoutError within `timeout` seconds whatever the driver does.

    asyncio.timeout() around the query is not enough: cancelling an asyncpg query on a frozen
    server waits for the cancel request and the connection's reset (about a minute), so
    /healthz answered 503 after 65 s. The probe runs as a task of its own that is waited
    for, never awaited through its cancellation; while one is stuck, no second one starts.
    """
    task = _pending.get(id(db))
    if task is None or task.done():
        task = asyncio.create_task(_store_backlog(db, now), name="health-probe")
        _pending[id(db)] = task
        task.add_done_callback(_forget(id(db)))
    done, _ = await asyncio.wait({task}, timeout=timeout)
    if not done:
        raise TimeoutError(f"the store did not answer within {timeout:g} s")
    return task.result()


def _forget(key: int) -> Callable[[asyncio.Task[int]], None]:
    def forget(task: asyncio.Task[int]) -> None:
        if _pending.get(key) is task:
            del _pending[key]
        if not task.cancelled():
            task.exception()  # read here, so a late failure is never "never retrieved"
    return forget


async def check(db: Database, sender: Sender, now: int, *,
                monotonic: Callable[[], float] = time.monotonic,
                stuck_after: float = STUCK_AFTER, timeout: float = STORE_TIMEOUT) -> Health:
    age = round(max(0.0, monotonic() - sender.last_cycle), 1)
    flood = round(sender.flood_wait, 1)
    try:
        backlog: int | None = await probe_store(db, now, timeout)
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
