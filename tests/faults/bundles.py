"""Building blocks for hostile-bundle tests: a local database and a colleague's good bundle,
re-zipping altered members with a manifest that matches them, and the refusal check."""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from casefile.db.database import open_database
from casefile.db.schema import integrity_check
from casefile.exchange.bundle import export_bundle
from casefile.services.consistency import consistency_problems
from tests.core.exchange_world import build_world


@dataclass
class Setting:
    db_path: Path
    good: Path
    root: Path
    local_case: str


def make_setting(root: Path) -> Setting:
    """A closed database holding one case, and a good bundle of a colleague's other case."""
    db = open_database(root / "db" / "case.sqlite")
    local = build_world(db, title="Local file")
    other = open_database(root / "other.sqlite")
    world = build_world(other, title="Colleague's file")
    good = root / "good.casefile"
    export_bundle(other, case_id=world.case_id, out=good)
    other.close()
    db.engine.dispose()
    db.close()
    return Setting(root / "db" / "case.sqlite", good, root, local.case_id)


def load(bundle: Path) -> tuple[dict[str, Any], dict[str, bytes]]:
    with zipfile.ZipFile(bundle) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    return json.loads(members.pop("manifest.json")), members


def case_of(members: dict[str, bytes]) -> dict[str, Any]:
    return json.loads(members["case.json"])


def write(path: Path, manifest: dict[str, Any], members: dict[str, bytes], *,
          case: dict[str, Any] | None = None, case_text: str | None = None,
          compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """Zip ``members`` (case.json replaced by ``case`` or raw ``case_text``) with a manifest
    whose sizes and hashes match, so the bundle gets past the integrity checks."""
    members = dict(members)
    if case is not None:
        members["case.json"] = json.dumps(case).encode()
    if case_text is not None:
        members["case.json"] = case_text.encode()
    for name, data in members.items():
        manifest["members"][name] = {"sha256": hashlib.sha256(data).hexdigest(),
                                     "size": len(data)}
    with zipfile.ZipFile(path, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        zf.writestr("manifest.json", json.dumps(manifest))
    return path


def files_of(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.name.endswith(("-wal", "-shm"))}


def check_ok(db_path: Path) -> list[str]:
    db = open_database(db_path)
    try:
        return integrity_check(db) + consistency_problems(db)
    finally:
        db.close()
