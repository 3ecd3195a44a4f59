"""`python -m app` / `kith`: no subcommand opens the window; a subcommand runs the CLI."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def wants_window(args: Sequence[str]) -> bool:
    """Whether the arguments are at most `--db PATH`, i.e. name no subcommand."""
    rest = list(args)
    if rest[:1] == ["--db"]:
        rest = rest[2:]
    elif rest and rest[0].startswith("--db="):
        rest = rest[1:]
    return not rest


def main(argv: Sequence[str] | None = None) -> int:
    """Open the window, or run a subcommand."""
    if getattr(sys, "frozen", False):
        # The vCard reader parses big files in worker processes; a frozen build needs this.
        # (Imported only there: every start of the command line would pay for it.)
        import multiprocessing  # noqa: PLC0415

        multiprocessing.freeze_support()
    args = list(sys.argv[1:] if argv is None else argv)
    if wants_window(args):
        from app.core import logging_setup  # noqa: PLC0415
        from app.ui.app import run  # noqa: PLC0415 - Qt is loaded only for the window

        # Before anything can fail: the private log, and warnings on stderr without tracebacks.
        logging_setup.configure()

        # An exception in a slot reaches sys.excepthook: log it privately, not on stderr.
        logging_setup.install_excepthook()
        return int(run(args))
    # The command line sets up the log itself, once it knows a command will run: `kith --help`
    # and `kith --version` import no more than they need.
    from app.cli import main as cli_main  # noqa: PLC0415

    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
