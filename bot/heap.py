"""The long-lived part of the heap, kept out of the garbage collector's way.

Python's cyclic collector walks every tracked object in its oldest generation on each full
collection. After start-up that is mostly what lives as long as the process: the library, its
indexes, the templates, the store's connections, PTB's application. Frozen, it is skipped; only
what handling updates creates is examined. Measured with bench/inbound.py: about 5% of the
bot's CPU per update under load.
"""

from __future__ import annotations

import gc


def settle() -> None:
    """Collect once, then freeze everything still alive. Call when start-up is done."""
    gc.collect()
    gc.freeze()


def resettle() -> None:
    """After the long-lived part changed (/reload): the old library, its templates and indexes
    hold reference cycles, which only a collection of the unfrozen heap frees."""
    gc.unfreeze()
    settle()
