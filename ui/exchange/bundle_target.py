"""File › Import bundle with a case open: say where the bundle goes — its own case or this one —
before merging, let the analyst choose, and keep the undo history when the merge leaves every
record it refers to alone (else say why it was cleared). The case never switches silently."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QMessageBox, QPushButton

from casefile.exchange.bundle import BundleInfo, peek_bundle
from casefile.exchange.merge import MergeReport
from casefile.services import cases
from ui.base import plain
from ui.base.tasks import run_task
from ui.exchange import actions as exchange_actions

if TYPE_CHECKING:
    from ui.base.shell import Shell

OWN, HERE = "own", "here"


def _amp(text: str) -> str:
    return text.replace("&", "&&")  # a button's text: "&" would become a shortcut mark


def question(info: BundleInfo, here: cases.CaseRecord, own: cases.CaseRecord | None) -> str:
    """The plain-text question: what the bundle holds and where each choice puts it."""
    what = (f"The bundle holds the case “{info.title}” ({info.documents} document(s), "
            f"{info.claims} claim(s)).")
    if own is not None and own.id == here.id:
        return (f"{what} It came from this case: importing merges what is new or newer "
                "into it. A backup is taken first.")
    own_line = (f"• Its own case: merged into “{own.title}”, already in this database, "
                "where it came from (a backup is taken first)." if own is not None else
                f"• Its own case: a new case “{info.title}”.")
    return (f"{what}\n\nWhere should it go?\n{own_line} The window then shows that case.\n"
            f"• This case, “{here.title}”: its documents, claims and entities join the ones "
            "here (a backup is taken first).")


def ask(w: Shell, info: BundleInfo, go: Callable[[str | None], None]) -> QMessageBox:
    """Ask where the bundle goes; ``go(None)`` for its own case, ``go(case id)`` for this one.
    Opens window-modal without blocking (``box.open()``); the box is returned for tests."""
    here = cases.get_case(w.db, case_id=w.controller.case_id)
    own = next((c for c in cases.list_cases(w.db) if c.id == info.case_id), None)
    box = plain.message_box(w, QMessageBox.Icon.Question, "Import bundle",
                            question(info, here, own), QMessageBox.StandardButton.NoButton)
    choices: dict[QPushButton, str] = {}
    if own is not None and own.id == here.id:
        choices[box.addButton("Merge into this case", QMessageBox.ButtonRole.AcceptRole)] = HERE
    else:
        choices[box.addButton(_amp("Its own case"), QMessageBox.ButtonRole.AcceptRole)] = OWN
        choices[box.addButton(_amp("This case"), QMessageBox.ButtonRole.AcceptRole)] = HERE
    box.addButton(QMessageBox.StandardButton.Cancel)
    empty = not (here.documents or here.claims)  # an empty case was made to receive it
    default = next(b for b, c in choices.items() if c == (HERE if empty else OWN)
                   or len(choices) == 1)
    box.setDefaultButton(default)
    box.buttonClicked.connect(lambda b: b in choices and go(
        None if choices[b] == OWN else here.id))
    box.open()
    return box


def _command_ids(cmd: QUndoCommand) -> set[str]:
    record_ids = getattr(cmd, "record_ids", None)
    return record_ids() if callable(record_ids) else set()


def touched(report: MergeReport) -> set[str]:
    """Ids of every record the merge brought, changed or compared (ids in the bundle)."""
    out: set[str] = set()
    for t in report.types.values():
        out.update(t.added, t.updated, t.unchanged, t.kept_local)
        out.update(c["id"] for c in t.conflicts)
    return out


def history_refers_to(stack: QUndoStack, ids: set[str]) -> int:
    """How many undo steps name one of ``ids`` (0: the history can stay)."""
    return sum(1 for i in range(stack.count()) if _command_ids(stack.command(i)) & ids)


def import_bundle(w: Shell, path: Path, imported: Callable[[MergeReport, str], None], *,
                  keep: Callable[[QMessageBox], None] = lambda _box: None) -> None:
    """Import the bundle at ``path``: with a case open, ask where it goes first (the bundle is
    read in the background to say what it holds; ``keep`` gets the question box);
    ``imported(report, previous case id)`` after the merge."""
    before = w.controller.case_id
    if not before:
        exchange_actions.import_from(w, w.db, path, lambda r: imported(r, before))
        return

    def go(into: str | None) -> None:
        exchange_actions.import_from(w, w.db, path, lambda r: imported(r, before), into=into)

    def peeked(info: BundleInfo) -> None:
        keep(ask(w, info, go))

    run_task(w, "Reading bundle…", lambda _p: peek_bundle(path), peeked)


def after_import(w: Shell, report: MergeReport, before: str) -> str:
    """Refresh the window after a merge; switch case only to the one the analyst chose, and
    say what happened to the undo history. Returns the status message."""
    ctl = w.controller
    title = cases.get_case(w.db, case_id=report.case_id).title
    if report.case_id != before:
        ctl.set_case(report.case_id)  # a case's undo history stays with it: cleared
        message = (f"Imported into the case “{title}” and switched to it"
                   + (" (the undo history of the previous case was cleared)" if before else ""))
    else:
        n = history_refers_to(ctl.undo_stack, touched(report))
        if n:
            ctl.undo_stack.clear()
            message = (f"Merged into “{title}”. The undo history was cleared: {n} of its "
                       "steps concern records the bundle also holds.")
        else:
            message = (f"Merged into “{title}”. Your undo history is kept (the merge itself "
                       "cannot be undone; a backup was taken before it).")
    w.statusBar().showMessage(message, 10000)
    return message
