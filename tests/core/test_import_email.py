"""E-mail: subject, sender and date as metadata, the body as text (plain preferred, HTML through
the web-page path), each attachment a document of its own linked to the mail."""

from __future__ import annotations

import sys
from pathlib import Path

from casefile import importers
from casefile.services import documents

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "containers"))
import mailgen  # noqa: E402
import pagegen  # noqa: E402


def _import(db, case_id, path: Path):
    (res,) = importers.import_files(db, case_id=case_id, paths=[path])
    assert res.ok, res.error
    return res


def test_an_eml_with_an_attachment(db, case_id, tmp_path):
    path = tmp_path / "casualties.eml"
    path.write_bytes(mailgen.eml())
    res = _import(db, case_id, path)
    mail, att = (documents.get_document(db, document_id=i) for i in res.added)
    assert mail.title == mailgen.SUBJECT
    assert mail.author == "Farrukh Saidov <farrukh.saidov@example.org>"
    assert mail.published == "2020-08-05" and mail.content_type == "message/rfc822"
    text = documents.get_text(db, document_id=mail.id)
    assert text.startswith("From: Farrukh Saidov <farrukh.saidov@example.org>\n"
                           "To: Nodira Karimova <nodira@example.net>\nCc: desk@example.net\n")
    assert text.endswith(mailgen.BODY)
    assert documents.get_text(db, document_id=att.id) == mailgen.NOTE
    assert att.parent_id == mail.id and att.published == "2020-08-05"
    assert [c.id for c in documents.get_links(db, document_id=mail.id).children] == [att.id]
    again = importers.import_files(db, case_id=case_id, paths=[path])[0]
    assert again.already == 1 and not again.added


def test_an_html_mail_reads_its_plain_part_and_an_html_only_mail_its_html(db, case_id,
                                                                         tmp_path):
    both = tmp_path / "both.eml"
    both.write_bytes(mailgen.eml(html=True, attachments=[]))
    text = documents.get_text(db, document_id=_import(db, case_id, both).id)
    assert text.endswith(mailgen.BODY)
    msg = mailgen.mail(attachments=[], message_id="<html-only@example.org>")
    msg.get_body().set_content("<html><body><p>Temur Vakhidov was named.</p>"
                               "<script>alert(1)</script></body></html>", subtype="html")
    only = tmp_path / "html.eml"
    only.write_bytes(msg.as_bytes())
    text = documents.get_text(db, document_id=_import(db, case_id, only).id)
    assert text.endswith("Temur Vakhidov was named.") and "alert" not in text


def test_an_attached_article_is_read_like_the_page(db, case_id, tmp_path):
    path = tmp_path / "fwd.eml"
    path.write_bytes(mailgen.eml(attachments=[("strike.html", pagegen.article(), "text/html")]))
    res = _import(db, case_id, path)
    page = documents.get_document(db, document_id=res.added[1])
    assert page.outlet == "Meridian Wire" and page.parent_id == res.added[0]
    assert documents.get_text(db, document_id=page.id) == importers.extract(
        pagegen.article(), "strike.html").text


def test_an_attachment_that_cannot_be_read_is_named_and_the_mail_kept(db, case_id, tmp_path):
    path = tmp_path / "bin.eml"
    path.write_bytes(mailgen.eml(attachments=[("data.bin", b"\x00\x01\x02" * 100,
                                               "application/octet-stream")]))
    res = _import(db, case_id, path)
    assert len(res.added) == 1 and "data.bin" in res.warning


def _outlook(**kw) -> bytes:
    import msggen

    args = {"subject": mailgen.SUBJECT, "sender": "Farrukh Saidov <farrukh.saidov@example.org>",
            "to": "Nodira Karimova <nodira@example.net>",
            "date": "Wed, 05 Aug 2020 09:15:00 +0500", "body": mailgen.BODY,
            "attachments": [("casualty-list.txt", mailgen.NOTE.encode("utf-8"))], **kw}
    return msggen.msg(**args)


def test_an_outlook_msg_reads_like_the_eml(db, case_id, tmp_path):
    path = tmp_path / "casualties.msg"
    path.write_bytes(_outlook())
    res = _import(db, case_id, path)
    mail, att = (documents.get_document(db, document_id=i) for i in res.added)
    assert mail.title == mailgen.SUBJECT and mail.published == "2020-08-05"
    assert mail.author == "Farrukh Saidov <farrukh.saidov@example.org>"
    assert mail.content_type == "application/vnd.ms-outlook"
    assert documents.get_text(db, document_id=mail.id).endswith(mailgen.BODY)
    assert documents.get_text(db, document_id=att.id) == mailgen.NOTE
    assert att.parent_id == mail.id


def test_an_outlook_attachment_named_with_a_path_is_refused(db, case_id, tmp_path):
    path = tmp_path / "evil.msg"
    path.write_bytes(_outlook(attachments=[("../../evil.txt", b"x")]))
    (res,) = importers.import_files(db, case_id=case_id, paths=[path])
    assert "refused as hostile" in res.error
    assert documents.list_documents(db, case_id=case_id) == []


def test_a_file_named_msg_that_is_not_outlook_is_refused(db, case_id, tmp_path):
    path = tmp_path / "notes.msg"
    path.write_bytes(b"just some text, not an Outlook message")
    (res,) = importers.import_files(db, case_id=case_id, paths=[path])
    assert "not a readable Outlook message" in res.error and "\n" not in res.error


def test_the_cli_shows_the_link_in_both_documents(cli_env, tmp_path):
    from tests.helpers import cli_json

    path = tmp_path / "casualties.eml"
    path.write_bytes(mailgen.eml())
    (res,) = cli_json("import", str(path), env=cli_env)
    mail_id, att_id = res["documents"]
    assert res["id"] == mail_id and "2 documents added" in res["summary"]
    mail = cli_json("doc", "show", mail_id, env=cli_env)
    att = cli_json("doc", "show", att_id, env=cli_env)
    assert mail["holds"] == [{"id": att_id, "title": att["title"],
                              "content_type": "text/plain"}] and mail["came_in"] is None
    assert att["came_in"] == {"id": mail_id, "title": mailgen.SUBJECT} and att["holds"] == []


def test_a_mail_saved_without_a_suffix_is_read_as_mail(db, case_id, tmp_path):
    path = tmp_path / "Fwd casualty list"
    path.write_bytes(mailgen.eml())
    res = _import(db, case_id, path)
    assert len(res.added) == 2
    assert documents.get_document(db, document_id=res.id).title == mailgen.SUBJECT
