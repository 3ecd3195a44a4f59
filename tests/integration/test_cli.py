"""The command line as scripts use it: a real subprocess on a real encrypted database."""

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from faker import Faker

from app.core.formats import write_contacts
from tests.conftest import NULL_KEYRING, PASSPHRASE, CliRunner, make_contact


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def add(kith: CliRunner, *args: str) -> dict[str, object]:
    result = kith("add", *args, "--json")
    assert result.returncode == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_add_show_list_json_shapes(kith: CliRunner) -> None:
    ann = add(kith, "--given", "Ann", "--family", "Ôlsen", "--email", "ann@example.org",
              "--phone", "+44 20 7946 0958", "--org", "Acme", "--birthday=--03-04",
              "--tag", "vip", "--note", "likes tea")  # fmt: skip
    assert ann["display_name"] == "Ann Ôlsen"
    assert ann["name"] == {
        "prefix": "",
        "given": "Ann",
        "middle": "",
        "family": "Ôlsen",
        "suffix": "",
    }
    assert ann["emails"] == [{"value": "ann@example.org", "label": ""}]
    assert ann["phones"] == [{"value": "+44 20 7946 0958", "e164": "+442079460958", "label": ""}]
    assert ann["birthday"] == "--03-04" and ann["tags"] == ["vip"] and ann["org"] == "Acme"
    for key in ("id", "nickname", "addresses", "title", "anniversary", "urls", "notes", "custom"):
        assert key in ann

    shown = json.loads(kith("show", str(ann["id"]), "--json").stdout)
    assert shown == ann
    add(kith, "--given", "Bob", "--family", "Smith")
    listed = json.loads(kith("list", "--json").stdout)
    assert [c["display_name"] for c in listed] == ["Ann Ôlsen", "Bob Smith"]
    found = json.loads(kith("list", "--search", "olsen", "--json").stdout)
    assert [c["id"] for c in found] == [ann["id"]]
    tagged = json.loads(kith("list", "--tag", "vip", "--json").stdout)
    assert [c["id"] for c in tagged] == [ann["id"]]
    text = kith("show", str(ann["id"])).stdout
    assert "Ann Ôlsen" in text and "+442079460958" in text


def test_delete_restore_deleted_and_undo(kith: CliRunner) -> None:
    ann = add(kith, "--given", "Ann")
    bob = add(kith, "--given", "Bob")
    assert kith("delete", str(ann["id"]), str(bob["id"])).returncode == 0
    assert json.loads(kith("list", "--json").stdout) == []
    assert kith("restore-deleted", str(bob["id"])).returncode == 0
    assert [c["id"] for c in json.loads(kith("list", "--json").stdout)] == [bob["id"]]
    assert kith("undo").returncode == 0  # the restore
    assert kith("undo").returncode == 0  # the delete
    assert len(json.loads(kith("list", "--json").stdout)) == 2
    assert kith("undo").stdout.startswith("Undo Add")
    assert kith("undo").returncode == 0
    assert kith("undo").stdout.strip() == "Nothing to undo."


def test_backup_and_restore(kith: CliRunner, tmp_path: Path) -> None:
    add(kith, "--given", "Kept")
    dest = tmp_path / "kith.backup"
    assert kith("backup", "-o", str(dest)).returncode == 0
    add(kith, "--given", "Later")
    result = kith("restore", str(dest))
    assert result.returncode == 0, result.stderr
    assert [c["display_name"] for c in json.loads(kith("list", "--json").stdout)] == ["Kept"]


def test_errors_are_one_sentence_on_stderr_and_change_nothing(
    kith: CliRunner, db_path: Path
) -> None:
    add(kith, "--given", "Ann")
    before = sha256(db_path)
    cases = [
        (kith("list", passphrase="wrong"), "Wrong passphrase"),
        (kith("list", passphrase=None), "KITH_PASSPHRASE"),
        (kith("show", "999"), "No contact with id 999"),
        (kith("add", "--given", "X", "--email", "not-an-email"), "not an email address"),
        (kith("add", "--given", "X", "--birthday", "31.02.2020"), "not in month"),
        (kith("delete", "12345"), "No contact with id 12345"),
        (kith("restore", "/nonexistent/backup"), "There is no backup"),
    ]
    for result, phrase in cases:
        assert result.returncode == 1, result
        assert phrase in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
        assert result.stdout == ""
        assert len(result.stderr.strip().splitlines()) == 1
    assert sha256(db_path) == before


def test_not_a_kith_file_is_refused_unchanged(kith: CliRunner, tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("hello\n" * 500)
    before = sha256(other)
    result = kith("--db", str(other), "list")
    assert result.returncode == 1
    assert "not a Kith database" in result.stderr and "Traceback" not in result.stderr
    assert sha256(other) == before


def test_database_comes_from_kith_db_and_new_files_use_the_passphrase(
    kith: CliRunner, tmp_path: Path
) -> None:
    target = tmp_path / "fresh" / "contacts.db"
    result = kith("--db", str(target), "add", "--given", "Zed")
    assert result.returncode == 0, result.stderr
    assert target.exists() and (target.stat().st_mode & 0o777) == 0o600
    via_env = kith("list", "--json", KITH_DB=str(target))
    # --db from the fixture wins over KITH_DB, as the contract orders them.
    assert json.loads(via_env.stdout) == []


def test_change_passphrase(kith: CliRunner) -> None:
    add(kith, "--given", "Ann")
    result = kith("change-passphrase", KITH_NEW_PASSPHRASE="second secret")
    assert result.returncode == 0, result.stderr
    assert kith("list").returncode == 1
    assert "Ann" in kith("list", passphrase="second secret").stdout


def test_python_dash_m_and_help(kith: CliRunner) -> None:
    result = kith("--help")
    assert result.returncode == 0 and "restore-deleted" in result.stdout


def test_a_reader_that_stops_early_is_no_error(
    kith: CliRunner, db_path: Path, tmp_path: Path, fake: Faker
) -> None:
    cards = tmp_path / "cards.vcf"
    with cards.open("wb") as out:  # more JSON than a pipe holds, so the writer meets the end
        write_contacts([make_contact(fake, n) for n in range(300)], "vcard", out)
    assert kith("import", str(cards)).returncode == 0
    environ = {k: v for k, v in os.environ.items() if not k.startswith("KITH_")}
    environ.update(PYTHON_KEYRING_BACKEND=NULL_KEYRING, KITH_PASSPHRASE=PASSPHRASE)
    kith_list = subprocess.Popen(
        [sys.executable, "-m", "app", "--db", str(db_path), "list", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environ,
    )
    assert kith_list.stdout is not None and kith_list.stderr is not None
    assert kith_list.stdout.read(10).startswith(b"[")
    kith_list.stdout.close()  # as `kith list --json | head -c 10` does
    stderr = kith_list.stderr.read().decode()
    kith_list.stderr.close()
    assert kith_list.wait(timeout=60) == 141
    assert stderr == ""
