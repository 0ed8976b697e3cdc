"""The sample case: fictional articles from resources/sample, imported the normal way, annotated."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from casefile.db.database import Database
from casefile.errors import CasefileError
from casefile.importers import ImportResult, import_files
from casefile.paths import resources_dir
from casefile.services import cases, claims, documents, entities, highlights, tags
from casefile.services.claims import ClaimInput

TITLE = "Temur Vakhidov (sample)"
SUMMARY = ("A fictional case written for Casefile: four reports that contradict each other about "
           "whether and when Temur Vakhidov was killed.")

# Metadata the reports carry in their text; filled in where an importer did not extract it.
META = {
    "01-northern-ledger-2015.txt": dict(outlet="Northern Ledger", published="2015-05-12",
                                        author="Mira Ostrova"),
    "02-meridian-wire-2017.md": dict(outlet="Meridian Wire", published="2017-10-19",
                                     author="Daniel Orme"),
    "03-caspian-courier-2020.html": dict(
        outlet="Caspian Courier", published="2020-08-05", author="Leyla Karimova",
        title="Minister: militant leader Vakhidov killed in airstrike",
        url="https://caspian-courier.example/2020/08/vakhidov-airstrike"),
    "04-rivertown-gazette-2021.txt": dict(outlet="Rivertown Gazette", published="2021-02-22",
                                          author="Arman Telib"),
}


@dataclass(frozen=True)
class _Seed:
    file: str
    quote: str
    claim: ClaimInput | None = None
    tag: str = ""


SUBJECT = "Temur Vakhidov"
SEEDS = (
    _Seed("01-northern-ledger-2015.txt", "was killed in April 2015 near the town of Qalat Nur",
          ClaimInput(subject=SUBJECT, kind="death", value="killed", date="April 2015",
                     place="Qalat Nur", origin="regional security official (anonymous)",
                     origin_kind="person", credibility=4), "Events/Death"),
    _Seed("02-meridian-wire-2017.md", "was killed in a missile strike on Tal Hasan",
          ClaimInput(subject=SUBJECT, kind="death", value="killed in missile strike",
                     date="Oct 2017", place="Tal Hasan", origin="military sources",
                     via=("The Daily Lantern", "Meridian Wire"), credibility=4),
          "Events/Death"),
    _Seed("02-meridian-wire-2017.md", "had been killed in a clash with a rival faction",
          ClaimInput(subject=SUBJECT, kind="death", value="killed in clash", date="March 2017",
                     origin="Rivertown Gazette", credibility=5), "Events/Death"),
    _Seed("03-caspian-courier-2020.html",
          "was killed in an airstrike near Wadi Sirr on August 3",
          ClaimInput(subject=SUBJECT, kind="death", value="killed in airstrike",
                     date="2020-08-03", place="Wadi Sirr", origin="Anvar Rasulzoda",
                     origin_kind="person", origin_reliability="C", credibility=3),
          "Events/Death"),
    _Seed("03-caspian-courier-2020.html", "I will not believe it until I see the body",
          ClaimInput(subject=SUBJECT, kind="death", value="killed", date="2020-08",
                     stance="doubts", origin="Anvar Rasulzoda", origin_kind="person",
                     credibility=6), "Sources/Retraction"),
    _Seed("04-rivertown-gazette-2021.txt", "may be alive and hiding in the mountains",
          ClaimInput(subject=SUBJECT, kind="death", value="killed", date="~2021",
                     stance="denies", origin="Olim Vakhidov", origin_kind="person",
                     credibility=5), "Events/Alive"),
    _Seed("01-northern-ledger-2015.txt", "known in propaganda videos by the name Abu Hafs "
          "al-Qalami", None, "Names"),
    _Seed("01-northern-ledger-2015.txt", "His brother, Jamshed Vakhidov",
          ClaimInput(subject=SUBJECT, kind="relationship", value="brother",
                     object="Jamshed Vakhidov", origin="Northern Ledger", credibility=2),
          "People/Family"),
    _Seed("01-northern-ledger-2015.txt", "a former police sergeant from the Vakhsh valley",
          ClaimInput(subject=SUBJECT, kind="role", value="police sergeant (former)",
                     place="Vakhsh valley", origin="Northern Ledger", credibility=3),
          "People/Roles"),
    _Seed("03-caspian-courier-2020.html", "his father, Olim Vakhidov",
          ClaimInput(subject=SUBJECT, kind="relationship", value="son of",
                     object="Olim Vakhidov", origin="Caspian Courier", credibility=2),
          "People/Family"),
    _Seed("02-meridian-wire-2017.md", "the recruiter known as Abu Hafs al-Qalami",
          ClaimInput(subject=SUBJECT, kind="role", value="recruiter", date="2017",
                     origin="military sources", via=("The Daily Lantern", "Meridian Wire"),
                     credibility=4), "People/Roles"),
    _Seed("03-caspian-courier-2020.html", "Interior Minister Anvar Rasulzoda",
          ClaimInput(subject="Anvar Rasulzoda", kind="role", value="interior minister",
                     date="2020-08", origin="Caspian Courier", credibility=1), "People/Roles"),
    _Seed("04-rivertown-gazette-2021.txt", "his brother Jamshed Vakhidov was questioned last "
          "month", ClaimInput(subject="Jamshed Vakhidov", kind="arrest", value="questioned",
                              date="January 2021", origin="security source (anonymous)",
                              origin_kind="person", credibility=4), "Events/Arrest"),
)
ALIASES = (("Timur Vakhidov", "02-meridian-wire-2017.md"),
           ("Temur Vahidov", "02-meridian-wire-2017.md"),
           ("Abu Hafs al-Qalami", "01-northern-ledger-2015.txt"),
           ("Темур Вахидов", "03-caspian-courier-2020.html"),
           ("Temur Vakhidzoda", "04-rivertown-gazette-2021.txt"),
           ("Vakhidov Temur", "04-rivertown-gazette-2021.txt"))
TAG_COLORS = {"Events": "#ef9a9a", "Events/Death": "#ef9a9a", "Events/Alive": "#a5d6a7",
              "Sources": "#ce93d8", "Sources/Retraction": "#ffcc80", "Names": "#80deea",
              "People": "#c5e1a5", "People/Family": "#c5e1a5", "People/Roles": "#b0bec5",
              "Events/Arrest": "#ffe082"}


def sample_files() -> list[Path]:
    return sorted((resources_dir() / "sample").glob("0*.*"))


def create_sample_case(db: Database, *, annotate: bool = True) -> tuple[str, list[ImportResult]]:
    """Create the sample case by importing the sample articles; returns (case id, results).

    With ``annotate`` a few highlights, tags and claims are added so the window shows a
    worked example. Passages an importer did not keep are skipped, never an error.
    """
    case = cases.create_case(db, title=TITLE, summary=SUMMARY)
    files = sample_files()
    results = import_files(db, case_id=case.id, paths=files)
    by_file: dict[str, str] = {}
    for path, res in zip(files, results, strict=True):
        if not res.ok or not res.id:
            continue
        by_file[path.name] = res.id
        doc = documents.get_document(db, document_id=res.id)
        meta = META.get(path.name, {})
        documents.update_document(
            db, document_id=res.id,
            **{k: v for k, v in meta.items() if not getattr(doc, k if k != "outlet" else
                                                            "outlet_id")})
    if annotate:
        _annotate(db, case.id, by_file)
    return case.id, results


def _annotate(db: Database, case_id: str, by_file: dict[str, str]) -> None:
    subject = entities.create_entity(db, case_id=case_id, name=SUBJECT, kind="person",
                                     description="Subject of the case (fictional).")
    for name, file in ALIASES:
        entities.add_alias(db, entity_id=subject.id, name=name, document_id=by_file.get(file))
    for name, kind in (("Jamshed Vakhidov", "person"), ("Olim Vakhidov", "person"),
                       ("Anvar Rasulzoda", "person"), ("Qalat Nur", "place"),
                       ("Tal Hasan", "place"), ("Wadi Sirr", "place"),
                       ("Vakhsh valley", "place")):
        entities.create_entity(db, case_id=case_id, name=name, kind=kind)
    with db.write() as s:
        for path, color in TAG_COLORS.items():
            tags.ensure_tag_path(s, case_id=case_id, path=path).color = color
    for seed in SEEDS:
        doc_id = by_file.get(seed.file)
        if doc_id is None:
            continue
        try:
            start, end = highlights.locate_quote(db, document_id=doc_id, quote=seed.quote)
        except CasefileError:
            continue
        h = highlights.create_highlight(db, document_id=doc_id, start=start, end=end,
                                        tag_paths=(seed.tag,) if seed.tag else ())
        if seed.claim is not None:
            text = documents.get_text(db, document_id=doc_id)
            statement = text[start:end] if not seed.claim.statement else seed.claim.statement
            data = ClaimInput(**{**seed.claim.__dict__, "statement": statement,
                                 "evidence": (h.id,)})
            claims.create_claim(db, case_id=case_id, data=data)
