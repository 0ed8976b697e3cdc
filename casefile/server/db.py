"""The server's PostgreSQL: engine, migrations, the acting user per transaction, and users."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from casefile.db.models import utcnow
from casefile.db.team import TeamUser
from casefile.errors import CasefileError, NotFound, ValidationError

TOKEN_PREFIX = "cft_"
CHANNEL = "casefile_version"  # NOTIFY channel: "CASE_ID:VERSION", or "*:0" (access changed)


class ServerSetupError(CasefileError):
    """The server cannot run against this database as it is (schema, role, URL)."""


def engine_for(url: str, *, pool_size: int = 10) -> Engine:
    """An engine on a ``postgresql://`` URL through psycopg 3."""
    try:
        parsed = make_url(url)
    except Exception as exc:  # sqlalchemy raises ArgumentError with the URL in it
        raise ServerSetupError(f"{url!r} is not a database URL; give "
                               "postgresql://USER@HOST:PORT/NAME") from exc
    if parsed.get_backend_name() != "postgresql":
        raise ServerSetupError("the team server runs on PostgreSQL only; give "
                               "postgresql://USER@HOST:PORT/NAME")
    return create_engine(parsed.set(drivername="postgresql+psycopg"), pool_size=pool_size,
                         max_overflow=20, pool_pre_ping=True)


def libpq_url(url: str) -> str:
    """The URL as libpq reads it (for psycopg's own connections, e.g. LISTEN)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def migrate(engine: Engine) -> tuple[str | None, str]:
    """Create or upgrade the schema to head in one transaction; (before, after) revisions."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    from casefile.db.revisions import alembic_config, head_revision

    with engine.begin() as conn:
        before = MigrationContext.configure(conn).get_current_revision()
        _refuse_newer(before)
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return before, head_revision()


def _refuse_newer(current: str | None) -> None:
    from casefile.db.revisions import scan_revisions

    head, known = scan_revisions()
    if current is not None and current not in known:
        raise ServerSetupError(f"the database was migrated by a newer casefile-server (schema "
                               f"{current}; this one knows up to {head}); update this server")


def check_ready(engine: Engine) -> None:
    """Refuse to serve a database that is not at head, or a role that escapes row-level
    security (a superuser or BYPASSRLS role would see every case whatever the policies say)."""
    from alembic.runtime.migration import MigrationContext

    from casefile.db.revisions import head_revision

    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
        _refuse_newer(current)
        if current != head_revision():
            raise ServerSetupError("the database schema is not up to date; run "
                                   "casefile-server migrate --db URL first")
        superuser, bypass = conn.execute(text(
            "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")).one()
        if superuser or bypass:
            raise ServerSetupError(
                "the service must connect as a role that is neither a superuser nor allowed "
                "to bypass row-level security (CREATE ROLE casefile LOGIN; see "
                "docs/team-admin.md)")


@contextmanager
def acting(engine: Engine, user_id: int | None) -> Iterator[Session]:
    """One transaction on behalf of ``user_id``: row-level security shows that user's cases
    only (none when ``user_id`` is None). Committed on success."""
    with Session(engine, expire_on_commit=False) as s, s.begin():
        s.execute(text("SELECT set_config('casefile.user_id', :u, true)"),
                  {"u": "" if user_id is None else str(user_id)})
        yield s


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class UserRecord:
    id: int
    name: str
    created_at: datetime
    revoked_at: datetime | None


def _record(u: TeamUser) -> UserRecord:
    return UserRecord(u.id, u.name, u.created_at, u.revoked_at)


def add_user(engine: Engine, *, name: str) -> tuple[UserRecord, str]:
    """A new user and their token (shown once; only its hash is stored)."""
    name = (name or "").strip()
    if not name or len(name) > 100 or any(c.isspace() or c in "/:@" for c in name):
        raise ValidationError("a user name is 1–100 characters without spaces, '/', ':' or '@'")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with Session(engine) as s, s.begin():
        if s.scalar(select(TeamUser.id).where(TeamUser.name == name)) is not None:
            raise ValidationError(f"there is already a user {name!r} (revoke them first to "
                                  "issue a new token under another name)")
        user = TeamUser(name=name, token_hash=hash_token(token), created_at=utcnow())
        s.add(user)
        s.flush()
        return _record(user), token


def list_users(engine: Engine) -> list[UserRecord]:
    with Session(engine) as s:
        return [_record(u) for u in s.scalars(select(TeamUser).order_by(TeamUser.name))]


def revoke_user(engine: Engine, *, name: str) -> UserRecord:
    """Stop a user's token from working, at once (every request checks it)."""
    with Session(engine) as s, s.begin():
        user = s.scalar(select(TeamUser).where(TeamUser.name == name))
        if user is None:
            raise NotFound(f"no user named {name!r}")
        if user.revoked_at is None:
            user.revoked_at = utcnow()
            # open live channels check their access again at once
            s.execute(text("SELECT pg_notify(:c, :p)"), {"c": CHANNEL, "p": "*:0"})
        return _record(user)


def user_for_token(s: Session, token: str) -> TeamUser | None:
    """The live user holding ``token``; None for an unknown or revoked one."""
    if not token:
        return None
    user = s.scalar(select(TeamUser).where(TeamUser.token_hash == hash_token(token)))
    return user if user is not None and user.revoked_at is None else None
