"""A small disk of the test's own: a tmpfs mounted for one test, and a way to fill it.

Mounting needs root. Without it the test skips, unless KITH_REQUIRE_TMPFS=1 (CI) says the
machine must have it, and then it fails.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


@contextlib.contextmanager
def mounted(where: Path, size: str) -> Iterator[Path]:
    """A tmpfs of `size` (e.g. "6m") mounted on the folder `where`, unmounted at the end."""
    where.mkdir(exist_ok=True)
    mount = shutil.which("mount")
    reason = "needs root to mount a small tmpfs"
    if mount is not None and os.geteuid() == 0:
        done = subprocess.run(
            [mount, "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(where)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode == 0:
            try:
                yield where
            finally:
                subprocess.run(["umount", "-l", str(where)], check=False)
            return
        reason = f"mount refused a tmpfs: {done.stderr.strip()}"
    if os.environ.get("KITH_REQUIRE_TMPFS") == "1":
        pytest.fail(f"KITH_REQUIRE_TMPFS=1 but the test {reason}")
    pytest.skip(reason)


def fill(folder: Path) -> None:
    """Write zeros into `folder` until its disk is full."""
    with (folder / "filler").open("wb") as fh, contextlib.suppress(OSError):
        while True:
            fh.write(b"\0" * 65536)
            fh.flush()
