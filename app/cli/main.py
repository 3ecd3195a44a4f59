"""`kith SUBCOMMAND ...`: parsing, opening the database, and turning errors into sentences.

The command line starts fast because it imports only what the command it runs uses: `kith
--help` and `kith --version` import no database code, and `kith list` does not import the
vCard reader. Each command module is named in `COMMAND_MODULES` with the one-line help of its
commands; it is imported (and its `register(sub)` called) only when one of its commands runs
or shows its own help. Adding a module is one entry there.
"""

from __future__ import annotations

import argparse
import getpass
import importlib
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from app import __version__
from app.core.errors import UserFacingError, os_error_sentence

if TYPE_CHECKING:
    from app.core.services.session import Database


class CommandModule(NamedTuple):
    """A module of subcommands, imported only when one of its commands is asked for.

    (A NamedTuple, not a dataclass: importing dataclasses costs `--help` a tenth of its time.)

    Attributes:
        module: the module's import path; it has `register(sub)`, which adds its commands to
            argparse's subparsers (with the same help, in the same order, as `commands`).
        commands: each command's name and the one line `kith --help` shows for it.
    """

    module: str
    commands: Mapping[str, str]


COMMAND_MODULES: tuple[CommandModule, ...] = (
    CommandModule("app.cli.contact_commands", {
        "add": "add a contact",
        "list": "list contacts",
        "show": "show one contact",
        "delete": "move contacts to the trash",
        "restore-deleted": "take contacts out of the trash",
        "undo": "undo the last operation (edit, import, merge, delete)",
        "redo": "redo the last undone operation",
    }),
    CommandModule("app.cli.store_commands", {
        "backup": "write an encrypted backup of the database",
        "restore": "replace the database with a backup (the current one is kept)",
        "change-passphrase":
            "re-encrypt under a new passphrase (from KITH_NEW_PASSPHRASE or a prompt)",
        "set-region": "the default phone region, e.g. DE or US",
    }),
    CommandModule("app.cli.transfer_commands", {
        "import": "import vCard or CSV files (one undoable operation each)",
        "export": "export contacts as vCard or CSV",
    }),
    CommandModule("app.cli.keeping_commands", {
        "reminders": "list due and overdue reminders",
        "log": "log a call, email, meeting, message or note",
        "follow-up": "remind me to follow up with a contact on a day",
        "done": "mark a reminder done (`kith reminders` shows the ids)",
        "snooze": "hide a reminder until a later day",
        "keep-in-touch": "be reminded when no contact is this old",
    }),
    CommandModule("app.cli.dedupe_commands", {
        "dedupe": "list groups of likely duplicates, best first",
        "merge": "merge contacts into one (undo with `kith undo`)",
        "not-duplicates": "remember that contacts are different people (dedupe skips them)",
    }),
)  # fmt: skip
"""Every command module; `kith --help` lists their commands in this order."""

EVERY_COMMAND = "*"
"""`build_parser(EVERY_COMMAND)` imports every command module (what `--help` must equal)."""

INIT_HELP = "create an empty database (at --db, KITH_DB or the default)"


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
    # The database code is imported here, by the commands that open a database, not by --help.
    from app.core.services.session import KeyStore, passphrase_from_env, unlock  # noqa: PLC0415

    return unlock(
        path,
        KeyStore(),
        passphrase=passphrase_from_env(),
        prompt=terminal_prompt if sys.stdin.isatty() else None,
    )


class VersionAction(argparse.Action):
    """`--version`: prints `kith 0.1.0` (`app.__version__`, which the package metadata reads)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS) -> None:
        super().__init__(
            option_strings,
            dest=dest,
            default=argparse.SUPPRESS,
            nargs=0,
            help="show program's version number and exit",
        )

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        """Print the version and exit."""
        print(f"kith {__version__}")
        parser.exit()


def build_parser(command: str | None = EVERY_COMMAND) -> argparse.ArgumentParser:
    """The parser, with `command`'s module imported to define its arguments.

    Every other command is a placeholder with its name and help only, which is all that
    `kith --help` shows of it; `EVERY_COMMAND` imports and defines them all.
    """
    parser = argparse.ArgumentParser(
        prog="kith", description="Kith keeps your contacts in an encrypted local database."
    )
    parser.add_argument(
        "--db", metavar="PATH", help="the database file (default: KITH_DB, else your data folder)"
    )
    parser.add_argument("--version", action=VersionAction)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    init = sub.add_parser("init", help=INIT_HELP)
    init.set_defaults(run=None)
    for entry in COMMAND_MODULES:
        if command == EVERY_COMMAND or command in entry.commands:
            importlib.import_module(entry.module).register(sub)
            continue
        for name, line in entry.commands.items():
            # No arguments and no -h: a first pass reads past them to find the command.
            sub.add_parser(name, help=line, add_help=False)
    return parser


def parse(argv: Sequence[str]) -> argparse.Namespace:
    """Parse the command line, importing only the module of the command it names.

    A first pass with placeholders finds the command (and answers `--help` and `--version`
    of `kith` itself); the second parses the command's arguments with its module loaded.
    """
    found, _ = build_parser(None).parse_known_args(argv)
    if found.command is None:
        return found
    return build_parser(found.command).parse_args(argv)


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
    from app.core.paths import database_path  # noqa: PLC0415
    from app.core.services.session import DamagedDatabaseError  # noqa: PLC0415

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


def _configure_log() -> None:
    # logging_setup is imported once a command runs: it would cost `--help` a third of its time.
    from app.core import logging_setup  # noqa: PLC0415

    logging_setup.configure()


def _log_bug(exc: BaseException, command: str) -> str:
    from app.core import logging_setup  # noqa: PLC0415

    return logging_setup.log_bug(exc, command)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand; return the exit code.

    0 ok, 1 an error the user can fix (one sentence on stderr), 2 usage, 70 a bug (logged
    privately; stderr says where), 130 interrupted, 141 the reader of stdout went away.
    """
    command = "kith"
    try:
        # Parsing may raise UserFacingError too: contact ids are checked as they are read.
        args = parse(list(sys.argv[1:] if argv is None else argv))
        if args.command is None:
            build_parser(None).print_help(sys.stderr)
            return 2
        command = f"kith {args.command}"
        # The log is set up once a command runs (`--help` and `--version` log nothing): the
        # private file, and warnings on stderr without tracebacks.
        _configure_log()
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
            print(f"kith: {_log_bug(exc, command)}", file=sys.stderr)
            return 70
        print(f"kith: {sentence}", file=sys.stderr)
        if exc.filename is None:  # stdout failed: keep Python from failing again at exit
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as exc:
        # A bug: its traceback may quote contact data, so it goes to the private log only.
        print(f"kith: {_log_bug(exc, command)}", file=sys.stderr)
        return 70
