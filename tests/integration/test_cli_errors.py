"""Bad input and bugs on the command line: sentences, exit codes, a private log, no leaks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.storage.database import Database
from app.core.storage.engine import DatabaseKey
from tests.conftest import NULL_KEYRING, PASSPHRASE, CliRunner, run_python


def run_kith(*args: str, umask: int | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    """The real CLI with no `--db` of the fixture's (and an optional umask)."""
    return run_python(
        "-m", "app", *args, env={"KITH_PASSPHRASE": PASSPHRASE, **env},
        preexec_fn=None if umask is None else (lambda: os.umask(umask)),
    )  # fmt: skip


def add(kith: CliRunner, *args: str) -> int:
    result = kith("add", *args, "--json")
    assert result.returncode == 0, result.stderr
    return int(json.loads(result.stdout)["id"])


def assert_sentence(result: subprocess.CompletedProcess[str], phrase: str) -> None:
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert phrase in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("args", "phrase"),
    [
        (("show", "99999999999999999999"), "No contact with id 99999999999999999999"),
        (("show", "abc"), "'abc' is not a contact id"),
        (("show", "-3"), "'-3' is not a contact id"),
        (("delete", "abc"), "'abc' is not a contact id"),
        (("delete", "1", "99999999999999999999"), "No contact with id 99999999999999999999"),
        (("restore-deleted", "1.5"), "'1.5' is not a contact id"),
    ],
)
def test_bad_ids_are_sentences(kith: CliRunner, args: tuple[str, ...], phrase: str) -> None:
    add(kith, "--given", "Ann")
    assert_sentence(kith(*args), phrase)


def test_a_bug_is_logged_privately_without_contact_data(
    kith: CliRunner, db_path: Path, tmp_path: Path
) -> None:
    contact_id = add(kith, "--given", "Zelda", "--family", "Quux-Marlowe",
                     "--email", "zelda.quux@example.org", "--note", "owes me lunch")  # fmt: skip
    # Damage the row so that reading it fails inside Kith with the contact's data in the
    # exception (a date that cannot be parsed, quoted in ValueError's message).
    db = Database.open(db_path, DatabaseKey(passphrase=PASSPHRASE))
    with db.write() as conn:
        conn.exec_driver_sql(
            "UPDATE contacts SET birthday = ? WHERE id = ?",
            ("Zelda Quux-Marlowe zelda.quux@example.org owes me lunch", contact_id),
        )
    db.close()
    logs = tmp_path / "logs"
    for args in (("show", str(contact_id)), ("list", "--json")):
        result = kith(*args, KITH_LOG_DIR=str(logs))
        assert result.returncode == 70, result.stderr
        log_file = logs / "kith.log"
        assert result.stderr.strip() == (
            f"kith: An error in Kith was logged to {log_file}; please report it."
        )
        assert result.stdout == ""
    text = log_file.read_text()
    assert "ValueError" in text and "dates.py" in text  # what the bug was, and where
    for secret in ("Zelda", "zelda", "Quux", "Marlowe", "example.org", "lunch", "owes"):
        assert secret not in text
    assert (logs.stat().st_mode & 0o777) == 0o700
    assert (log_file.stat().st_mode & 0o777) == 0o600


@pytest.mark.parametrize(
    "args",
    [
        ("list",),
        ("show", "1"),
        ("export",),
        ("backup",),
        ("undo",),
        ("delete", "1"),
        ("restore-deleted", "1"),
        ("set-region", "DE"),
        ("import", "--dry-run", "any.vcf"),  # a dry run stores nothing, so creates nothing
    ],
)
def test_reading_a_missing_database_says_so_and_creates_nothing(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    typo = tmp_path / "tpyo" / "deeper" / "kith.db"
    result = run_kith("--db", str(typo), *args, KITH_LOG_DIR=str(tmp_path / "logs"))
    assert_sentence(
        result, f"No Kith database at {typo}; check --db, or run `kith init` to create one."
    )
    assert result.stdout == ""
    assert not (tmp_path / "tpyo").exists()


def test_writing_commands_and_init_create_the_database_and_say_so(tmp_path: Path) -> None:
    fresh = tmp_path / "new" / "kith.db"
    result = run_kith("--db", str(fresh), "add", "--given", "Ann")
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == f"kith: Created a new Kith database at {fresh}."
    again = run_kith("--db", str(fresh), "add", "--given", "Bob")
    assert again.returncode == 0 and again.stderr == ""

    cards = tmp_path / "one.vcf"
    cards.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cy\r\nN:;Cy;;;\r\nEND:VCARD\r\n")
    imported = tmp_path / "imported.db"
    result = run_kith("--db", str(imported), "import", str(cards))
    assert result.returncode == 0, result.stderr
    assert f"Created a new Kith database at {imported}." in result.stderr

    made = tmp_path / "made" / "kith.db"
    result = run_kith("--db", str(made), "init")
    assert result.returncode == 0, result.stderr
    assert f"Created a new Kith database at {made}." in result.stdout + result.stderr
    listed = run_kith("--db", str(made), "list", "--json")
    assert listed.returncode == 0 and json.loads(listed.stdout) == []
    result = run_kith("--db", str(made), "init")
    assert result.returncode == 0
    assert f"There is a Kith database at {made} already" in result.stdout + result.stderr


def test_folders_are_private_whatever_the_umask(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "kith.db"
    result = run_kith("--db", str(target), "add", "--given", "Ann", umask=0)
    assert result.returncode == 0, result.stderr
    for folder in (tmp_path / "a", tmp_path / "a" / "b"):
        assert (folder.stat().st_mode & 0o777) == 0o700, folder
    assert (target.stat().st_mode & 0o777) == 0o600


def test_no_op_restore_records_nothing_and_keeps_redo(kith: CliRunner) -> None:
    ann = add(kith, "--given", "Ann")
    bob = add(kith, "--given", "Bob")
    assert kith("delete", str(ann)).returncode == 0
    assert kith("undo").stdout.startswith("Undo Delete")
    result = kith("restore-deleted", str(bob))  # Bob is not in the trash
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Nothing to restore."
    assert kith("redo").stdout.startswith("Redo Delete 1 contact")


def test_repeated_ids_count_once(kith: CliRunner) -> None:
    ann = add(kith, "--given", "Ann")
    result = kith("delete", str(ann), str(ann), str(ann))
    assert result.stdout.strip() == "Delete 1 contact."
    assert kith("delete", str(ann)).stdout.strip() == "Nothing to delete."


def test_control_characters_are_refused_with_the_field_named(kith: CliRunner) -> None:
    assert_sentence(kith("add", "--given", "Red\x1b[31m"), "given name")
    assert_sentence(kith("add", "--given", "A", "--title", "Boss\nInjected"), "title")
    ok = kith("add", "--given", "A", "--note", "line one\nline two\tand a tab", "--json")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["notes"] == "line one\nline two\tand a tab"


def test_regions_are_checked_and_unreadable_numbers_reported(kith: CliRunner) -> None:
    result = kith("set-region", "uk")
    assert result.returncode == 0, result.stderr
    assert "GB" in result.stdout
    assert_sentence(kith("set-region", "XX"), "'XX' is not a country code")
    assert_sentence(kith("add", "--given", "A", "--region", "ZZ"), "'ZZ' is not a country code")
    added = kith("add", "--given", "Ann", "--phone", "020 7946 0958", "--phone", "12", "--json")
    assert added.returncode == 0, added.stderr
    phones = json.loads(added.stdout)["phones"]
    assert [p["e164"] for p in phones] == ["+442079460958", ""]  # read as GB, not as "UK"
    assert added.stderr.count("\n") == 1 and "'12'" in added.stderr
    assert "too few or too many digits" in added.stderr


def test_file_and_disk_errors_are_sentences(kith: CliRunner, tmp_path: Path) -> None:
    add(kith, "--given", "Zelda", "--note", "secret note")
    folder = tmp_path / "a folder"
    folder.mkdir()
    result = kith("export", "-o", str(folder))
    assert_sentence(result, f"{folder} is a folder; choose a file name for the export")
    assert "Zelda" not in result.stderr


@pytest.mark.skipif(not Path("/dev/full").is_char_device(), reason="no /dev/full here")
def test_a_full_disk_under_stdout_is_a_sentence(db_path: Path) -> None:
    run_kith("--db", str(db_path), "add", "--given", "Zelda", "--note", "secret note")
    for args in (("list",), ("list", "--json"), ("export",)):
        environ = {k: v for k, v in os.environ.items() if not k.startswith("KITH_")}
        environ.update(PYTHON_KEYRING_BACKEND=NULL_KEYRING, KITH_PASSPHRASE=PASSPHRASE)
        with open("/dev/full", "w") as full:
            result = subprocess.run(
                [sys.executable, "-m", "app", "--db", str(db_path), *args],
                stdout=full,
                stderr=subprocess.PIPE,
                text=True,
                env=environ,
                timeout=120,
                check=False,
            )
        assert result.returncode == 1, result.stderr
        assert result.stderr.strip() in (
            "kith: Kith could not write its output: the disk is full; free some space and try "
            "again.",
            "kith: Kith could not write the export: the disk is full; free some space and try "
            "again.",
        )


def test_listing_never_sends_control_characters_to_the_terminal(
    kith: CliRunner, db_path: Path
) -> None:
    contact_id = add(kith, "--given", "Eve", "--note", "two\nlines")
    db = Database.open(db_path, DatabaseKey(passphrase=PASSPHRASE))
    with db.write() as conn:  # as a card from elsewhere may carry them
        conn.exec_driver_sql(
            "UPDATE contacts SET given = ?, display_name = ? WHERE id = ?",
            ("Eve\x1b]0;pwned\x07", "Eve\x1b]0;pwned\x07", contact_id),
        )
    db.close()
    for args in (("list",), ("show", str(contact_id))):
        result = kith(*args)
        assert result.returncode == 0, result.stderr
        assert "Eve\ufffd]0;pwned\ufffd" in result.stdout
        assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "two\n" in kith("show", str(contact_id)).stdout  # a note's lines stay lines
