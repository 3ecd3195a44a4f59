"""`kith export -o` onto a device, a FIFO or a symlink writes into it and never replaces it."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from tests.conftest import CliRunner


def _mknod_char(path: Path, major: int, minor: int) -> None:
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(major, minor))
    except PermissionError:
        pytest.skip("creating a device node needs root")


def test_a_device_is_written_into_not_replaced(kith: CliRunner, tmp_path: Path) -> None:
    assert kith("add", "--given", "Ann", "--family", "Lee").returncode == 0
    null, full = tmp_path / "null", tmp_path / "full"
    _mknod_char(null, 1, 3)
    _mknod_char(full, 1, 7)
    done = kith("export", "-o", str(null))
    assert done.returncode == 0, done.stderr
    assert stat.S_ISCHR(null.stat().st_mode)
    failed = kith("export", "-o", str(full))
    assert failed.returncode == 1
    assert "the disk is full" in failed.stderr and "Traceback" not in failed.stderr
    assert stat.S_ISCHR(full.stat().st_mode)


def test_a_fifo_gets_the_export_and_stays_a_fifo(kith: CliRunner, tmp_path: Path) -> None:
    assert kith("add", "--given", "Ann", "--family", "Lee").returncode == 0
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    done = kith("export", "-o", str(fifo))
    reader.join(timeout=30)
    assert done.returncode == 0, done.stderr
    if reader.is_alive():  # the export never opened the FIFO: let the reader go
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    assert received and b"FN:Ann Lee" in received[0]
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_symlink_keeps_pointing_at_the_new_export(kith: CliRunner, tmp_path: Path) -> None:
    assert kith("add", "--given", "Ann", "--family", "Lee").returncode == 0
    real = tmp_path / "real.vcf"
    real.write_text("old")
    link = tmp_path / "link.vcf"
    link.symlink_to(real)
    assert kith("export", "-o", str(link)).returncode == 0
    assert link.is_symlink()
    assert "FN:Ann Lee" in real.read_text(encoding="utf-8")
