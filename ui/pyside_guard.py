"""Guard against a PySide6 6.12.0 bug that drops a reference to None on every void call."""

from __future__ import annotations

import ctypes
import logging
import sys

log = logging.getLogger(__name__)
TOP_UP = 1 << 40  # far more void calls than any session makes


def void_calls_leak_none() -> bool:
    """Whether calling a void Qt method decrements None's reference count (PySide6 6.12.0 on
    CPython 3.11 does: after ~5,000 calls None is "deallocated" and the process aborts)."""
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(50):
        probe.setObjectName("probe")
    return sys.getrefcount(None) <= before - 50


def install() -> bool:
    """Make None effectively immortal if this PySide6 leaks it; returns whether it did.

    From CPython 3.12 None is immortal and decrements are ignored, so nothing is needed.
    On 3.11 the reference count is the first field of every object (non-debug builds)."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    if not void_calls_leak_none():
        return False
    ctypes.c_ssize_t.from_address(id(None)).value += TOP_UP
    log.info("PySide6 drops references to None on void calls; compensating")
    return True
