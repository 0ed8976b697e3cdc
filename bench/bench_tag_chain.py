"""Importing a bundle whose tags form one deep chain (each under the previous): the cycle check
alone, and the whole import (refused in one line past 50 levels, so this times the refusal).
Prints seconds; run with `make bench`."""

from __future__ import annotations

import contextlib
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from casefile.db.database import open_database
from casefile.exchange import BundleError
from casefile.exchange.merge import import_bundle
from casefile.exchange.validate import tag_cycles
from tests.faults.bundles import case_of, load, make_setting, write


def main() -> None:
    for n in (10_000, 40_000):
        with tempfile.TemporaryDirectory() as tmp:
            st = make_setting(Path(tmp))
            manifest, members = load(st.good)
            case = case_of(members)
            stamp = case["tags"][0]["created_at"]
            case["tags"] += [{"id": f"deep-{i}", "parent_id": f"deep-{i - 1}" if i else None,
                              "name": f"level {i}", "color": "", "description": "",
                              "created_at": stamp, "updated_at": stamp} for i in range(n)]
            bundle = write(Path(tmp) / "deep.casefile", manifest, members, case=case)
            parents = {t["id"]: t["parent_id"] for t in case["tags"]}
            t0 = time.perf_counter()
            tag_cycles(parents)
            check = time.perf_counter() - t0
            db = open_database(st.db_path)
            t0 = time.perf_counter()
            with contextlib.suppress(BundleError):  # deeper than Casefile keeps: refused
                import_bundle(db, path=bundle)
            whole = time.perf_counter() - t0
            db.close()
            print(f"chain of {n:>6,} tags: cycle check {check * 1000:7.1f} ms, whole import "
                  f"(refused) {whole:6.2f} s")


if __name__ == "__main__":
    main()
