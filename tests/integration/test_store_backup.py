"""Backups that are verified before Kith says they exist; damage told apart from a wrong key."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE, CliRunner
from tests.integration.store_helpers import fill, flip_bytes, sound_count


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if "partial" in p.name or "restoring" in p.name)


def test_backup_of_a_damaged_database_is_refused(
    kith: CliRunner, db_path: Path, tmp_path: Path
) -> None:
    fill(db_path, 3000)
    assert db_path.stat().st_size > 1_100_000
    flip_bytes(db_path, 1_000_000)
    dest = tmp_path / "out" / "kith.bak"
    result = kith("backup", "-o", str(dest))
    assert result.returncode == 1, result
    assert "Backed up" not in result.stdout
    assert "damaged" in result.stderr and "Traceback" not in result.stderr
    assert not dest.exists()
    assert _leftovers(tmp_path) == []


def test_backup_taken_before_a_passphrase_change_restores(
    kith: CliRunner, db_path: Path, tmp_path: Path
) -> None:
    fill(db_path, 4)
    old = tmp_path / "old.bak"
    assert kith("backup", "-o", str(old)).returncode == 0
    fill(db_path, 2, start=50)
    changed = kith("change-passphrase", KITH_NEW_PASSPHRASE="a new one")
    assert changed.returncode == 0, changed
    refused = kith("restore", str(old), passphrase="a new one")
    assert refused.returncode == 1
    assert "KITH_BACKUP_PASSPHRASE" in refused.stderr and "Traceback" not in refused.stderr
    restored = kith("restore", str(old), passphrase="a new one", KITH_BACKUP_PASSPHRASE=PASSPHRASE)
    assert restored.returncode == 0, restored
    listed = kith("list", "--json", passphrase="a new one")
    assert listed.returncode == 0, listed
    assert listed.stdout.count('"display_name"') == 4
    # The restored file is under the current passphrase, not the backup's.
    assert kith("list", passphrase=PASSPHRASE).returncode == 1


def test_damaged_first_page_is_not_called_a_wrong_passphrase(
    kith: CliRunner, db_path: Path
) -> None:
    fill(db_path, 20)
    flip_bytes(db_path, 100)
    result = kith("list")
    assert result.returncode == 1
    assert "damaged" in result.stderr and "restore" in result.stderr
    assert "Wrong passphrase" not in result.stderr and "Traceback" not in result.stderr
    # A wrong passphrase on the same file is still called one.
    wrong = kith("list", passphrase="not the passphrase")
    assert wrong.returncode == 1 and "Wrong passphrase" in wrong.stderr


def test_damaged_second_page_gives_a_sentence(kith: CliRunner, db_path: Path) -> None:
    fill(db_path, 20)
    flip_bytes(db_path, 4096 + 100)
    for command in (["list"], ["show", "1"], ["add", "--given", "Ann"]):
        result = kith(*command)
        assert result.returncode == 1, (command, result)
        assert "damaged" in result.stderr and "Traceback" not in result.stderr


def test_a_truncated_backup_is_refused_with_a_sentence(
    kith: CliRunner, db_path: Path, tmp_path: Path
) -> None:
    fill(db_path, 2000)
    good = tmp_path / "good.bak"
    assert kith("backup", "-o", str(good)).returncode == 0
    cut = tmp_path / "cut.bak"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    result = kith("restore", str(cut))
    assert result.returncode == 1, result
    assert "damaged or incomplete" in result.stderr and "Traceback" not in result.stderr
    assert sound_count(db_path) == 2000


@pytest.mark.parametrize("offset", [100, 1_000_000], ids=["first page", "a later page"])
def test_a_damaged_database_can_be_restored_and_is_kept(
    kith: CliRunner, db_path: Path, tmp_path: Path, offset: int
) -> None:
    fill(db_path, 3000)
    good = tmp_path / "good.bak"
    assert kith("backup", "-o", str(good)).returncode == 0
    fill(db_path, 5, start=9000)
    flip_bytes(db_path, offset)
    damaged = db_path.read_bytes()
    result = kith("restore", str(good))
    assert result.returncode == 0, result
    assert "Traceback" not in result.stderr
    assert sound_count(db_path) == 3000
    kept = list((db_path.parent / "backups").glob("kith.db.damaged-*"))
    assert [p.read_bytes() == damaged for p in kept if not p.name.endswith("-wal")] == [True]
    assert _leftovers(db_path.parent) == []
