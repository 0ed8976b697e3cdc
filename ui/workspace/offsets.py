"""Code-point offsets (the core's) to UTF-16 units (QTextCursor's) and back."""

from __future__ import annotations

from bisect import bisect_left


class OffsetMap:
    """Converts between Python code-point offsets and Qt UTF-16 positions for one text.

    Only characters outside the Basic Multilingual Plane take two UTF-16 units, so the map keeps
    just their code-point positions; text without any converts by identity.
    """

    __slots__ = ("_astral", "_astral_u16", "length", "length_u16")

    def __init__(self, text: str):
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF] if (
            not text.isascii()) else []
        # UTF-16 position of each astral character's first unit.
        self._astral_u16 = [cp + k for k, cp in enumerate(self._astral)]
        self.length = len(text)
        self.length_u16 = self.length + len(self._astral)

    @property
    def identity(self) -> bool:
        return not self._astral

    def to_utf16(self, cp: int) -> int:
        """UTF-16 position of code-point offset ``cp``."""
        if not self._astral:
            return cp
        return cp + bisect_left(self._astral, cp)

    def to_codepoint(self, u16: int) -> int:
        """Code-point offset of UTF-16 position ``u16``; a position inside a surrogate pair
        rounds down to the start of its character."""
        if not self._astral:
            return u16
        k = bisect_left(self._astral_u16, u16)
        if k and self._astral_u16[k - 1] == u16 - 1:
            # u16 points at the low surrogate of astral char k-1: round down to its start.
            return self._astral[k - 1]
        return u16 - k
