"""Word shingles: stable hashes of every run of five words, and a sampled fingerprint of them.

A fingerprint keeps the hashes divisible by ``SAMPLE`` (about one in eight: the same shingles
are kept in every text, so two texts' fingerprints overlap as much as their shingles do), or
every hash of a short text. Lookups by fingerprint cost the same whatever the case's size.
"""

from __future__ import annotations

import re
from functools import lru_cache
from hashlib import blake2b

SHINGLE = 5
SAMPLE = 8
MIN_SAMPLED = 16  # fewer sampled hashes than this: keep them all
_WORD = re.compile(r"\w+")


def shingle_hashes(text: str, k: int = SHINGLE) -> frozenset[int]:
    """Signed 64-bit hashes (stable across runs) of every run of ``k`` case-folded words."""
    words = _WORD.findall(text.casefold())
    if len(words) < k:
        runs = [words] if words else []
    else:
        runs = [words[i:i + k] for i in range(len(words) - k + 1)]
    return frozenset(int.from_bytes(blake2b("\x1f".join(r).encode(), digest_size=8).digest(),
                                    "little", signed=True) for r in runs)


def sampled(hashes: frozenset[int]) -> frozenset[int]:
    return frozenset(h for h in hashes if h % SAMPLE == 0)


@lru_cache(maxsize=64)
def fingerprint(hashes: frozenset[int]) -> frozenset[int]:
    """What is stored for a text: its sampled hashes, or all of them when few are sampled
    (remembered for the last few texts: an import asks for each text's more than once)."""
    few = sampled(hashes)
    return few if len(few) >= MIN_SAMPLED else hashes


def overlap(a: frozenset[int], b: frozenset[int]) -> float:
    """Share of the smaller set found in the larger (1.0: one text contains the other)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))
