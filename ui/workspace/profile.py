"""An entity's profile window: every spelling and where it came from, its claims by kind, its
conflicts, how often its names occur, and its relations — each a click away from its passage."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from casefile.services import profiles
from casefile.services.profiles import EntityProfile
from casefile.vocab import with_stance
from ui.base import plain
from ui.base.tables import human_date
from ui.base.tasks import Task, TaskSignals, start

ROLE = Qt.ItemDataRole.UserRole


def _item(parent, texts: list[str], data: tuple[str, str] | None = None,
          tip: str = "") -> QTreeWidgetItem:
    """A row of plain text (tree items never read their text as markup)."""
    it = QTreeWidgetItem(parent, texts)
    if data is not None:
        it.setData(0, ROLE, data)
    if tip:
        it.setToolTip(0, plain.tooltip(tip))
    return it


class EntityProfileDialog(QDialog):
    """Loads in the background; double-click a row to go to its claim, document or entity."""

    def __init__(self, window, entity_id: str):
        super().__init__(window)
        self.w, self.entity_id = window, entity_id
        self.setWindowTitle("Entity profile")
        self.resize(840, 560)
        self.profile: EntityProfile | None = None
        self.title = plain.label("Loading…")
        self.title.setStyleSheet("font-size:13pt; font-weight:bold")
        self.summary = plain.label("")
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels(["", "Date", "Place", "Other party", "Origin"])
        for col, width in enumerate((320, 100, 110, 125)):  # the origin takes the rest
            self.tree.setColumnWidth(col, width)
        self.tree.itemActivated.connect(self._activated)
        self.mentions_button = QPushButton("Find mentions…")
        self.mentions_button.clicked.connect(self._find_mentions)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        bar = QHBoxLayout()
        bar.addWidget(self.mentions_button)
        bar.addStretch(1)
        bar.addWidget(buttons)
        lay = QVBoxLayout(self)
        lay.addWidget(self.title)
        lay.addWidget(self.summary)
        lay.addWidget(self.tree, 1)
        lay.addLayout(bar)
        self.signals = TaskSignals(self)
        self.signals.finished.connect(self.show_profile)
        self.signals.failed.connect(lambda msg: self.title.setText(msg))
        self.task = start(Task(lambda _p: profiles.entity_profile(window.db,
                                                                  entity_id=entity_id),
                               self.signals))

    def show_profile(self, prof: EntityProfile) -> None:
        self.profile = prof
        e = prof.entity
        grade = f", source grade {e.reliability}" if e.reliability else ""
        self.title.setText(f"{e.name} ({e.kind}{grade})")
        n_claims = sum(len(v) for v in prof.claims_by_kind.values())
        self.summary.setText(
            (e.description + "\n" if e.description else "")
            + f"{len(prof.spellings)} other spelling(s) · {n_claims} claim(s) about {e.name} · "
            f"{len(prof.conflicts)} conflict set(s) · "
            f"names found {prof.mentions} time(s) in {prof.mention_documents} document(s) · "
            f"{len(prof.relations)} relation(s)")
        t = self.tree
        t.clear()
        sp = _item(t, [f"Spellings ({len(prof.spellings)})"])
        for s in prof.spellings:
            docs = s.documents
            seen = (f" — seen in “{docs[0].title}”" if len(docs) == 1
                    else f" — seen in {len(docs)} documents" if docs else "")
            it = _item(sp, [s.name + seen], ("document", docs[0].document_id) if docs else None,
                       s.name + seen)
            it.setFirstColumnSpanned(True)
            for d in docs if len(docs) > 1 else ():
                _item(it, [f"“{d.title}”"], ("document", d.document_id),
                      d.title).setFirstColumnSpanned(True)
        cl = _item(t, [f"Claims about {e.name} ({n_claims})"])
        for kind, claims in prof.claims_by_kind.items():
            k = _item(cl, [f"{kind} ({len(claims)})"])
            for c in claims:
                _item(k, [profiles.claim_line(c), human_date(c.date), c.place, c.object,
                           c.origin], ("claim", c.id), c.statement)
        if prof.mentioned_in:
            named = _item(t, ["Named in other claims as"])
            for role, claims in prof.mentioned_in.items():
                r = _item(named, [f"{role} ({len(claims)})"])
                for c in claims:
                    _item(r, [f"{c.subject} — {with_stance(c.kind, c.stance)}: "
                              f"{c.value or c.statement}",
                              human_date(c.date), c.place, "", c.origin], ("claim", c.id),
                          c.statement)
        co = _item(t, [f"Conflicts ({len(prof.conflicts)})"])
        for c in prof.conflicts:
            state = "resolved" if c.resolved else "open"
            it = _item(co, [f"{c.kind}: {c.reason} ({len(c.claim_ids)} claims, {state})"],
                       ("claim", c.claim_ids[0]) if c.claim_ids else None, c.reason)
            it.setFirstColumnSpanned(True)
        re_ = _item(t, [f"Relations ({len(prof.relations)})"])
        for r in prof.relations:
            label = with_stance(r.label, r.stance)
            text = (f"{label} → {r.other}" if r.direction == "out"
                    else f"{r.other} → {label} → {e.name}")
            _item(re_, [text, "", "", "", f"{len(r.claim_ids)} claim(s)"],
                  ("entity", r.other_id))
        t.expandAll()
        self.mentions_button.setText(f"Find mentions… ({prof.mentions})")

    def _activated(self, item: QTreeWidgetItem, _col: int = 0) -> None:
        data = item.data(0, ROLE)
        if not data:
            return
        what, ident = data
        if what == "claim":
            self.w.select_claim(ident)
            self.w.open_claim(ident)
        elif what == "document" and ident:
            self.w.open_document(ident)
        elif what == "entity":
            show_profile(self.w, ident)

    def _find_mentions(self) -> None:
        self.w.find_mentions(self.entity_id)


def show_profile(window, entity_id: str) -> EntityProfileDialog:
    """Open (non-modal) the profile of an entity."""
    dlg = EntityProfileDialog(window, entity_id)
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dlg.show()
    window.workspace.profile_dialog = dlg  # the last one opened
    return dlg

