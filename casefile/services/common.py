"""Helpers shared by the service modules: lookups that raise readable errors, validation."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.orm import Session

from casefile.errors import NotFound, ValidationError

T = TypeVar("T")


def get_or_raise(session: Session, model: type[T], id_: str, what: str) -> T:
    """The row with primary key ``id_`` or ``NotFound`` naming ``what``."""
    row = session.get(model, id_) if id_ else None
    if row is None:
        raise NotFound(f"no {what} with id {id_!r}")
    return row


def require_text(value: str | None, what: str, *, limit: int = 10_000) -> str:
    """A non-empty, trimmed string no longer than ``limit``."""
    value = (value or "").strip()
    if not value:
        raise ValidationError(f"{what} cannot be empty")
    if len(value) > limit:
        raise ValidationError(f"{what} is longer than {limit} characters")
    return value


def require_choice(value: str, choices: tuple[str, ...], what: str) -> str:
    if value not in choices:
        raise ValidationError(f"{value!r} is not a valid {what}; use one of: {', '.join(choices)}")
    return value
