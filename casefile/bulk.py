"""Helpers for building tens of thousands of small records quickly."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def bulk_allocation() -> Iterator[None]:
    """Pause the cyclic garbage collector while building tens of thousands of small objects
    (none of them cyclic): its full passes would otherwise rescan them again and again.

    The switch is process-wide. Nesting and concurrent use from worker threads are safe: the
    caller that found the collector on turns it back on, so it always ends on."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
