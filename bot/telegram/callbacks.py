"""The callback_data the bot makes, and the parser that rejects anything else."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import available_timezones

# kind -> whether it carries an argument. Arguments are ids: lowercase, digits, dashes, colons.
KINDS: dict[str, bool] = {
    "menu": False,    # the topic menu
    "topic": True,    # list a topic's cards
    "card": True,     # show a card
    "next": True,     # the card after this one
    "remind": False,  # start setting up reminders
    "who": True,      # who:self|child   who the chat is for (asked in the first chat)
    "later": True,    # later:<card id>   the daily card once more in 3 hours
    # Reminder set-up; each carries the set-up's nonce so an old message's button is stale.
    "rt": True,       # rt:<nonce>:<minute of day>
    "rz": True,       # rz:<nonce>:<zone button index | keep>
    "rd": True,       # rd:<nonce>:<days mask>       (final)
    "rdt": True,      # rdt:<nonce>:<days mask>      (day picker, in progress)
    # Under a confirmation that replaced the daily card: that card put back, as it was (no
    # nonce: the button says what it sets, so it may be pressed later).
    "rk": True,       # rk:<minute of day>:<days mask>:<zone_arg(zone)>
    "set": True,      # set:<what>   buttons of the /reminders overview
    "focus": True,    # focus:<nonce>:<topics mask | done>
    "hab": True,      # hab:<nonce>:<habits mask | done>
    "ci": True,       # ci:<yyyymmdd>:<habit index>:<y|n>   a check-in answer
    "bc": True,       # bc:<campaign id>:<step>   moderators only
    "forget": True,   # forget:ask|yes|no
    "fb": True,       # fb:<answer id>:y|n   was an answer helpful
    # The one-tap safety check before an answer: safe:e (someone is very unwell), safe:c
    # (thoughts of harm), safe:n:<answer id> (no: show the answer held back).
    "safe": True,
    # The skin check: sk:a:<check id>:<question>:<0-4|s> an answer (the check is in SQLite, so
    # a press after a restart carries on), sk:for:self|child, sk:start, sk:chart,
    # sk:weekly:on|off, sk:fever.
    "sk": True,
    # Asking the community's team. The person's: hm:ask, and on the message to be sent
    # hm:send|edit|drop:<nonce>, hm:name:<nonce>:y|n; then hm:close:<ticket>,
    # hm:rate:<ticket>:y|n. The team's (moderators only): tk:<ticket>:claim|close|block|
    # blockyes|keep, and on a held reply tk:<ticket>:send|drop:<message id>.
    "hm": True,
    "tk": True,
    # Notes: nt:add (ask for one), nt:list:<offset> (a page of /notes), nt:del:<id>:<offset>
    # (delete one, then show that page again).
    "nt": True,
    # The report's period: rp:<nonce>:4|12|all. The nonce is the picker's (chat_data), so a
    # second press of the same picker does not build the report twice.
    "rp": True,
}
_ARG = re.compile(r"^[a-z0-9][a-z0-9:_-]{0,58}$")


@dataclass(frozen=True)
class Action:
    kind: str
    arg: str = ""


def make(kind: str, arg: str = "") -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown callback kind {kind!r}")
    return f"{kind}:{arg}" if KINDS[kind] else kind


def parse(data: str | None) -> Action | None:
    """The action a button stands for, or None for data this bot never made."""
    if not data:
        return None
    kind, _, arg = data.partition(":")
    takes_arg = KINDS.get(kind)
    if takes_arg is None:
        return None
    if takes_arg != bool(arg) or (arg and not _ARG.match(arg)):
        return None
    return Action(kind, arg)


def pattern(kinds: Iterable[str]) -> re.Pattern[str]:
    """The callback_data of these kinds, for a CallbackQueryHandler."""
    names = "|".join(sorted(re.escape(k) for k in kinds))
    return re.compile(rf"^(?:{names})(?::|$)")


# A time zone in callback data, which carries lower case, digits, ':', '_' and '-': an IANA
# name in lower case with '/' as ':' ("europe:london"), an offset with '+' as 'p' ("utcp05:30").
_OFFSET_ARG = re.compile(r"^utc(?P<sign>[p-])(?P<hm>\d{2}:\d{2})$")


def zone_arg(zone_name: str) -> str | None:
    """A zone's name as a button can carry it, or None when it could not be read back."""
    arg = _as_arg(zone_name)
    return arg if zone_from_arg(arg) == zone_name and _ARG.match(arg) else None


def zone_from_arg(arg: str) -> str | None:
    """The zone's name zone_arg made, or None for anything else."""
    offset = _OFFSET_ARG.match(arg)
    if offset:
        return f"UTC{'+' if offset['sign'] == 'p' else '-'}{offset['hm']}"
    return _zone_args().get(arg)


@lru_cache(maxsize=1)
def _zone_args() -> dict[str, str]:
    return {_as_arg(name): name for name in available_timezones()}


def _as_arg(zone_name: str) -> str:
    return zone_name.lower().replace("/", ":").replace("+", "p")
