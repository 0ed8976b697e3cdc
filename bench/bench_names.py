"""Duplicate finder precision and recall on tests/fixtures/scripts/name_pairs.tsv (50 pairs of
one person's spellings, 200 pairs of different people), at the "likely" score.

Each pair is put to the finder as two entities (blocking included); a pair counts as found when
it comes back scoring ``names.LIKELY`` or more. Prints precision, recall and the pairs it gets
wrong. Run: ``.venv/bin/python bench/bench_names.py``. Numbers, not pass/fail.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from casefile.analysis import names  # noqa: E402

PAIRS = ROOT / "tests" / "fixtures" / "scripts" / "name_pairs.tsv"


def load() -> list[tuple[bool, str, str]]:
    out = []
    for line in PAIRS.read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, a, b = line.split("\t")
            out.append((label == "same", a, b))
    return out


def judged(a: str, b: str) -> tuple[float, str]:
    """The finder's score and reason for the pair (0 when blocking never compares them)."""
    found = names.candidates([names.NameEntry("a", a, "person"),
                              names.NameEntry("b", b, "person")])
    return (found[0].score, found[0].reason) if found else (0.0, "")


def evaluate() -> tuple[float, float, list[tuple[bool, str, str, float, str]]]:
    tp = fp = fn = 0
    wrong = []
    for same, a, b in load():
        score, why = judged(a, b)
        likely = score >= names.LIKELY
        tp += same and likely
        fp += likely and not same
        fn += same and not likely
        if likely != same:
            wrong.append((same, a, b, score, why))
    return tp / max(1, tp + fp), tp / max(1, tp + fn), wrong


def main() -> None:
    precision, recall, wrong = evaluate()
    print(f"likely (score >= {names.LIKELY}): precision {100 * precision:.1f} %, "
          f"recall {100 * recall:.1f} %")
    for same, a, b, score, why in wrong:
        print(f"  {'missed' if same else 'false'}: {a} / {b}  {score:.2f}  {why}")


if __name__ == "__main__":
    main()
