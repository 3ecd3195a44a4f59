"""The vCard reader's worker processes die with `kith import` when it is killed (issue 9)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.vcard_gen import write_vcards
from tests.conftest import NULL_KEYRING, PASSPHRASE, REPO

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")


def _parents() -> dict[int, int]:
    """pid -> parent pid of every live (not zombie) process."""
    found: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        state, ppid = stat.rsplit(")", 1)[1].split()[:2]
        if state != "Z":
            found[int(entry.name)] = int(ppid)
    return found


def _descendants(root: int) -> set[int]:
    parents = _parents()
    found: set[int] = set()
    frontier = {root}
    while frontier:
        frontier = {pid for pid, ppid in parents.items() if ppid in frontier} - found
        found |= frontier
    return found


def _wait_for(condition: object, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.timeout(180)
def test_workers_die_when_import_is_killed(db_path: Path, tmp_path: Path) -> None:
    big = tmp_path / "big.vcf"
    write_vcards(big, 40_000)
    env = {k: v for k, v in os.environ.items() if not k.startswith("KITH_")}
    env |= {"PYTHON_KEYRING_BACKEND": NULL_KEYRING, "KITH_PASSPHRASE": PASSPHRASE}
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", "--db", str(db_path), "import", str(big)],
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    spawned: set[int] = set()
    try:
        # The forkserver and two workers (and the resource tracker): at least three.
        assert _wait_for(lambda: len(_descendants(proc.pid)) >= 3, 120), "no workers started"
        spawned = _descendants(proc.pid)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        assert _wait_for(lambda: not (spawned & set(_parents())), 10), (
            f"still running after the import was killed: {sorted(spawned & set(_parents()))}"
        )
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for pid in spawned & set(_parents()):  # only what this test started
            os.kill(pid, signal.SIGKILL)
