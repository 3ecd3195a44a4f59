"""`kith SUBCOMMAND ...`: parsing, opening the database, and turning errors into sentences."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

from app.cli import contact_commands, dedupe_commands, store_commands, transfer_commands
from app.core import logging_setup
from app.core.errors import UserFacingError, os_error_sentence
from app.core.paths import database_path
from app.core.services.session import (
    DamagedDatabaseError,
    Database,
    KeyStore,
    passphrase_from_env,
    unlock,
)


def terminal_prompt(new: bool) -> str:
    """Ask for a passphrase on the terminal (twice when choosing a new one)."""
    if not sys.stdin.isatty():
        raise UserFacingError("A passphrase is needed: set KITH_PASSPHRASE or run in a terminal.")
    if not new:
        return getpass.getpass("Kith passphrase: ")
    first = getpass.getpass("Choose a passphrase for the new Kith database: ")
    if first != getpass.getpass("Type it again: "):
        raise UserFacingError("The two passphrases differ; nothing was created.")
    return first


CREATES_DATABASE = frozenset({"add", "import"})
"""The commands that may create a missing database; every other one needs it to exist."""


def open_database(path: Path) -> Database:
    """Unlock the database at `path` (creating it when it does not exist)."""
    return unlock(
        path,
        KeyStore(),
        passphrase=passphrase_from_env(),
        prompt=terminal_prompt if sys.stdin.isatty() else None,
    )


def _version() -> str:
    try:
        return f"kith {metadata.version('kith')}"
    except metadata.PackageNotFoundError:
        return "kith (version unknown)"


def build_parser() -> argparse.ArgumentParser:
    """The parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="kith", description="Kith keeps your contacts in an encrypted local database."
    )
    parser.add_argument(
        "--db", metavar="PATH", help="the database file (default: KITH_DB, else your data folder)"
    )
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    init = sub.add_parser("init", help="create an empty database (at --db, KITH_DB or the default)")
    init.set_defaults(run=None)
    contact_commands.register(sub)
    store_commands.register(sub)
    transfer_commands.register(sub)
    dedupe_commands.register(sub)
    return parser


def run_init(path: Path) -> int:
    """Create an empty database, or say that one is there (after checking that it opens)."""
    existed = path.exists()
    open_database(path).close()
    if existed:
        print(f"There is a Kith database at {path} already; nothing was changed.")
    else:
        print(f"Created a new Kith database at {path}.")
    return 0


def run_command(args: argparse.Namespace) -> int:
    """Open the database the command needs and run it.

    Raises:
        UserFacingError: the database is missing and the command only reads, or cannot be
            opened; or the command's own errors.
    """
    path = database_path(args.db)
    if args.command == "init":
        return run_init(path)
    existed = path.exists()
    creates = args.command in CREATES_DATABASE and not getattr(args, "dry_run", False)
    if not existed and not creates:
        # A typo in --db must not create an empty database that looks like lost contacts.
        raise UserFacingError(
            f"No Kith database at {path}; check --db, or run `kith init` to create one."
        )
    try:
        db = open_database(path)
    except DamagedDatabaseError as damage:
        # `kith restore` is the way out of a damaged database, so it must not need to open it.
        if getattr(args, "run_damaged", None) is None:
            raise
        return int(args.run_damaged(damage, args))
    if not existed:
        print(f"kith: Created a new Kith database at {path}.", file=sys.stderr)
    try:
        return int(args.run(db, args))
    finally:
        db.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand; return the exit code.

    0 ok, 1 an error the user can fix (one sentence on stderr), 2 usage, 70 a bug (logged
    privately; stderr says where), 130 interrupted, 141 the reader of stdout went away.
    """
    logging_setup.configure()
    parser = build_parser()
    command = "kith"
    try:
        # Parsing may raise UserFacingError too: contact ids are checked as they are read.
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help(sys.stderr)
            return 2
        command = f"kith {args.command}"
        code = run_command(args)
        sys.stdout.flush()  # a full disk under stdout is reported here, not at exit
        return code
    except UserFacingError as exc:
        print(f"kith: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("kith: interrupted; nothing more was changed.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`kith list --json | head`): what was asked was done; stop
        # quietly, and keep Python from failing again as it flushes stdout on the way out.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except OSError as exc:
        sentence = os_error_sentence(exc)
        if sentence is None:
            print(f"kith: {logging_setup.log_bug(exc, command)}", file=sys.stderr)
            return 70
        print(f"kith: {sentence}", file=sys.stderr)
        if exc.filename is None:  # stdout failed: keep Python from failing again at exit
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as exc:
        # A bug: its traceback may quote contact data, so it goes to the private log only.
        print(f"kith: {logging_setup.log_bug(exc, command)}", file=sys.stderr)
        return 70
