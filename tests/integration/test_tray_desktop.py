"""The real Kith on a real X server with a real tray: the icon docks, closing keeps it running.

Xvfb is the X server and trayer the system tray (an XEmbed tray, as many desktops have). The
test starts the real `kith` on a database, then reads the window tree with xwininfo: the icon
must be mapped inside trayer's panel, and after the main window is asked to close (the message
a title bar's close button sends) the window is unmapped while Kith keeps running, its icon
still docked. Skipped where the programs are missing; KITH_REQUIRE_TRAY=1 (set by .ci/run)
makes that skip a failure.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, time
from pathlib import Path
from time import monotonic
from time import sleep as pause

import pytest

from app.core.services import reminders
from app.core.storage.database import Database
from app.core.storage.engine import DatabaseKey
from app.ui.reminder_scheduler import FIRST_CHECK
from app.ui.tray import NOTIFIED
from tests.conftest import NULL_KEYRING, PASSPHRASE, CliRunner
from tests.integration.x11_close import close_window

PROGRAMS = ("Xvfb", "trayer", "xwininfo")
WINDOW = re.compile(r'^\s*(0x[0-9a-f]+) "Kith": \("[^"]*" "Kith"\)\s+(\d+)x(\d+)', re.M)


def _need_programs() -> None:
    missing = [p for p in PROGRAMS if shutil.which(p) is None]
    if missing:
        message = f"the tray test needs {', '.join(missing)} (apt install xvfb trayer x11-utils)"
        if os.environ.get("KITH_REQUIRE_TRAY") == "1":
            pytest.fail(message)
        pytest.skip(message)


def wait_for(what: str, check: Callable[[], object], timeout: float = 30.0) -> object:
    """Poll `check` until it returns something true (a real program needs real time)."""
    end = monotonic() + timeout
    while monotonic() < end:
        found = check()
        if found:
            return found
        pause(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def display() -> Iterator[str]:
    """A fresh Xvfb on a free display number, with trayer's panel on it."""
    _need_programs()
    read, write = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    name = f":{number}"
    env = {**os.environ, "DISPLAY": name}
    panel = ("--edge", "top", "--align", "right", "--widthtype", "pixel", "--width", "200")
    size = ("--heighttype", "pixel", "--height", "30")
    trayer = subprocess.Popen(
        ["trayer", *panel, *size],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for("trayer's panel", lambda: panel_id(name))
        yield name
    finally:
        for process in (trayer, xvfb):
            process.terminate()
            process.wait(timeout=10)


def tree(display: str, window: str = "-root") -> str:
    """xwininfo's window tree under `window`."""
    args = ["xwininfo", "-tree", *(["-root"] if window == "-root" else ["-id", window])]
    done = subprocess.run(
        args, env={**os.environ, "DISPLAY": display}, capture_output=True, text=True, check=False
    )
    return done.stdout


def panel_id(display: str) -> str | None:
    """The id of trayer's panel window, once it exists."""
    found = re.search(r'^\s*(0x[0-9a-f]+) "panel": \("panel" "trayer"\)', tree(display), re.M)
    return found[1] if found else None


def map_state(display: str, window: str) -> str:
    """ "IsViewable", "IsUnMapped" or "IsUnviewable"."""
    done = subprocess.run(
        ["xwininfo", "-id", window],
        env={**os.environ, "DISPLAY": display},
        capture_output=True,
        text=True,
        check=False,
    )
    found = re.search(r"Map State: (\w+)", done.stdout)
    return found[1] if found else ""


def docked_icon(display: str) -> str | None:
    """The id of Kith's window inside trayer's panel, if one is there and mapped."""
    panel = panel_id(display)
    if panel is None:
        return None
    for window, width, _height in WINDOW.findall(tree(display, panel)):
        if int(width) <= 64 and map_state(display, window) == "IsViewable":
            return str(window)
    return None


def main_window(display: str) -> str | None:
    """The id of Kith's main window (the large top-level one)."""
    for window, width, _height in WINDOW.findall(tree(display)):
        if int(width) > 300:
            return str(window)
    return None


@contextlib.contextmanager
def start_kith(display: str, db_path: Path, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """The real `kith` (no subcommand: the window) on `display`, stopped on leaving."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KITH_")}
    env.update(
        DISPLAY=display,
        QT_QPA_PLATFORM="xcb",
        KITH_PASSPHRASE=PASSPHRASE,
        KITH_LOG_DIR=str(tmp_path / "log"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        PYTHON_KEYRING_BACKEND=NULL_KEYRING,
    )
    with (tmp_path / "kith.out").open("a") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "app", "--db", str(db_path)],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            yield process
        finally:
            process.terminate()
            process.wait(timeout=20)
    # What Kith said, in the report of a failing test
    sys.stderr.write((tmp_path / "kith.out").read_text())


@pytest.fixture
def kith_window(
    display: str, db_path: Path, kith: CliRunner, tmp_path: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """The real `kith` on a database with one contact."""
    added = kith("add", "--given", "Ada", "--family", "Tray", "--json")
    assert added.returncode == 0, added.stderr
    with start_kith(display, db_path, tmp_path) as process:
        yield process


def log_lines(tmp_path: Path, marker: str) -> int:
    """How many lines of Kith's private log hold `marker`."""
    log_dir = tmp_path / "log"
    return sum(
        line.count(marker) for f in log_dir.glob("*.log*") for line in f.read_text().splitlines()
    )


def test_the_icon_docks_and_closing_the_window_keeps_kith_running(
    display: str, kith_window: subprocess.Popen[bytes], tmp_path: Path
) -> None:
    icon = wait_for("Kith's icon mapped inside trayer's panel", lambda: docked_icon(display), 60)
    window = wait_for("Kith's main window", lambda: main_window(display), 60)
    assert isinstance(window, str) and isinstance(icon, str)
    wait_for("the window to be shown", lambda: map_state(display, window) == "IsViewable")
    close_window(display, int(window, 16))
    wait_for("the window to close", lambda: map_state(display, window) == "IsUnMapped")
    # Kith goes on running in the tray: the process lives, the icon stays docked
    wait_for("a moment of running on", lambda: kith_window.poll() is None and docked_icon(display))
    assert kith_window.poll() is None, (tmp_path / "kith.out").read_text()
    assert docked_icon(display) == icon


def test_a_birthday_today_is_notified_once_across_a_restart(
    display: str, db_path: Path, kith: CliRunner, tmp_path: Path
) -> None:
    today = date.today()  # the real program reads the machine's clock
    born = kith("add", "--given", "Ada", "--family", "Today", "--birthday", f"1980-{today:%m-%d}")
    assert born.returncode == 0, born.stderr
    # Reminders ring at midnight here, so that today's birthday is ready at once.
    db = Database.open(db_path, DatabaseKey(passphrase=PASSPHRASE))
    try:
        service = reminders.ReminderService(db)
        service.save_settings(replace(service.settings(), time_of_day=time(0, 0)))
    finally:
        db.close()
    for run in (1, 2):
        with start_kith(display, db_path, tmp_path) as process:
            wait_for("Kith's icon", lambda: docked_icon(display), 60)
            wait_for("the first check", lambda n=run: log_lines(tmp_path, FIRST_CHECK) == n, 60)
            assert process.poll() is None
        assert log_lines(tmp_path, NOTIFIED) == 1  # at the first start, not after the restart
