"""Files that are not regular files: pipes are read once, with the size cap, then parsed."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from app.core.errors import UserFacingError
from app.core.formats import ImportRecord, Limits, read_records
from bench.vcard_gen import write_vcards
from tests.conftest import NULL_KEYRING, PASSPHRASE, REPO


def kith_piped(
    db_path: Path, *args: str, data: bytes | None = None, shell: str | None = None
) -> subprocess.CompletedProcess[str]:
    """The real CLI with `data` on a real pipe as its standard input (or run by bash)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KITH_")}
    env.update(KITH_PASSPHRASE=PASSPHRASE, PYTHON_KEYRING_BACKEND=NULL_KEYRING)
    base = [sys.executable, "-m", "app", "--db", str(db_path)]
    command = [*base, *args]
    if shell is not None:
        command = ["bash", "-c", shell.replace("KITH", shlex.join(base))]
    result = subprocess.run(
        command, input=data, capture_output=True, env=env, cwd=REPO, timeout=300, check=False
    )
    return subprocess.CompletedProcess(
        result.args, result.returncode, result.stdout.decode(), result.stderr.decode()
    )


def test_a_large_vcard_through_a_pipe_imports_every_card(db_path: Path, tmp_path: Path) -> None:
    source = tmp_path / "many.vcf"
    write_vcards(source, 3000)
    assert source.stat().st_size > 4 * 64 * 1024  # more than the sniffed sample
    result = kith_piped(db_path, "import", "/dev/stdin", "--json", data=source.read_bytes())
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["created"] == 3000
    assert report["format"] == "vcard"
    assert report["file"] == "/dev/stdin"


@pytest.mark.parametrize("how", ["stdin", "process-substitution"])
def test_a_small_card_through_a_pipe_is_read(db_path: Path, how: str) -> None:
    card = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Pip Piper\r\nN:Piper;Pip;;;\r\nEND:VCARD\r\n"
    if how == "stdin":
        result = kith_piped(db_path, "import", "/dev/stdin", "--json", data=card)
    else:
        shell = "KITH import <(printf '%s' \"$CARD\") --json"
        os.environ["CARD"] = card.decode()
        try:
            result = kith_piped(db_path, "import", shell=shell)
        finally:
            del os.environ["CARD"]
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["created"] == 1
    listed = kith_piped(db_path, "list", "--json")
    assert [c["display_name"] for c in json.loads(listed.stdout)] == ["Pip Piper"]


def test_a_csv_through_a_pipe_is_read(db_path: Path) -> None:
    data = "First Name,Last Name,E-mail Address,Mobile Phone\r\nAnn,Lee,ann@example.org,\r\n"
    result = kith_piped(db_path, "import", "/dev/stdin", "--json", data=data.encode())
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["format"], report["created"]) == ("outlook-csv", 1)


@pytest.mark.timeout(60)
def test_dev_zero_as_a_vcard_ends_with_a_sentence(db_path: Path) -> None:
    result = kith_piped(db_path, "import", "/dev/zero", "--format", "vcard")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1
    assert "/dev/zero" in result.stderr or "zero" in result.stderr


@pytest.mark.timeout(60)
def test_a_pipe_past_the_cap_is_refused_once_the_cap_is_reached(tmp_path: Path) -> None:
    read_end, write_end = os.pipe()
    card = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nEND:VCARD\r\n"

    def endless() -> None:
        # A writer that never ends on its own: only the reader's cap can stop the import.
        with os.fdopen(write_end, "wb") as out:
            try:
                while True:
                    out.write(card * 1000)
            except BrokenPipeError:
                pass

    writer = threading.Thread(target=endless, daemon=True)
    writer.start()
    try:
        with pytest.raises(UserFacingError, match="larger than"):
            list(
                read_records(Path(f"/proc/self/fd/{read_end}"), limits=Limits(max_file_bytes=2**20))
            )
    finally:
        os.close(read_end)
        writer.join(10)
    assert not writer.is_alive()


def test_a_pipe_under_the_cap_reads_in_full(tmp_path: Path) -> None:
    read_end, write_end = os.pipe()
    card = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nEND:VCARD\r\n"
    writer = threading.Thread(
        target=lambda: os.write(write_end, card * 500) and os.close(write_end)
    )
    writer.start()
    try:
        items = list(read_records(Path(f"/proc/self/fd/{read_end}"), workers=1))
    finally:
        os.close(read_end)
        writer.join(10)
    assert len([i for i in items if isinstance(i, ImportRecord)]) == 500
