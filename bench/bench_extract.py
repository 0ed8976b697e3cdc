"""Article text and titles on public corpora with human ground truth, beside bare trafilatura and
readability-lxml in the same run; the extraction step's time beside bare trafilatura's.

Text is scored as the ScrapingHub article-extraction-benchmark scores it: word 4-shingles
(``\\w+`` tokens, counted as a multiset), per-page true/false positives and negatives normalised
to sum to 1, precision and recall averaged over pages, F1 from those means ("F1"); the mean of
the per-page F1 is printed beside it ("page F1"), with the pages where Casefile falls more than
0.05 below bare trafilatura. Titles are right when equal to the expected one after case, white
space, quotes and dashes are folded, or when one is the other with a site name cut at a
separator ("Headline | Site"). Times are CPU time (which other programs on a shared machine
disturb far less than wall time) of one process per extractor and corpus, warmed on one page
of our own first (and on ``--warm`` pages of the corpus not measured): the libraries keep
caches by the text they were given, so extractors run in one process would lend each other
their work.

Corpora, each a folder given on the command line (kept out of the repository, e.g. under
/work/corpora/), told apart by their layout:

- ``ground-truth.json`` + ``html/*.html.gz``: scrapinghub/article-extraction-benchmark;
- ``input/*.html`` + ``GoldStandard/*.txt`` (plain text): dragnet_data, CleanEval;
- the same with the gold as an annotated page:
  L3S-GN1 (Google News, "page-signal"; headline and full text, ``x-nc-sel1`` and ``-sel2``,
  and the headline for titles);
- ``evaldata.json`` + ``eval/*.html``: trafilatura's ``tests`` folder, each page with snippets
  its article has and snippets of the page it has not (scored as trafilatura scores them:
  counts over the corpus, precision, recall and F1 of the snippets found);
- ``*/source.html`` + ``*/expected-metadata.json``: Mozilla readability's test pages (titles
  only: their expected text is readability.js's output, not a person's).

Run: ``nice .venv/bin/python bench/bench_extract.py CORPUS... [--limit N] [--worst FILE]
[--src CHECKOUT] [--only casefile trafilatura]``
(``--limit`` takes every k-th page of a corpus so that N remain; ``readability-lxml`` must be
installed in the venv for its column: ``pip install readability-lxml``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# --src CHECKOUT measures another checkout's casefile (e.g. the code before a change)
SRC = Path(sys.argv[sys.argv.index("--src") + 1]) if "--src" in sys.argv[:-1] else ROOT
sys.path.insert(0, str(SRC.resolve()))

_TOKEN = re.compile(r"\w+")


@dataclass
class Page:
    name: str
    html: bytes
    text: str | None = None   # the article as a person marked it
    title: str | None = None  # the expected title
    include: list[str] = field(default_factory=list)  # snippets the article has
    exclude: list[str] = field(default_factory=list)  # and snippets of the page it has not


@dataclass
class Score:
    tp_fp_fn: list[tuple[float, float, float]] = field(default_factory=list)
    f1s: dict[str, float] = field(default_factory=dict)
    titles: list[bool] = field(default_factory=list)
    snippets: list[tuple[int, int, int, int]] = field(default_factory=list)  # tp fn fp tn
    seconds: float = 0.0
    failed: int = 0


def shingles(text: str, n: int = 4) -> Counter:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1))
                   if tokens[i:i + n])


def tp_fp_fn(true: str, pred: str) -> tuple[float, float, float]:
    t, p = shingles(true), shingles(pred)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    s = tp + fp + fn
    return (tp / s, fp / s, fn / s) if s else (0.0, 0.0, 0.0)


def _prec(tp: float, fp: float, fn: float) -> float:
    return 1.0 if fp == fn == 0 else (0.0 if tp == fp == 0 else tp / (tp + fp))


def _rec(tp: float, fp: float, fn: float) -> float:
    return 1.0 if fp == fn == 0 else (0.0 if tp == fn == 0 else tp / (tp + fn))


def page_f1(x: tuple[float, float, float]) -> float:
    p, r = _prec(*x), _rec(*x)
    return 2 * p * r / (p + r) if p + r else 0.0


def corpus_prf(xs: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    ps = [_prec(*x) for x in xs if x[0] + x[1] > 0]
    rs = [_rec(*x) for x in xs if x[0] + x[2] > 0]
    p = sum(ps) / len(ps) if ps else 0.0
    r = sum(rs) / len(rs) if rs else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


_SITE_AFTER = re.compile(r"\s*(?:[|\-–—:·»/_]+\s|_|\[)")
_SITE_BEFORE = re.compile(r"\s(?:[|\-–—:·»/_]+)\s*$")


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKC", s or "").casefold()
    s = s.translate(str.maketrans("‘’‚‛“”„‟–—", "''''\"\"\"\"--"))
    return re.sub(r"\s+", " ", s).strip()


def title_ok(pred: str, gold: str) -> bool:
    """Equal after folding, or one is the other less a site name cut at a separator."""
    p, g = _fold(pred), _fold(gold)
    if not p or not g:
        return p == g
    if p == g:
        return True
    longer, shorter = (p, g) if len(p) > len(g) else (g, p)
    if longer.startswith(shorter) and _SITE_AFTER.match(longer[len(shorter):]):
        return True
    return longer.endswith(shorter) and _SITE_BEFORE.search(longer[:-len(shorter)]) is not None


def _folded(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text or "")).strip()


def snippet_counts(page: Page, text: str) -> tuple[int, int, int, int]:
    """Snippets the article has that were found and not, snippets it has not that were
    found and not (trafilatura's own evaluation; white space and compatibility forms
    folded alike for every extractor)."""
    t = _folded(text)
    found = sum(_folded(x) in t for x in page.include)
    stray = sum(_folded(x) in t for x in page.exclude)
    return found, len(page.include) - found, stray, len(page.exclude) - stray


def snippet_prf(xs: list[tuple[int, int, int, int]]) -> tuple[float, float, float]:
    tp, fn, fp, _ = (sum(c) for c in zip(*xs, strict=True))
    p, r = tp / max(1, tp + fp), tp / max(1, tp + fn)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _every(items: list, limit: int | None) -> list:
    if not limit or len(items) <= limit:
        return items
    step = len(items) / limit
    return [items[int(i * step)] for i in range(limit)]


def load(folder: Path, limit: int | None) -> tuple[str, list[Page]]:
    """The corpus in ``folder`` (its kind told by its layout) as pages."""
    if (folder / "ground-truth.json").exists():
        gold = json.loads((folder / "ground-truth.json").read_text("utf-8"))
        keys = _every(sorted(gold), limit)
        return "article-extraction-benchmark", [
            Page(k, gzip.decompress((folder / "html" / f"{k}.html.gz").read_bytes()),
                 text=gold[k].get("articleBody", "")) for k in keys]
    if (folder / "evaldata.json").exists():  # trafilatura's tests/eval: snippets in and out
        data = json.loads((folder / "evaldata.json").read_text("utf-8"))
        items = _every(sorted((v for v in data.values() if (folder / "eval" / v["file"]).exists()),
                              key=lambda v: v["file"]), limit)
        return "trafilatura eval (snippets)", [
            Page(v["file"], (folder / "eval" / v["file"]).read_bytes(),
                 include=v.get("with", []), exclude=v.get("without", [])) for v in items]
    if (folder / "GoldStandard").is_dir():
        names = _every(sorted(p.stem for p in (folder / "input").glob("*.html")
                              if (folder / "GoldStandard" / f"{p.stem}.txt").exists()), limit)
        pages = []
        kind = folder.name
        headline = None
        for n in names:
            raw = (folder / "GoldStandard" / f"{n}.txt").read_bytes().decode("utf-8", "replace")
            if "x-nc-sel" in raw:
                kind = "L3S-GN1"
                raw, headline = _l3s_text(raw)
            elif raw.startswith("URL:"):  # CleanEval: a URL line, then <p>/<h>/<l> marks
                raw = re.sub(r"<[phl]>", " ", raw.split("\n", 1)[-1])
            pages.append(Page(n, (folder / "input" / f"{n}.html").read_bytes(), text=raw,
                              title=headline))
        return kind, pages
    subdirs = _every(sorted(d for d in folder.iterdir()
                            if (d / "expected-metadata.json").exists()), limit)
    pages = []
    for d in subdirs:
        meta = json.loads((d / "expected-metadata.json").read_text("utf-8"))
        if meta.get("title"):
            pages.append(Page(d.name, (d / "source.html").read_bytes(), title=meta["title"]))
    return "readability test pages (titles)", pages


def _l3s_text(annotated: str) -> tuple[str, str | None]:
    """The article (headline and full text) and the headline of an annotated L3S-GN1 page."""
    from lxml import html as lxml_html

    tree = lxml_html.document_fromstring(annotated)
    text = "\n".join(el.text_content() for el in tree.xpath(
        "//span[@class='x-nc-sel1' or @class='x-nc-sel2']"))
    heads = tree.xpath("//span[@class='x-nc-sel1']")
    return text, (" ".join(h.text_content() for h in heads[:1]) or None)


def casefile_extractor() -> Callable[[bytes], tuple[str, str]]:
    from casefile.errors import ImportFailed
    from casefile.importers.html import extract_fields

    def run(data: bytes) -> tuple[str, str]:
        try:
            f = extract_fields(data)
        except ImportFailed:
            return "", ""
        return f["text"], f["title"]
    return run


def trafilatura_extractor(**mode: bool) -> Callable[[bytes], tuple[str, str]]:
    import trafilatura

    def run(data: bytes) -> tuple[str, str]:
        doc = trafilatura.bare_extraction(data, with_metadata=True, include_comments=False,
                                          include_tables=True, **mode)
        return (doc.text or "", doc.title or "") if doc is not None else ("", "")
    return run


def readability_extractor() -> Callable[[bytes], tuple[str, str]] | None:
    try:
        from readability import Document
    except ImportError:
        return None
    from lxml import html as lxml_html

    from casefile.importers.html import decode_html

    def run(data: bytes) -> tuple[str, str]:
        try:
            doc = Document(decode_html(data))
            summary = doc.summary(html_partial=True)
            text = "\n".join(t.strip() for t in lxml_html.fromstring(summary).itertext())
            return text, doc.title()
        except Exception:  # a benchmark column: one page failing is a zero
            return "", ""
    return run


def _measure_one(name: str, folder: Path, limit: int | None, warm: int) -> Score:
    """One extractor over one corpus, in a process of its own (run by ``measure``), first
    warmed on one page of our own and ``warm`` pages of the corpus not measured."""
    fn = EXTRACTORS[name]()
    fn((ROOT / "tests" / "fixtures" / "articles" / "meridian_wadi_sirr.html").read_bytes())
    pages = load(folder, limit)[1]
    if warm:
        measured = {p.name for p in pages}
        for page in [p for p in load(folder, None)[1] if p.name not in measured][:warm]:
            try:
                fn(page.html)
            except Exception:  # warming only: its failures are counted when measured
                continue
    score = Score()
    for page in pages:
        t = time.process_time()  # CPU: a shared machine's load does not count
        try:
            text, title = fn(page.html)
        except Exception as exc:  # counted and shown, the run goes on
            print(f"    {name} failed on {page.name}: {exc!r}", file=sys.stderr)
            text, title = "", ""
            score.failed += 1
        score.seconds += time.process_time() - t
        if page.text is not None:
            x = tp_fp_fn(page.text, text)
            score.tp_fp_fn.append(x)
            score.f1s[page.name] = page_f1(x)
        if page.include or page.exclude:
            score.snippets.append(snippet_counts(page, text))
        if page.title is not None:
            score.titles.append(title_ok(title, page.title))
    return score


EXTRACTORS: dict[str, Callable[[], Callable[[bytes], tuple[str, str]] | None]] = {
    "casefile": casefile_extractor,
    "trafilatura": trafilatura_extractor,
    "trafilatura-recall": lambda: trafilatura_extractor(favor_recall=True),
    "readability-lxml": readability_extractor,
}


def measure(folder: Path, limit: int | None, names: list[str], warm: int = 0
            ) -> dict[str, Score]:
    """Each extractor in a fresh process, one after another, warmed on one page of our own:
    the libraries' caches (htmldate's and trafilatura's keep results by the text they were
    given) then favour no extractor over another, as they would if run on one process."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    scores = {}
    for name in names:
        with ctx.Pool(1) as pool:
            scores[name] = pool.apply(_measure_one, (name, folder, limit, warm))
    return scores


def report(kind: str, pages: list[Page], scores: dict[str, Score],
           worst: list[str]) -> None:
    print(f"{kind}: {len(pages)} pages")
    for name, s in scores.items():
        line = f"  {name:<18}"
        if s.tp_fp_fn:
            p, r, f1 = corpus_prf(s.tp_fp_fn)
            mean = sum(s.f1s.values()) / len(s.f1s)
            line += f" F1 {f1:.3f} (P {p:.3f} R {r:.3f})  page F1 {mean:.3f}"
        if s.snippets:
            p, r, f1 = snippet_prf(s.snippets)
            line += f" snippet F1 {f1:.3f} (P {p:.3f} R {r:.3f})"
        if s.titles:
            line += f"  titles {sum(s.titles)}/{len(s.titles)}"
        line += f"  {1000 * s.seconds / max(1, len(pages)):6.1f} ms CPU/page"
        if s.failed:
            line += f"  {s.failed} failed"
        print(line)
    if "casefile" not in scores or "trafilatura" not in scores:
        return
    ours, bare = scores["casefile"], scores["trafilatura"]
    if ours.f1s:
        below = sorted((ours.f1s[k] - bare.f1s[k], k) for k in ours.f1s
                       if ours.f1s[k] < bare.f1s[k] - 0.05)
        print(f"  pages > 0.05 below bare trafilatura: {len(below)}"
              + "".join(f"\n    {k}: {ours.f1s[k]:.3f} vs {bare.f1s[k]:.3f}" for _, k in below))
        worst.extend(f"{kind}\t{k}\t{v:.3f}\t{bare.f1s[k]:.3f}"
                     for k, v in sorted(ours.f1s.items(), key=lambda kv: kv[1]))
    print(f"  extraction CPU time casefile / bare trafilatura (text + metadata): "
          f"{ours.seconds / bare.seconds:.2f}x  (target <= 1.2)")


def ceiling(scores: dict[str, Score]) -> None:
    """The F1 of choosing, page by page and with the answer known, the best of the
    extractors that ran: no choice among these candidates can score above it."""
    named = {n: s for n, s in scores.items() if s.tp_fp_fn}
    if len(named) < 2:
        return
    rows = list(zip(*(s.tp_fp_fn for s in named.values()), strict=True))
    best = [max(row, key=page_f1) for row in rows]
    p, r, f1 = corpus_prf(best)
    mean = sum(page_f1(x) for x in best) / len(best)
    print(f"  best of {', '.join(named)} page by page, chosen knowing the answer: "
          f"F1 {f1:.3f} (P {p:.3f} R {r:.3f})  page F1 {mean:.3f}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpora", nargs="+", type=Path)
    ap.add_argument("--limit", type=int, help="pages per corpus (every k-th)")
    ap.add_argument("--worst", type=Path, help="write every page's F1 here, worst first")
    ap.add_argument("--src", type=Path, help="checkout whose casefile to measure")
    ap.add_argument("--only", nargs="+", help="extractors to run (casefile, trafilatura, "
                    "trafilatura-recall, readability-lxml)")
    ap.add_argument("--warm", type=int, default=0,
                    help="pages of each corpus, not among those measured, to run through "
                    "each extractor before timing (the steady state of a long session)")
    args = ap.parse_args(argv)
    names = [n for n in EXTRACTORS if not args.only or n in args.only]
    if "readability-lxml" in names and readability_extractor() is None:
        names.remove("readability-lxml")
    worst: list[str] = []
    for folder in args.corpora:
        kind, pages = load(folder, args.limit)
        scores = measure(folder, args.limit, names, args.warm)
        report(kind, pages, scores, worst)
        ceiling(scores)
    if args.worst:
        args.worst.write_text("\n".join(worst) + "\n", "utf-8")


if __name__ == "__main__":
    main()
