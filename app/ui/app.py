"""Builds and wires the window's objects (placeholder until the window lands)."""

from __future__ import annotations

from collections.abc import Sequence


def run(args: Sequence[str]) -> int:
    """Open the main window on the database the arguments name."""
    raise NotImplementedError
