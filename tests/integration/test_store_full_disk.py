"""A full disk: reading, searching and exporting go on; writes fail with a sentence.

The disk is a small tmpfs the test mounts (it needs root); without one the test skips, unless
KITH_REQUIRE_TMPFS=1 says the machine must have it (CI).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import CliRunner
from tests.integration.store_helpers import fill as fill_store
from tests.small_disk import fill, mounted


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 6 MB file system of its own, unmounted at the end."""
    with mounted(tmp_path / "small", "6m") as where:
        yield where


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_full_disk_leaves_the_database_readable(
    kith: CliRunner, db_path: Path, small_disk: Path, tmp_path: Path
) -> None:
    fill_store(db_path, 200)
    moved = small_disk / "kith.db"
    shutil.copy2(db_path, moved)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return kith("--db", str(moved), *args)

    assert run("add", "--given", "Before", "--family", "Full").returncode == 0
    fill(small_disk)
    before = _sha256(moved)

    listed = run("list")
    assert listed.returncode == 0, listed
    assert len(listed.stdout.splitlines()) == 201
    found = run("list", "--search", "Before")
    assert found.returncode == 0 and "Before Full" in found.stdout
    out = tmp_path / "elsewhere.vcf"
    exported = run("export", "-o", str(out))
    assert exported.returncode == 0, exported
    assert out.read_text(encoding="utf-8").count("BEGIN:VCARD") == 201

    added = run("add", "--given", "After", "--note", "x" * 50_000)
    assert added.returncode == 1
    assert "disk is full" in added.stderr and "Traceback" not in added.stderr
    backed = run("backup", "-o", str(small_disk / "kith.bak"))
    assert backed.returncode == 1 and "Traceback" not in backed.stderr
    assert not (small_disk / "kith.bak").exists()
    assert _sha256(moved) == before

    (small_disk / "filler").unlink()
    after = run("list")
    assert after.returncode == 0 and "After" not in after.stdout
    assert len(after.stdout.splitlines()) == 201
    assert [p.name for p in small_disk.iterdir() if "partial" in p.name] == []
