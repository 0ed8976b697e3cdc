"""Web pages the bare library reads are not refused: markup after a long script or a PHP
warning, and paragraphs holding control characters that XML forbids."""

from __future__ import annotations

import pytest

from casefile import importers
from casefile.importers import sniff
from casefile.services import documents

ARTICLE = ("<html><head><meta charset='utf-8'><title>Vakhidov reported killed</title></head>"
           "<body><article><h1>Vakhidov reported killed</h1>"
           + "".join(f"<p>Paragraph {i}: witnesses near Qalat Nur described the events of that "
                     "week in detail to several reporters and officials.</p>" for i in range(6))
           + "</article></body></html>")
LONG_SCRIPT = "<script>\n" + "var tracking = {'id': 12345, 'slot': 'top'};\n" * 300 + "</script>\n"
PHP_WARNING = ("<br />\n<b>Deprecated</b>:  Assigning the return value of new by reference is "
               "deprecated in <b>/www/htdocs/wp-settings.php</b> on line <b>520</b><br />\n") * 60


@pytest.mark.parametrize("prefix", [LONG_SCRIPT, PHP_WARNING], ids=["script", "php-warning"])
def test_markup_after_a_long_preamble_is_a_web_page(db, case_id, tmp_path, prefix):
    data = (prefix + ARTICLE).encode("utf-8")
    assert len(prefix) > 4096
    assert sniff.sniff(data, "page.html") == sniff.HTML
    path = tmp_path / "page.html"
    path.write_bytes(data)
    res = importers.import_file(db, case_id=case_id, path=path)
    assert res.ok, res.error
    assert "Paragraph 5: witnesses near Qalat Nur" in documents.get_text(db, document_id=res.id)


def test_paragraphs_with_control_characters_are_read():
    data = ARTICLE.replace(" week ", " week\x0b ").encode("utf-8")
    doc = importers.extract(data, "page.html")
    assert "Paragraph 0: witnesses near Qalat Nur described the events of that week in" in \
        doc.text
