"""Property: export → import into an empty database → export gives the same case.json."""

from __future__ import annotations

import shutil
import tempfile
from datetime import datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casefile.db.database import open_database
from casefile.db.models import (
    Alias,
    Case,
    Claim,
    ClaimEvidence,
    ClaimLink,
    ConflictResolution,
    Document,
    DocumentOriginal,
    Entity,
    Highlight,
    HighlightTag,
    Tag,
)
from casefile.exchange.bundle import export_bundle
from casefile.exchange.merge import import_bundle
from tests.core.exchange_world import read_member

# Latin, Cyrillic, an astral emoji (two UTF-16 units, one code point) and line breaks.
TEXT = st.text(alphabet="abc XYZ.,éДж🙂\n\u00a0", min_size=1, max_size=60)
SHORT = st.text(alphabet="abcДé 🙂", max_size=12)
STAMP = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2030, 12, 31))
DATES = st.sampled_from(["", "2015", "2015-04", "2020-08-03", "~2017"])


@st.composite
def cases(draw):
    """Rows for one case, as (model, kwargs) pairs in insertion order."""
    rows: list = []
    stamps = {"created_at": draw(STAMP), "updated_at": draw(STAMP)}
    case_id = draw(st.uuids()).hex
    rows.append((Case, {"id": case_id, "title": draw(SHORT) or "t", "summary": draw(SHORT),
                        **stamps}))
    ids = iter(draw(st.lists(st.uuids(), min_size=60, max_size=60, unique=True)))

    def nid() -> str:
        return str(next(ids))

    ents = [nid() for _ in range(draw(st.integers(1, 4)))]
    for e in ents:
        rows.append((Entity, {"id": e, "case_id": case_id, "name": draw(SHORT) or "n",
                              "kind": draw(st.sampled_from(["person", "place", "organization"])),
                              "reliability": draw(st.sampled_from(["", "A", "F"])),
                              "description": draw(SHORT),
                              "created_at": draw(STAMP), "updated_at": draw(STAMP)}))
    docs: dict[str, str] = {}
    for _ in range(draw(st.integers(0, 3))):
        d, text = nid(), draw(TEXT)
        docs[d] = text
        rows.append((Document, {"id": d, "case_id": case_id, "title": draw(SHORT), "text": text,
                                "outlet_id": draw(st.sampled_from([None, *ents])),
                                "published": draw(DATES), "page_starts": [0],
                                "imported_at": draw(STAMP), "created_at": draw(STAMP),
                                "updated_at": draw(STAMP)}))
        original = draw(st.one_of(st.none(), st.binary(max_size=40)))
        if original is not None:
            rows.append((DocumentOriginal, {"document_id": d, "data": original}))
    for e in ents:
        for _ in range(draw(st.integers(0, 2))):
            rows.append((Alias, {"id": nid(), "entity_id": e, "name": draw(SHORT) or "a",
                                 "document_id": draw(st.sampled_from([None, *docs])),
                                 "created_at": draw(STAMP)}))
    tags: list[str] = []
    for _ in range(draw(st.integers(0, 3))):
        t = nid()
        rows.append((Tag, {"id": t, "case_id": case_id, "name": draw(SHORT) or "tag",
                           "parent_id": draw(st.sampled_from([None, *tags])),
                           "created_at": draw(STAMP), "updated_at": draw(STAMP)}))
        tags.append(t)
    hls: list[str] = []
    for d, text in docs.items():
        for _ in range(draw(st.integers(0, 2))):
            start = draw(st.integers(0, len(text) - 1))
            end = draw(st.integers(start + 1, len(text)))
            h = nid()
            rows.append((Highlight, {"id": h, "document_id": d, "start": start, "end": end,
                                     "quote": text[start:end], "prefix": text[:start][-8:],
                                     "note": draw(SHORT), "created_at": draw(STAMP),
                                     "updated_at": draw(STAMP)}))
            for t in draw(st.lists(st.sampled_from(tags), unique=True)) if tags else ():
                rows.append((HighlightTag, {"highlight_id": h, "tag_id": t}))
            hls.append(h)
    cls: list[str] = []
    for _ in range(draw(st.integers(0, 4))):
        c = nid()
        rows.append((Claim, {"id": c, "case_id": case_id, "statement": draw(SHORT),
                             "kind": draw(st.sampled_from(["death", "location", "rumour"])),
                             "subject_id": draw(st.sampled_from(ents)),
                             "place_id": draw(st.sampled_from([None, *ents])),
                             "date": draw(DATES), "credibility": draw(st.integers(1, 6)),
                             "stance": draw(st.sampled_from(["asserts", "denies", "doubts"])),
                             "via": draw(st.lists(st.sampled_from(ents), max_size=2)),
                             "created_at": draw(STAMP), "updated_at": draw(STAMP)}))
        ev = draw(st.lists(st.sampled_from(hls), unique=True)) if hls else []
        rows += [(ClaimEvidence, {"claim_id": c, "highlight_id": h, "position": i})
                 for i, h in enumerate(ev)]
        cls.append(c)
    if len(cls) >= 2:
        rows.append((ClaimLink, {"id": nid(), "case_id": case_id, "source_id": cls[0],
                                 "target_id": cls[1], "relation": "contradicts"}))
        rows.append((ConflictResolution, {"id": nid(), "case_id": case_id,
                                          "subject_id": ents[0], "kind": "death",
                                          "accepted_claim_id": cls[1], "claim_ids": cls[:2]}))
    return case_id, rows


_TEMPLATE: dict[str, Path] = {}


def _fresh_db(folder: Path, name: str):
    """A migrated empty database, copied from a template made once (migrations are slow)."""
    if "t" not in _TEMPLATE:
        tdir = Path(tempfile.mkdtemp(prefix="casefile-template-"))
        open_database(tdir / "t.sqlite").close()
        _TEMPLATE["t"] = tdir / "t.sqlite"
    shutil.copy(_TEMPLATE["t"], folder / name)
    return open_database(folder / name)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_export_import_export_gives_the_same_case_json(generated):
    case_id, rows = generated
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        src = _fresh_db(folder, "src.sqlite")
        with src.write() as s:
            for model, kw in rows:
                s.add(model(**kw))
                s.flush()
        export_bundle(src, case_id=case_id, out=folder / "one.casefile")
        dst = _fresh_db(folder, "dst.sqlite")
        report = import_bundle(dst, path=folder / "one.casefile")
        assert report.new_case
        export_bundle(dst, case_id=case_id, out=folder / "two.casefile")
        src.close()
        dst.close()
        one = read_member(folder / "one.casefile", "case.json")
        two = read_member(folder / "two.casefile", "case.json")
        assert one == two
        m1 = read_member(folder / "one.casefile", "manifest.json")
        m2 = read_member(folder / "two.casefile", "manifest.json")
        m1.pop("exported_at")
        m2.pop("exported_at")
        assert m1 == m2
