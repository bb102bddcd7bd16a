"""How often the owners hear about errors, and who has already had an apology.

One bad input repeated a hundred times must not become a hundred reports to every owner:
at most PER_HOUR reports go out in any hour, and the next one that does go out (or the
minute tick's summary, when the hour has room again) says how many were held back.
"""

from __future__ import annotations

import collections

PER_HOUR = 3
HOUR = 3600
REMEMBERED_UPDATES = 1000


class ErrorReports:
    def __init__(self, per_hour: int = PER_HOUR) -> None:
        self.per_hour = per_hour
        self._sent: collections.deque[int] = collections.deque()  # when each report went out
        self.held_back = 0  # errors not reported one by one since the last report
        self.held_since: int | None = None
        self._apologised: collections.OrderedDict[int, None] = collections.OrderedDict()

    def first_apology(self, update_id: int) -> bool:
        """True the first time an update asks for an apology; never again for that update."""
        if update_id in self._apologised:
            return False
        self._apologised[update_id] = None
        if len(self._apologised) > REMEMBERED_UPDATES:
            self._apologised.popitem(last=False)
        return True

    def _room(self, now: int) -> bool:
        while self._sent and now - self._sent[0] >= HOUR:
            self._sent.popleft()
        return len(self._sent) < self.per_hour

    def report(self, now: int) -> tuple[bool, int, int | None]:
        """May this error be reported now? With it: how many were held back, and since when
        (both then start again from zero)."""
        if not self._room(now):
            if not self.held_back:
                self.held_since = now
            self.held_back += 1
            return False, 0, None
        self._sent.append(now)
        held, since = self.held_back, self.held_since
        self.held_back, self.held_since = 0, None
        return True, held, since

    def summary_due(self, now: int) -> tuple[int, int | None] | None:
        """Errors held back that a report may now name: (count, since), or None."""
        if not self.held_back or not self._room(now):
            return None
        self._sent.append(now)
        held, since = self.held_back, self.held_since
        self.held_back, self.held_since = 0, None
        return held, since
