"""Drain the outbox within Telegram's limits, and decide what each failure means."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import dataclasses
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import Bot
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TimedOut,
)

from bot.store import chats, instances, outbox
from bot.store.db import POSTGRES, Database
from bot.store.outbox import Outcome, Row
from bot.telegram.message import Outgoing
from bot.telegram.send import send
from bot.telegram.transport import MayHaveArrived

log = logging.getLogger(__name__)

Render = Callable[[Row], Awaitable[Outgoing | None]]
FLUSH_INTERVAL = 0.1
# With several instances (PostgreSQL): each renews its claims and says it is alive this
# often; claims not renewed for a lease belong to a dead instance and go out again.
CLAIM_LEASE = 30.0
GONE_CHAT_ERRORS = ("chat not found", "user is deactivated", "bot was kicked",
                    "have no rights to send", "chat_write_forbidden", "peer_id_invalid")


@dataclass(frozen=True)
class Limits:
    """Telegram's published limits; `margin` keeps network jitter from crossing them."""

    enabled: bool = True
    overall_per_second: int = 30
    private_interval: float = 1.0
    group_per_minute: int = 20
    margin: float = 0.01


class _Windows:
    """Sliding windows of recent send times: overall, per private chat, per group."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.overall: collections.deque[float] = collections.deque()
        self.private: dict[int, float] = {}
        self.groups: dict[int, collections.deque[float]] = {}

    def chat_wait(self, chat_id: int, now: float) -> float:
        """Seconds until this chat may receive another message."""
        lim = self.limits
        if chat_id > 0:
            last = self.private.get(chat_id)
            if last is None:
                return 0.0
            return max(0.0, last + lim.private_interval + lim.margin - now)
        sent = self.groups.get(chat_id)
        if not sent or len(sent) < lim.group_per_minute:
            return 0.0
        return max(0.0, sent[0] + 60.0 + lim.margin - now)

    def overall_wait(self, now: float) -> float:
        """Sends are spaced evenly (a burst of 30 then a pause lets network jitter squeeze 31
        into one of Telegram's seconds) and never more than the limit in any window."""
        lim = self.limits
        while self.overall and now - self.overall[0] >= 1.0 + lim.margin:
            self.overall.popleft()
        spacing = (1.0 + lim.margin) / lim.overall_per_second
        paced = self.overall[-1] + spacing - now if self.overall else 0.0
        if len(self.overall) < lim.overall_per_second:
            return max(0.0, paced)
        return max(paced, self.overall[0] + 1.0 + lim.margin - now)

    def record(self, chat_id: int, now: float) -> None:
        self.overall.append(now)
        if chat_id > 0:
            self.private[chat_id] = now
            if len(self.private) > 50_000:  # forget chats whose second has long passed
                self.private = {c: t for c, t in self.private.items() if now - t < 2.0}
        else:
            sent = self.groups.setdefault(chat_id, collections.deque())
            sent.append(now)
            while len(sent) > self.limits.group_per_minute:
                sent.popleft()


class Sender:
    """One task that claims ready outbox rows and sends them; nothing it meets stops it."""

    def __init__(self, bot: Bot, db: Database, render: Render, *, limits: Limits = Limits(),
                 clock: Callable[[], float] = time.time, batch: int = 200,
                 in_flight: int = 64,
                 on_idle: Callable[[], Awaitable[object]] | None = None,
                 instance: str = "", lease: float = CLAIM_LEASE,
                 prepare: Callable[[list[Row]], Awaitable[object]] | None = None) -> None:
        self.bot = bot
        self.db = db
        self.render = render
        self.prepare = prepare  # called with each claimed batch before it is rendered
        self.limits = limits
        self.clock = clock
        self.batch = batch
        self._windows = _Windows(limits)
        self._slots = asyncio.Semaphore(in_flight)
        self._tasks: set[asyncio.Task[None]] = set()
        self._outcomes: list[Outcome] = []
        self._wake = asyncio.Event()
        self._stopping = False
        self._runner: asyncio.Task[None] | None = None
        self._flusher: asyncio.Task[None] | None = None
        self._paused_until = 0.0  # monotonic; set by a 429 for the whole bot
        self.sent = 0
        self._on_idle = on_idle  # called when the outbox runs dry after sending something
        self._busy = False
        # When a cycle (claim a batch, dispatch it) last completed, monotonic: /healthz calls
        # the sender stuck when this grows old while rows are due. Counts from creation.
        self.last_cycle = time.monotonic()
        # Shared with other instances on PostgreSQL; one process owns a SQLite file.
        self.instance = instance
        self.shared = db.dialect == POSTGRES
        self.lease = lease
        self.instances = 1
        self._heart: asyncio.Task[None] | None = None

    # --- life cycle ---------------------------------------------------------------------
    async def start(self) -> None:
        if self.shared:
            await self._beat()
            self._heart = asyncio.create_task(self._beat_often(), name="outbox-heartbeat")
        else:
            recovered = await outbox.recover(self.db)
            if recovered:
                log.info("outbox: %d message(s) in flight at the last stop go out again",
                         recovered)
        self._runner = asyncio.create_task(self._run(), name="outbox-sender")
        self._flusher = asyncio.create_task(self._flush_often(), name="outbox-marks")

    async def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        if self._runner is not None:
            await self._runner
        if self._flusher is not None:
            self._flusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._flusher
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._flush()
        if self._heart is not None:
            self._heart.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._heart
            await instances.leave(self.db, self.instance)

    # --- sharing one PostgreSQL with other instances ------------------------------------
    async def _beat(self) -> None:
        """Say this instance is alive (renewing its claims), give back what a dead one had in
        flight, and take an equal share of the send budget: the instances together stay
        within Telegram's limit for the bot."""
        now = int(self.clock())
        await instances.heartbeat(self.db, self.instance, now)
        recovered = await outbox.recover(self.db, claimed_before=now - int(self.lease))
        if recovered:
            log.info("outbox: %d message(s) a stopped instance had in flight go out again",
                     recovered)
            self.wake()
        live = await instances.live_count(self.db, now - int(self.lease))
        await instances.forget_old(self.db, now - 10 * int(self.lease))
        if live != self.instances:
            log.info("%d instance(s) share the send budget", live)
            self.instances = live
            self._windows.limits = dataclasses.replace(
                self.limits, overall_per_second=max(1, self.limits.overall_per_second // live))

    async def _beat_often(self) -> None:
        while True:
            await asyncio.sleep(self.lease / 6)
            try:
                await self._beat()
            except Exception:  # noqa: BLE001 - the next beat tries again
                log.exception("instance heartbeat failed; retrying")

    @property
    def flood_wait(self) -> float:
        """Seconds Telegram's flood control still asks the whole bot to wait (0 if none)."""
        return max(0.0, self._paused_until - time.monotonic())

    def wake(self) -> None:
        """New rows were written: look now rather than at the next poll."""
        self._wake.set()

    async def drain(self, timeout: float = 30.0) -> None:
        """Send everything ready now and wait until it is settled (tests, shell)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            await self._cycle()
            if self._tasks:
                await asyncio.gather(*list(self._tasks), return_exceptions=True)
            await self._flush()
            if not await outbox.ready_count(self.db, int(self.clock())):
                return
            await asyncio.sleep(0.05)
        raise TimeoutError("outbox did not drain")

    # --- the loop -------------------------------------------------------------------------
    async def _run(self) -> None:
        while not self._stopping:
            try:
                claimed = await self._cycle()
            except Exception:  # noqa: BLE001 - the sender must outlive any one failure
                log.exception("outbox sender cycle failed; retrying shortly")
                claimed = 0
            if claimed:
                self._busy = True
            if claimed == 0 and not self._stopping:
                await self._settle_in_flight()
                if self._busy and self._on_idle is not None:
                    self._busy = False
                    try:
                        await self._on_idle()
                    except Exception:  # noqa: BLE001
                        log.exception("outbox idle hook failed")
                    continue  # it may have queued something (a campaign report)
                self._wake.clear()
                try:
                    await asyncio.wait_for(self._wake.wait(), timeout=await self._idle_time())
                except TimeoutError:
                    pass

    async def _settle_in_flight(self) -> None:
        if self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
        await self._flush()

    async def _idle_time(self) -> float:
        ready = await outbox.next_ready_time(self.db)
        if ready is None:
            return 5.0
        return min(5.0, max(0.05, ready - self.clock()))

    async def _cycle(self) -> int:
        """Claim one batch and dispatch it within the limits; returns rows claimed."""
        await self._wait_out_flood_control()
        rows = await outbox.claim_batch(self.db, int(self.clock()), self.batch, self.instance)
        if not rows:
            self.last_cycle = time.monotonic()
            return 0
        active = await chats.active_ids(
            self.db, {r.chat_id for r in rows if r.kind not in outbox.CONVERSATION})
        # A conversation with the team reaches any chat that has not blocked the bot.
        gone = await chats.unreachable_ids(
            self.db, {r.chat_id for r in rows if r.kind in outbox.CONVERSATION})

        def wanted(row: Row) -> bool:
            return row.chat_id not in gone if row.kind in outbox.CONVERSATION \
                else row.chat_id in active

        if self.prepare is not None:
            await self.prepare([r for r in rows if wanted(r)])
        for row in rows:
            now = self.clock()
            if not wanted(row):
                self._settle(Outcome(row.id, "skipped", int(now), "chat is not active"))
                continue
            if self.limits.enabled:
                wait = self._windows.chat_wait(row.chat_id, time.monotonic())
                if wait > 0:
                    # Back to the queue: another chat's message can use this slot meanwhile.
                    self._settle(Outcome(row.id, "pending", int(now),
                                         not_before=int(now + wait) + 1))
                    continue
                await self._overall_slot()
                self._windows.record(row.chat_id, time.monotonic())
            await self._slots.acquire()
            task = asyncio.create_task(self._deliver(row))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
            if len(self._outcomes) >= 200:
                await self._flush()
        self.last_cycle = time.monotonic()
        return len(rows)

    async def _flush_often(self) -> None:
        """Mark sent rows within a tenth of a second: after a crash, only what was sent in
        that last tenth (and what was in flight) can arrive twice."""
        while True:
            await asyncio.sleep(FLUSH_INTERVAL)
            try:
                await self._flush()
            except Exception:  # noqa: BLE001 - try again next time; rows stay claimed
                log.exception("could not record sent messages; retrying")

    async def _overall_slot(self) -> None:
        while True:
            await self._wait_out_flood_control()
            wait = self._windows.overall_wait(time.monotonic())
            if wait <= 0:
                return
            await asyncio.sleep(wait)

    async def _wait_out_flood_control(self) -> None:
        pause = self._paused_until - time.monotonic()
        if pause > 0:
            await asyncio.sleep(pause)

    def _settle(self, outcome: Outcome) -> None:
        self._outcomes.append(outcome)

    async def _flush(self) -> None:
        outcomes, self._outcomes = self._outcomes, []
        try:
            await outbox.apply(self.db, outcomes)
        except BaseException:
            self._outcomes[:0] = outcomes  # keep them for the next try
            raise

    # --- one message ----------------------------------------------------------------------
    async def _deliver(self, row: Row) -> None:
        try:
            self._settle(await self._attempt(row))
        except Exception as exc:  # noqa: BLE001 - one bad row must not stop the others
            log.exception("outbox row %s to chat %s failed unexpectedly", row.id, row.chat_id)
            self._settle(Outcome(row.id, "failed", int(self.clock()), f"unexpected: {exc!r}"))
        finally:
            self._slots.release()

    async def _attempt(self, row: Row) -> Outcome:
        """Send one row; an earlier send Telegram never confirmed stays on the outcome."""
        outcome = await self._try(row)
        unsure = (row.error or "").startswith(outbox.UNCONFIRMED)
        if unsure and not (outcome.error or "").startswith(outbox.UNCONFIRMED):
            why = outcome.error or "sent again after a send Telegram never confirmed"
            outcome = dataclasses.replace(outcome, error=outbox.UNCONFIRMED + why)
        return outcome

    async def _try(self, row: Row) -> Outcome:
        out = await self.render(row)
        now = int(self.clock())
        if out is None:
            return Outcome(row.id, "skipped", now, "nothing to send any more")
        chat_id = row.chat_id
        for _ in range(3):  # a migrated chat is retried at its new id straight away
            try:
                await send(self.bot, chat_id, out, thread=out.thread)
                self.sent += 1
                return Outcome(row.id, "sent", int(self.clock()))
            except ChatMigrated as exc:
                log.info("chat %s moved to %s; following it", chat_id, exc.new_chat_id)
                await chats.migrate_chat(self.db, chat_id, exc.new_chat_id)
                chat_id = exc.new_chat_id
            except RetryAfter as exc:
                delay = float(exc.retry_after if isinstance(exc.retry_after, (int, float))
                              else exc.retry_after.total_seconds())
                log.warning("Telegram asks to wait %.0f s (flood control)", delay)
                self._paused_until = max(self._paused_until, time.monotonic() + delay)
                return Outcome(row.id, "pending", now, f"429: retry after {delay:.0f}s",
                               not_before=now + int(delay + 0.999))
            except Forbidden as exc:
                await self._chat_gone(chat_id, str(exc))
                return Outcome(row.id, "blocked", now, str(exc))
            except BadRequest as exc:
                message = str(exc).lower()
                if any(reason in message for reason in GONE_CHAT_ERRORS):
                    await self._chat_gone(chat_id, str(exc))
                    return Outcome(row.id, "blocked", now, str(exc))
                log.warning("outbox row %s rejected by Telegram: %s", row.id, exc)
                return Outcome(row.id, "failed", now, f"400: {exc}")
            except NetworkError as exc:  # timeouts, 5xx, connection errors
                return self._retry_later(row, now, exc)
        return Outcome(row.id, "failed", now, "chat kept migrating")

    def _retry_later(self, row: Row, now: int, exc: Exception) -> Outcome:
        attempts = row.attempts + 1
        # A timeout or a connection dropped after sending: the message may have arrived.
        unsure = outbox.UNCONFIRMED if isinstance(exc, TimedOut | MayHaveArrived) else ""
        if attempts >= outbox.MAX_ATTEMPTS:
            log.warning("outbox row %s failed after %d attempts: %s", row.id, attempts, exc)
            return Outcome(row.id, "failed", now, f"{unsure}after {attempts} attempts: {exc}",
                           count_attempt=True)
        backoff = min(300, 2 ** attempts)
        return Outcome(row.id, "pending", now, f"{unsure}retrying: {exc}",
                       not_before=now + backoff, count_attempt=True)

    async def _chat_gone(self, chat_id: int, reason: str) -> None:
        log.info("chat %s can no longer be reached (%s); it gets nothing until it writes",
                 chat_id, reason)
        await chats.mark_unreachable(self.db, chat_id)
