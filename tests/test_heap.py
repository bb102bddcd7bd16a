"""The heap after start-up is frozen (skipped by the cyclic collector), and a /reload's old
library is still freed: settling again collects what was frozen and is now garbage."""

from __future__ import annotations

import gc
import weakref

from bot import heap


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the collector frees it


def test_settle_freezes_what_lives_and_resettle_frees_what_died() -> None:
    node = _Node()
    alive = weakref.ref(node)
    heap.settle()
    assert gc.get_freeze_count() > 0
    del node
    gc.collect()
    assert alive() is not None  # frozen: a collection does not look at it
    heap.resettle()
    assert alive() is None
    assert gc.get_freeze_count() > 0
