"""`kith SUBCOMMAND ...`: parsing, opening the database, and turning errors into sentences."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
from collections.abc import Sequence

from app.cli import contact_commands, store_commands, transfer_commands
from app.core.errors import UserFacingError
from app.core.paths import database_path
from app.core.storage.damage import DamagedDatabaseError
from app.core.storage.database import Database
from app.core.storage.keys import KeyStore, passphrase_from_env
from app.core.storage.unlock import unlock

log = logging.getLogger("kith")


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


def open_database(args: argparse.Namespace) -> Database:
    """Unlock the database the arguments name (creating it on first use)."""
    return unlock(
        database_path(args.db),
        KeyStore(),
        passphrase=passphrase_from_env(),
        prompt=terminal_prompt if sys.stdin.isatty() else None,
    )


def build_parser() -> argparse.ArgumentParser:
    """The parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="kith", description="Kith keeps your contacts in an encrypted local database."
    )
    parser.add_argument(
        "--db", metavar="PATH", help="the database file (default: KITH_DB, else your data folder)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    contact_commands.register(sub)
    store_commands.register(sub)
    transfer_commands.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand; return the exit code (0 ok, 1 a user's error, 2 usage)."""
    logging.basicConfig(level=logging.WARNING, format="kith: %(levelname)s: %(message)s")
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        try:
            db = open_database(args)
        except DamagedDatabaseError as damage:
            # `kith restore` is the way out of a damaged database, so it must not need to open it.
            if getattr(args, "run_damaged", None) is None:
                raise
            return int(args.run_damaged(damage, args))
        try:
            return int(args.run(db, args))
        finally:
            db.close()
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
    except Exception:
        log.exception("internal error (a bug in Kith; please report it)")
        return 70
