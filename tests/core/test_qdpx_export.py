"""REFI-QDA project export: the shape Project.xsd requires, sources without BOM, selections that
quote their text, the codebook, entities as cases and claims as notes."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest

from casefile.exchange import qdc, refi
from casefile.exchange.qdpx_export import export_qdpx
from casefile.services import cases, documents, highlights, tags
from casefile.services.documents import NewDocument
from tests.core.exchange_world import build_world
from tests.core.refi_shape import PROJECT, check_codebook, check_project
from tests.helpers import run_cli

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "articles"))
from pdfgen import article_pdf

Q = f"{{{PROJECT}}}"


def _pdf_document(db, case_id: str) -> tuple[str, bytes]:
    data = article_pdf(["Caspian Courier: Vakhidov was seen in Qalat Nur in May 2019."],
                       title="Caspian Courier dossier")
    text = "Caspian Courier dossier\n\nCaspian Courier: Vakhidov was seen in Qalat Nur in May 2019."
    doc = documents.add_document(db, case_id=case_id, doc=NewDocument(
        text=text, original=data, content_type="application/pdf", title="Caspian dossier",
        outlet="Caspian Courier", published="2019-05", page_starts=(0,))).id
    return doc, data


@pytest.fixture
def exported(db, tmp_path):
    world = build_world(db)
    events = tags.create_tag(db, case_id=world.case_id, name="Events").id
    syria = tags.create_tag(db, case_id=world.case_id, name="Syria").id
    death_a = tags.create_tag(db, case_id=world.case_id, name="Death", parent_id=events).id
    death_b = tags.create_tag(db, case_id=world.case_id, name="death", parent_id=syria).id
    pdf_doc, pdf_bytes = _pdf_document(db, world.case_id)
    text = documents.get_text(db, document_id=pdf_doc)
    start = text.index("Vakhidov was seen")
    pdf_hl = highlights.create_highlight(db, document_id=pdf_doc, start=start,
                                         end=start + len("Vakhidov was seen in Qalat Nur"),
                                         tag_ids=(death_a, death_b), note="only sighting").id
    out = tmp_path / "case.qdpx"
    summary = export_qdpx(db, case_id=world.case_id, out=out)
    with zipfile.ZipFile(out) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    return world, members, summary, {"pdf": pdf_doc, "pdf_bytes": pdf_bytes, "pdf_hl": pdf_hl,
                                     "death_a": death_a, "death_b": death_b}


def test_project_has_the_shape_the_xsd_requires(exported):
    _world, members, _summary, _ = exported
    root = check_project(members["project.qde"])
    assert root.get("origin").startswith("Casefile")
    assert [c.tag.removeprefix(Q) for c in root] == [
        "Users", "CodeBook", "Variables", "Cases", "Sources", "Notes", "Links", "Description"]


def test_sources_are_plain_text_without_bom_and_selections_quote_them(db, exported):
    world, members, summary, _ = exported
    root = check_project(members["project.qde"])
    assert summary.documents == 5 and summary.highlights == 5
    selections = 0
    for source in (e for e in root.iter() if e.tag in (f"{Q}TextSource", f"{Q}Representation")):
        path = source.get("plainTextPath")
        assert path.startswith("internal://")
        data = members["sources/" + path.removeprefix("internal://")]
        assert not data.startswith(b"\xef\xbb\xbf")
        text = data.decode("utf-8")
        for sel in source.iter(f"{Q}PlainTextSelection"):
            s, e = int(sel.get("startPosition")), int(sel.get("endPosition"))
            assert text[s:e] == sel.get("name")
            selections += 1
    assert selections == 5
    # The text file is the canonical text itself, emoji and Cyrillic counted as code points.
    doc2 = world.docs[2]
    assert members[f"sources/{refi.guid(doc2)}.txt"].decode() == \
        documents.get_text(db, document_id=doc2)


def test_pdf_keeps_its_original_with_the_text_as_representation(exported):
    _world, members, _summary, extra = exported
    root = check_project(members["project.qde"])
    pdf = root.find(f"{Q}Sources/{Q}PDFSource")
    assert pdf is not None and pdf.get("guid") == refi.guid(extra["pdf"])
    assert members["sources/" + pdf.get("path").removeprefix("internal://")] == \
        extra["pdf_bytes"]
    rep = pdf.find(f"{Q}Representation")
    sel = rep.find(f"{Q}PlainTextSelection")
    assert sel.get("name") == "Vakhidov was seen in Qalat Nur"
    assert sel.find(f"{Q}Description").text == "only sighting"
    assert len(sel.findall(f"{Q}Coding")) == 2


def test_codes_with_the_same_name_are_qualified_by_their_parents(exported):
    _world, members, _summary, extra = exported
    root = check_project(members["project.qde"])
    codes = {c.get("guid"): c.get("name") for c in root.iter(f"{Q}Code")}
    assert codes[refi.guid(extra["death_a"])] == "Death (Events)"
    assert codes[refi.guid(extra["death_b"])] == "death (Syria)"
    assert len({n.casefold() for n in codes.values()}) == len(codes)


def test_entities_are_cases_and_claims_are_notes_on_their_evidence(exported):
    world, members, _summary, _ = exported
    root = check_project(members["project.qde"])
    subject = next(c for c in root.iter(f"{Q}Case") if c.get("name") == "Temur Vakhidov")
    assert "Also known as: Abu Hafs al-Qalami; Timur Vakhidov; Темур Вахидов" in \
        subject.find(f"{Q}Description").text
    refs = {r.get("targetGUID") for r in subject.iter(f"{Q}SelectionRef")}
    assert refs == {refi.guid(h) for h in world.highlights}
    notes = {n.get("guid"): n for n in root.iter(f"{Q}Note")}
    note = notes[refi.guid(world.claims[1])]
    text = note.find(f"{Q}PlainTextContent").text
    assert "Kind: death" in text and "Place: Tal Hasan" in text and "Credibility: 5" in text
    sel = next(s for s in root.iter(f"{Q}PlainTextSelection")
               if s.get("guid") == refi.guid(world.highlights[1]))
    assert [r.get("targetGUID") for r in sel.iter(f"{Q}NoteRef")] == [note.get("guid")]
    links = {(lk.get("originGUID"), lk.get("name"), lk.get("targetGUID"))
             for lk in root.iter(f"{Q}Link")}
    assert (note.get("guid"), "subject", refi.guid(world.subject)) in links
    assert (refi.guid(world.claims[2]), "contradicts", refi.guid(world.claims[3])) in links


def test_an_empty_case_is_a_valid_project_and_codebook(db, tmp_path):
    case_id = cases.create_case(db, title="Nothing yet").id
    out = tmp_path / "empty.qdpx"
    export_qdpx(db, case_id=case_id, out=out)
    with zipfile.ZipFile(out) as zf:
        assert zf.namelist() == ["project.qde"]
        root = check_project(zf.read("project.qde"))
    assert [c.tag.removeprefix(Q) for c in root] == ["Users"]
    import io

    buf = io.BytesIO()
    qdc.write_codebook(db, case_id=case_id, out=buf)
    book = check_codebook(buf.getvalue())
    assert [c.get("isCodable") for c in book.iter(f"{{{qdc.NAMESPACE}}}Code")] == ["false"]


def test_xml_cannot_hold_control_characters_so_they_become_spaces(db, tmp_path):
    case_id = cases.create_case(db, title="Form\x0cfeed").id
    doc = documents.add_document(db, case_id=case_id, doc=NewDocument(
        text="Page one.\x0cPage two.", original=b"x", content_type="text/plain")).id
    highlights.create_highlight(db, document_id=doc, start=5, end=14, note="bell\x07")
    out = tmp_path / "ctl.qdpx"
    export_qdpx(db, case_id=case_id, out=out)
    with zipfile.ZipFile(out) as zf:
        root = check_project(zf.read("project.qde"))
        assert zf.read(f"sources/{refi.guid(doc)}.txt") == b"Page one.\x0cPage two."
    sel = next(root.iter(f"{Q}PlainTextSelection"))
    assert sel.get("name") == "one. Page" and root.get("name") == "Form feed"


def test_cli_exports_a_project(db, db_path, cli_env, tmp_path):
    world = build_world(db)
    db.close()
    out = tmp_path / "case.qdpx"
    proc = run_cli("--db", str(db_path), "export", "--case", world.case_id, "--format", "qdpx",
                   "-o", str(out), "--json", env=cli_env)
    import json

    summary = json.loads(proc.stdout)
    assert summary["highlights"] == 4 and summary["claims"] == 4
    with zipfile.ZipFile(out) as zf:
        check_project(zf.read("project.qde"))
