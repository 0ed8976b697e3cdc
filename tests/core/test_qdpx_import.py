"""REFI-QDA project import: a Casefile case round-trips through .qdpx; a project in QualCoder's
shape comes in with BOM'd sources, merged codings, notes and a PDF; what cannot map is listed."""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path

import pytest

from casefile.exchange.caseview import load_view
from casefile.exchange.qdpx_export import export_qdpx
from casefile.exchange.qdpx_import import import_qdpx
from casefile.services import documents, highlights, tags
from casefile.services.documents import NewDocument
from tests.core import qualcoder_project as qc
from tests.core.exchange_world import build_world
from tests.helpers import run_cli

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "articles"))
from pdfgen import article_pdf

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
       b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x9a\xa0"
       b"\x9c\x00\x00\x00\x00IEND\xaeB`\x82")


def _no_pdf_parsing(data: bytes, name: str):
    """Our importers, minus the PDF parser's child process where a test does not need it."""
    from casefile.importers.reading import safe_extract

    if data.startswith(b"%PDF"):
        from casefile.errors import ImportFailed

        raise ImportFailed("PDF parsing skipped in this test")
    return safe_extract(data, name, None)


def _qdpx(path: Path, project_xml: str, files: dict[str, str | bytes] | None = None) -> Path:
    """A hand-made .qdpx: project.qde and sources/NAME for each file."""
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", project_xml)
        for name, data in (files or {}).items():
            zf.writestr(f"sources/{name}", data)
    return path


def _case_shape(db, case_id: str) -> dict:
    """Everything the round trip must keep, keyed by content rather than ids."""
    view = load_view(db, case_id=case_id)
    docs = {d["id"]: d for d in view.documents.values()}
    hls = sorted(
        (docs[h["document_id"]]["title"], h["start"], h["end"], h["quote"], h["note"],
         tuple(sorted(view.tag_path(t) for t in h["tags"])))
        for h in view.highlights.values())
    claims = sorted(
        (c["statement"], c["kind"], view.name(c["subject_id"]), view.name(c["object_id"]),
         c["value"], c["date"], view.name(c["place_id"]), view.name(c["origin_id"]),
         tuple(view.name(v) for v in c["via"]), c["stance"], c["credibility"], c["status"],
         c["note"], tuple(view.highlights[h]["quote"] for h in c["evidence"]))
        for c in view.claims.values())
    return {
        "title": view.case["title"], "summary": view.case["summary"],
        "documents": sorted((d["title"], d["text"], d["published"], d["url"],
                             view.name(d["outlet_id"])) for d in docs.values()),
        "highlights": hls,
        "tags": sorted((view.tag_path(t["id"]), t["color"], t["description"])
                       for t in view.tags.values()),
        "entities": sorted((e["name"], e["kind"], e["reliability"], e["description"],
                            tuple(sorted(a["name"] for a in view.aliases.get(e["id"], ()))))
                           for e in view.entities.values()),
        "claims": claims,
        "links": sorted((view.claims[x["source_id"]]["statement"], x["relation"],
                         view.claims[x["target_id"]]["statement"])
                        for x in view.data["claim_links"]),
    }


def test_a_case_round_trips_through_qdpx(db, tmp_path):
    world = build_world(db)
    events = tags.create_tag(db, case_id=world.case_id, name="Events", color="#3366CC",
                             description="What happened").id
    syria = tags.create_tag(db, case_id=world.case_id, name="Syria").id
    death_a = tags.create_tag(db, case_id=world.case_id, name="Death", parent_id=events).id
    death_b = tags.create_tag(db, case_id=world.case_id, name="Death", parent_id=syria).id
    text = documents.get_text(db, document_id=world.docs[2])
    start = text.index("«Темур Вахидов» — 🙂")
    highlights.create_highlight(db, document_id=world.docs[2], start=start,
                                end=start + len("«Темур Вахидов» — 🙂"),
                                tag_ids=(death_a, death_b), note="Cyrillic\nand an emoji")
    pdf = article_pdf(["Caspian Courier: Vakhidov was seen in Qalat Nur."], title="Dossier")
    pdf_doc = documents.add_document(db, case_id=world.case_id, doc=NewDocument(
        text="Dossier\n\nCaspian Courier: Vakhidov was seen in Qalat Nur.", original=pdf,
        content_type="application/pdf", title="Dossier", url="https://courier.example/d",
        published="2019-05", page_starts=(0,))).id
    highlights.create_highlight(db, document_id=pdf_doc, start=9, end=24)
    out = tmp_path / "case.qdpx"
    export_qdpx(db, case_id=world.case_id, out=out)

    res = import_qdpx(db, path=out, extract=_no_pdf_parsing)
    assert res.not_imported == ()
    assert (res.documents, res.highlights, res.tags, res.claims) == (5, 6, 5, 4)
    assert _case_shape(db, res.case_id) == _case_shape(db, world.case_id)
    back = next(d for d in documents.list_documents(db, case_id=res.case_id)
                if d.title == "Dossier")
    assert back.content_type == "application/pdf"
    assert documents.get_original(db, document_id=back.id) == pdf


def _qualcoder(tmp_path) -> Path:
    return qc.build(tmp_path, article_pdf(["Ministry bulletin", "The ministry announced the "
                                           "death of Temur Vakhidov."]), PNG)


def test_a_project_in_qualcoders_shape_comes_in(db, tmp_path):
    path = _qualcoder(tmp_path)
    with zipfile.ZipFile(path) as zf:
        assert "sources/" in zf.namelist()  # make_archive's folder entry is accepted
        assert any(zf.read(n).startswith(b"\xef\xbb\xbf") for n in zf.namelist()
                   if n.endswith(".txt"))
    res = import_qdpx(db, path=path, extract=_no_pdf_parsing)
    assert (res.documents, res.highlights, res.tags) == (2, 4, 3)
    view = load_view(db, case_id=res.case_id)
    assert view.case["title"] == "neighbours.qda"
    interview = next(d for d in view.documents.values() if d["title"] == "neighbour.txt")
    assert interview["text"] == qc.TEXT and not interview["text"].startswith("\ufeff")
    by_quote = {h["quote"]: h for h in view.highlights.values()}
    assert set(by_quote) == {"left for Syria in 2014", "killed near Wadi Sirr — «так говорят»",
                             "never came back", "announced the death of Temur Vakhidov"}
    assert by_quote["left for Syria in 2014"]["note"] == "first departure"
    # QualCoder writes one selection per code; the passage is one highlight with both tags.
    assert sorted(view.tag_path(t) for t in by_quote[
        "killed near Wadi Sirr — «так говорят»"]["tags"]) == ["Events/death", "travel"]
    assert by_quote["never came back"]["note"] == "Family still hopes he is alive"
    bulletin = next(d for d in view.documents.values() if d["title"] == "bulletin.pdf")
    assert bulletin["content_type"] == "application/pdf"
    assert bulletin["text"] == qc.PDF_TEXT
    assert {t["name"]: t["description"] for t in view.tags.values()}["death"] == \
        "Reports of his death"
    summary = view.case["summary"]
    assert "Interviews about Temur's fate" in summary
    assert "Field diary\nAsked three neighbours; two refused." in summary
    assert "Recorded by the field team" in summary
    # Positions counted without the BOM land on their words: nothing was re-anchored.
    assert len(res.not_imported) == 1 and "photo.png" in res.not_imported[0]


def test_positions_follow_the_reading_the_names_confirm(db, tmp_path):
    """A tool that counted the BOM, and one that counted CR LF as one character: the selection
    names tell which, and the passages land on their words."""
    text = "First line.\r\nSecond line says Wadi Sirr.\r\nThird line.\r\n"
    clean = text.replace("\r\n", "\n")
    quote = "Wadi Sirr"
    as_one = clean.index(quote)
    xml = ('<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" '
           'name="CRLF" origin="ATLAS.ti 23">\n<Sources>\n'
           '<TextSource guid="00000000-0000-4000-8000-000000000001" name="a.txt" '
           'plainTextPath="internal://a.txt">\n'
           '<PlainTextSelection guid="00000000-0000-4000-8000-000000000002" '
           f'startPosition="{as_one}" endPosition="{as_one + len(quote)}" name="{quote}"/>\n'
           '</TextSource>\n'
           '<TextSource guid="00000000-0000-4000-8000-000000000003" name="b.txt" '
           'plainTextPath="internal://b.txt">\n'
           '<PlainTextSelection guid="00000000-0000-4000-8000-000000000004" '
           f'startPosition="{as_one + 1}" endPosition="{as_one + 1 + len(quote)}" '
           f'name="{quote}"/>\n</TextSource>\n</Sources>\n</Project>')
    res = import_qdpx(db, path=_qdpx(tmp_path / "crlf.qdpx", xml, {
        "a.txt": text.encode(), "b.txt": ("\ufeff" + clean).encode()}))
    assert res.highlights == 2 and res.not_imported == ()
    view = load_view(db, case_id=res.case_id)
    assert {h["quote"] for h in view.highlights.values()} == {quote}
    assert all("\r" not in d["text"] for d in view.documents.values())


def test_what_cannot_map_is_listed(db, tmp_path):
    xml = ('<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" '
           'name="Mixed" origin="MAXQDA 2022">\n<Sources>\n'
           '<TextSource guid="00000000-0000-4000-8000-000000000001" name="t.txt" '
           'plainTextPath="internal://t.txt">\n'
           '<PlainTextSelection guid="00000000-0000-4000-8000-000000000002" '
           'startPosition="500" endPosition="510"/>\n</TextSource>\n'
           '<TextSource guid="00000000-0000-4000-8000-000000000005" name="far.txt" '
           'plainTextPath="absolute:///etc/passwd"/>\n'
           '<AudioSource guid="00000000-0000-4000-8000-000000000003" name="call.mp3" '
           'path="internal://call.mp3"/>\n</Sources>\n'
           '<Sets><Set guid="00000000-0000-4000-8000-000000000004" name="group"/></Sets>\n'
           '</Project>')
    res = import_qdpx(db, path=_qdpx(tmp_path / "mixed.qdpx", xml, {
        "t.txt": "A short text.", "call.mp3": b"ID3"}))
    lines = "\n".join(res.not_imported)
    assert res.documents == 1 and res.highlights == 0
    assert "500–510 lies outside the text" in lines
    assert "outside the project" in lines and "/etc/passwd" in lines
    assert "audio sources are not supported" in lines
    assert "1 sets" in lines


def test_cli_import_qdpx_prints_the_counts(db, db_path, cli_env, tmp_path):
    world = build_world(db)
    out = tmp_path / "case.qdpx"
    export_qdpx(db, case_id=world.case_id, out=out)
    db.close()
    proc = run_cli("--db", str(db_path), "import-qdpx", str(out), "--json", env=cli_env)
    got = json.loads(proc.stdout)
    assert {k: got[k] for k in ("documents", "highlights", "tags")} == \
        {"documents": 4, "highlights": 4, "tags": 1}
    assert got["case"] != world.case_id


@pytest.mark.parametrize("origin", ["QualCoder 3.6", "Casefile 0.1.0"])
def test_qualified_code_names_are_unqualified_only_in_casefiles_own_files(db, tmp_path, origin):
    xml = ('<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" '
           f'name="Codes" origin="{origin}">\n<CodeBook><Codes>\n'
           '<Code guid="00000000-0000-4000-8000-000000000001" name="Events" isCodable="true">\n'
           '<Code guid="00000000-0000-4000-8000-000000000002" name="Death (Events)" '
           'isCodable="true"/></Code>\n</Codes></CodeBook>\n</Project>')
    res = import_qdpx(db, path=_qdpx(tmp_path / "codes.qdpx", xml))
    names = {t.path for t in tags.list_tags(db, case_id=res.case_id)}
    expected = "Events/Death" if origin.startswith("Casefile") else "Events/Death (Events)"
    assert names == {"Events", expected}


def test_a_pdf_read_by_our_importer_keeps_its_pages_through_qdpx(db, case_id, tmp_path):
    from casefile import importers

    pdf = tmp_path / "bulletin.pdf"
    pdf.write_bytes(article_pdf(["Ministry bulletin, first page."] * 40
                                + ["The ministry announced the death of Temur Vakhidov."],
                                title="Bulletin"))
    doc_id = importers.import_file(db, case_id=case_id, path=pdf).id
    before = documents.get_document(db, document_id=doc_id)
    assert len(before.page_starts) > 1
    text = documents.get_text(db, document_id=doc_id)
    start = text.index("announced the death")
    highlights.create_highlight(db, document_id=doc_id, start=start,
                                end=start + len("announced the death"))
    out = tmp_path / "case.qdpx"
    export_qdpx(db, case_id=case_id, out=out)
    res = import_qdpx(db, path=out)
    (back,) = documents.list_documents(db, case_id=res.case_id)
    assert back.page_starts == before.page_starts and back.content_type == "application/pdf"
    assert documents.get_text(db, document_id=back.id) == text
    assert [h.quote for h in highlights.list_highlights(db, document_id=back.id)] == [
        "announced the death"]
