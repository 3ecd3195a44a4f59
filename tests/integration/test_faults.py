"""Faults a user's machine has: a killed process, a full disk, a read-only file.

Each runs the real program in a child process and checks the database file afterwards.
"""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.storage.engine import DatabaseKey
from tests.conftest import NULL_KEYRING, PASSPHRASE, REPO, CliRunner
from tests.integration.store_helpers import sound_count

KEY = DatabaseKey(passphrase=PASSPHRASE)
BATCH = 2000

_WRITER = f"""
import sys, time
from pathlib import Path
from app.core.domain.contact import Contact, Name
from app.core.clock import SYSTEM_CLOCK
from app.core.storage import contacts_repo, journal
from app.core.storage.database import Database
from app.core.storage.engine import DatabaseKey

db = Database.open(Path(sys.argv[1]), DatabaseKey(passphrase={PASSPHRASE!r}))
with db.write() as conn:
    now = SYSTEM_CLOCK.now()
    op = journal.begin_operation(conn, "import", "Import", now)
    ids = contacts_repo.next_ids(conn, {BATCH})
    contacts = [contacts_repo.prepare_new(Contact(name=Name(given=f"G{{i}}")), i, now) for i in ids]
    for start in range(0, {BATCH}, 100):
        contacts_repo.insert_many(conn, contacts[start:start + 100])
        if start == 0:
            print("writing", flush=True)
    journal.record_created(conn, op, ids)
print("committed", flush=True)
time.sleep(60)
"""


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("wait_for", ["writing", "committed"])
def test_sigkill_mid_write_leaves_a_sound_database_all_in_or_all_out(
    db_path: Path, wait_for: str
) -> None:
    for attempt in range(3):
        before = sound_count(db_path)
        with subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(db_path)],
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
        ) as child:
            assert child.stdout is not None
            for line in child.stdout:
                if line.strip() == wait_for:
                    break
            if attempt:  # kill a little later each time, to land at different points
                for _ in range(attempt * 50):
                    os.sched_yield()
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
        after = sound_count(db_path)
        assert after in (before, before + BATCH)
        if wait_for == "committed":
            assert after == before + BATCH


def _no_dac_override() -> list[str]:
    """Root writes through file modes; drop that power so a read-only file is read-only."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: file modes cannot be enforced")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search"]


def _kith(
    db_path: Path, *args: str, prefix: list[str] | None = None, **popen: object
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KITH_")}
    env.update(KITH_PASSPHRASE=PASSPHRASE, PYTHON_KEYRING_BACKEND=NULL_KEYRING)
    return subprocess.run(
        [*(prefix or []), sys.executable, "-m", "app", "--db", str(db_path), *args],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=120, check=False,
        **popen,  # type: ignore[arg-type]
    )  # fmt: skip


def test_read_only_database_gives_a_sentence_and_no_change(kith: CliRunner, db_path: Path) -> None:
    assert kith("add", "--given", "Ann").returncode == 0
    before = sha256(db_path)
    prefix = _no_dac_override()
    db_path.chmod(0o400)
    db_path.parent.chmod(0o500)
    try:
        result = _kith(db_path, "add", "--given", "Bob", prefix=prefix)
    finally:
        db_path.parent.chmod(0o700)
        db_path.chmod(0o600)
    assert result.returncode == 1, result
    assert "read-only" in result.stderr and "Traceback" not in result.stderr
    assert sha256(db_path) == before


def test_full_disk_gives_a_sentence_and_no_change(kith: CliRunner, db_path: Path) -> None:
    assert kith("add", "--given", "Ann").returncode == 0
    before = sha256(db_path)
    limit = db_path.stat().st_size + 8192

    def small_disk() -> None:
        # A write past RLIMIT_FSIZE fails like a full disk (SIGXFSZ ignored: EFBIG instead).
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    big_note = "lorem ipsum " * 9000
    result = _kith(db_path, "add", "--given", "Bob", "--note", big_note, preexec_fn=small_disk)
    assert result.returncode == 1, result
    assert "disk is full" in result.stderr and "Traceback" not in result.stderr
    assert sha256(db_path) == before
    assert "Ann" in kith("list").stdout and "Bob" not in kith("list").stdout
