"""What the service does with a shared case, without HTTP: share, pull, push, files, members,
audit log. Each function runs inside the caller's transaction (``db.acting``), whose acting
user row-level security already limits to that user's cases; the role checks here are the
first line.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Text, cast, delete, func, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from casefile.db.models import utcnow
from casefile.db.team import (
    ROLES,
    TeamCase,
    TeamChange,
    TeamFile,
    TeamMember,
    TeamPush,
    TeamRecord,
    TeamUser,
)
from casefile.exchange import BundleError
from casefile.exchange.casedata import (
    CASE_FORMAT,
    TYPE_BY_KEY,
    TYPES,
    from_changes,
    natural_key,
    references,
)
from casefile.server.db import CHANNEL

API_VERSION = 1
MAX_CHANGES = 200_000
# how long a push's answer is kept for a client whose connection dropped before it came
PUSH_MEMORY = timedelta(days=90)
_ID = re.compile(r"^[0-9A-Za-z-]{1,36}$")
_SHA = re.compile(r"^[0-9a-f]{64}$")
FORMAT_VERSION = 2  # the bundle's record format (casefile.exchange.bundle.FORMAT_VERSION)


class StoreError(Exception):
    """A refusal the client is told about: an HTTP status and one sentence."""

    def __init__(self, status: int, message: str, **extra: Any):
        super().__init__(message)
        self.status = status
        self.message = message
        self.extra = extra


@dataclass(frozen=True)
class Acting:
    id: int
    name: str


def role_of(s: Session, case_id: str, user: Acting) -> str:
    """The user's role in the case. A case the user is not a member of is "not found", exactly
    as one that does not exist: guessing ids tells nothing."""
    row = s.execute(select(TeamMember.role, TeamCase.deleted_at)
                    .join(TeamCase, TeamCase.id == TeamMember.case_id)
                    .where(TeamMember.case_id == case_id, TeamMember.user_id == user.id)).first()
    if row is None:
        raise StoreError(404, "there is no shared case with that id that you are a member of")
    if row.deleted_at is not None:
        raise StoreError(410, "the case was deleted on the server")
    return row.role


def require(s: Session, case_id: str, user: Acting, *roles: str) -> str:
    role = role_of(s, case_id, user)
    if role not in roles:
        need = " or ".join(roles)
        raise StoreError(403, f"you are a {role} of this case; this needs an {need}"
                         if need.startswith(("o", "e")) else f"this needs {need}")
    return role


def create_case(s: Session, *, case_id: str, user: Acting) -> int:
    """Register a new shared case with the user as its owner; its version (0 when new).
    Sharing a case id that is already on the server is refused unless the user is a member."""
    if not _ID.match(case_id or ""):
        raise StoreError(400, "that is not a case id")
    existing = s.get(TeamCase, case_id)
    if existing is not None:
        role_of(s, case_id, user)
        return existing.version
    s.add(TeamCase(id=case_id, version=0, created_at=utcnow()))
    s.flush()
    s.add(TeamMember(case_id=case_id, user_id=user.id, role="owner"))
    s.flush()
    _audit(s, case_id, 0, user, "share", "case", case_id, {})
    return 0


def delete_case(s: Session, *, case_id: str, user: Acting) -> None:
    require(s, case_id, user, "owner")
    s.execute(update(TeamCase).where(TeamCase.id == case_id).values(deleted_at=utcnow()))
    _audit(s, case_id, s.get(TeamCase, case_id).version, user, "delete", "case", case_id, {})
    _notify(s, case_id, -1)


def pull(s: Session, *, case_id: str, user: Acting, since: int, push: str | None = None
         ) -> bytes:
    """Every record changed after version ``since`` (tombstones for deleted ones), as JSON
    bytes assembled from the stored JSON text (a join of a large case parses nothing). With
    ``push``, also the version at which the server applied the push of that id (``"push"``:
    null when it never did): the client whose answer was lost learns what became of it."""
    require(s, case_id, user, *ROLES)
    version = s.scalar(select(TeamCase.version).where(TeamCase.id == case_id))
    applied = _pushed(s, case_id, push) if push else None
    rows = s.execute(select(TeamRecord.type, TeamRecord.record_id, TeamRecord.version,
                            TeamRecord.deleted, cast(TeamRecord.data, Text))
                     .where(TeamRecord.case_id == case_id, TeamRecord.version > since)
                     .order_by(TeamRecord.version))
    parts = []
    for kind, rid, ver, deleted, data in rows:
        head = f'{{"type":{json.dumps(kind)},"id":{json.dumps(rid)},"version":{ver}'
        parts.append(head + (',"deleted":true}' if deleted else f',"data":{data}}}'))
    head = f'{{"version":{version},'
    if push:
        head += f'"push":{json.dumps(applied and applied["version"])},'
    return (head + '"changes":[' + ",".join(parts) + "]}").encode("utf-8")


def _pushed(s: Session, case_id: str, push_id: str) -> dict[str, Any] | None:
    """What the push of that id did, when the server applied it."""
    if not _ID.match(push_id):
        raise StoreError(400, "that is not a push id")
    row = s.get(TeamPush, (case_id, push_id))
    return None if row is None else {"version": row.version, "changed": row.changed}


def _check_changes(case_id: str, changes: Any) -> list[dict[str, Any]]:
    """Refuse a push that is not a list of well-formed record changes (the bundle's record
    form, checked against the bundle schema)."""
    if not isinstance(changes, list):
        raise StoreError(400, "a push is a list of changes")
    if len(changes) > MAX_CHANGES:
        raise StoreError(413, f"a push holds at most {MAX_CHANGES:,} changes")
    from casefile.exchange import validate

    seen: set[tuple[str, str]] = set()
    for ch in changes:
        if not isinstance(ch, dict) or ch.get("type") not in TYPE_BY_KEY:
            raise StoreError(400, "each change names a record type Casefile knows")
        kind, rid = ch["type"], ch.get("id")
        if not isinstance(rid, str) or not _ID.match(rid):
            raise StoreError(400, f"a {kind} change has no usable id")
        if (kind, rid) in seen:
            raise StoreError(400, f"{kind} {rid} is changed twice in one push")
        seen.add((kind, rid))
        if kind == "case" and rid != case_id:
            raise StoreError(400, "a push may only change its own case")
        if ch.get("deleted") is True:
            if kind == "case":
                raise StoreError(400, "a push cannot delete the case itself")
            continue
        data = ch.get("data")
        if not isinstance(data, dict) or data.get("id") != rid:
            raise StoreError(400, f"{kind} {rid}: data missing or with another id")
    records, _deleted = from_changes(changes)
    probe = {"format": CASE_FORMAT, "format_version": FORMAT_VERSION, **records,
             "case": records["case"] or {"id": case_id, "title": "x", "summary": "",
                                         "created_at": "2000-01-01T00:00:00.000000",
                                         "updated_at": "2000-01-01T00:00:00.000000"}}
    try:
        validate.check_plain_json(probe, "the push")
        validate.against_schema(probe, "case", "the push")
    except BundleError as exc:
        raise StoreError(400, str(exc).replace("the bundle schema", "the record format")) from exc
    return changes


def _live_ids(s: Session, case_id: str, ids: set[str]) -> set[str]:
    found: set[str] = set()
    listed = sorted(ids)
    for i in range(0, len(listed), 5000):
        found.update(s.scalars(select(TeamRecord.record_id).where(
            TeamRecord.case_id == case_id, TeamRecord.deleted.is_(False),
            TeamRecord.record_id.in_(listed[i:i + 5000]))))
    return found


def push(s: Session, *, case_id: str, user: Acting, base: int, changes: Any,
         push_id: str | None = None) -> dict[str, Any]:
    """Apply a list of record changes made against version ``base``: refused (412) when the
    case has moved on since, else all applied at the next version, each logged. Returns the
    new version and how many records changed. A push under an id (the client's choice) is
    applied once: sent again, it is answered as the first time (``"replayed": true``)."""
    require(s, case_id, user, "owner", "editor")
    changes = _check_changes(case_id, changes)
    case = s.execute(select(TeamCase).where(TeamCase.id == case_id).with_for_update()).scalar_one()
    if push_id is not None:
        done = _pushed(s, case_id, push_id)
        if done is not None:
            return {**done, "replayed": True}
    answer = _apply(s, case, user, base, changes)
    if push_id is not None:
        now = utcnow()
        s.execute(delete(TeamPush).where(TeamPush.case_id == case_id,
                                         TeamPush.at < now - PUSH_MEMORY))
        s.add(TeamPush(case_id=case_id, push_id=push_id, version=answer["version"],
                       changed=answer["changed"], user_id=user.id, at=now))
        s.flush()
    return answer


def _apply(s: Session, case: TeamCase, user: Acting, base: int, changes: list[dict[str, Any]]
           ) -> dict[str, Any]:
    case_id = case.id
    if case.version != base:
        raise StoreError(412, f"the case is at version {case.version}; pull, merge, push again",
                         version=case.version)
    keys = [(ch["type"], ch["id"]) for ch in changes]
    current: dict[tuple[str, str], tuple[bool, dict[str, Any] | None]] = {}
    ids = sorted({rid for _k, rid in keys})
    for i in range(0, len(ids), 5000):
        for kind, rid, deleted, data in s.execute(
                select(TeamRecord.type, TeamRecord.record_id, TeamRecord.deleted, TeamRecord.data)
                .where(TeamRecord.case_id == case_id, TeamRecord.record_id.in_(ids[i:i + 5000]))):
            current[(kind, rid)] = (deleted, data)
    live_after = {rid for (kind, rid), (deleted, _d) in current.items() if not deleted}
    for ch in changes:
        (live_after.discard if ch.get("deleted") else live_after.add)(ch["id"])
    _check_references(s, case_id, changes, live_after)
    _check_natural_keys(s, case_id, changes)
    _check_files(s, case_id, changes)

    version = case.version + 1
    rows, audits = [], []
    for ch in changes:
        kind, rid = ch["type"], ch["id"]
        deleted_now = bool(ch.get("deleted"))
        was_deleted, old = current.get((kind, rid), (True, None))
        new = None if deleted_now else ch["data"]
        if (was_deleted and deleted_now) or (not was_deleted and old == new):
            continue  # nothing changes
        op = "delete" if deleted_now else "create" if was_deleted else "update"
        rows.append({"case_id": case_id, "type": kind, "record_id": rid, "version": version,
                     "deleted": deleted_now, "data": new})
        audits.append(_audit_row(case_id, version, user, op, kind, rid,
                                 _diff(None if was_deleted else old, new)))
    if not rows:
        return {"version": case.version, "changed": 0}
    _copy_in(s, rows, audits)
    case.version = version
    _notify(s, case_id, version)
    return {"version": version, "changed": len(rows)}


_RECORD_COLS = ("case_id", "type", "record_id", "version", "deleted", "data")
_AUDIT_COLS = ("case_id", "version", "at", "user_id", "op", "type", "record_id", "changes")


def _copy_in(s: Session, rows: list[dict[str, Any]], audits: list[dict[str, Any]]) -> None:
    """Write a push's records and log entries through COPY into scratch tables, then two
    INSERT … SELECT statements (row-level security checks them there): tens of thousands of
    rows in a few statements."""
    cur = s.connection().connection.driver_connection.cursor()
    cur.execute("CREATE TEMP TABLE IF NOT EXISTS push_record (LIKE team_record) "
                "ON COMMIT DELETE ROWS")
    cur.execute(f"CREATE TEMP TABLE IF NOT EXISTS push_change ON COMMIT DELETE ROWS AS "
                f"SELECT {', '.join(_AUDIT_COLS)} FROM team_change WITH NO DATA")
    for table, cols, items in (("push_record", _RECORD_COLS, rows),
                               ("push_change", _AUDIT_COLS, audits)):
        with cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
            for item in items:
                copy.write_row([json.dumps(item[c]) if c in ("data", "changes")
                                and item[c] is not None else item[c] for c in cols])
    cur.execute(f"INSERT INTO team_record ({', '.join(_RECORD_COLS)}) SELECT "
                f"{', '.join(_RECORD_COLS)} FROM push_record ON CONFLICT (case_id, type, "
                "record_id) DO UPDATE SET version = excluded.version, "
                "deleted = excluded.deleted, data = excluded.data")
    cur.execute(f"INSERT INTO team_change ({', '.join(_AUDIT_COLS)}) SELECT "
                f"{', '.join(_AUDIT_COLS)} FROM push_change")
    cur.execute("TRUNCATE push_record, push_change")


def _check_references(s: Session, case_id: str, changes: list[dict[str, Any]],
                      live_after: set[str]) -> None:
    """Every record a pushed record refers to must exist on the server after the push: a
    replica would otherwise be handed a record its foreign keys refuse."""
    wanted = {ref for ch in changes if not ch.get("deleted")
              for _kind, ref in references(ch["type"], ch["data"])}
    missing = wanted - live_after
    if missing:
        missing -= _live_ids(s, case_id, missing)
    if missing:
        raise StoreError(409, f"the push refers to {len(missing)} record(s) the case does not "
                         "have (deleted by a teammate?); sync again to merge first",
                         missing=sorted(missing)[:20])


def _check_natural_keys(s: Session, case_id: str, changes: list[dict[str, Any]]) -> None:
    """A record type with a natural key holds one live record per key (a highlight is in the
    ACH matrix once): a second one under another id is refused — the client merges it into
    the first when it pulls."""
    for rt in TYPES:
        if not rt.natural_key:
            continue
        pushed: dict[tuple, str] = {}
        gone = {ch["id"] for ch in changes if ch["type"] == rt.key and ch.get("deleted")}
        for ch in changes:
            if ch["type"] == rt.key and not ch.get("deleted"):
                nk = natural_key(rt, ch["data"])
                if pushed.setdefault(nk, ch["id"]) != ch["id"]:
                    raise StoreError(409, f"the push holds two {rt.key} records for one "
                                     f"{'/'.join(rt.natural_key)}", records=[pushed[nk], ch["id"]])
        if not pushed:
            continue
        first = rt.natural_key[0]
        firsts = sorted({nk[0] for nk in pushed}, key=str)
        for rid, data in s.execute(select(TeamRecord.record_id, TeamRecord.data).where(
                TeamRecord.case_id == case_id, TeamRecord.type == rt.key,
                TeamRecord.deleted.is_(False), TeamRecord.data[first].as_string().in_(firsts))):
            mine = pushed.get(natural_key(rt, data))
            if mine is not None and mine != rid and rid not in gone:
                raise StoreError(409, f"the case already has that {rt.key} record under "
                                 "another id (a teammate's); sync again to merge first",
                                 records=[rid, mine])


def _check_files(s: Session, case_id: str, changes: list[dict[str, Any]]) -> None:
    shas = {ch["data"]["source"] for ch in changes
            if ch["type"] == "documents" and not ch.get("deleted") and ch["data"].get("source")}
    if shas:
        have = set(s.scalars(select(TeamFile.sha256).where(TeamFile.case_id == case_id,
                                                           TeamFile.sha256.in_(shas))))
        if shas - have:
            raise StoreError(409, "upload the documents' original files before pushing them",
                             missing_files=sorted(shas - have))


def _diff(old: dict[str, Any] | None, new: dict[str, Any] | None) -> dict[str, Any]:
    """{field: [old, new]} of the fields that differ (document texts are not copied into
    the log: their SHA-256 stands for them)."""
    out = {}
    for k in sorted(set(old or {}) | set(new or {})):
        a, b = (old or {}).get(k), (new or {}).get(k)
        if a != b:
            if k == "text":
                a, b = (None if a is None else _digest(a)), (None if b is None else _digest(b))
            out[k] = [a, b]
    return out


def _digest(value: str) -> str:
    return "sha256:" + hashlib.sha256(value.encode("utf-8")).hexdigest()


def _audit_row(case_id: str, version: int, user: Acting, op: str, kind: str, rid: str,
               changes: dict[str, Any]) -> dict[str, Any]:
    return {"case_id": case_id, "version": version, "at": utcnow(), "user_id": user.id,
            "op": op, "type": kind, "record_id": rid, "changes": changes}


def _audit(s: Session, case_id: str, version: int, user: Acting, op: str, kind: str, rid: str,
           changes: dict[str, Any]) -> None:
    s.execute(TeamChange.__table__.insert(),
              [_audit_row(case_id, version, user, op, kind, rid, changes)])


def _notify(s: Session, case_id: str, version: int) -> None:
    """Tell every listening service (delivered when the transaction commits)."""
    s.execute(text("SELECT pg_notify(:c, :p)"), {"c": CHANNEL, "p": f"{case_id}:{version}"})


def version_of(s: Session, *, case_id: str, user: Acting) -> int:
    require(s, case_id, user, *ROLES)
    return s.scalar(select(TeamCase.version).where(TeamCase.id == case_id))


# --- files -------------------------------------------------------------------------------------


def missing_files(s: Session, *, case_id: str, user: Acting, shas: Any) -> list[str]:
    require(s, case_id, user, "owner", "editor")
    if not isinstance(shas, list) or not all(isinstance(x, str) and _SHA.match(x) for x in shas):
        raise StoreError(400, "give a list of SHA-256 values")
    have: set[str] = set()
    for i in range(0, len(shas), 5000):
        have.update(s.scalars(select(TeamFile.sha256).where(
            TeamFile.case_id == case_id, TeamFile.sha256.in_(shas[i:i + 5000]))))
    return sorted(set(shas) - have)


def put_file(s: Session, *, case_id: str, user: Acting, sha256: str, data: bytes) -> bool:
    """Store an original under its SHA-256 (checked); False when the case already has it."""
    require(s, case_id, user, "owner", "editor")
    if not _SHA.match(sha256) or hashlib.sha256(data).hexdigest() != sha256:
        raise StoreError(400, "the file does not match its SHA-256")
    stmt = pg_insert(TeamFile.__table__).values(case_id=case_id, sha256=sha256, size=len(data),
                                                data=data, created_at=utcnow())
    return s.execute(stmt.on_conflict_do_nothing()).rowcount > 0


def put_files(s: Session, *, case_id: str, user: Acting, files: list[tuple[str, bytes]]) -> int:
    """Store several originals at once (each checked against its SHA-256); how many were new."""
    require(s, case_id, user, "owner", "editor")
    rows = []
    for sha256, data in files:
        if not _SHA.match(sha256) or hashlib.sha256(data).hexdigest() != sha256:
            raise StoreError(400, f"a file does not match its SHA-256 ({sha256[:12]}…)")
        rows.append({"case_id": case_id, "sha256": sha256, "size": len(data), "data": data,
                     "created_at": utcnow()})
    if not rows:
        return 0
    stmt = pg_insert(TeamFile.__table__).on_conflict_do_nothing()
    return s.execute(stmt, rows).rowcount or 0


def get_files(s: Session, *, case_id: str, user: Acting, shas: Any,
              max_bytes: int = 64 * 1024**2) -> list[tuple[str, bytes]]:
    """Originals by SHA-256, in the order asked, as many as fit in ``max_bytes`` (at least
    one); the caller asks again for the rest."""
    require(s, case_id, user, *ROLES)
    if not isinstance(shas, list) or not all(isinstance(x, str) and _SHA.match(x) for x in shas):
        raise StoreError(400, "give a list of SHA-256 values")
    sizes = dict(s.execute(select(TeamFile.sha256, TeamFile.size).where(
        TeamFile.case_id == case_id, TeamFile.sha256.in_(shas[:5000]))).all())
    chosen, total = [], 0
    for sha in shas[:5000]:
        if sha in sizes and (not chosen or total + sizes[sha] <= max_bytes):
            chosen.append(sha)
            total += sizes[sha]
    data = dict(s.execute(select(TeamFile.sha256, TeamFile.data).where(
        TeamFile.case_id == case_id, TeamFile.sha256.in_(chosen))).all()) if chosen else {}
    return [(sha, data[sha]) for sha in chosen]


def get_file(s: Session, *, case_id: str, user: Acting, sha256: str) -> bytes:
    require(s, case_id, user, *ROLES)
    data = s.scalar(select(TeamFile.data).where(TeamFile.case_id == case_id,
                                                TeamFile.sha256 == sha256))
    if data is None:
        raise StoreError(404, "the case has no such file")
    return data


# --- members and the audit log -----------------------------------------------------------------


def members(s: Session, *, case_id: str, user: Acting) -> list[dict[str, str]]:
    require(s, case_id, user, *ROLES)
    rows = s.execute(select(TeamUser.name, TeamMember.role)
                     .join(TeamUser, TeamUser.id == TeamMember.user_id)
                     .where(TeamMember.case_id == case_id).order_by(TeamUser.name))
    return [{"user": name, "role": role} for name, role in rows]


def set_member(s: Session, *, case_id: str, user: Acting, name: str, role: str) -> None:
    require(s, case_id, user, "owner")
    if role not in ROLES:
        raise StoreError(400, f"a role is one of: {', '.join(ROLES)}")
    target = s.scalar(select(TeamUser).where(TeamUser.name == name))
    if target is None or target.revoked_at is not None:
        raise StoreError(404, f"the server has no active user named {name!r}")
    member = s.get(TeamMember, (case_id, target.id))
    old = member.role if member else None
    if old == "owner" and role != "owner":
        _keep_an_owner(s, case_id, target.id)
    if member is None:
        s.add(TeamMember(case_id=case_id, user_id=target.id, role=role))
    else:
        member.role = role
    s.flush()
    _audit(s, case_id, s.get(TeamCase, case_id).version, user, "member", "member", name,
           {"role": [old, role]})


def remove_member(s: Session, *, case_id: str, user: Acting, name: str) -> None:
    require(s, case_id, user, "owner")
    target = s.scalar(select(TeamUser).where(TeamUser.name == name))
    member = s.get(TeamMember, (case_id, target.id)) if target else None
    if member is None:
        raise StoreError(404, f"{name} is not a member of this case")
    if member.role == "owner":
        _keep_an_owner(s, case_id, target.id)
    _audit(s, case_id, s.get(TeamCase, case_id).version, user, "member", "member", name,
           {"role": [member.role, None]})
    s.delete(member)
    _notify(s, case_id, s.get(TeamCase, case_id).version)  # its live channel re-checks


def _keep_an_owner(s: Session, case_id: str, leaving: int) -> None:
    others = s.scalar(select(func.count()).select_from(TeamMember).where(
        TeamMember.case_id == case_id, TeamMember.role == "owner", TeamMember.user_id != leaving))
    if not others:
        raise StoreError(409, "a case keeps at least one owner; make someone else owner first")


def audit_log(s: Session, *, case_id: str, user: Acting, limit: int = 10_000
              ) -> list[dict[str, Any]]:
    require(s, case_id, user, "owner")
    rows = s.execute(select(TeamChange.at, TeamUser.name, TeamChange.op, TeamChange.type,
                            TeamChange.record_id, TeamChange.version, TeamChange.changes)
                     .outerjoin(TeamUser, TeamUser.id == TeamChange.user_id)
                     .where(TeamChange.case_id == case_id)
                     .order_by(TeamChange.id.desc()).limit(limit))
    return [{"at": at.isoformat(timespec="seconds"), "user": name, "op": op,
             "record": {"type": kind, "id": rid}, "version": version, "changes": changes}
            for at, name, op, kind, rid, version, changes in rows]
