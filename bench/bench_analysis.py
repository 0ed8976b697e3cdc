"""Benchmark: conflicts, timeline, candidates on 2,000 entities / 20,000 claims; search p95;
then 10,000 death claims on one subject (dates that mostly agree: the worst case for a pairwise
check), where conflicts and timeline must each stay under a second."""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert

from casefile.db.database import Database, open_database
from casefile.db.models import (
    Alias,
    Claim,
    ClaimEvidence,
    Document,
    Entity,
    Highlight,
)
from casefile.services import analysis, cases, identity, search

GIVEN = ["Temur", "Timur", "Jamshed", "Olim", "Anvar", "Rustam", "Farrukh", "Dilshod", "Bahrom",
         "Sherali", "Zafar", "Umed", "Komil", "Nodir", "Saidali", "Ikrom", "Firuz", "Davron"]
SYL = ["va", "khi", "dov", "ra", "sul", "zo", "da", "ka", "ri", "mov", "sha", "rif", "na", "zar",
       "bek", "ta", "lib", "gu", "lom", "ha", "sa", "nov", "qo", "dir", "mi", "rzo", "yev"]
WORDS = ["reported", "killed", "strike", "near", "officials", "said", "minister", "source",
         "village", "convoy", "border", "commander", "militant", "group", "alive", "hiding",
         "statement", "arrested", "travelled", "funeral"]
KINDS = ["death", "location", "role", "membership", "relationship", "travel", "arrest",
         "statement"]


def _family(rng: random.Random) -> str:
    return "".join(rng.choice(SYL) for _ in range(rng.randint(2, 3))).capitalize()


def build(db: Database, case_id: str, *, n_entities: int, n_claims: int, n_docs: int,
          seed: int = 1) -> None:
    rng = random.Random(seed)
    ents, aliases = [], []
    for i in range(n_entities):
        kind = "person" if i % 4 else rng.choice(["organization", "place"])
        name = (f"{rng.choice(GIVEN)} {_family(rng)}" if kind == "person"
                else f"{_family(rng)} {'Front' if kind == 'organization' else 'Valley'}")
        eid = str(uuid.uuid4())
        ents.append({"id": eid, "case_id": case_id, "kind": kind, "name": name,
                     "description": "", "reliability": ""})
        if rng.random() < 0.3:
            aliases.append({"id": str(uuid.uuid4()), "entity_id": eid,
                            "name": name.replace("kh", "h").replace("u", "o")})
    ids = [e["id"] for e in ents]
    docs, hls = [], []
    for _ in range(n_docs):
        text = " ".join(rng.choice(WORDS) if rng.random() > 0.05 else rng.choice(ents)["name"]
                        for _ in range(600))
        y = rng.randint(2012, 2023)
        docs.append({"id": str(uuid.uuid4()), "case_id": case_id, "title": "report",
                     "outlet_id": rng.choice(ids[:50]),
                     "published": f"{y}-{rng.randint(1, 12):02d}",
                     "text": text, "page_starts": [], "sha256": uuid.uuid4().hex})
    claims, evidence = [], []
    for i in range(n_claims):
        doc = docs[i % n_docs]
        hid, cid = str(uuid.uuid4()), str(uuid.uuid4())
        hls.append({"id": hid, "document_id": doc["id"], "start": 0, "end": 20,
                    "quote": doc["text"][:20], "note": ""})
        y = rng.randint(2012, 2023)
        date = rng.choice([f"{y}", f"{y}-{rng.randint(1, 12):02d}",
                           f"{y}-03-{rng.randint(1, 28):02d}", f"~{y}", ""])
        claims.append({"id": cid, "case_id": case_id,
                       "statement": " ".join(rng.sample(WORDS, 6)),
                       "kind": rng.choice(KINDS), "subject_id": rng.choice(ids),
                       "object_id": rng.choice(ids) if rng.random() < 0.3 else None,
                       "value": "", "date": date,
                       "place_id": rng.choice(ids) if rng.random() < 0.4 else None,
                       "stance": rng.choice(["asserts"] * 8 + ["denies", "doubts"]),
                       "origin_id": rng.choice(ids[:200]), "via": [], "credibility": 6,
                       "status": "open", "note": ""})
        evidence.append({"claim_id": cid, "highlight_id": hid, "position": 0})
    with db.write() as s:
        for model, rows in ((Entity, ents), (Alias, aliases), (Document, docs),
                            (Highlight, hls), (Claim, claims), (ClaimEvidence, evidence)):
            for k in range(0, len(rows), 2000):
                s.execute(insert(model), rows[k:k + 2000])


def one_subject(db: Database, case_id: str, n: int, seed: int = 2) -> None:
    """``n`` death claims on one new person, each on its own passage, from 40 origins, dated
    within August 2020 (exactly, by month, by year, or "about"), one in ten denied, and one
    claim years later (so there is a conflict to find)."""
    rng = random.Random(seed)
    subject = str(uuid.uuid4())
    origins = [str(uuid.uuid4()) for _ in range(40)]
    ents = [{"id": subject, "case_id": case_id, "kind": "person", "name": "Gulmurod Halimov",
             "description": "", "reliability": ""}]
    ents += [{"id": o, "case_id": case_id, "kind": "person", "name": f"Source {i}",
              "description": "", "reliability": ""} for i, o in enumerate(origins)]
    doc = {"id": str(uuid.uuid4()), "case_id": case_id, "title": "wire", "published": "2020-09",
           "text": "killed " * 200, "page_starts": [], "sha256": uuid.uuid4().hex}
    forms = ["2020-08", "2020-08-03", "~2020-08", "2020", "~2020-08-10"]
    hls, claims_, evidence = [], [], []
    for i in range(n):
        hid, cid = str(uuid.uuid4()), str(uuid.uuid4())
        hls.append({"id": hid, "document_id": doc["id"], "start": 0, "end": 6,
                    "quote": "killed", "note": ""})
        claims_.append({"id": cid, "case_id": case_id, "statement": f"killed (report {i})",
                        "kind": "death", "subject_id": subject, "object_id": None, "value": "",
                        "date": "2024-05" if i == n - 1 else rng.choice(forms),
                        "place_id": None, "stance": "denies" if i % 10 == 9 else "asserts",
                        "origin_id": rng.choice(origins), "via": [], "credibility": 6,
                        "status": "open", "note": ""})
        evidence.append({"claim_id": cid, "highlight_id": hid, "position": 0})
    with db.write() as s:
        for model, rows in ((Entity, ents), (Document, [doc]), (Highlight, hls),
                            (Claim, claims_), (ClaimEvidence, evidence)):
            for k in range(0, len(rows), 2000):
                s.execute(insert(model), rows[k:k + 2000])


def timed(label: str, fn, repeat: int = 3):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - t0) * 1000)
    print(f"{label:<34} median {statistics.median(times):8.1f} ms   min {min(times):8.1f} ms")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--entities", type=int, default=2000)
    ap.add_argument("--claims", type=int, default=20000)
    ap.add_argument("--documents", type=int, default=2000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--one-subject", type=int, default=10000,
                    help="death claims on one subject for the second part")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "bench.sqlite")
        case_id = cases.create_case(db, title="bench").id
        t0 = time.perf_counter()
        build(db, case_id, n_entities=args.entities, n_claims=args.claims,
              n_docs=args.documents)
        print(f"built {args.entities} entities, {args.claims} claims, {args.documents} "
              f"documents in {time.perf_counter() - t0:.1f} s (FTS triggers included)")
        sets = timed("conflicts (load + detect)",
                     lambda: analysis.list_conflicts(db, case_id=case_id))
        print(f"  -> {len(sets)} conflict sets")
        tl = timed("timeline by event date", lambda: analysis.timeline(db, case_id=case_id))
        timed("timeline by report date",
              lambda: analysis.timeline(db, case_id=case_id, by="reported"))
        print(f"  -> {len(tl)} entries")
        cands = timed("duplicate candidates", lambda: identity.duplicate_candidates(
            db, case_id=case_id))
        print(f"  -> {len(cands)} candidate pairs")
        timed("corroboration (all claims)", lambda: analysis.corroboration(db, case_id=case_id))
        g = timed("relationship graph + layout",
                  lambda: analysis.relationship_graph(db, case_id=case_id), repeat=1)
        print(f"  -> {len(g.nodes)} nodes, {len(g.edges)} edges")
        rng = random.Random(5)
        vocab = WORDS + GIVEN
        lat = []
        for i in range(args.queries):
            q = " ".join(rng.sample(vocab, 1 + i % 2))
            t = time.perf_counter()
            search.search(db, case_id=case_id, query=q, limit=50)
            lat.append((time.perf_counter() - t) * 1000)
        lat.sort()
        p95 = lat[int(0.95 * len(lat)) - 1]
        print(f"search over {args.documents} documents: {args.queries} queries, median "
              f"{statistics.median(lat):.1f} ms, p95 {p95:.1f} ms, max {lat[-1]:.1f} ms")
        db.close()
        db = open_database(Path(tmp) / "one.sqlite")
        case_id = cases.create_case(db, title="one subject").id
        one_subject(db, case_id, args.one_subject)
        print(f"{args.one_subject} death claims on one subject (targets: conflicts and timeline "
              "each < 1 s):")
        sets = timed("  conflicts (load + detect)",
                     lambda: analysis.list_conflicts(db, case_id=case_id))
        print(f"  -> {len(sets)} set(s), {sum(len(v.set.claim_ids) for v in sets)} claims")
        tl = timed("  timeline by event date", lambda: analysis.timeline(db, case_id=case_id))
        timed("  timeline by report date",
              lambda: analysis.timeline(db, case_id=case_id, by="reported"))
        print(f"  -> {len(tl)} entries")
        timed("  corroboration (all claims)",
              lambda: analysis.corroboration(db, case_id=case_id), repeat=1)
        db.close()


if __name__ == "__main__":
    main()
