"""The headless command line: ``casefile [--db PATH] COMMAND``.

Every listing command takes ``--json`` and prints one JSON value on stdout; errors go to stderr
with a non-zero exit. Command groups live in sibling modules, each with ``register(sub)``.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from casefile import __version__

# Modules that add sub-commands; each defines register(subparsers).
COMMAND_MODULES = (
    "casefile.cli.core",
    "casefile.cli.records",
    "casefile.cli.importing",
    "casefile.cli.exchange",
    "casefile.cli.analysis",
    "casefile.cli.ach",
    "casefile.cli.workspace",
    "casefile.cli.team",
)


def build_parser() -> argparse.ArgumentParser:
    import importlib

    parser = argparse.ArgumentParser(
        prog="casefile", description="Build a sourced case file out of news reports.")
    parser.add_argument("--db", metavar="PATH",
                        help="database file (default: $CASEFILE_DB, else the user data folder)")
    parser.add_argument("--version", action="version", version=f"casefile {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    return run_command(args)


def run_command(args: argparse.Namespace) -> int:
    """The command line's one error boundary: an expected failure (see
    ``casefile.failures.user_message``) is one line on stderr and exit 2; anything else is
    logged with its traceback to the log file, whose path the one line names (exit 70)."""
    from casefile import failures

    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("casefile: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
    except Exception as exc:
        message = failures.user_message(exc)
        if message is not None:
            print(f"casefile: {message}", file=sys.stderr)
            return 2
        logged = failures.log_unexpected(exc, where=f"casefile {args.command}")
        print(f"casefile: {failures.unexpected_message(exc, logged)}", file=sys.stderr)
        return 70


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
