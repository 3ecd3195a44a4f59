"""The key really goes through Secret Service: gnome-keyring-daemon under dbus-run-session.

Skipped only where those programs are missing; with KITH_REQUIRE_KEYRING=1 (set by .ci/run) a
missing program fails the run instead.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

SCRIPT = Path(__file__).with_name("keyring_session.sh")


@pytest.fixture
def home(tmp_path: Path) -> Path:
    missing = [p for p in ("dbus-run-session", "gnome-keyring-daemon") if not shutil.which(p)]
    if missing:
        message = f"needs {', '.join(missing)} (apt-get install dbus gnome-keyring)"
        if os.environ.get("KITH_REQUIRE_KEYRING") == "1":
            pytest.fail(message)
        pytest.skip(message)
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


def in_session(home: Path, mode: str, *cmd: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KITH_", "DBUS_"))}
    return subprocess.run(
        ["dbus-run-session", "--", "bash", str(SCRIPT), str(home), mode, *cmd],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=120, check=False,
    )  # fmt: skip


def kith(
    home: Path, db: Path, *args: str, mode: str = "unlock"
) -> subprocess.CompletedProcess[str]:
    return in_session(home, mode, sys.executable, "-m", "app", "--db", str(db), *args)


def stored_key(home: Path, db: Path) -> str:
    code = f"import keyring, sys; print(keyring.get_password('Kith', {str(db.resolve())!r}) or '')"
    result = in_session(home, "unlock", sys.executable, "-c", code)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]


def test_key_lives_in_secret_service_and_nowhere_in_clear(home: Path) -> None:
    db = home / ".local" / "share" / "Kith" / "kith.db"
    created = kith(home, db, "add", "--given", "Ann", "--family", "Keyring", "--json")
    assert created.returncode == 0, created.stderr
    assert json.loads(created.stdout)["display_name"] == "Ann Keyring"

    # A later start opens it silently with the keyring's key: no passphrase anywhere.
    listed = kith(home, db, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert [c["display_name"] for c in json.loads(listed.stdout)] == ["Ann Keyring"]

    key_hex = stored_key(home, db)
    assert len(key_hex) == 64
    raw = bytes.fromhex(key_hex)
    for path in files_under(home):
        data = path.read_bytes()
        assert raw not in data, path
        assert key_hex.encode() not in data and key_hex.upper().encode() not in data, path
    keyring_files = list((home / ".local" / "share" / "keyrings").glob("*.keyring"))
    assert keyring_files, "gnome-keyring wrote no keyring file"


def test_locked_keyring_is_a_sentence_and_the_file_is_unchanged(home: Path) -> None:
    db = home / "data" / "kith.db"
    assert kith(home, db, "add", "--given", "Ann").returncode == 0
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    result = kith(home, db, "list", mode="locked")
    assert result.returncode == 1
    assert "keyring is locked" in result.stderr
    assert "Traceback" not in result.stderr
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
