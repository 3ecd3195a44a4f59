"""What the store's fault and concurrency tests share: filling a database, counting, damaging."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from app.core.clock import SYSTEM_CLOCK
from app.core.domain.contact import Contact, Email, Name
from app.core.storage import contacts_repo, journal
from app.core.storage.database import Database
from app.core.storage.engine import DatabaseKey
from app.core.storage.search import ListQuery, count
from tests.conftest import NULL_KEYRING, PASSPHRASE, REPO

KEY = DatabaseKey(passphrase=PASSPHRASE)


def fill(path: Path, n: int, *, key: DatabaseKey = KEY, start: int = 0) -> None:
    """Store `n` generated contacts as one import operation."""
    db = Database.open(path, key)
    try:
        with db.write() as conn:
            now = SYSTEM_CLOCK.now()
            op = journal.begin_operation(conn, "import", f"Import {n}", now)
            ids = contacts_repo.next_ids(conn, n)
            contacts = [
                contacts_repo.prepare_new(
                    Contact(
                        name=Name(given=f"Given{start + i}", family="Family"),
                        emails=[Email(f"person{start + i}@example.org", "work")],
                        notes="note " * 40,
                    ),
                    cid,
                    now,
                )
                for i, cid in enumerate(ids)
            ]
            contacts_repo.insert_many(conn, contacts, import_op=op)
            journal.record_created(conn, op, ids)
    finally:
        db.close()


def sound_count(path: Path, key: DatabaseKey = KEY) -> int:
    """The number of live contacts, after checking the file is sound (both integrity checks)."""
    db = Database.open(path, key)
    try:
        assert db.integrity_problems() == []
        with db.read() as conn:
            return count(conn, ListQuery())
    finally:
        db.close()


def flip_bytes(path: Path, offset: int, n: int = 4) -> None:
    """Damage a file silently, as a failing disk would: invert `n` bytes at `offset`."""
    with path.open("r+b") as fh:
        fh.seek(offset)
        data = fh.read(n)
        fh.seek(offset)
        fh.write(bytes(b ^ 0xFF for b in data))


def kith_env(passphrase: str | None = PASSPHRASE, **extra: str) -> dict[str, str]:
    """The environment of a `kith` child: no inherited KITH_ settings, the null keyring."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KITH_")}
    env["PYTHON_KEYRING_BACKEND"] = NULL_KEYRING
    if passphrase is not None:
        env["KITH_PASSPHRASE"] = passphrase
    env.update(extra)
    return env


def kith_popen(db_path: Path, *args: str, **extra: str) -> subprocess.Popen[str]:
    """Start the real `kith` on `db_path` without waiting for it."""
    return subprocess.Popen(
        [sys.executable, "-m", "app", "--db", str(db_path), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=kith_env(**extra),
        cwd=REPO,
    )


def write_vcards(path: Path, count: int, prefix: str = "Card") -> None:
    """`count` small vCards with distinct emails (generated; no real person)."""
    with path.open("w", encoding="utf-8", newline="") as out:
        for n in range(count):
            out.write(
                "BEGIN:VCARD\r\nVERSION:3.0\r\n"
                f"N:{prefix}{n};Pat;;;\r\nFN:Pat {prefix}{n}\r\n"
                f"EMAIL:{prefix.lower()}{n}@example.org\r\n"
                f"NOTE:Met at the fair\\, number {n}\r\nEND:VCARD\r\n"
            )
