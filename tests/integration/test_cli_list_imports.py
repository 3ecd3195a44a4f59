"""The read-only commands read without SQLAlchemy, and every command derives the key once.

Checked in real `kith` processes: what they have imported when they exit (`sys.modules`), and
how many SQLCipher connections they opened (each one pays the passphrase's key derivation).
Never by timing; `bench/bench_cli.py` measures the time.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE, CliRunner, run_python
from tests.integration.test_cli_start import heavy, imported

NOT_FOR_READING = ("sqlalchemy", "alembic")
"""What a command that only reads an up-to-date database has no use for."""

NOT_FOR_A_PASSPHRASE_LISTING = ("keyring", "secretstorage", "phonenumbers")
"""What `kith list --search NAME` with KITH_PASSPHRASE set has no use for: the passphrase
opens the database before the keyring is asked, and a name is searched without parsing phones."""

NOT_FOR_A_LISTING = (
    "app.core.storage.bulk_changes",
    "app.core.storage.bulk_journal",
    "app.core.services.segment_catalogue",
    "app.core.services.segments",
    "logging.handlers",
)
"""Kith's own modules a listing never runs: bulk changes, the segment catalogue, the log file."""

COUNTING = """
import runpy, sys
import sqlcipher3.dbapi2 as dbapi
opened = []
connect = dbapi.connect
def counting(*args, **kwargs):
    opened.append(args[0])
    return connect(*args, **kwargs)
dbapi.connect = counting
sys.argv = ["kith", *sys.argv[1:]]
try:
    runpy.run_module("app", run_name="__main__", alter_sys=True)
finally:
    with open(OUT, "w") as out:
        out.write(f"{len(opened)} {sorted(sys.modules).count('sqlalchemy')}")
"""


def connections(*args: str, tmp: Path) -> tuple[int, bool, subprocess.CompletedProcess[str]]:
    """How many SQLCipher connections a real `kith ARGS...` opened, and if it used SQLAlchemy."""
    report = tmp / "connections.txt"
    code = COUNTING.replace("OUT", repr(str(report)))
    result = run_python("-c", code, *args, env={"KITH_PASSPHRASE": PASSPHRASE})
    assert result.returncode == 0, result.stderr[-2000:]
    opened, used = report.read_text().split()
    return int(opened), used == "1", result


@pytest.fixture
def two_contacts(kith: CliRunner) -> None:
    for given, family in (("Ann", "Lee"), ("Bo", "Lind")):
        assert kith("add", "--given", given, "--family", family).returncode == 0


@pytest.mark.usefixtures("two_contacts")
@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (["list", "--search", "lee"], "Ann Lee"),
        (["list", "--search", "lee", "--json"], '"Ann"'),
        (["list"], "Bo Lind"),
        (["show", "1"], "Ann Lee"),
        (["show", "2", "--json"], '"Lind"'),
    ],
)
def test_reading_imports_no_sqlalchemy(
    args: list[str], shown: str, db_path: Path, tmp_path: Path
) -> None:
    modules, out = imported(
        "--db", str(db_path), *args, env={"KITH_PASSPHRASE": PASSPHRASE}, tmp=tmp_path
    )
    assert shown in out
    assert "sqlcipher3" in {m.split(".")[0] for m in modules}  # it did open the database
    assert heavy(modules, NOT_FOR_READING) == set()


@pytest.mark.usefixtures("two_contacts")
@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_a_passphrase_listing_imports_only_what_it_runs(
    json_flag: list[str], db_path: Path, tmp_path: Path
) -> None:
    """`bench/bench_cli.py` weighs these against khard; here only that they are not imported."""
    modules, out = imported(
        "--db", str(db_path), "list", "--search", "lee", *json_flag,
        env={"KITH_PASSPHRASE": PASSPHRASE}, tmp=tmp_path,
    )  # fmt: skip
    assert "Ann" in out
    assert heavy(modules, NOT_FOR_A_PASSPHRASE_LISTING) == set()
    assert modules.isdisjoint(NOT_FOR_A_LISTING)


@pytest.mark.usefixtures("two_contacts")
def test_the_json_read_without_sqlalchemy_is_the_whole_contact(
    kith: CliRunner, db_path: Path, tmp_path: Path
) -> None:
    """Rows read raw make the same contacts: every field of the JSON comes back."""
    assert kith("add", "--given", "Cy", "--email", "cy@example.org").returncode == 0
    _, out = imported(
        "--db", str(db_path), "list", "--search", "cy", "--json",
        env={"KITH_PASSPHRASE": PASSPHRASE}, tmp=tmp_path,
    )  # fmt: skip
    listed = json.loads(out)
    assert [c["name"]["given"] for c in listed] == ["Cy"]
    assert [e["value"] for e in listed[0]["emails"]] == ["cy@example.org"]


@pytest.mark.usefixtures("two_contacts")
@pytest.mark.parametrize(
    ("args", "writes"),
    [
        (["list", "--search", "lee"], False),
        (["show", "1", "--json"], False),
        (["add", "--given", "Dee"], True),  # reads (opening), then writes
        (["delete", "1"], True),
    ],
)
def test_a_command_derives_the_key_once(
    args: list[str], writes: bool, db_path: Path, tmp_path: Path
) -> None:
    """One connection a process: the write reuses the connection the reads opened."""
    opened, used_sqlalchemy, result = connections("--db", str(db_path), *args, tmp=tmp_path)
    assert opened == 1, result.stderr
    assert used_sqlalchemy == writes
