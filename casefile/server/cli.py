"""``casefile-server``: migrate the PostgreSQL schema, serve, and manage users' tokens.

The database is ``--db URL``, else ``$CASEFILE_SERVER_DB``, else the URL the last ``migrate``
on this machine used (remembered in the user's config folder, without its password).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

DB_ENV = "CASEFILE_SERVER_DB"


def _remembered() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir("casefile-server", appauthor=False)) / "db.json"


def _db_url(args: argparse.Namespace) -> str:
    if args.db:
        return args.db
    if os.environ.get(DB_ENV):
        return os.environ[DB_ENV]
    try:
        return json.loads(_remembered().read_text("utf-8"))["db"]
    except (OSError, ValueError, KeyError):
        raise SystemExit("casefile-server: give the database with --db "
                         "postgresql://USER@HOST:PORT/NAME (or set $CASEFILE_SERVER_DB)") from None


def _remember(url: str) -> None:
    from sqlalchemy.engine import make_url

    try:
        path = _remembered()
        path.parent.mkdir(parents=True, exist_ok=True)
        safe = make_url(url).set(password=None).render_as_string(hide_password=False)
        path.write_text(json.dumps({"db": safe}), "utf-8")
    except OSError:
        pass


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="casefile-server",
                                     description="The Casefile team server (PostgreSQL).")
    parser.add_argument("--db", metavar="URL", help="postgresql://USER@HOST:PORT/NAME")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    db_opt = argparse.ArgumentParser(add_help=False)
    db_opt.add_argument("--db", metavar="URL", default=argparse.SUPPRESS,
                        help="postgresql://USER@HOST:PORT/NAME")

    p = sub.add_parser("migrate", parents=[db_opt], help="create or upgrade the schema")
    p.set_defaults(func=cmd_migrate)
    p = sub.add_parser("serve", parents=[db_opt], help="run the service (logs to stderr)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8765)
    p.set_defaults(func=cmd_serve)

    p_user = sub.add_parser("user", help="issue, list and revoke users' tokens")
    user_sub = p_user.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    p = user_sub.add_parser("add", parents=[db_opt], help="a new user; prints their token once")
    p.add_argument("name")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_user_add)
    p = user_sub.add_parser("list", parents=[db_opt], help="every user")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_user_list)
    p = user_sub.add_parser("revoke", parents=[db_opt], help="stop a user's token at once")
    p.add_argument("name")
    p.set_defaults(func=cmd_user_revoke)
    return parser


def _engine(args: argparse.Namespace):
    from casefile.server.db import engine_for

    return engine_for(_db_url(args), pool_size=2)


def cmd_migrate(args: argparse.Namespace) -> int:
    from casefile.server.db import migrate

    url = _db_url(args)
    engine = _engine(args)
    before, after = migrate(engine)
    _remember(url)
    print(f"schema {before or 'empty'} → {after}" if before != after
          else f"schema already at {after}", file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from casefile.server.app import create_app
    from casefile.server.db import check_ready

    url = _db_url(args)
    engine = _engine(args)
    check_ready(engine)
    engine.dispose()
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    uvicorn.run(create_app(url), host=args.host, port=args.port, log_level="info",
                timeout_graceful_shutdown=2, timeout_keep_alive=60, access_log=False)
    return 0


def cmd_user_add(args: argparse.Namespace) -> int:
    from casefile.server.db import add_user

    user, token = add_user(_engine(args), name=args.name)
    if args.json:
        print(json.dumps({"user": user.name, "token": token}))
    else:
        print(f"user {user.name}: token {token}\n(shown once; give it to {user.name} for "
              "casefile remote set URL --token TOKEN)")
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    from casefile.server.db import list_users

    users = list_users(_engine(args))
    if args.json:
        print(json.dumps([{"user": u.name, "created_at": u.created_at.isoformat(),
                           "revoked": u.revoked_at is not None} for u in users], indent=2))
    else:
        for u in users:
            print(f"{u.name}\t{'revoked' if u.revoked_at else 'active'}")
    return 0


def cmd_user_revoke(args: argparse.Namespace) -> int:
    from casefile.server.db import revoke_user

    user = revoke_user(_engine(args), name=args.name)
    print(f"user {user.name}: token revoked", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from sqlalchemy import exc as sa_exc

    from casefile.errors import CasefileError

    try:
        return int(args.func(args) or 0)
    except CasefileError as exc:
        print(f"casefile-server: {exc}", file=sys.stderr)
        return 2
    except sa_exc.OperationalError as exc:
        reason = " ".join(str(exc.orig or exc).split())[:300]
        print(f"casefile-server: cannot use the database ({reason}); check the URL and that "
              "PostgreSQL is running", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
