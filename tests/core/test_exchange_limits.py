"""Nothing lost on the way out, nothing absurd on the way in: one article size on every path, REFI
exports that carry every tag path or refuse, .qdpx projects refused whole (before reading) when
nothing of them can be imported, plain messages for odd positions, the report's CSP."""

from __future__ import annotations

import io
import json
import zipfile
from importlib import resources
from pathlib import Path

import pytest
from sqlalchemy import insert

from casefile import limits
from casefile.db.models import Tag, new_id, utcnow
from casefile.errors import ValidationError
from casefile.exchange import CSP_META, BundleError, ExportRefused, qdpx_read
from casefile.exchange.bundle import export_bundle
from casefile.exchange.merge import import_bundle
from casefile.exchange.passages_export import write_passages_html
from casefile.exchange.qdc import write_codebook
from casefile.exchange.qdpx_export import export_qdpx
from casefile.exchange.qdpx_import import import_qdpx
from casefile.exchange.report import write_report_html
from casefile.importers import import_file
from casefile.services import cases, documents, highlights, tags
from casefile.services.documents import NewDocument
from tests.core.scale_inputs import tag_chain

NS = "urn:QDA-XML:project:1.0"
TEXT = "The courier Daler Nazarov crossed at Qalat Nur, a border guard said."


def _project(path: Path, sources: str, members: dict[str, bytes] | None = None) -> Path:
    xml = (f'<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="{NS}" name="Nazarov" '
           f'origin="Other tool"><CodeBook><Codes><Code guid="00000000-0000-4000-a000-'
           f'000000000001" name="Border" isCodable="true"/></Codes></CodeBook>'
           f"<Sources>{sources}</Sources></Project>")
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", xml)
        for name, data in (members or {}).items():
            zf.writestr(name, data)
    return path


def _case_count(db) -> int:
    return len(cases.list_cases(db))


def test_the_bundle_schema_and_the_importers_share_one_text_limit():
    schema = json.loads(resources.files("casefile.exchange").joinpath(
        "schema/bundle.schema.json").read_text("utf-8"))
    assert schema["$defs"]["long"]["maxLength"] == limits.MAX_TEXT_BYTES
    from casefile import importers
    from casefile.exchange import qdpx_read

    assert importers.MAX_BYTES == qdpx_read.MAX_SOURCE_BYTES == limits.MAX_FILE_BYTES


def test_a_text_over_the_limit_is_refused_on_import_and_on_export(tmp_path: Path, db, case_id,
                                                                   monkeypatch):
    """Import took 200 MB files while the bundle reader refused texts over 100M characters: a
    case could not re-import its own export. Now one limit holds everywhere (made small here)."""
    text = "Nazarov crossed the border at Qalat Nur. " * 200  # 8,200 characters
    doc = documents.add_document(db, case_id=case_id, doc=NewDocument(
        text=text, original=text.encode(), content_type="text/plain", title="Long log"))
    highlights.create_highlight(db, document_id=doc.id, start=0, end=7)
    bundle = export_bundle(db, case_id=case_id, out=tmp_path / "case.casefile").path
    project = tmp_path / "case.qdpx"
    export_qdpx(db, case_id=case_id, out=project)
    monkeypatch.setattr(limits, "MAX_TEXT_BYTES", 5000)
    (tmp_path / "long.txt").write_text(text + "Seen again.", encoding="utf-8")
    res = import_file(db, case_id=case_id, path=tmp_path / "long.txt")
    assert not res.ok and "Casefile keeps articles of up to" in res.error
    with pytest.raises(ValidationError, match="keeps articles"):
        documents.add_document(db, case_id=case_id, doc=NewDocument(
            text=text, original=b"x", content_type="text/plain"))
    with pytest.raises(ExportRefused, match="could not be read back"):
        export_bundle(db, case_id=case_id, out=io.BytesIO())
    with pytest.raises(ExportRefused, match="could not be read back"):
        export_qdpx(db, case_id=case_id, out=io.BytesIO())
    before = _case_count(db)
    with pytest.raises(BundleError, match="keeps articles"):
        import_bundle(db, path=bundle, into=None)
    with pytest.raises(BundleError, match="nothing of the project was imported"):
        import_qdpx(db, path=project)
    assert _case_count(db) == before


def _tagged_doc(db, case_id: str, tag_id: str) -> None:
    doc = documents.add_document(db, case_id=case_id, doc=NewDocument(
        text=TEXT, original=TEXT.encode(), content_type="text/plain", title="Guard's account"))
    highlights.create_highlight(db, document_id=doc.id, start=4, end=25, tag_ids=(tag_id,))


def test_refi_exports_refuse_a_tag_they_cannot_carry_rather_than_cut_it(tmp_path: Path, db,
                                                                         case_id):
    """A tag 120 levels deep (left by an older version) was cut at level 100 in .qdc and .qdpx
    exports, and its passage lost its tag on re-import."""
    ids = tag_chain(db, case_id, 120)
    _tagged_doc(db, case_id, ids[-1])
    with pytest.raises(ExportRefused, match="nested more than 50 levels deep"):
        export_qdpx(db, case_id=case_id, out=tmp_path / "deep.qdpx")
    with pytest.raises(ExportRefused, match="nested more than 50 levels deep"):
        write_codebook(db, case_id=case_id, out=io.BytesIO())
    with pytest.raises(ExportRefused, match="nested more than 50 levels deep"):
        export_bundle(db, case_id=case_id, out=io.BytesIO())


def test_a_tag_under_a_loop_is_refused_not_dropped(db, case_id):
    a, b = new_id(), new_id()
    stamp = utcnow()
    with db.write() as s:
        s.execute(insert(Tag), [{"id": a, "case_id": case_id, "parent_id": None, "name": "A",
                                 "color": "", "description": "", "created_at": stamp,
                                 "updated_at": stamp},
                                {"id": b, "case_id": case_id, "parent_id": a, "name": "B",
                                 "color": "", "description": "", "created_at": stamp,
                                 "updated_at": stamp}])
        s.execute(Tag.__table__.update().where(Tag.id == a).values(parent_id=b))
    with pytest.raises(ExportRefused, match="loop of tags"):
        write_codebook(db, case_id=case_id, out=io.BytesIO())


def test_fifty_levels_travel_whole_through_a_project(tmp_path: Path, db, case_id):
    ids = tag_chain(db, case_id, 50)
    _tagged_doc(db, case_id, ids[-1])
    export_qdpx(db, case_id=case_id, out=tmp_path / "deep.qdpx")
    res = import_qdpx(db, path=tmp_path / "deep.qdpx")
    deepest = next(t for t in tags.list_tags(db, case_id=res.case_id) if t.name == "level 49")
    assert deepest.path == "/".join(f"level {i}" for i in range(50))
    assert highlights.list_highlights(db, case_id=res.case_id)[0].tag_ids == (deepest.id,)


def test_a_project_none_of_whose_sources_can_be_read_is_refused_whole(tmp_path: Path, db):
    """It was imported as an empty case."""
    path = _project(tmp_path / "outside.qdpx",
                    '<TextSource guid="00000000-0000-4000-b000-000000000001" name="Passwords" '
                    'plainTextPath="file:///etc/passwd"/>'
                    '<TextSource guid="00000000-0000-4000-b000-000000000002" name="Up" '
                    'plainTextPath="internal://../../secret.txt"/>')
    before = _case_count(db)
    with pytest.raises(BundleError) as err:
        import_qdpx(db, path=path)
    msg = str(err.value)
    assert msg.startswith("none of the project's 2 sources can be imported")
    assert "outside the project" in msg and msg.endswith("nothing was imported")
    assert _case_count(db) == before


def test_a_huge_source_is_refused_by_its_declared_size_before_reading(tmp_path: Path, db,
                                                                      monkeypatch):
    """8 sources of 150 MB were all read (2.5 GB, 170 s) before the project was refused."""
    big = (TEXT + "\n") * 200
    path = _project(tmp_path / "big.qdpx", "".join(
        f'<TextSource guid="00000000-0000-4000-b000-00000000000{i}" name="Log {i}" '
        f'plainTextPath="internal://log{i}.txt"/>' for i in range(3)),
        {f"sources/log{i}.txt": big.encode() for i in range(3)})
    monkeypatch.setattr(limits, "MAX_TEXT_BYTES", 5000)

    def no_read(*_a):
        raise AssertionError("a member was read")

    monkeypatch.setattr(qdpx_read.Archive, "read", no_read)
    with pytest.raises(BundleError, match="source “Log 0” has a file of 0 MB; Casefile imports "
                                          "articles of up to 0 MB"):
        import_qdpx(db, path=path)


def test_a_position_that_is_not_a_number_is_named_as_such(tmp_path: Path, db):
    sel = ('<PlainTextSelection guid="00000000-0000-4000-c000-00000000000{n}" name="{q}" '
           'startPosition="{s}" endPosition="{e}"/>')
    path = _project(tmp_path / "odd.qdpx",
                    '<TextSource guid="00000000-0000-4000-b000-000000000001" name="Guard" '
                    'plainTextPath="internal://guard.txt">'
                    + sel.format(n=1, q="Dalir Nazarow", s="abc", e="25")
                    + sel.format(n=2, q="Qalat Nur", s="", e="x") + "</TextSource>",
                    {"sources/guard.txt": TEXT.encode()})
    res = import_qdpx(db, path=path)
    assert res.highlights == 1  # the second by its quote
    line = next(ln for ln in res.not_imported if "Dalir" in ln)
    assert line.endswith("not imported: its position “abc”–“25” is not a number")
    line = next(ln for ln in res.not_imported if "Qalat" in ln)
    assert line.endswith("its position “”–“x” is not a number; found by its quote")


def test_the_html_report_carries_the_passages_exports_content_security_policy(db, case_id):
    out = io.StringIO()
    write_report_html(db, case_id=case_id, out=out)
    head = out.getvalue().split("</head>")[0]
    passages = io.StringIO()
    write_passages_html([], passages, title="Passages")
    assert CSP_META in head and CSP_META in passages.getvalue()
    assert "default-src 'none'" in CSP_META and "http" not in CSP_META.split("content=")[1]
