"""CLI: the team case — the remote, share, join, sync and its conflicts, members, audit log."""

from __future__ import annotations

import argparse
import sys

from casefile.cli.util import add_case_option, add_json_option, db_for, lazy_modules, print_json
from casefile.cli.util import print_table as table

(engine,) = lazy_modules("casefile.sync.engine")


def register(sub: argparse._SubParsersAction) -> None:
    p_remote = sub.add_parser("remote", help="the team server this database syncs with")
    remote_sub = p_remote.add_subparsers(dest="remote_command", metavar="ACTION", required=True)
    p = remote_sub.add_parser("set", help="set the server and your token (checked, then kept "
                                          "in this database; never printed back)")
    p.add_argument("url")
    p.add_argument("--token", required=True)
    add_json_option(p)
    p.set_defaults(func=cmd_remote_set)
    p = remote_sub.add_parser("show", help="the server set for this database")
    add_json_option(p)
    p.set_defaults(func=cmd_remote_show)

    p = sub.add_parser("share", help="put a case on the team server (you become its owner)")
    add_case_option(p)
    add_json_option(p)
    p.set_defaults(func=cmd_share)

    p = sub.add_parser("join", help="pull a shared case whole into this database")
    p.add_argument("case_id", metavar="CASE_ID")
    add_json_option(p)
    p.set_defaults(func=cmd_join)

    p = sub.add_parser("unshare", help="make a shared case a plain local case again (its data "
                                       "stays here)")
    add_case_option(p)
    p.set_defaults(func=cmd_unshare)

    p_sync = sub.add_parser("sync", help="send this case's changes and bring in the team's "
                                         "(conflicts and resolve: see the actions)")
    add_case_option(p_sync)
    add_json_option(p_sync)
    p_sync.set_defaults(func=cmd_sync)
    sync_sub = p_sync.add_subparsers(dest="sync_command", metavar="ACTION", required=False)
    p = sync_sub.add_parser("conflicts", help="fields changed here and by a teammate")
    add_case_option(p)
    add_json_option(p)
    p.set_defaults(func=cmd_conflicts)
    p = sync_sub.add_parser("resolve", help="settle a sync conflict")
    p.add_argument("conflict", metavar="ID")
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--keep", choices=("mine", "theirs"))
    how.add_argument("--value", metavar="JSON", help="a value of your own (JSON, e.g. '\"x\"')")
    add_json_option(p)
    p.set_defaults(func=cmd_resolve)

    p_member = sub.add_parser("member", help="who may read or edit a shared case")
    member_sub = p_member.add_subparsers(dest="member_command", metavar="ACTION", required=True)
    p = member_sub.add_parser("add", help="add a member or change their role (owners only)")
    p.add_argument("case_id", metavar="CASE_ID")
    p.add_argument("user", metavar="USER")
    p.add_argument("--role", required=True, choices=("owner", "editor", "viewer"))
    add_json_option(p)
    p.set_defaults(func=cmd_member_add)
    p = member_sub.add_parser("list", help="members and their roles")
    p.add_argument("case_id", metavar="CASE_ID")
    add_json_option(p)
    p.set_defaults(func=cmd_member_list)
    p = member_sub.add_parser("remove", help="remove a member (owners only)")
    p.add_argument("case_id", metavar="CASE_ID")
    p.add_argument("user", metavar="USER")
    p.set_defaults(func=cmd_member_remove)

    p = sub.add_parser("log", help="the shared case's audit log: who changed what (owners)")
    add_case_option(p)
    add_json_option(p)
    p.set_defaults(func=cmd_log)


def _shared_case(args: argparse.Namespace, db) -> str:
    """The shared case a command means: ``--case`` (a prefix will do), else the only one."""
    shared = engine.shared_cases(db)
    wanted = getattr(args, "case", None)
    if wanted:
        matches = [c for c in shared if c.case_id.startswith(wanted)]
        if len(matches) == 1:
            return matches[0].case_id
        from casefile.services import cases

        return cases.resolve_case(db, wanted, create=False).id
    if len(shared) == 1:
        return shared[0].case_id
    if not shared:
        raise engine.NotShared("no case of this database is shared yet: casefile share, or "
                               "casefile join CASE_ID")
    listing = "; ".join(f"{c.case_id} {c.title}" for c in shared)
    raise engine.NotShared(f"{len(shared)} cases are shared; choose one with --case: {listing}")


def _progress(args: argparse.Namespace):
    if args.json or not sys.stderr.isatty():
        return None
    return lambda message: print(f"… {message}", file=sys.stderr)


def cmd_remote_set(args) -> int:
    db = db_for(args)
    user = engine.set_remote(db, url=args.url, token=args.token)
    url = engine.remote_url(db)
    if args.json:
        print_json({"remote": url, "user": user})
    else:
        print(f"syncing with {url} as {user}")
    return 0


def cmd_remote_show(args) -> int:
    db = db_for(args)
    url = engine.remote_url(db)
    shared = [{"case": c.case_id, "title": c.title, "version": c.version}
              for c in engine.shared_cases(db)]
    if args.json:
        print_json({"remote": url, "shared": shared})
    else:
        print(url or "(no team server set)")
        for c in shared:
            print(f"  {c['case']}  v{c['version']}  {c['title']}")
    return 0


def cmd_share(args) -> int:
    from casefile.cli.util import case_for

    db = db_for(args)
    case_id = case_for(args, db, create=False)
    result = engine.share(db, case_id=case_id, progress=_progress(args))
    out = {"case": case_id, "remote": engine.remote_url(db), "version": result.version}
    if args.json:
        print_json(out)
    else:
        print(f"shared {case_id} on {out['remote']} (version {result.version}, "
              f"{result.pushed} records sent)")
    return 0


def cmd_join(args) -> int:
    db = db_for(args)
    result = engine.join(db, case_id=args.case_id, progress=_progress(args))
    if args.json:
        print_json({"case": args.case_id, "version": result.version, "pulled": result.pulled})
    else:
        print(f"joined {args.case_id}: {result.pulled} records (version {result.version})")
    return 0


def cmd_unshare(args) -> int:
    db = db_for(args)
    case_id = _shared_case(args, db)
    engine.unshare(db, case_id=case_id)
    print(f"{case_id} is a plain local case again", file=sys.stderr)
    return 0


def cmd_sync(args) -> int:
    from casefile.sync.quick import nothing_to_do

    quiet = nothing_to_do(args.db, getattr(args, "case", None))
    if quiet is not None:
        if args.json:
            print_json(quiet)
        else:
            print(f"nothing to send or receive (version {quiet['version']})"
                  + (f"; {quiet['conflicts']} conflict(s): casefile sync conflicts"
                     if quiet["conflicts"] else ""))
        return 0
    db = db_for(args)
    result = engine.sync(db, case_id=_shared_case(args, db), progress=_progress(args))
    if args.json:
        print_json(result.as_json())
    else:
        print(f"sent {result.pushed}, received {result.pulled}, version {result.version}"
              + (f"; {result.conflicts} conflict(s): casefile sync conflicts" if
                 result.conflicts else ""))
    return 0


def cmd_conflicts(args) -> int:
    db = db_for(args)
    case_id = _shared_case(args, db) if args.case else None
    rows = engine.list_conflicts(db, case_id=case_id)
    if args.json:
        print_json([c.as_json() for c in rows])
    else:
        table([[c.id[:8], c.type, c.label, c.field, _short(c.mine), _short(c.theirs)]
               for c in rows], ["id", "type", "record", "field", "mine", "theirs"])
    return 0


def _short(value) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def cmd_resolve(args) -> int:
    import json

    db = db_for(args)
    if args.value is not None:
        try:
            value = json.loads(args.value)
        except ValueError:
            value = args.value
        engine.resolve(db, conflict_id=args.conflict, keep="edit", value=value)
    else:
        engine.resolve(db, conflict_id=args.conflict, keep=args.keep)
    if args.json:
        print_json({"resolved": args.conflict, "keep": args.keep or "edit"})
    return 0


def cmd_member_add(args) -> int:
    db = db_for(args)
    engine.client_for(db).set_member(args.case_id, args.user, args.role)
    if args.json:
        print_json({"case": args.case_id, "user": args.user, "role": args.role})
    return 0


def cmd_member_list(args) -> int:
    db = db_for(args)
    rows = engine.client_for(db).members(args.case_id)
    if args.json:
        print_json(rows)
    else:
        table([[r["user"], r["role"]] for r in rows], ["user", "role"])
    return 0


def cmd_member_remove(args) -> int:
    db = db_for(args)
    engine.client_for(db).remove_member(args.case_id, args.user)
    return 0


def cmd_log(args) -> int:
    db = db_for(args)
    rows = engine.client_for(db).log(_shared_case(args, db))
    if args.json:
        print_json(rows)
    else:
        table([[r["at"], r["user"] or "", r["op"], f"{r['record']['type']} "
                f"{r['record']['id'][:8]}", ", ".join(r["changes"])] for r in rows],
              ["at", "user", "op", "record", "fields"])
    return 0
