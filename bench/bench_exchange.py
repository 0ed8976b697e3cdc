"""Benchmark: bundle export/import of a synthetic case (1,000 documents, 20,000 claims).

Prints timings and sizes; not a pass/fail test. Targets (issue 6): export < 5 s, import < 5 s.
Run: ``.venv/bin/python bench/bench_exchange.py [--docs N] [--claims N]``.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert

from casefile.db.database import open_database
from casefile.db.models import (
    Case,
    Claim,
    ClaimEvidence,
    Document,
    DocumentOriginal,
    Entity,
    Highlight,
    HighlightTag,
    Tag,
    new_id,
)
from casefile.exchange.bundle import export_bundle, open_bundle
from casefile.exchange.merge import import_bundle

_VOCABULARY = ("Vakhidov Temur Timur Vahidov Jamshed Olim Qalat Nur Tal Hasan Wadi Sirr airstrike "
         "missile strike killed reported officials minister Anvar Rasulzoda said sources "
         "military alive hiding commander fighters border village convoy statement denied "
         "confirmed interior ministry according local residents the a of in on was were by "
         "Northern Ledger Rivertown Gazette Meridian Wire Daily Lantern Caspian Courier")
WORDS = _VOCABULARY.split()


def build(db, *, n_docs: int, n_claims: int, seed: int = 6) -> str:
    rnd = random.Random(seed)
    case_id = new_id()
    t0 = datetime(2021, 1, 1)
    with db.write() as s:
        s.execute(insert(Case), [{"id": case_id, "title": "Synthetic Vakhidov file",
                                  "summary": "Benchmark case.", "created_at": t0,
                                  "updated_at": t0}])
        ents = [{"id": new_id(), "case_id": case_id, "name": f"Entity {i}",
                 "kind": rnd.choice(["person", "organization", "place"]),
                 "description": "", "reliability": "", "created_at": t0, "updated_at": t0}
                for i in range(400)]
        s.execute(insert(Entity), ents)
        tags = [{"id": new_id(), "case_id": case_id, "parent_id": None, "name": f"tag {i}",
                 "color": "", "description": "", "created_at": t0, "updated_at": t0}
                for i in range(20)]
        s.execute(insert(Tag), tags)
        docs, originals, texts = [], [], []
        for i in range(n_docs):
            text = " ".join(rnd.choice(WORDS) for _ in range(500)) + "\n"
            original = f"<html><body><article><p>{text}</p></article></body></html>".encode()
            did = new_id()
            texts.append((did, text))
            docs.append({"id": did, "case_id": case_id, "title": f"Report {i}",
                         "outlet_id": rnd.choice(ents)["id"], "published": "2020-08-05",
                         "text": text, "content_type": "text/html", "page_starts": [0],
                         "sha256": "", "imported_at": t0, "created_at": t0, "updated_at": t0})
            originals.append({"document_id": did, "data": original})
        s.execute(insert(Document), docs)
        s.execute(insert(DocumentOriginal), originals)
        hls, hl_tags, claims, evidence = [], [], [], []
        for i in range(n_claims):
            did, text = texts[i % len(texts)]
            start = rnd.randrange(0, len(text) - 60)
            end = start + rnd.randrange(10, 60)
            hid, cid = new_id(), new_id()
            stamp = t0 + timedelta(seconds=i)
            hls.append({"id": hid, "document_id": did, "start": start, "end": end,
                        "quote": text[start:end], "prefix": text[max(0, start - 32):start],
                        "suffix": text[end:end + 32], "color": "", "note": "",
                        "anchor": "exact", "created_at": stamp, "updated_at": stamp})
            hl_tags.append({"highlight_id": hid, "tag_id": rnd.choice(tags)["id"]})
            claims.append({"id": cid, "case_id": case_id, "statement": f"Claim {i}",
                           "kind": rnd.choice(["death", "location", "role"]),
                           "subject_id": rnd.choice(ents)["id"], "object_id": None,
                           "value": "", "date": f"{rnd.randint(2014, 2021)}",
                           "place_id": rnd.choice(ents)["id"], "stance": "asserts",
                           "origin_id": rnd.choice(ents)["id"], "via": [],
                           "credibility": rnd.randint(1, 6), "status": "open", "note": "",
                           "created_at": stamp, "updated_at": stamp})
            evidence.append({"claim_id": cid, "highlight_id": hid, "position": 0})
        for rows, model in ((hls, Highlight), (hl_tags, HighlightTag), (claims, Claim),
                            (evidence, ClaimEvidence)):
            for i in range(0, len(rows), 5000):
                s.execute(insert(model), rows[i:i + 5000])
    return case_id


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--claims", type=int, default=20000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        src = open_database(folder / "src.sqlite")
        t = time.perf_counter()
        case_id = build(src, n_docs=args.docs, n_claims=args.claims)
        print(f"synthetic case: {args.docs} documents, {args.claims} claims, "
              f"{args.claims} highlights (built in {time.perf_counter() - t:.1f} s)")
        bundle = folder / "case.casefile"
        t = time.perf_counter()
        res = export_bundle(src, case_id=case_id, out=bundle)
        export_s = time.perf_counter() - t
        t = time.perf_counter()
        with open_bundle(bundle):
            pass
        check_s = time.perf_counter() - t
        dst = open_database(folder / "dst.sqlite")
        t = time.perf_counter()
        import_bundle(dst, path=bundle)
        import_s = time.perf_counter() - t
        t = time.perf_counter()
        again = import_bundle(dst, path=bundle)
        reimport_s = time.perf_counter() - t
        size = bundle.stat().st_size
        print(f"export:              {export_s:6.2f} s  (target < 5 s)")
        print(f"import (new case):   {import_s:6.2f} s  (target < 5 s; of which reading and "
              f"checking the bundle {check_s:.2f} s)")
        print(f"re-import (merge):   {reimport_s:6.2f} s  (changed: {again.changed})")
        print(f"bundle size:         {size / 1e6:6.2f} MB for {res.raw_source_bytes / 1e6:.2f} MB "
              f"of raw sources ({size / max(res.raw_source_bytes, 1):.2f}x; case.json and "
              "canonical texts included)")
        src.close()
        dst.close()


if __name__ == "__main__":
    main()
