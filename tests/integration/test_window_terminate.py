"""Kith asked to stop (SIGTERM: the session ends, `kill`) quits as Quit does: nothing is lost.

The real program, on the offscreen platform (no tray): a birthday is due, its notification is
shown at the first check, and Kith is terminated at once. It must exit cleanly, having stored
that the occurrence was notified, so that the next start does not notify it again.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from datetime import date, time
from pathlib import Path
from time import monotonic
from time import sleep as pause

from app.core.services.reminders import ReminderService
from app.core.storage.database import Database
from app.core.storage.engine import DatabaseKey
from app.ui.reminder_scheduler import FIRST_CHECK
from tests.conftest import NULL_KEYRING, PASSPHRASE, CliRunner

REPO = Path(__file__).resolve().parents[2]


def _first_checked(log_dir: Path) -> bool:
    return any(FIRST_CHECK in f.read_text() for f in log_dir.glob("*.log*"))


def test_terminating_the_window_quits_cleanly_and_keeps_what_it_noted(
    kith: CliRunner, db_path: Path, tmp_path: Path
) -> None:
    today = date.today()  # the real program reads the machine's clock
    added = kith("add", "--given", "Ada", "--family", "Today", "--birthday", f"1980-{today:%m-%d}")
    assert added.returncode == 0, added.stderr
    db = Database.open(db_path, DatabaseKey(passphrase=PASSPHRASE))
    try:  # reminders ring from midnight here, so that today's birthday is notified at once
        service = ReminderService(db)
        service.save_settings(replace(service.settings(), time_of_day=time(0, 0)))
        assert [r.label for r in service.to_notify()] != []
    finally:
        db.close()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KITH_")}
    log_dir = tmp_path / "log"
    env.update(
        QT_QPA_PLATFORM="offscreen",
        KITH_PASSPHRASE=PASSPHRASE,
        KITH_LOG_DIR=str(log_dir),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        PYTHON_KEYRING_BACKEND=NULL_KEYRING,
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "--db", str(db_path)],
        env=env,
        cwd=REPO,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        end = monotonic() + 90
        while not _first_checked(log_dir) and monotonic() < end and process.poll() is None:
            pause(0.05)
        assert _first_checked(log_dir), "Kith never checked its reminders"
        process.terminate()
        output, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, output.decode(errors="replace")
    db = Database.open(db_path, DatabaseKey(passphrase=PASSPHRASE))
    try:
        assert ReminderService(db).to_notify() == []  # noted before it quit: not shown again
    finally:
        db.close()
