"""W3C Web Annotation import: our own JSON-LD and Hypothesis's exports land on the case's
documents, re-anchored by position, quote and context; orphans are listed, nothing doubled."""

from __future__ import annotations

import io
import json

import pytest

from casefile.errors import ImportFailed
from casefile.exchange import jsonld
from casefile.exchange.w3c_import import import_annotations
from casefile.services import documents, highlights, tags
from casefile.services.documents import NewDocument
from tests.core.exchange_world import build_world
from tests.helpers import run_cli


def _export(db, case_id: str) -> dict:
    out = io.StringIO()
    jsonld.write_jsonld(db, case_id=case_id, out=out)
    return json.loads(out.getvalue())


def _spans(db, case_id: str) -> set[tuple]:
    return {(h.document_id, h.start, h.end, h.quote, h.note,
             tuple(sorted(t.path for t in tags.list_tags(db, case_id=case_id)
                          if t.id in h.tag_ids)))
            for h in highlights.list_highlights(db, case_id=case_id)}


def test_our_export_comes_back_exactly_and_twice_changes_nothing(db):
    world = build_world(db)
    data = _export(db, world.case_id)
    before = _spans(db, world.case_id)
    for hid in world.highlights:
        highlights.delete_highlight(db, highlight_id=hid)
    res = import_annotations(db, case_id=world.case_id, data=data)
    assert len(res.placed) == 4 and not res.fuzzy and not res.orphans
    assert _spans(db, world.case_id) == before
    assert res.not_imported == ("4 claim statements were not made into claims (claims travel "
                                "in bundles and REFI-QDA projects)",)
    stamps = {h.id: h.updated_at for h in highlights.list_highlights(db, case_id=world.case_id)}
    again = import_annotations(db, case_id=world.case_id, data=data)
    assert len(again.unchanged) == 4 and not again.placed and not again.merged
    assert stamps == {h.id: h.updated_at
                      for h in highlights.list_highlights(db, case_id=world.case_id)}
    assert _spans(db, world.case_id) == before


def test_annotations_follow_a_changed_text_like_a_reimport(db):
    world = build_world(db)
    doc = world.docs[1]
    data = _export(db, world.case_id)
    for hid in world.highlights:
        highlights.delete_highlight(db, highlight_id=hid)
    old = documents.get_text(db, document_id=doc)
    new = "UPDATE: corrected version.\n\n" + old.replace("missile strike", "missile  strike")
    documents.replace_text(db, document_id=doc, doc=NewDocument(
        text=new, original=new.encode(), content_type="text/plain"))
    first = documents.get_text(db, document_id=world.docs[0]).replace("April 2015",
                                                                      "April of 2015")
    documents.replace_text(db, document_id=world.docs[0], doc=NewDocument(
        text=first, original=first.encode(), content_type="text/plain"))
    gone = world.docs[3]
    documents.replace_text(db, document_id=gone, doc=NewDocument(
        text="Nothing about him any more.", original=b"x", content_type="text/plain"))
    res = import_annotations(db, case_id=world.case_id, data=data)
    moved = highlights.list_highlights(db, document_id=doc)
    assert [h.quote for h in moved] == ["killed in a missile  strike on Tal Hasan"]
    assert moved[0].start == new.index("killed in a missile")
    assert [highlights.get_highlight(db, highlight_id=h).quote for h in res.fuzzy] == [
        "reported killed in fighting near Qalat Nur in April of 2015"]
    assert [o["quote"] for o in res.orphans] == ["may be alive and hiding"]
    assert res.orphans[0]["reason"] == "its quote is not in the document"


HYPOTHESIS_EXPORT = {
    "export_date": "2024-05-01T10:00:00.000Z", "export_userid": "acct:analyst@hypothes.is",
    "client_version": "1.1400.0",
    "annotations": [
        {"id": "hXyZ123", "created": "2024-05-01T09:00:00.000000+00:00",
         "updated": "2024-05-01T09:00:00.000000+00:00", "user": "acct:analyst@hypothes.is",
         "uri": "http://www.meridianwire.example/tal-hasan/",
         "text": "Second report of his death", "tags": ["death report", "Hypothesis"],
         "group": "__world__", "permissions": {"read": ["group:__world__"]},
         "target": [{"source": "http://www.meridianwire.example/tal-hasan/", "selector": [
             {"type": "RangeSelector", "startContainer": "/main[1]/p[1]", "startOffset": 0,
              "endContainer": "/main[1]/p[1]", "endOffset": 40},
             {"type": "TextPositionSelector", "start": 310, "end": 350},
             {"type": "TextQuoteSelector", "exact": "killed in a missile strike on Tal Hasan",
              "prefix": "Timur Vakhidov was ", "suffix": ", military sources said."}]}],
         "document": {"title": ["Missile strike on Tal Hasan"]}, "links": {}},
        {"id": "elsewhere1", "uri": "https://unrelated.example/page",
         "target": [{"source": "https://unrelated.example/page", "selector": [
             {"type": "TextQuoteSelector", "exact": "something else"}]}],
         "text": "", "tags": []},
    ]}


def test_a_hypothesis_export_lands_by_url_and_quote(db):
    world = build_world(db)
    documents.update_document(db, document_id=world.docs[1],
                              url="https://meridianwire.example/tal-hasan")
    res = import_annotations(db, case_id=world.case_id, data=HYPOTHESIS_EXPORT)
    # The same passage was highlighted already: it gains the tag and the note.
    assert res.merged == (world.highlights[1],) and not res.placed
    h = highlights.get_highlight(db, highlight_id=world.highlights[1])
    assert h.note == "Second report of his death"
    paths = {t.id: t.path for t in tags.list_tags(db, case_id=world.case_id)}
    assert sorted(paths[t] for t in h.tag_ids) == ["Hypothesis", "death report"]
    assert [o["id"] for o in res.orphans] == ["elsewhere1"]
    assert "unrelated.example" in res.orphans[0]["reason"]


def test_a_hypothesis_jsonld_annotation_on_a_new_passage(db):
    world = build_world(db)
    documents.update_document(db, document_id=world.docs[2],
                              url="https://rivertown.example/minister")
    one = {"@context": "http://www.w3.org/ns/anno.jsonld", "type": "Annotation",
           "id": "https://hypothes.is/a/abc", "created": "2024-05-01T09:00:00Z",
           "creator": "acct:analyst@hypothes.is",
           "body": [{"type": "TextualBody", "value": "He was buried", "format": "text/markdown"},
                    {"type": "TextualBody", "purpose": "tagging", "value": "Events/Burial"}],
           "target": [{"source": "https://rivertown.example/minister#main", "selector": [
               {"type": "TextQuoteSelector", "exact": "was buried", "prefix": "— 🙂 — "}]}]}
    res = import_annotations(db, case_id=world.case_id, data=one)
    assert len(res.placed) == 1
    h = highlights.get_highlight(db, highlight_id=res.placed[0])
    text = documents.get_text(db, document_id=world.docs[2])
    assert text[h.start:h.end] == "was buried" and h.note == "He was buried"
    assert [t.path for t in tags.list_tags(db, case_id=world.case_id)
            if t.id in h.tag_ids] == ["Events/Burial"]


def test_a_file_without_annotations_is_refused(db, tmp_path):
    world = build_world(db)
    bad = tmp_path / "x.json"
    bad.write_text('{"hello": "world"}')
    with pytest.raises(ImportFailed, match="no Web Annotations"):
        import_annotations(db, case_id=world.case_id, path=bad)
    bad.write_text("{not json")
    with pytest.raises(ImportFailed, match="not JSON"):
        import_annotations(db, case_id=world.case_id, path=bad)


def test_cli_import_annotations(db, db_path, cli_env, tmp_path):
    world = build_world(db)
    path = tmp_path / "case.jsonld"
    path.write_text(json.dumps(_export(db, world.case_id)))
    for hid in world.highlights:
        highlights.delete_highlight(db, highlight_id=hid)
    db.close()
    proc = run_cli("--db", str(db_path), "import-annotations", str(path), "--case",
                   world.case_id, "--json", env=cli_env)
    got = json.loads(proc.stdout)
    assert len(got["placed"]) == 4 and got["orphans"] == []


def test_json_that_cannot_be_stored_is_refused_whole(db):
    from casefile.exchange import BundleError

    world = build_world(db)
    bad = {"type": "Annotation", "target": {
        "source": f"urn:uuid:{world.docs[0]}",
        "selector": {"type": "TextQuoteSelector", "exact": "reported killed"}},
        "bodyValue": "lone \ud800 surrogate"}
    with pytest.raises(BundleError, match="not valid Unicode"):
        import_annotations(db, case_id=world.case_id, data=bad)
    assert len(highlights.list_highlights(db, case_id=world.case_id)) == 4
