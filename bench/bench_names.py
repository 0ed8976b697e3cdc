"""Duplicate finder precision and recall at the "likely" score, on the pairs its rules were
tuned on (tests/fixtures/scripts/name_pairs.tsv: 50 pairs of one person's spellings, 200 pairs
of different people) and on held-out lists written afterwards (bench/data/): the first was
measured once (precision 73.5 %, recall 83.3 %) and its failure classes fixed, the second
measured once after that (90.5 % / 79.2 %) and then only its clearest classes fixed. A new
list, written before looking, is the next honest measure.

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
HELD_OUT = ROOT / "bench" / "data" / "name_pairs_heldout.tsv"
HELD_OUT_2 = ROOT / "bench" / "data" / "name_pairs_heldout2.tsv"


def load(path: Path) -> list[tuple[bool, str, str]]:
    out = []
    for line in path.read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, a, b = line.split("\t")
            out.append((label == "same", a, b))
    return out


def judged(a: str, b: str) -> tuple[float, str]:
    """The finder's score and reason for the pair (0 when blocking never compares them)."""
    found = names.candidates([names.NameEntry("a", a, "person"),
                              names.NameEntry("b", b, "person")])
    return (found[0].score, found[0].reason) if found else (0.0, "")


def evaluate(path: Path) -> tuple[float, float, list[tuple[bool, str, str, float, str]]]:
    tp = fp = fn = 0
    wrong = []
    for same, a, b in load(path):
        score, why = judged(a, b)
        likely = score >= names.LIKELY
        tp += same and likely
        fp += likely and not same
        fn += same and not likely
        if likely != same:
            wrong.append((same, a, b, score, why))
    return tp / max(1, tp + fp), tp / max(1, tp + fn), wrong


def main() -> None:
    for label, path in (("tuned on", PAIRS), ("held out, then tuned on", HELD_OUT),
                        ("held out 2", HELD_OUT_2)):
        precision, recall, wrong = evaluate(path)
        n = len(load(path))
        print(f"{label} ({n} pairs), likely (score >= {names.LIKELY}): precision "
              f"{100 * precision:.1f} %, recall {100 * recall:.1f} %")
        for same, a, b, score, why in wrong:
            print(f"  {'missed' if same else 'false'}: {a} / {b}  {score:.2f}  {why}")


if __name__ == "__main__":
    main()
