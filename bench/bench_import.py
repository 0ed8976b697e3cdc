"""Import speed, whole path (read, extract, duplicate check, store, search index), same run:

0. start-up of read commands (``casefile case list``, ``docs``, ``--help``), wall and CPU;
1. one web page at a time into an empty case and into a 2,000-document case (target: the
   ratio stays under 1.5 — the duplicate check must not read the case);
2. 200 web pages end to end, whole process (``casefile import`` on the command line), into an
   empty case and into an 1,800-document case, beside bare trafilatura extracting the same
   pages in one process, and beside Taguette importing them (its own HTML clean-up and
   database, driven without its web server) when a Taguette venv is given — whole processes,
   so this counts each one's interpreter and module loading;
2b. like for like with Taguette (``--only-taguette`` runs just this): both applications
   already running, timed from files to stored records — Casefile's ``import_files`` as the
   open window runs it, Taguette's ``convert`` + ``database`` in one warm process; wall time
   and CPU time (Casefile's main process and its workers); ``--pages DIR`` imports real saved
   pages instead of the generated ones (small pages of one template, where Taguette's
   per-byte clean-up costs least);
3. PDF pages per second beside bare pdfplumber, and the PDF child's peak memory.

Numbers, not pass/fail. Run: ``.venv/bin/python bench/bench_import.py [--quick]
[--taguette /path/to/venv/bin/python] [--src CHECKOUT] [--only-taguette] [--pages DIR]``
(``--src`` measures another checkout's casefile, e.g. the code before a change).
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "articles"
sys.path.insert(0, str(FIXTURES))

from pdfgen import article_pdf, filler_paragraphs  # noqa: E402

PAGE = (FIXTURES / "meridian_wadi_sirr.html").read_text("utf-8")
TOWNS = ["Qalat Nur", "Tal Hasan", "Wadi Sirr", "Dushanbe", "Khorog", "Kulob", "Isfara"]

TAGUETTE_DRIVER = """
import sys
from taguette import convert, database
Session = database.connect("sqlite:///" + sys.argv[1])
db = Session()
user = database.User(login="admin")
project = database.Project(name="bench", description="")
db.add_all([user, project, database.ProjectMember(project=project, user=user,
                                                  privileges=database.Privileges.ADMIN)])
db.commit()
for name in sys.argv[2:]:
    with open(name, "rb") as f:
        body = convert.get_html_body(f.read())
    doc = database.Document(name=name, description="", filename=name, project=project,
                            text_direction=database.TextDirection.LEFT_TO_RIGHT,
                            contents=body)
    db.add(doc)
    db.flush()
    db.add(database.Command.document_add("admin", doc))
    db.commit()
"""
# Taguette as its running server meets an upload: modules loaded, database open, project made;
# then each file converted and stored (its ``convert`` + ``database``), timed from files to
# committed records. Prints the seconds, wall and CPU.
TAGUETTE_WARM = """
import sys, time
from taguette import convert, database
Session = database.connect("sqlite:///" + sys.argv[1])
db = Session()
user = database.User(login="admin")
project = database.Project(name="bench", description="")
db.add_all([user, project, database.ProjectMember(project=project, user=user,
                                                  privileges=database.Privileges.ADMIN)])
db.commit()
with open(sys.argv[2], "rb") as f:
    convert.get_html_body(f.read())  # warm: the first conversion loads its cleaner
t, cpu = time.perf_counter(), time.process_time()
for name in sys.argv[3:]:
    with open(name, "rb") as f:
        body = convert.get_html_body(f.read())
    doc = database.Document(name=name, description="", filename=name, project=project,
                            text_direction=database.TextDirection.LEFT_TO_RIGHT,
                            contents=body)
    db.add(doc)
    db.flush()
    db.add(database.Command.document_add("admin", doc))
    db.commit()
print(time.perf_counter() - t, time.process_time() - cpu)
"""
BARE_DRIVER = """
import sys
import trafilatura
for name in sys.argv[1:]:
    with open(name, "rb") as f:
        trafilatura.extract(f.read(), include_comments=False, include_tables=True)
"""


_WORDS = (
    "the of and to in a that said was were for on with by officials reported strike "
    "commander ministry border village convoy statement witnesses militants group "
    "interior security forces week killed arrested travelled according source local "
    "residents government spokesman confirmed denied claims airstrike near family "
    "brother father mother hiding alive funeral video photographs checkpoint crossing "
    "river valley road night morning evening capital province district court "
    "prosecutor lawyer trial sentence prison released detained questioned")
VOCAB = _WORDS.split()


def paragraphs(seed: int, n: int) -> list[str]:
    """``n`` distinct fictional paragraphs of 40–90 words (seeded: the same seed, the same)."""
    import random

    rng = random.Random(seed)
    out = []
    for _ in range(n):
        words = [rng.choice(VOCAB) for _ in range(rng.randint(40, 90))]
        out.append(" ".join(words).capitalize() + ".")
    return out


def article_text(i: int) -> str:
    """A distinct fictional report of about 700 words (documents of a large case)."""
    return f"Report {i} from {TOWNS[i % len(TOWNS)]}\n\n" + "\n\n".join(paragraphs(i, 11))


def html_pages(n: int, offset: int = 0) -> list[bytes]:
    """``n`` distinct article pages in one site's chrome, 8–20 paragraphs of their own each
    (and the site's template article, about 150 words, shared by all)."""
    out = []
    for i in range(offset, offset + n):
        own = "".join(f"<p>{p}</p>\n" for p in paragraphs(100_000 + i, 8 + i % 13))
        out.append(PAGE.replace("<p>Their father", f"{own}<p>Their father").encode("utf-8"))
    return out


def build_case(path: Path, n_docs: int) -> str:
    """A database holding one case of ``n_docs`` documents (stored with their fingerprints
    and search index entries, as imports store them); returns the case id."""
    from casefile.db.database import open_database
    from casefile.services import cases, documents
    from casefile.services.documents import NewDocument

    db = open_database(path)
    case_id = cases.create_case(db, title="bench").id
    for i in range(n_docs):
        text = article_text(i)
        documents.add_document(db, case_id=case_id, doc=NewDocument(
            text=text, original=text.encode(), content_type="text/plain",
            title=text.split("\n", 1)[0]))
    db.close()
    return case_id


def per_file(tmp: Path, big_case: Path, n_files: int) -> None:
    """Median time of ``import_file`` for a page, into an empty and into the big case."""
    from casefile import importers
    from casefile.db.database import open_database
    from casefile.services import cases

    pages = tmp / "single"
    pages.mkdir()
    files = []
    for i, data in enumerate(html_pages(2 * n_files, offset=5000)):
        files.append(pages / f"page{i}.html")
        files[-1].write_bytes(data)
    results = {}
    for label, db_path, batch in (("empty case", tmp / "empty.sqlite", files[:n_files]),
                                  ("2,000-document case", big_case, files[n_files:])):
        db = open_database(db_path)
        case_id = cases.resolve_case(db, None, create=True).id
        importers.import_file(db, case_id=case_id, path=FIXTURES / "courier_alive.md")  # warm
        times = []
        for f in batch:
            t = time.perf_counter()
            res = importers.import_file(db, case_id=case_id, path=f)
            times.append(time.perf_counter() - t)
            assert res.ok, res.error
        db.close()
        results[label] = statistics.median(times)
        print(f"  one page into a {label:<21} median {1000 * results[label]:7.1f} ms "
              f"(min {1000 * min(times):.1f}, max {1000 * max(times):.1f}; {len(batch)} files)")
    ratio = results["2,000-document case"] / results["empty case"]
    print(f"  ratio large/empty                {ratio:7.2f}x  (target <= 1.5)")


def _whole_process(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall-clock seconds and CPU seconds (the process and every process it started). Runs in
    the checkout named by ``PYTHONPATH`` (``python -m`` puts the working folder first)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    cwd = (env or {}).get("PYTHONPATH") or None
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=cwd)
    elapsed = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{cmd[:4]} failed: {proc.stderr[-2000:]}")
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return elapsed, cpu


def end_to_end(tmp: Path, big_case: Path, n_pages: int, taguette: str | None,
               src: Path, repeats: int) -> None:
    """200 pages, whole process, as the analyst runs them."""
    folder = tmp / "pages200"
    folder.mkdir()
    files = []
    for i, data in enumerate(html_pages(n_pages)):
        files.append(str(folder / f"page{i:03d}.html"))
        Path(files[-1]).write_bytes(data)
    env = dict(os.environ, PYTHONPATH=str(src))
    runs: dict[str, list[tuple[float, float]]] = {}

    def ours(label: str, template: Path | None) -> None:
        db = tmp / "e2e.sqlite"
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        if template is not None:
            shutil.copy(template, db)
        runs.setdefault(label, []).append(_whole_process(
            [sys.executable, "-m", "casefile.cli", "--db", str(db), "import", *files, "--json"],
            env))

    for _ in range(repeats):
        runs.setdefault("bare trafilatura (extract only)", []).append(
            _whole_process([sys.executable, "-c", BARE_DRIVER, *files]))
        ours("casefile import, empty case", None)
        ours("casefile import, 1,800-doc case", big_case)
        if taguette:
            db = tmp / "taguette.sqlite3"
            db.unlink(missing_ok=True)
            runs.setdefault("Taguette (clean-up + store)", []).append(
                _whole_process([taguette, "-c", TAGUETTE_DRIVER, str(db), *files]))
    print(f"  {n_pages} pages, whole process, best of {repeats} (wall; CPU of all its processes):")
    for label, times in runs.items():
        wall, cpu = min(times)
        print(f"    {label:<34} {wall:7.2f} s wall  {cpu:7.2f} s CPU")
    if taguette:
        base = min(runs["Taguette (clean-up + store)"])[0]
        print(f"  casefile (empty case) / Taguette  "
              f"{min(runs['casefile import, empty case'])[0] / base:7.2f}x wall  (target <= 0.5)")


def _workers_cpu() -> float:
    """CPU seconds of the import workers that have ended: they are children of the
    multiprocessing fork server, which waits for them (Linux; 0 elsewhere)."""
    from multiprocessing import forkserver

    pid = getattr(forkserver._forkserver, "_forkserver_pid", None)
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")  # cutime, cstime


def like_for_like(tmp: Path, n_pages: int, taguette: str | None, repeats: int,
                  pages: Path | None = None) -> None:
    """200 pages as the user meets them, the application already running: Casefile's import
    as the open window runs it (``import_files`` into an open database, workers on every
    core) beside Taguette's conversion and storing in one warm process; both from files to
    stored records. Wall time best of ``repeats``, and CPU time (Casefile's: this process and
    its workers), which a shared machine disturbs less. ``pages``: a folder of real pages to
    import instead of the generated ones (the first ``n_pages`` of it, one more to warm)."""
    from casefile import importers
    from casefile.db.database import open_database
    from casefile.importers import pool
    from casefile.services import cases

    if pages is not None:
        found = sorted(p for p in pages.iterdir() if p.suffix in (".html", ".htm"))
        warm_page, files = found[n_pages], found[:n_pages]
    else:
        folder = tmp / "warm200"
        folder.mkdir()
        files = []
        for i, data in enumerate(html_pages(n_pages, offset=20_000)):
            files.append(folder / f"page{i:03d}.html")
            files[-1].write_bytes(data)
        warm_page = tmp / "warm.html"
        warm_page.write_bytes(html_pages(1, offset=30_000)[0])
    ours, theirs = [], []
    for r in range(repeats):
        db = open_database(tmp / f"warm{r}.sqlite")
        case_id = cases.create_case(db, title="bench").id
        importers.import_file(db, case_id=case_id, path=warm_page)  # the app is warm
        pool.warm_up()
        before, workers = os.times(), _workers_cpu()
        t = time.perf_counter()
        res = importers.import_files(db, case_id=case_id, paths=files)
        wall = time.perf_counter() - t
        after = os.times()
        time.sleep(0.2)  # the fork server collects the ended workers
        cpu = (after.user + after.system - before.user - before.system
               + _workers_cpu() - workers)
        ours.append((wall, cpu))
        db.close()
        assert all(x.ok for x in res), [x.error for x in res if not x.ok][:3]
        if taguette:
            out = subprocess.run([taguette, "-c", TAGUETTE_WARM, str(tmp / f"tag{r}.sqlite3"),
                                  str(warm_page), *map(str, files)],
                                 capture_output=True, text=True, check=True)
            theirs.append(tuple(map(float, out.stdout.strip().splitlines()[-1].split())))
    n = len(files)
    what = f"pages of {pages}" if pages else "generated pages"
    print(f"  {n} {what}, application running, files to stored records (wall best of "
          f"{repeats}; CPU median; load average {os.getloadavg()[0]:.1f}):")
    wall, cpu = min(w for w, _ in ours), statistics.median(c for _, c in ours)
    print(f"    casefile import_files (as the window) {wall:7.2f} s  ({1000 * wall / n:.1f} ms "
          f"a page)  CPU {cpu:6.2f} s (main process and workers)")
    if theirs:
        t_wall, t_cpu = min(w for w, _ in theirs), statistics.median(c for _, c in theirs)
        print(f"    Taguette convert + database (warm)    {t_wall:7.2f} s  ({1000 * t_wall / n:.1f}"
              f" ms a page)  CPU {t_cpu:6.2f} s")
        print(f"  casefile / Taguette, like for like    {wall / t_wall:7.2f}x wall  (target <= 0.5)"
              f";  CPU {cpu / t_cpu:.2f}x (two cores: wall >= CPU / 2)")


def cli_start(tmp: Path, src: Path, runs: int) -> None:
    """Start-up of read commands: the best of ``runs`` whole-process runs, wall and CPU."""
    env = dict(os.environ, PYTHONPATH=str(src), CASEFILE_DB=str(tmp / "cli.sqlite"))
    subprocess.run([sys.executable, "-m", "casefile.cli", "case", "new", "Start-up"], env=env,
                   capture_output=True, check=True, cwd=src)
    for args in (["case", "list"], ["docs"], ["--help"]):
        times = [_whole_process([sys.executable, "-m", "casefile.cli", *args], env)
                 for _ in range(runs)]
        print(f"  casefile {' '.join(args):<10} best wall {min(t[0] for t in times):5.2f} s, "
              f"best CPU {min(t[1] for t in times):5.2f} s  (target for read commands <= 0.15)")
    times = [_whole_process([sys.executable, "-c", "pass"]) for _ in range(runs)]
    print(f"  python -c pass      best wall {min(t[0] for t in times):5.2f} s, "
          f"best CPU {min(t[1] for t in times):5.2f} s")


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def bench_pdf(pages_wanted: int, repeats: int) -> None:
    import pdfplumber

    from casefile.importers import pdf as pdf_importer

    data = article_pdf(filler_paragraphs(int(pages_wanted * 8.3)),
                       title="Benchmark: Vakhidov file", header="MERIDIAN WIRE")

    def bare() -> int:
        n = 0
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.close()
                n += 1
        return n

    n = bare()
    t_bare = min(_timed(bare) for _ in range(repeats))
    t_ours = min(_timed(lambda: pdf_importer.extract(data, "bench.pdf")) for _ in range(repeats))
    print(f"  PDF {n} pages, {len(data) / 1024:.0f} KiB: bare pdfplumber {n / t_bare:6.1f} "
          f"pages/s, casefile {n / t_ours:6.1f} pages/s (child process + lines + reflow), "
          f"ratio {t_ours / t_bare:.2f}x")


def bench_pdf_memory(pages_wanted: int) -> None:
    import pdfplumber

    from casefile.importers import pdf as pdf_importer

    n = int(pages_wanted * 8.3)
    while True:  # grow the text until the PDF has at least the pages asked for
        data = article_pdf(filler_paragraphs(n), title="Long report", header="CASPIAN COURIER")
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) >= pages_wanted:
                break
        n += 10
    t = time.perf_counter()
    raw = pdf_importer.extract_pages(data)
    elapsed = time.perf_counter() - t
    print(f"  PDF memory: {len(raw['pages'])} pages, {len(data) / 2**20:.1f} MiB file, child "
          f"peak RSS {raw['maxrss_kb'] / 1024:.0f} MiB (cap "
          f"{pdf_importer.MEMORY_LIMIT / 2**30:.0f} GiB address space), {elapsed:.1f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="smaller inputs, one repeat")
    ap.add_argument("--taguette", help="python of a venv with Taguette installed")
    ap.add_argument("--src", type=Path, default=ROOT, help="checkout whose casefile to measure")
    ap.add_argument("--docs", type=int, default=2000, help="documents in the large case")
    ap.add_argument("--skip-pdf", action="store_true")
    ap.add_argument("--only-taguette", action="store_true",
                    help="only the like-for-like comparison with Taguette")
    ap.add_argument("--pages", type=Path, help="folder of real web pages for the like-for-like "
                    "comparison (201 or more) instead of generated ones")
    args = ap.parse_args()
    sys.path.insert(0, str(args.src.resolve()))
    repeats = 1 if args.quick else 3
    if args.only_taguette:
        with tempfile.TemporaryDirectory() as tmp_name:
            like_for_like(Path(tmp_name), 200, args.taguette, repeats, args.pages)
        return
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        print("Command line start:")
        cli_start(tmp, args.src.resolve(), 5 if args.quick else 10)
        t = time.perf_counter()
        big = tmp / "big.sqlite"
        build_case(big, args.docs)
        print(f"built a case of {args.docs} documents in {time.perf_counter() - t:.1f} s")
        print("Per file:")
        per_file(tmp, big, 10 if args.quick else 20)
        big1800 = tmp / "big1800.sqlite"
        build_case(big1800, 1800)
        print("End to end:")
        end_to_end(tmp, big1800, 200, args.taguette, args.src.resolve(), repeats)
        print("Like for like with Taguette:")
        like_for_like(tmp, 200, args.taguette, repeats, args.pages)
    if not args.skip_pdf:
        print("PDF:")
        bench_pdf(20 if args.quick else 60, repeats)
        bench_pdf_memory(300)


if __name__ == "__main__":
    main()
