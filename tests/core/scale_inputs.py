"""Large generated inputs (fictional): annotation files and REFI-QDA projects of any size, for the
linearity tests and ``bench/bench_scale.py``."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from sqlalchemy import insert

from casefile.db.models import Tag, new_id, utcnow
from casefile.services import cases, documents
from casefile.services.documents import NewDocument

SENTENCE = ("Report {n}: the courier Daler Nazarov was seen at the Qalat Nur checkpoint on day "
            "{n}, a border guard told the Northern Ledger.")


def article(n: int) -> str:
    """A fictional text of ``n`` numbered sentences, one paragraph each."""
    return "\n\n".join(SENTENCE.format(n=i) for i in range(n))


def starts(n: int) -> list[int]:
    """Where each sentence of ``article(n)`` begins."""
    out, pos = [], 0
    for i in range(n):
        out.append(pos)
        pos += len(SENTENCE.format(n=i)) + 2
    return out


def case_with_article(db, n: int) -> tuple[str, str, str]:
    """(case id, document id, its text) for a case holding one article of ``n`` sentences."""
    case_id = cases.create_case(db, title="Nazarov scale").id
    text = article(n)
    doc = documents.add_document(db, case_id=case_id, doc=NewDocument(
        text=text, original=text.encode(), content_type="text/plain", title="Checkpoint log",
        source_name="log.txt"))
    return case_id, doc.id, text


def annotations(doc_id: str, text: str, n: int, *, tag=lambda i: f"Sightings/Day {i}",
                missing: bool = False, positions: bool = True) -> dict:
    """A W3C AnnotationPage of ``n`` annotations on the article's sentences (sentence ``i``
    modulo their number), each tagged ``tag(i)``, with a quote and (as exporters write them)
    a position; with ``missing`` every quote is one the text does not hold, at a position
    outside it."""
    at = starts(text.count("\n\n") + 1)
    items = []
    for i in range(n):
        k = i % len(at)
        quote = SENTENCE.format(n=k)
        start = at[k]
        if missing:
            quote = f"The smuggler Ravshan Gafurov crossed at Kuhistan ford on night {i}."
            start = len(text) + 10
        selectors: list[dict] = [{"type": "TextQuoteSelector", "exact": quote}]
        if positions:
            selectors.append({"type": "TextPositionSelector", "start": start,
                              "end": start + len(quote)})
        items.append({"type": "Annotation", "id": f"urn:uuid:00000000-0000-4000-8000-{i:012d}",
                      "body": [{"type": "TextualBody", "purpose": "tagging", "value": tag(i)}],
                      "target": {"source": f"urn:uuid:{doc_id}", "selector": selectors}})
    return {"type": "AnnotationPage", "items": items}


def qdpx(path: Path, *, sentences: int, selections: int, codes: int = 10,
         member_case: str = "", missing: bool = False, sources: int = 1) -> Path:
    """A REFI-QDA project of ``sources`` text sources of ``sentences`` sentences, with
    ``selections`` passages spread over them (each coded), written as another tool would.
    ``member_case="upper"`` stores the members as ``Sources/NAME.TXT`` while the XML says
    ``internal://name.txt``; ``missing`` gives every passage a quote the text does not hold and
    a position outside it."""
    ns = "urn:QDA-XML:project:1.0"
    text = article(sentences)
    out = io.StringIO()
    out.write(f'<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="{ns}" name="Scale" '
              'origin="Generated">\n<CodeBook><Codes>')
    for c in range(codes):
        out.write(f'<Code guid="00000000-0000-4000-a000-{c:012d}" name="Code {c}" '
                  'isCodable="true"/>')
    out.write("</Codes></CodeBook>\n<Sources>")
    members: dict[str, bytes] = {}
    per = max(1, selections // sources)
    at = starts(sentences)
    k = 0
    for s in range(sources):
        name = f"source{s}.txt"
        stored = name.upper() if member_case == "upper" else name
        members[f"Sources/{stored}"] = text.encode()
        out.write(f'<TextSource guid="00000000-0000-4000-b000-{s:012d}" name="Log {s}" '
                  f'plainTextPath="internal://{name}">')
        for i in range(per if s < sources - 1 else selections - k):
            quote = SENTENCE.format(n=i % sentences)
            start = at[i % sentences]
            if missing:
                quote = f"The smuggler Ravshan Gafurov crossed at Kuhistan ford on night {i}."
                start = len(text) + 10 + i
            out.write(f'<PlainTextSelection guid="00000000-0000-4000-c{s:03d}-{i:012d}" '
                      f'name="{quote}" startPosition="{start}" '
                      f'endPosition="{start + len(quote)}"><Coding guid="00000000-0000-4000-'
                      f'd{s:03d}-{i:012d}"><CodeRef targetGUID="00000000-0000-4000-a000-'
                      f'{i % codes:012d}"/></Coding></PlainTextSelection>')
            k += 1
        out.write("</TextSource>")
    out.write("</Sources>\n</Project>\n")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("project.qde", out.getvalue())
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def tag_chain(db, case_id: str, depth: int) -> list[str]:
    """A chain of ``depth`` tags, each under the previous one, written directly (as an older
    version could leave it, past today's depth limit); their ids, top first."""
    ids = [new_id() for _ in range(depth)]
    stamp = utcnow()
    with db.write() as s:
        s.execute(insert(Tag), [{"id": t, "case_id": case_id, "parent_id": ids[i - 1] if i else
                                 None, "name": f"level {i}", "color": "", "description": "",
                                 "created_at": stamp, "updated_at": stamp}
                                for i, t in enumerate(ids)])
    return ids
