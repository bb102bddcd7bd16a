"""Errors to Sentry (optional, SENTRY_DSN): where the code failed, never what people wrote.

The owners' Telegram error reports stay as they are; Sentry adds grouping, history and stack
traces across instances. What leaves the process is only the log line, the exception's type
and text, and the stack's file and function names: no local variables (a handler's locals hold
the update and its text), no request bodies (webhook posts are updates), no breadcrumb data,
and the bot token replaced wherever it appears (Bot API URLs carry it).
"""

from __future__ import annotations

import re
from typing import Any

TOKEN_SHAPE = re.compile(r"\d{3,}:[A-Za-z0-9_-]{20,}")  # any bot token, not only ours
REDACTED = "<redacted>"
# Keys whose value is what a person wrote or pressed, or Sentry's places for such things.
ALWAYS_DROPPED = frozenset({"text", "caption", "message_text", "query", "data", "body",
                            "cookies", "vars", "extra", "request", "user", "params"})
# Keys of Telegram objects that carry a message: dropped unless the value is Sentry's own
# one-line string (an event's or a breadcrumb's "message" is the log line).
OBJECT_KEYS = frozenset({"message", "update", "callback_query", "inline_query", "channel_post",
                         "edited_message", "edited_channel_post", "reply_markup",
                         "input_message_content", "chosen_inline_result"})
LONGEST_VALUE = 500


def scrub(event: dict[str, Any], token: str | None) -> dict[str, Any]:
    """The event without payloads, local variables, request or breadcrumb data, and with the
    token (ours, or anything shaped like one) replaced wherever it appears."""
    cleaned: dict[str, Any] = _clean(event, token)
    return cleaned


def _clean(value: Any, token: str | None) -> Any:
    """Walk the event: payload keys dropped, strings de-tokened and cut to length."""
    if isinstance(value, str):
        if token:
            value = value.replace(token, REDACTED).replace(token.split(":", 1)[-1], REDACTED)
        value = TOKEN_SHAPE.sub(REDACTED, value)
        return value if len(value) <= LONGEST_VALUE else value[:LONGEST_VALUE] + "…"
    if isinstance(value, dict):
        return {k: _clean(v, token) for k, v in value.items() if not _payload(k, v)}
    if isinstance(value, list | tuple):
        return [_clean(v, token) for v in value]
    return value


def _payload(key: object, value: object) -> bool:
    return key in ALWAYS_DROPPED or (key in OBJECT_KEYS and not isinstance(value, str))


def start_error_tracking(dsn: str, token: str | None) -> None:
    """Send errors (ERROR log lines and uncaught exceptions) to Sentry, scrubbed."""
    import logging

    import sentry_sdk
    from sentry_sdk.integrations.logging import LoggingIntegration

    def before_send(event: Any, hint: Any) -> Any:
        return scrub(event, token)

    def before_breadcrumb(crumb: Any, hint: Any) -> Any:
        return _clean(crumb, token)

    # sentry-sdk 3 (the range pyproject.toml allows): what integrations collect is one
    # data_collection option; 2.x's send_default_pii and include_local_variables are gone.
    sentry_sdk.init(
        dsn=dsn,
        before_send=before_send,
        before_breadcrumb=before_breadcrumb,
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_headers": {"request": {"mode": "off"}},
            "http_bodies": [],
            "url_query_params": {"mode": "off"},
            "database_query_data": False,
            "stack_frame_variables": False,  # a handler's locals are the update and its text
        },
        max_request_body_size="never",
        # 3.x sends no event for an ERROR log line unless asked, and would ship every INFO line
        # as a Sentry Log (unscrubbed by before_send): events from ERROR, breadcrumbs from
        # INFO, no Sentry Logs.
        integrations=[LoggingIntegration(level=None, event_level=logging.ERROR,
                                         breadcrumb_level=logging.INFO)],
        # Only the default integrations (logging, uncaught exceptions): the automatic ones
        # would record every aiohttp request, and a Bot API URL holds the token.
        auto_enabling_integrations=False,
        traces_sample_rate=0.0,
    )
