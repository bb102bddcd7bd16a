"""Logging that never prints the bot token."""

from __future__ import annotations

import logging


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
