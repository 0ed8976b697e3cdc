"""Selection → record: Highlight, New claim, Tag, Note, Add as evidence, edit and delete."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog

from casefile import dates
from casefile.errors import CasefileError, NotFound, ValidationError
from casefile.services import claims, entities, tags
from casefile.services.records import HighlightRecord
from ui.base import plain
from ui.workspace.claim_editor import ClaimEditor
from ui.workspace.dialogs import NoteDialog, TagPicker

if TYPE_CHECKING:
    from ui.shell.window import MainWindow


def _short(text: str, n: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n - 1] + "…"


class Annotator:
    """Turns the reader's selection (or the highlight under the cursor) into records by calling
    the controller; dialogs open window-modal without blocking (``open``), and are kept on
    ``self.dialog`` so tests can drive them."""

    def __init__(self, window: MainWindow):
        self.w = window
        self.dialog: QDialog | None = None

    # -- what the analyst is pointing at ---------------------------------------------------
    def passage(self) -> tuple[str, int, int] | None:
        doc = self.w.reader.document
        rng = self.w.reader.view.selected_range()
        if doc is None or rng is None:
            return None
        return doc.id, rng[0], rng[1]

    def current_highlight(self) -> HighlightRecord | None:
        """The highlight exactly selected, or under the cursor when nothing is selected."""
        view = self.w.reader.view
        rng = view.selected_range()
        if rng is not None:
            for r in view.highlights_at(rng[0]):
                if (r.start, r.end) == rng:
                    return r
            return None
        pos = view.omap.to_codepoint(view.textCursor().position())
        recs = view.highlights_at(pos)
        return recs[-1] if recs else None

    def _fail(self, exc: CasefileError) -> None:
        self.w.statusBar().showMessage(str(exc), 6000)
        plain.warning(self.w, "Casefile", str(exc))

    def _need_passage(self) -> tuple[str, int, int] | None:
        p = self.passage()
        if p is None:
            self.w.statusBar().showMessage("Select a passage in the reader first", 4000)
        return p

    # -- actions --------------------------------------------------------------------------
    def highlight(self) -> HighlightRecord | None:
        p = self._need_passage()
        if p is None:
            return None
        try:  # one write: a passage highlighted already keeps its one highlight
            made = self.w.controller.highlight_passage(*p)
        except CasefileError as exc:
            self._fail(exc)
            return None
        rec = made.rec
        assert rec is not None
        self.w.statusBar().showMessage(
            f"Highlighted “{_short(rec.quote, 60)}”" if made.created
            else "This passage is already highlighted", 4000)
        return rec

    def new_claim(self) -> ClaimEditor | None:
        """Open the claim editor for the selection (new highlight as evidence), or for the
        highlight under the cursor."""
        ctl = self.w.controller
        p = self.passage()
        existing = ctl.existing_highlight(*p) if p else self.current_highlight()
        if p is None and existing is None:
            self.w.statusBar().showMessage("Select a passage to make a claim from", 4000)
            return None
        doc = self.w.reader.document
        if existing is None:
            assert p is not None
            quote = self.w.reader.view.text[p[1]:p[2]]
            label = f"Evidence: “{_short(quote)}” (a new highlight)"

            def save(data):
                return ctl.create_claim(data, passage=p)
        else:
            quote = existing.quote
            label = f"Evidence: “{_short(quote)}” (already highlighted)"

            def save(data):
                from dataclasses import replace
                return ctl.create_claim(replace(data, evidence=(existing.id,)))
        ref = dates.parse_stored(doc.published) if doc else None
        editor = ClaimEditor(entities=entities.list_entities(ctl.db, case_id=ctl.case_id),
                             save=save, statement=" ".join(quote.split()),
                             evidence_label=label, reference=ref,
                             suggested_origin=doc.origin if doc else "", parent=self.w)
        editor.accepted.connect(lambda: self._claim_saved(editor))
        self.dialog = editor
        editor.open()
        return editor

    def _claim_saved(self, editor: ClaimEditor) -> None:
        rec = editor.result_value
        if rec is not None:
            self.w.select_claim(rec.id)  # type: ignore[attr-defined]
            self.w.statusBar().showMessage(f"Claim saved: {_short(rec.statement, 70)}", 5000)

    def edit_claim(self, claim_id: str | None = None) -> ClaimEditor | None:
        ctl = self.w.controller
        claim_id = claim_id or self.w.case_panel.current_claim_id()
        if not claim_id:
            self._no_claim("edit")
            return None
        rec = claims.get_claim(ctl.db, claim_id=claim_id)
        gone = []  # set once the claim turns out deleted elsewhere

        def save(data):
            from dataclasses import replace

            if gone:  # Save pressed again: keep the analyst's text as a new claim
                return ctl.create_claim(replace(data, evidence=self._still_there(rec.evidence),
                                                status=rec.status))
            try:
                return ctl.update_claim(claim_id, replace(data, evidence=rec.evidence,
                                                          status=rec.status))
            except NotFound:
                gone.append(True)
                raise ValidationError(
                    "This claim was deleted meanwhile, in another window or by a command. Press "
                    "Save again to keep what you typed as a new claim, or Cancel.") from None
        corr = self.w.claims_model.corroboration.get(claim_id)
        suggestion = "" if corr is None else (
            f"Suggested credibility: {corr.suggested_credibility} — {corr.why}")
        editor = ClaimEditor(entities=entities.list_entities(ctl.db, case_id=ctl.case_id),
                             save=save, claim=rec, suggestion=suggestion, parent=self.w)
        self.dialog = editor
        editor.open()
        return editor

    def _quote(self, p: tuple[str, int, int] | None, existing: HighlightRecord | None) -> str:
        if existing is not None:
            return existing.quote
        return self.w.reader.view.text[p[1]:p[2]] if p is not None else ""

    def _still_there(self, highlight_ids: tuple[str, ...]) -> tuple[str, ...]:
        from casefile.services import highlights

        kept = []
        for hid in highlight_ids:
            try:
                highlights.get_highlight(self.w.controller.db, highlight_id=hid)
            except NotFound:
                continue
            kept.append(hid)
        return tuple(kept)

    def add_evidence(self) -> None:
        """Add the selected passage as further evidence to the claim selected in the case file."""
        claim_id = self.w.case_panel.current_claim_id()
        if not claim_id:
            self.w.statusBar().showMessage("Select a claim in the case file first", 4000)
            return
        p = self.passage()
        existing = self.w.controller.existing_highlight(*p) if p else self.current_highlight()
        if p is None and existing is None:
            self.w.statusBar().showMessage("Select a passage to add as evidence", 4000)
            return
        try:
            if existing is None:
                rec = self.w.controller.add_evidence(claim_id, passage=p)
            else:
                rec = self.w.controller.add_evidence(claim_id, highlight_id=existing.id)
        except CasefileError as exc:
            self._fail(exc)
            return
        self.w.statusBar().showMessage(
            f"Added evidence ({len(rec.evidence)} passages) to: {_short(rec.statement, 60)}", 5000)

    def tag(self) -> TagPicker | None:
        p = self.passage()
        existing = self.current_highlight()
        if p is None and existing is None:
            self.w.statusBar().showMessage("Select a passage to tag", 4000)
            return None
        ctl = self.w.controller
        picker = TagPicker(tags.list_tags(ctl.db, case_id=ctl.case_id), self.w,
                           passage=self._quote(p, existing))

        def done() -> None:
            path = picker.path()
            if not path:
                return
            try:
                if existing is not None:
                    ctl.update_highlight(existing.id, tag_paths=(path,))
                else:
                    ctl.create_highlight(*p, tag_paths=(path,))
            except CasefileError as exc:
                self._fail(exc)
                return
            self.w.statusBar().showMessage(f"Tagged “{path}”", 4000)
        picker.accepted.connect(done)
        self.dialog = picker
        picker.open()
        return picker

    def note(self) -> NoteDialog | None:
        p = self.passage()
        existing = self.current_highlight()
        if p is None and existing is None:
            self.w.statusBar().showMessage("Select a passage to annotate", 4000)
            return None
        ctl = self.w.controller
        dlg = NoteDialog(existing.note if existing else "", self.w,
                         passage=self._quote(p, existing))

        def done() -> None:
            try:
                if existing is not None:
                    ctl.update_highlight(existing.id, note=dlg.note())
                else:
                    ctl.create_highlight(*p, note=dlg.note())
            except CasefileError as exc:
                self._fail(exc)
                return
            self.w.statusBar().showMessage("Note saved", 4000)
        dlg.accepted.connect(done)
        self.dialog = dlg
        dlg.open()
        return dlg

    def delete_highlight(self) -> None:
        h = self.current_highlight()
        if h is None:
            self.w.statusBar().showMessage("Put the cursor in a highlight to delete it", 4000)
            return
        self.w.controller.delete_highlight(h.id)
        self.w.statusBar().showMessage("Highlight deleted (Ctrl+Z to undo)", 4000)

    def delete_claim(self) -> None:
        claim_id = self.w.case_panel.current_claim_id()
        if not claim_id:
            self._no_claim("delete")
            return
        self.w.controller.delete_claim(claim_id)
        self.w.statusBar().showMessage("Claim deleted (Ctrl+Z to undo)", 4000)

    def _no_claim(self, verb: str) -> None:
        """F2 or Ctrl+Delete with no claim selected says why nothing happened."""
        self.w.statusBar().showMessage(f"Select a claim in the Claims tab to {verb} it", 4000)
