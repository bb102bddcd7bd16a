"""Gut–skin education bot for people living with eczema."""

import os

# Opt in to python-telegram-bot's coming behaviour (durations such as RetryAfter.retry_after
# as timedelta). Without it PTB warns on every 429 it parses; the sender reads both forms.
os.environ.setdefault("PTB_TIMEDELTA", "1")
