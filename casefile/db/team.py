"""Models of the team case: the server's tables (users, members, versions, audit, files) and
each replica's (remote, last version, base copies, changed records, sync conflicts).

Both sides share one metadata and one chain of migrations; a server database simply leaves the
replica tables empty and a laptop leaves the server tables empty.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from casefile.db.models import Base, new_id, utcnow

ROLES = ("owner", "editor", "viewer")

# --- the server (PostgreSQL) -------------------------------------------------------------------


class TeamUser(Base):
    """Someone the server's admin issued a token to; only the token's SHA-256 is kept."""

    __tablename__ = "team_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)


class TeamCase(Base):
    """A shared case on the server: its version only grows (one step per accepted push)."""

    __tablename__ = "team_case"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime)


class TeamMember(Base):
    """Who may do what in a shared case: owner, editor or viewer."""

    __tablename__ = "team_member"
    __table_args__ = (CheckConstraint("role IN ('owner', 'editor', 'viewer')", name="role"),)

    case_id: Mapped[str] = mapped_column(ForeignKey("team_case.id", ondelete="CASCADE"),
                                         primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("team_user.id", ondelete="CASCADE"),
                                         primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(10))


class TeamRecord(Base):
    """One record of a shared case in its portable form (the bundle's record dict), the
    version at which it last changed, and whether that change deleted it (a tombstone)."""

    __tablename__ = "team_record"
    __table_args__ = (Index("ix_team_record_case_version", "case_id", "version"),)

    case_id: Mapped[str] = mapped_column(ForeignKey("team_case.id", ondelete="CASCADE"),
                                         primary_key=True)
    type: Mapped[str] = mapped_column(String(40), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class TeamFile(Base):
    """An original file of a shared case, stored once per case under its SHA-256."""

    __tablename__ = "team_file"

    case_id: Mapped[str] = mapped_column(ForeignKey("team_case.id", ondelete="CASCADE"),
                                         primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class TeamChange(Base):
    """The audit log: every change to a shared case — who, when, what, old and new values."""

    __tablename__ = "team_change"
    # editors write the log but only owners read it: an INSERT must not RETURN its row
    __table_args__ = {"implicit_returning": False}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("team_case.id", ondelete="CASCADE"),
                                         index=True)
    version: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("team_user.id", ondelete="SET NULL"))
    op: Mapped[str] = mapped_column(String(20))
    type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(100))
    # {field: [old, new]}; a created record has old None, a deleted one new None
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)


class TeamPush(Base):
    """A push the server applied, under the id its client chose: a push sent again (its answer
    was lost) is answered from here instead of applied twice, and a client that never saw the
    answer asks by this id whether the server took it."""

    __tablename__ = "team_push"
    __table_args__ = (Index("ix_team_push_case_at", "case_id", "at"),)

    case_id: Mapped[str] = mapped_column(ForeignKey("team_case.id", ondelete="CASCADE"),
                                         primary_key=True)
    push_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    changed: Mapped[int] = mapped_column(Integer, default=0)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("team_user.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


# --- each replica (SQLite) ---------------------------------------------------------------------


class SyncRemote(Base):
    """The server this database syncs with, and the analyst's token for it."""

    __tablename__ = "sync_remote"

    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    token: Mapped[str] = mapped_column(String(200))


class SyncCase(Base):
    """A local case that is a replica of a shared case: the server version it last saw."""

    __tablename__ = "sync_case"

    case_id: Mapped[str] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"),
                                         primary_key=True)
    remote_url: Mapped[str] = mapped_column(String(2000))
    version: Mapped[int] = mapped_column(Integer, default=0)
    synced_at: Mapped[datetime | None] = mapped_column(DateTime)


class SyncBase(Base):
    """How a record looked at the last sync (canonical JSON): the base of three-way merges."""

    __tablename__ = "sync_base"

    type: Mapped[str] = mapped_column(String(40), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    data: Mapped[str] = mapped_column(Text)


class SyncSent(Base):
    """What a push sent before the server confirmed it: if the confirmation was lost (the
    program was killed, the network dropped), the next pull finds these values on the server
    and takes them as the base, so the analyst is never asked to merge with themselves."""

    __tablename__ = "sync_sent"

    type: Mapped[str] = mapped_column(String(40), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    data: Mapped[str] = mapped_column(Text)


class SyncPush(Base):
    """The push of a case on its way to the server (at most one at a time): its id, the
    version it was based on and its changes (JSON). Until the answer is recorded, the next
    sync first asks the server whether it took this push, so an answer lost to a dropped
    connection or a killed program never makes the analyst's own change look like a
    teammate's."""

    __tablename__ = "sync_push"

    case_id: Mapped[str] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"),
                                         primary_key=True)
    push_id: Mapped[str] = mapped_column(String(36))
    base: Mapped[int] = mapped_column(Integer)
    changes: Mapped[str] = mapped_column(Text)


class SyncDirty(Base):
    """Records written since the last sync, filled by triggers on every synced table (so every
    write path is seen: services, bundle merges, the command line, another program)."""

    __tablename__ = "sync_dirty"

    type: Mapped[str] = mapped_column(String(40), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)


class SyncMuted(Base):
    """While the sync engine writes what it pulled, a row here keeps the triggers quiet."""

    __tablename__ = "sync_muted"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)


class SyncConflict(Base):
    """A field changed here and on the server to different values: the analyst decides."""

    __tablename__ = "sync_conflict"
    __table_args__ = (UniqueConstraint("type", "record_id", "field",
                                       name="uq_sync_conflict_record_field"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(36))
    field: Mapped[str] = mapped_column(String(60))
    mine: Mapped[Any] = mapped_column(JSON, nullable=True)
    theirs: Mapped[Any] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
