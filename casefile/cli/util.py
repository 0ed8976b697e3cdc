"""Shared plumbing for CLI commands: opening the database, resolving the case, printing.

Command modules import services with ``lazy_modules`` so that building the parser (and
``--help``) imports neither SQLAlchemy, alembic nor any parser: each command loads only what
it runs (a test holds every command module to this).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from casefile.db.database import Database


def lazy_modules(*names: str) -> tuple[ModuleType, ...]:
    """The named modules, each loaded on first attribute access (``importlib``'s LazyLoader)."""
    out = []
    for name in names:
        module = sys.modules.get(name)
        if module is None:
            spec = importlib.util.find_spec(name)
            if spec is None or spec.loader is None:
                raise ImportError(f"no module named {name!r}")
            loader = importlib.util.LazyLoader(spec.loader)
            spec.loader = loader
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            loader.exec_module(module)
        out.append(module)
    return tuple(out)


def db_for(args: argparse.Namespace) -> Database:
    """Open (and migrate) the database named by ``--db`` or the environment."""
    from casefile.db.database import open_database

    return open_database(args.db)


def case_for(args: argparse.Namespace, db: Database, *, create: bool = True) -> str:
    """The case id a command means (see ``cases.resolve_case``)."""
    from casefile.services import cases

    return cases.resolve_case(db, getattr(args, "case", None), create=create).id


def add_case_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--case", metavar="ID", help="the case (default: the only one)")


def add_json_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print JSON on stdout")


def _default(obj: Any) -> Any:
    if isinstance(obj, datetime | date):
        return obj.isoformat()
    if is_dataclass(obj):
        return asdict(obj)
    if isinstance(obj, set | tuple):
        return list(obj)
    raise TypeError(f"cannot serialise {type(obj).__name__}")


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2, default=_default)
    sys.stdout.write("\n")
    sys.stdout.flush()


def print_table(rows: list[list[str]], headers: list[str]) -> None:
    """A plain, aligned text table for people."""
    if not rows:
        print("(none)")
        return
    widths = [min(60, max(len(h), *(len(str(r[i])) for r in rows))) for i, h in enumerate(headers)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    for r in rows:
        cells = [str(c) if len(str(c)) <= w else str(c)[: w - 1] + "…"
                 for c, w in zip(r, widths, strict=True)]
        print("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)))


def progress_printer(args: argparse.Namespace):
    """With ``-v``, a ``progress(done, total, what)`` for an import that prints a line on
    stderr each time the work moves on (page by page for a long PDF); else None."""
    if not getattr(args, "verbose", False):
        return None
    last: list = [None]

    def show(done: int, total: int, what: str) -> None:
        if what and (done, what) != last[0]:
            last[0] = (done, what)
            print(f"importing {min(done + 1, max(total, 1))} of {total}: {what}",
                  file=sys.stderr, flush=True)

    return show


def confirmed(args: argparse.Namespace, question: str) -> int | None:
    """None when a destructive command may go on (``--yes``, or "y" typed at a terminal);
    else the exit code to return (2 without a terminal to ask at, 1 when the answer is no)."""
    if args.yes:
        return None
    if not sys.stdin.isatty():
        print("casefile: refusing to delete without --yes", file=sys.stderr)
        return 2
    answer = input(f"{question} [y/N] ")
    return None if answer.strip().lower() in ("y", "yes") else 1
