"""The corpus of real exports written by other programs: a wider layer of tests, optional.

It lives beside the repository (`../shared/corpus`) in Kith's development environment and is
never copied into the project. Where it is absent (a fresh clone) its tests are skipped with a
reason, and Kith's own fixtures under `tests/data/` still cover every quirk class; where
KITH_REQUIRE_CORPUS=1 (`.ci/run`), its absence fails the run instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
REQUIRED = os.environ.get("KITH_REQUIRE_CORPUS") == "1"
ABSENT_REASON = (
    f"the corpus of real exports is not at {CORPUS} (a fresh clone); "
    "tests/data holds Kith's own fixtures for each quirk class"
)


def present() -> bool:
    """Whether the corpus is here; fails the run when it is required and missing."""
    if (CORPUS / "SOURCES.tsv").exists():
        return True
    if REQUIRED:
        pytest.fail(f"KITH_REQUIRE_CORPUS=1 but the corpus is missing at {CORPUS}")
    return False


def require() -> None:
    """Skip the calling test (or module) when the corpus is absent."""
    if not present():
        pytest.skip(ABSENT_REASON, allow_module_level=True)


def params(paths: Iterable[Path]) -> list[Any]:
    """`paths` as pytest parameters named by their place in the corpus.

    When the corpus is absent there is one parameter that skips with the reason, so that a
    parametrised test is reported as skipped instead of vanishing from the run.
    """
    found = [pytest.param(p, id=str(p.relative_to(CORPUS))) for p in sorted(paths)]
    if found:
        return found
    if REQUIRED:
        raise RuntimeError(f"KITH_REQUIRE_CORPUS=1 but the corpus is missing at {CORPUS}")
    return [pytest.param(None, id="corpus-absent", marks=pytest.mark.skip(reason=ABSENT_REASON))]


def files(*suffixes: str, under: str = "") -> list[Any]:
    """The corpus files with these suffixes (below `under`), as parameters (see `params`)."""
    root = CORPUS / under if under else CORPUS
    found = [p for p in root.rglob("*") if p.suffix.lower() in suffixes] if root.is_dir() else []
    return params(found)
