"""Import and export faults a user can cause: one sentence on stderr, exit 1, no traceback and no
contact data on stderr."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.domain.contact import Contact, Name
from app.core.formats import write_contacts
from tests.conftest import NULL_KEYRING, PASSPHRASE, REPO, CliRunner
from tests.small_disk import mounted

SECRET = "Zebediah Quillfeather"  # a name that must never reach stderr


def _one_sentence(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 1, result
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith("kith: ") and result.stderr.count("\n") == 1, result.stderr
    assert "Zebediah" not in result.stderr


@pytest.fixture
def stocked(kith: CliRunner) -> CliRunner:
    given, family = SECRET.split()
    assert (
        kith("add", "--given", given, "--family", family, "--note", "secret note").returncode == 0
    )
    return kith


def test_export_onto_a_folder(stocked: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    result = stocked("export", "-o", str(folder))
    _one_sentence(result)
    assert "folder" in result.stderr
    assert list(folder.iterdir()) == []


def test_import_a_folder_as_vcard(stocked: CliRunner, tmp_path: Path) -> None:
    result = stocked("import", str(tmp_path), "--format", "vcard")
    _one_sentence(result)
    assert "folder" in result.stderr


def test_import_a_dangling_symlink_as_vcard(stocked: CliRunner, tmp_path: Path) -> None:
    link = tmp_path / "gone.vcf"
    link.symlink_to(tmp_path / "missing.vcf")
    result = stocked("import", str(link), "--format", "vcard")
    _one_sentence(result)
    assert "could not be read" in result.stderr


def test_import_an_unreadable_file_as_vcard(db_path: Path, tmp_path: Path) -> None:
    card = tmp_path / "locked.vcf"
    card.write_text(f"BEGIN:VCARD\r\nFN:{SECRET}\r\nEND:VCARD\r\n", encoding="utf-8")
    card.chmod(0o000)
    prefix: list[str] = []
    if os.geteuid() == 0:  # root reads through file modes: drop that power
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: file modes cannot be enforced")
        prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("KITH_")}
    env.update(KITH_PASSPHRASE=PASSPHRASE, PYTHON_KEYRING_BACKEND=NULL_KEYRING)
    result = subprocess.run(
        [*prefix, sys.executable, "-m", "app", "--db", str(db_path), "import", str(card),
         "--format", "vcard"],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=120, check=False,
    )  # fmt: skip
    _one_sentence(result)
    assert "Permission denied" in result.stderr


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MB tmpfs (it needs root), unmounted at the end."""
    with mounted(tmp_path / "tiny", "1m") as folder:
        yield folder


def test_export_onto_a_full_disk(kith: CliRunner, tiny_disk: Path, tmp_path: Path) -> None:
    given, family = SECRET.split()
    contacts = [
        Contact(name=Name(given=given, family=f"{family}{n}"), notes="a long note " * 10_000)
        for n in range(12)
    ]  # about 1.4 MB: more than the disk holds
    cards = tmp_path / "big.vcf"
    with cards.open("wb") as out:
        write_contacts(contacts, "vcard", out)
    assert kith("import", str(cards)).returncode == 0
    result = kith("export", "-o", str(tiny_disk / "contacts.vcf"))
    _one_sentence(result)
    assert "space" in result.stderr
    assert list(tiny_disk.iterdir()) == []


def test_export_to_dev_full(stocked: CliRunner, db_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KITH_")}
    env.update(KITH_PASSPHRASE=PASSPHRASE, PYTHON_KEYRING_BACKEND=NULL_KEYRING)
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            [sys.executable, "-m", "app", "--db", str(db_path), "export"],
            stdout=full, stderr=subprocess.PIPE, text=True, env=env, cwd=REPO, timeout=120,
            check=False,
        )  # fmt: skip
    _one_sentence(result)
    assert "space" in result.stderr
