"""A .qdpx in the shape QualCoder's REFI exporter writes (refi.py, ``RefiExport``), with our own
fictional content: its attribute order and spellings, sources written with a UTF-8 BOM while
positions count the text without it, one PlainTextSelection per coding (so a passage coded
twice appears twice), categories as non-codable codes, an annotation as a Note holding its own
selection that the TextSource points at, a journal as a Note with a text file, a PDF as a
PDFSource with a text Representation, and the zip made by ``shutil.make_archive`` (with folder
entries)."""

from __future__ import annotations

import shutil
import uuid
from html import escape
from pathlib import Path

USER = "5C94BC9E-DB8C-4F1D-9CD6-E900C7440860"
TEXT = ("Interview with a neighbour, Dushanbe.\n"
        "She said Temur left for Syria in 2014 and never came back.\n"
        "Later she heard he was killed near Wadi Sirr — «так говорят».\n")
PDF_TEXT = "Ministry bulletin\n\nThe ministry announced the death of Temur Vakhidov.\n"
CATEGORY, CODE_TRAVEL, CODE_DEATH = (str(uuid.UUID(int=i)).upper() for i in (1, 2, 3))


def _g() -> str:
    return str(uuid.uuid4()).upper()


def _sel(text: str, quote: str, code: str, memo: str = "") -> str:
    start = text.index(quote)
    xml = (f'<PlainTextSelection guid="{_g()}" startPosition="{start}" '
           f'endPosition="{start + len(quote)}" name="{escape(quote)}" creatingUser="{USER}" '
           f'creationDateTime="2024-03-01T10:00:00Z">\n')
    if memo:
        xml += f"<Description>{escape(memo)}</Description>\n"
    xml += (f'<Coding guid="{_g()}" creatingUser="{USER}" >\n'
            f'<CodeRef targetGUID="{code}" />\n</Coding>\n</PlainTextSelection>\n')
    return xml


def build(folder: Path, pdf_bytes: bytes, png_bytes: bytes) -> Path:
    """Write the project into ``folder`` and zip it; returns the .qdpx path."""
    prep = folder / "qc_project"
    (prep / "sources").mkdir(parents=True)
    src, plain, pdf, pdf_plain, png = _g(), _g(), _g(), _g(), _g()
    annotation, journal = _g(), _g()
    ann_quote = "never came back"
    ann_start = TEXT.index(ann_quote)
    xml = '<?xml version="1.0" encoding="utf-8"?>\n<Project '
    xml += ('xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ')
    xml += f'name="{escape("neighbours.qda")}" origin="3.6" creatingUserGUID="{_g()}" '
    xml += 'creationDateTime="2024-03-01T09:00:00Z" xmlns="urn:QDA-XML:project:1.0">\n'
    xml += f'<Users>\n<User guid="{USER}" name="default" />\n</Users>\n'
    xml += "<CodeBook>\n<Codes>\n"
    xml += (f'<Code guid="{CODE_TRAVEL}" name="travel" isCodable="true" color="#F5A9A9" />\n')
    xml += (f'<Code guid="{CATEGORY}" name="Events" isCodable="false">\n'
            "<Description>What happened to him</Description>\n"
            f'<Code guid="{CODE_DEATH}" name="death" isCodable="true" color="#81BEF7">\n'
            "<Description>Reports of his death</Description>\n</Code>\n</Code>\n")
    xml += "</Codes>\n</CodeBook>\n<Sources>\n"
    xml += (f'<TextSource plainTextPath="internal://{plain}.txt" creatingUser="{USER}" '
            f'creationDateTime="2024-03-01T09:30:00Z" guid="{src}" name="neighbour.txt">\n'
            "<Description>Recorded by the field team</Description>\n")
    xml += _sel(TEXT, "left for Syria in 2014", CODE_TRAVEL, memo="first departure")
    xml += _sel(TEXT, "killed near Wadi Sirr — «так говорят»", CODE_DEATH)
    xml += _sel(TEXT, "killed near Wadi Sirr — «так говорят»", CODE_TRAVEL)
    xml += f'<NoteRef targetGUID="{annotation}" />\n</TextSource>\n'
    xml += (f'<PDFSource path="internal://{pdf}.pdf" creatingUser="{USER}" '
            f'creationDateTime="2024-03-02T09:00:00Z" guid="{_g()}" name="bulletin.pdf">\n'
            f'<Representation guid="{_g()}" plainTextPath="internal://{pdf_plain}.txt" '
            f'creatingUser="{USER}" name="bulletin.pdf">\n')
    xml += _sel(PDF_TEXT, "announced the death of Temur Vakhidov", CODE_DEATH)
    xml += "</Representation></PDFSource>\n"
    xml += (f'<PictureSource creatingUser="{USER}" creationDateTime="2024-03-03T09:00:00Z" '
            f'path="internal://{png}.png" guid="{_g()}" name="photo.png" >\n'
            f'<PictureSelection guid="{_g()}" firstX="1" firstY="1" secondX="5" secondY="5" />\n'
            "</PictureSource>\n")
    xml += "</Sources>\n<Notes>\n"
    xml += (f'<Note guid="{journal}" creatingUser="{USER}" '
            f'creationDateTime="2024-03-04T09:00:00Z" name="Field diary"  '
            f'plainTextPath="internal://{journal}.txt" >\n<Description /></Note>\n')
    xml += (f'<Note guid="{annotation}" creatingUser="{USER}" '
            f'creationDateTime="2024-03-01T11:00:00Z" >\n'
            "<PlainTextContent>Family still hopes he is alive</PlainTextContent>\n"
            f'<PlainTextSelection guid="{_g()}" startPosition="{ann_start}" '
            f'endPosition="{ann_start + len(ann_quote)}" />\n</Note>\n')
    xml += "</Notes>\n<Description>Interviews about Temur's fate</Description>\n</Project>"
    (prep / "project.qde").write_text(xml, encoding="utf-8")
    for name, text in ((plain, TEXT), (pdf_plain, PDF_TEXT)):
        (prep / "sources" / f"{name}.txt").write_text(text, encoding="utf-8-sig")
    (prep / "sources" / f"{journal}.txt").write_text("Asked three neighbours; two refused.",
                                                     encoding="utf-8-sig")
    (prep / "sources" / f"{pdf}.pdf").write_bytes(pdf_bytes)
    (prep / "sources" / f"{png}.png").write_bytes(png_bytes)
    archive = shutil.make_archive(str(folder / "neighbours"), "zip", prep)
    return Path(shutil.move(archive, folder / "neighbours.qdpx"))
