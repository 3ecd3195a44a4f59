"""The command line starts fast: each command imports only what it uses.

Checked by what a real process has imported when it exits (its `sys.modules`), never by
timing; `bench/bench_cli.py` measures the time.
"""

from __future__ import annotations

import contextlib
import io
from importlib import metadata
from pathlib import Path

import pytest

from app.cli.main import COMMAND_MODULES, EVERY_COMMAND, build_parser
from tests.conftest import PASSPHRASE, CliRunner, run_python

DATABASE_CODE = ("sqlalchemy", "sqlcipher3", "alembic", "phonenumbers", "vobject", "keyring")
"""What `kith --help` must not import: the database, its key, the file formats."""
NEVER_FOR_A_LISTING = ("vobject", "alembic", "PySide6", "rapidfuzz", "charset_normalizer")
"""What `kith list` does not use: the file formats, migrations, the window, dedupe."""
COLUMNS = "100"
"""One terminal width for every help text compared (argparse wraps to it)."""


MODULES_AT_EXIT = """
import runpy, sys
sys.argv = ["kith", *sys.argv[1:]]
try:
    runpy.run_module("app", run_name="__main__", alter_sys=True)
finally:
    with open(OUT, "w") as out:
        out.write("\\n".join(sorted(sys.modules)))
"""


def imported(*args: str, env: dict[str, str] | None = None, tmp: Path) -> tuple[set[str], str]:
    """The modules a real `python -m app ARGS...` has imported when it exits, and its stdout."""
    listing = tmp / "modules.txt"
    code = MODULES_AT_EXIT.replace("OUT", repr(str(listing)))
    result = run_python("-c", code, *args, env={"COLUMNS": COLUMNS, **(env or {})})
    assert result.returncode == 0, result.stderr[-2000:]
    modules = set(listing.read_text().splitlines())
    assert "app.cli.main" in modules  # the listing is real: it names what ran
    return modules, result.stdout


def heavy(modules: set[str], packages: tuple[str, ...]) -> set[str]:
    return {m for m in modules if m.split(".")[0] in packages}


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["-h"]])
def test_help_and_version_import_no_database_code(args: list[str], tmp_path: Path) -> None:
    modules, out = imported(*args, tmp=tmp_path)
    assert out.startswith("usage: kith") or out.startswith("kith ")
    assert heavy(modules, DATABASE_CODE) == set()
    # Nor Kith's own services, storage or formats, nor a command module, nor the log.
    ours = {m for m in modules if m.startswith("app.")}
    assert ours <= {"app.cli", "app.cli.main", "app.core", "app.core.errors"}


def test_a_command_help_imports_only_its_own_module(tmp_path: Path) -> None:
    modules, out = imported("show", "--help", tmp=tmp_path)
    assert out.startswith("usage: kith show")
    assert "app.cli.contact_commands" in modules
    assert "app.cli.transfer_commands" not in modules
    assert "app.cli.store_commands" not in modules


def test_listing_imports_the_database_but_not_the_file_formats(
    kith: CliRunner, db_path: Path, tmp_path: Path
) -> None:
    assert kith("add", "--given", "Ann", "--family", "Lee").returncode == 0
    modules, out = imported(
        "--db", str(db_path), "list", "--search", "lee",
        env={"KITH_PASSPHRASE": PASSPHRASE}, tmp=tmp_path,
    )  # fmt: skip
    assert "Ann Lee" in out
    assert "sqlcipher3" in {m.split(".")[0] for m in modules}
    assert heavy(modules, NEVER_FOR_A_LISTING) == set()
    # Opening an up-to-date database reads its version; it neither migrates nor maps the ORM
    # (nor imports SQLAlchemy at all: test_cli_list_imports).
    assert "sqlalchemy.orm" not in modules
    assert not {m for m in modules if m.startswith("app.core.formats")}


def _help(parser_args: list[str], command: str | None = EVERY_COMMAND) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        build_parser(command).parse_args(parser_args)
    return out.getvalue()


def every_command() -> list[str]:
    return ["init", *(name for entry in COMMAND_MODULES for name in entry.commands)]


def test_the_help_of_kith_is_the_help_of_every_command_defined(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The placeholders `kith --help` lists are the commands the modules define, in order."""
    monkeypatch.setenv("COLUMNS", COLUMNS)
    _, shown = imported("--help", tmp=tmp_path)
    assert shown == _help(["--help"])  # every module imported and registered
    for name in every_command():
        assert f"\n    {name}" in shown


@pytest.mark.parametrize("command", every_command())
def test_each_command_help_is_unchanged_by_lazy_loading(
    command: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("COLUMNS", COLUMNS)
    modules, shown = imported(command, "--help", tmp=tmp_path)
    assert shown.startswith(f"usage: kith {command}")
    assert shown == _help([command, "--help"])
    # Only the module that defines the command was imported to show its help.
    own = {e.module for e in COMMAND_MODULES if command in e.commands}
    assert modules & {e.module for e in COMMAND_MODULES} == own


def test_an_unknown_command_is_refused_as_before(kith: CliRunner) -> None:
    result = kith("lst")
    assert result.returncode == 2
    assert "invalid choice: 'lst'" in result.stderr
    for name in every_command():
        assert f"'{name}'" in result.stderr


def test_options_before_the_command_still_work(kith: CliRunner, db_path: Path) -> None:
    """The first pass reads `--db` (even abbreviated, as argparse allows) past placeholders."""
    assert kith("add", "--given", "Bo").returncode == 0
    result = kith("list", "--db", str(db_path))  # --db belongs before the command
    assert result.returncode == 2 and "unrecognized arguments: --db" in result.stderr
    result = run_python(
        "-m", "app", "--d", str(db_path), "list", env={"KITH_PASSPHRASE": PASSPHRASE}
    )
    assert result.returncode == 0, result.stderr
    assert "Bo" in result.stdout


def test_version_is_the_package_version(tmp_path: Path) -> None:
    _, out = imported("--version", tmp=tmp_path)
    assert out == f"kith {metadata.version('kith')}\n"
