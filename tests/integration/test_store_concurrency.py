"""Two Kiths on one database: a restore never discards another's work; writers take turns."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher

from app.core.storage.engine import connect_raw
from tests.conftest import PASSPHRASE, REPO, CliRunner
from tests.integration.store_helpers import (
    KEY,
    fill,
    kith_popen,
    sound_count,
    write_vcards,
)

# A window-like holder: opens the database, keeps it open, and adds a contact when told.
_HOLDER = f"""
import sys
from pathlib import Path
from app.core.domain.contact import Contact, Name
from app.core.services.contacts import ContactService
from app.core.storage.database import Database
from app.core.storage.engine import DatabaseKey

db = Database.open(Path(sys.argv[1]), DatabaseKey(passphrase={PASSPHRASE!r}))
service = ContactService(db, "GB")
print("ready", flush=True)
for line in sys.stdin:
    if line.strip() == "add":
        service.add(Contact(name=Name(given="Held", family="Window")))
        print("added", flush=True)
    else:
        break
db.close()
"""


def test_restore_refuses_while_a_window_holds_the_database(
    kith: CliRunner, db_path: Path, tmp_path: Path
) -> None:
    fill(db_path, 3)
    seed = tmp_path / "seed.bak"
    assert kith("backup", "-o", str(seed)).returncode == 0
    fill(db_path, 5, start=100)
    with subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(db_path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=REPO,
    ) as holder:  # fmt: skip
        assert holder.stdin is not None and holder.stdout is not None
        assert holder.stdout.readline().strip() == "ready"
        result = kith("restore", str(seed))
        assert result.returncode == 1, result
        assert "open on this database in another window or command" in result.stderr
        assert "Traceback" not in result.stderr
        # Re-keying under the window would leave it reading every page as damaged.
        rekeyed = kith("change-passphrase", KITH_NEW_PASSPHRASE="another one")
        assert rekeyed.returncode == 1, rekeyed
        assert "open on this database in another window or command" in rekeyed.stderr
        holder.stdin.write("add\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "added"
        holder.stdin.write("quit\n")
        holder.stdin.flush()
        assert holder.wait(timeout=30) == 0
    # Nothing was lost: the 8 contacts and the one the holder added after the refused restore.
    assert sound_count(db_path) == 3 + 5 + 1
    # With the window closed, the restore goes ahead.
    assert kith("restore", str(seed)).returncode == 0
    assert sound_count(db_path) == 3


def test_restore_refuses_while_an_import_runs(
    kith: CliRunner, db_path: Path, tmp_path: Path
) -> None:
    seed = tmp_path / "seed.bak"
    fill(db_path, 1)
    assert kith("backup", "-o", str(seed)).returncode == 0
    cards = tmp_path / "big.vcf"
    write_vcards(cards, 20_000)
    importing = kith_popen(db_path, "import", str(cards))
    _wait_until_writing(db_path)
    restored = kith("restore", str(seed))
    out, err = importing.communicate(timeout=300)
    assert importing.returncode == 0, err
    assert "20000 added" in out
    assert restored.returncode == 1, restored
    assert "another window or command" in restored.stderr
    assert sound_count(db_path) == 1 + 20_000


def _wait_until_writing(db_path: Path, timeout: float = 60) -> None:
    """Return once another process holds the write lock (its import is under way)."""
    probe = connect_raw(db_path, KEY)
    probe.execute("PRAGMA busy_timeout = 0")
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            try:
                probe.execute("BEGIN IMMEDIATE")
            except sqlcipher.OperationalError:
                return
            probe.execute("ROLLBACK")
            time.sleep(0.02)
    finally:
        probe.close()
    raise AssertionError("the import never began writing")


def test_two_writers_wait_for_each_other_and_lose_nothing(db_path: Path, tmp_path: Path) -> None:
    cards = tmp_path / "big.vcf"
    write_vcards(cards, 30_000)
    importing = kith_popen(db_path, "import", str(cards))
    _wait_until_writing(db_path)
    adding = kith_popen(db_path, "add", "--given", "Second", "--family", "Writer")
    _, add_err = adding.communicate(timeout=300)
    imp_out, imp_err = importing.communicate(timeout=300)
    assert importing.returncode == 0, imp_err
    assert adding.returncode == 0, add_err
    assert "30000 added" in imp_out
    assert "Traceback" not in add_err + imp_err
    assert sound_count(db_path) == 30_001


# A window-like writer: holds a write transaction open until told to commit.
_SLOW_WRITER = f"""
import sys
from pathlib import Path
from app.core.domain.contact import Contact, Name
from app.core.clock import SYSTEM_CLOCK
from app.core.storage import contacts_repo, journal
from app.core.storage.database import Database
from app.core.storage.engine import DatabaseKey

db = Database.open(Path(sys.argv[1]), DatabaseKey(passphrase={PASSPHRASE!r}))
with db.write() as conn:
    op = journal.begin_operation(conn, "add", "Add Slow Writer", SYSTEM_CLOCK.now())
    (cid,) = contacts_repo.next_ids(conn, 1)
    slow = Contact(name=Name(given="Slow", family="Writer"))
    contact = contacts_repo.prepare_new(slow, cid, SYSTEM_CLOCK.now())
    contacts_repo.insert_many(conn, [contact])
    journal.record_created(conn, op, [cid])
    print("writing", flush=True)
    sys.stdin.readline()
db.close()
print("committed", flush=True)
"""


def test_a_long_wait_for_another_writer_is_explained(db_path: Path) -> None:
    with subprocess.Popen(
        [sys.executable, "-c", _SLOW_WRITER, str(db_path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=REPO,
    ) as writer:  # fmt: skip
        assert writer.stdin is not None and writer.stdout is not None
        assert writer.stdout.readline().strip() == "writing"
        adding = kith_popen(db_path, "add", "--given", "Waiting", "--family", "Writer")
        assert adding.stderr is not None
        told = adding.stderr.readline()  # blocks until the CLI says why it waits
        assert "Waiting for another Kith to finish writing..." in told
        assert adding.poll() is None  # still waiting, not failed
        writer.stdin.write("commit\n")
        writer.stdin.flush()
        assert writer.stdout.readline().strip() == "committed"
        out, err = adding.communicate(timeout=120)
        assert adding.returncode == 0, err
        assert "Added Waiting Writer" in out
    assert sound_count(db_path) == 2
