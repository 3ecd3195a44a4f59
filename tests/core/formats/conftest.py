"""The corpus of real exports, found beside the repository, and what SOURCES.tsv says of it."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from tests.corpus import CORPUS, REQUIRED, require

REQUIRE = REQUIRED


@dataclass(frozen=True)
class Source:
    """One row of SOURCES.tsv."""

    path: Path
    records: int
    quirks: str


def sources() -> list[Source]:
    """Every corpus file listed in SOURCES.tsv (empty when the corpus is absent)."""
    table = CORPUS / "SOURCES.tsv"
    if not table.exists():
        return []
    with table.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return [
        Source(CORPUS / r["local_file"], int(r["records"]), r["notable_quirks_manual"])
        for r in rows
    ]


def require_corpus() -> None:
    """Skip when the corpus is absent, or fail when KITH_REQUIRE_CORPUS=1."""
    require()
