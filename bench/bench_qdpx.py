"""Benchmark: REFI-QDA project and Web Annotation exchange beside the bundle, same case, same run.

Prints timings (not a pass/fail test) for a realistic case (50 documents, 500 claims) and a large
one (1,000 documents, 20,000 claims): .qdpx export and import (as a new case), the bundle's
export and import for comparison, the bare floor of reading the project (unzip every member and
parse project.qde with lxml), and JSON-LD export with its import back onto the case.
Run: ``.venv/bin/python bench/bench_qdpx.py [--sizes 50:500,1000:20000]``.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_exchange import build

from casefile.db.database import open_database
from casefile.exchange import jsonld
from casefile.exchange.bundle import export_bundle
from casefile.exchange.merge import import_bundle
from casefile.exchange.qdpx_export import export_qdpx
from casefile.exchange.qdpx_import import import_qdpx
from casefile.exchange.w3c_import import import_annotations


def _timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def run(folder: Path, n_docs: int, n_claims: int) -> None:
    src = open_database(folder / f"src-{n_docs}.sqlite")
    case_id = build(src, n_docs=n_docs, n_claims=n_claims)
    qdpx, bundle = folder / f"case-{n_docs}.qdpx", folder / f"case-{n_docs}.casefile"
    summary, qdpx_export_s = _timed(lambda: export_qdpx(src, case_id=case_id, out=qdpx))
    _, bundle_export_s = _timed(lambda: export_bundle(src, case_id=case_id, out=bundle))

    def bare() -> int:
        from lxml import etree

        with zipfile.ZipFile(qdpx) as zf:
            data = {n: zf.read(n) for n in zf.namelist()}
        return len(etree.fromstring(data["project.qde"]))

    _, bare_s = _timed(bare)
    dst = open_database(folder / f"dst-{n_docs}.sqlite")
    res, qdpx_import_s = _timed(lambda: import_qdpx(dst, path=qdpx))
    _, bundle_import_s = _timed(lambda: import_bundle(dst, path=bundle))
    out = io.StringIO()
    _, jsonld_s = _timed(lambda: jsonld.write_jsonld(src, case_id=case_id, out=out))
    again, anno_s = _timed(lambda: import_annotations(src, case_id=case_id,
                                                      data=__import__("json").loads(
                                                          out.getvalue())))
    print(f"\n{n_docs} documents, {summary.highlights} highlights, {summary.claims} claims, "
          f"{summary.entities} entities")
    print(f"  qdpx export           {qdpx_export_s:7.2f} s   ({qdpx.stat().st_size / 1e6:.1f} MB)"
          f"   bundle export {bundle_export_s:6.2f} s")
    print(f"  qdpx import (new case) {qdpx_import_s:6.2f} s   bundle import {bundle_import_s:6.2f}"
          f" s   bare unzip + lxml parse {bare_s:5.2f} s")
    print(f"    imported: {res.documents} documents, {res.highlights} highlights, {res.claims} "
          f"claims, {len(res.not_imported)} parts not imported")
    print(f"  jsonld export         {jsonld_s:7.2f} s   import back onto the case "
          f"{anno_s:6.2f} s ({len(again.unchanged)} already there, {len(again.orphans)} orphans)")
    src.close()
    dst.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="50:500,1000:20000")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes.split(","):
            docs, claims = (int(x) for x in size.split(":"))
            run(Path(tmp), docs, claims)


if __name__ == "__main__":
    main()
