"""The house rules that tools can check: no Qt in the core, ruff, mypy --strict, import-linter."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    path = BIN / name
    found = str(path) if path.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: pip install -e '.[dev]'")
    return found


def run(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, check=False, timeout=600)


def test_core_never_imports_qt_or_the_ui() -> None:
    pattern = re.compile(r"^\s*(from|import)\s+(PySide6|app\.ui|app\.cli)\b", re.MULTILINE)
    offenders = [
        str(path.relative_to(REPO))
        for path in (REPO / "app" / "core").rglob("*.py")
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_import_contracts_hold() -> None:
    result = run(tool("lint-imports"), "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr
    # The contracts are checked, not merely configured away.
    assert "The core knows nothing of Qt or the UI KEPT" in result.stdout
    assert "The window and the command line go through the services KEPT" in result.stdout


def test_ruff_is_clean() -> None:
    check = run(tool("ruff"), "check", "app", "tests", "bench")
    assert check.returncode == 0, check.stdout
    fmt = run(tool("ruff"), "format", "--check", "app", "tests", "bench")
    assert fmt.returncode == 0, fmt.stdout


def test_mypy_strict_is_clean() -> None:
    result = run(tool("mypy"), "app")
    assert result.returncode == 0, result.stdout


def test_core_asks_the_clock_what_time_it_is() -> None:
    # Durations may use time.monotonic/perf_counter; the time of day comes from app/core/clock.py.
    pattern = re.compile(r"\b(datetime\.now|datetime\.utcnow|date\.today|time\.time)\(")
    clock = REPO / "app" / "core" / "clock.py"
    offenders = [
        f"{path.relative_to(REPO)}:{n}"
        for path in (REPO / "app" / "core").rglob("*.py")
        if path != clock
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []
