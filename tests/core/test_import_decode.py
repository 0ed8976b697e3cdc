"""Encodings: a UTF-8 page or text with one bad byte keeps its accents (the bad byte alone is
replaced); a legacy page still reads as Windows-1252; a false UTF-8 declaration is overruled."""

from __future__ import annotations

from casefile.importers import html as html_importer
from casefile.importers import text as text_importer

POLISH = ("Sprzeciw wobec ataków na fundację: rzecznik mówił o kłamstwach, które "
          "powtarzają się w mediach od miesięcy.")


def _page(body: bytes, charset: bytes = b"utf-8") -> bytes:
    return (b"<html><head><meta charset=\"" + charset + b"\"><title>Sprzeciw</title></head>"
            b"<body><article><h1>Sprzeciw wobec atak\xc3\xb3w</h1><p>" + body +
            b"</p><p>" + "Drugi akapit opisuje reakcję rządu i opozycji na te słowa."
            .encode() + b"</p></article></body></html>")


def test_utf8_page_with_one_bad_byte_keeps_its_accents():
    body = POLISH.encode("utf-8").replace(b"mediach", b"medi\xffach")
    doc = html_importer.extract(_page(body), "page.html")
    assert "ataków" in doc.text and "kłamstwach" in doc.text
    assert "Ã" not in doc.text and "Å" not in doc.text
    assert "medi\ufffdach" in doc.text  # the bad byte alone is marked


def test_utf8_text_file_with_one_bad_byte_keeps_its_accents():
    data = POLISH.encode("utf-8").replace(b"mediach", b"medi\x96ach")
    assert text_importer.decode(data) == POLISH.replace("mediach", "medi\ufffdach")


def test_a_false_utf8_declaration_is_overruled_by_plainly_legacy_bytes():
    page = ("<html><head><meta charset='utf-8'><title>Qalat Nur</title></head><body><article>"
            "<h1>L’attaque</h1><p>Les témoins décrivent l’attaque à Qalat Nur.</p><p>Le "
            "ministère n’a pas confirmé la mort du commandant à ce jour.</p></article></body>"
            "</html>").encode("cp1252")
    doc = html_importer.extract(page, "page.html")
    assert "Les témoins décrivent l’attaque à Qalat Nur." in doc.text


def test_declared_legacy_encoding_is_used():
    body = "Свидетели описали нападение в Калат-Нуре.".encode("cp1251")
    page = _page(body, b"windows-1251").replace("atak\u00f3w".encode(), b"atakow")
    assert "Свидетели описали нападение" in html_importer.extract(page, "p.html").text
