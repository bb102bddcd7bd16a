"""Logging that never prints the bot token."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then removes the token from the whole line, traceback included.

    httpx logs request URLs and network errors quote them; both contain the token.
    """

    def __init__(self, token: str | None) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self.token = token

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        return text.replace(self.token, "<token>") if self.token else text


def _not_a_rejected_token(record: logging.LogRecord) -> bool:
    """PTB logs a rejected token with a whole traceback before raising it; `python -m bot`
    then says so in one line that names TELEGRAM_BOT_TOKEN, so the traceback is noise."""
    from telegram.error import InvalidToken  # loaded by then: only the bot itself logs

    error = record.exc_info[1] if record.exc_info else None
    return not isinstance(error, InvalidToken)


def configure_logging(token: str | None, level: int = logging.INFO) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter(token))
    handler.addFilter(_not_a_rejected_token)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


class Bursts:
    """One WARNING for the first of a burst of alike events (a gateway's error pages, a network
    outage); the rest are counted, and one INFO line gives the count once `quiet` seconds have
    passed without another."""

    def __init__(self, logger: logging.Logger, what: str, *, quiet: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.logger = logger
        self.what = what
        self.quiet = quiet
        self.clock = clock
        self.count = 0  # events in the current burst
        self.first = self.last = 0.0

    def event(self, message: str, *args: object) -> None:
        now = self.clock()
        if self.count and now - self.last > self.quiet:
            self._over()
        self.count += 1
        self.last = now
        if self.count == 1:
            self.first = now
            self.logger.warning(f"{message} (more {self.what} are counted, not logged, until "
                                f"{self.quiet:.0f} s pass without one)", *args)

    def all_clear(self) -> None:
        """Things work again: end the burst if it has been quiet long enough."""
        if self.count and self.clock() - self.last > self.quiet:
            self._over()

    def _over(self) -> None:
        self.logger.info("%d %s in %.0f s; none since", self.count, self.what,
                         self.last - self.first)
        self.count = 0
