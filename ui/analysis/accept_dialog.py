"""Asking before a conflict is resolved: the claim to accept, shown as plain text, and why."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit, QVBoxLayout, QWidget

from casefile.analysis.facts import ClaimFact
from ui.base import plain


class AcceptClaimDialog(QDialog):
    """"Accept this claim as what happened?" with the claim (statement, stance, date, place,
    origin, outlets) and a line for the reason; Accept resolves, Cancel changes nothing."""

    def __init__(self, claim: ClaimFact, set_title: str, others: int,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Accept claim")
        self.setMinimumWidth(460)
        intro = plain.label(f"Accept this claim as what happened in “{set_title}”? The other "
                            f"{others} version(s) are kept, marked as set aside; Ctrl+Z undoes.")
        self.claim = plain.label(f"“{claim.statement}”")
        self.claim.setWordWrap(True)
        self.claim.setStyleSheet("font-weight: bold; padding: 6px 0")
        facts = [claim.stance, claim.date, claim.place,
                 f"origin: {claim.origin or 'not attributed'}",
                 ", ".join(claim.outlets), f"credibility {claim.credibility}"]
        self.facts = plain.label(" · ".join(x for x in facts if x))
        self.facts.setWordWrap(True)
        self.facts.setStyleSheet("color:#455a64")
        for lbl in (intro, self.claim, self.facts):
            lbl.setWordWrap(True)
        self.reason = QLineEdit(placeholderText="why you accept it (optional), e.g. "
                                                "“the body was identified”")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.accept_button = buttons.addButton("Accept claim",
                                               QDialogButtonBox.ButtonRole.AcceptRole)
        self.accept_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        for wdg in (intro, self.claim, self.facts, plain.label("Reason:"), self.reason,
                    buttons):
            lay.addWidget(wdg)
