"""Keeping Python's cyclic garbage collector out of bulk work that makes no cycles.

A scan or an import makes millions of small acyclic objects; the collector would walk the
growing heap again and again (passes of 0.5-1 s at 100,000 contacts), each holding the
interpreter, so that the work is slower and the window's event loop stalls meanwhile.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """No automatic collection inside the block (it is switched back on if it was on)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
