"""A dry run of a large file holds counts, not a row and a record for every card."""

from __future__ import annotations

from pathlib import Path

from app.core.services import importer
from app.core.storage.database import Database
from tests.integration.store_helpers import write_vcards


def test_a_reporting_dry_run_keeps_only_what_it_reports(db: Database, tmp_path: Path) -> None:
    cards = tmp_path / "cards.vcf"
    write_vcards(cards, 3000)
    with cards.open("a", encoding="utf-8") as fh:
        fh.write("BEGIN:VCARD\r\nVERSION:3.0\r\nEMAIL:not an email\r\nEND:VCARD\r\n")
    full = importer.preview(db, cards, region="GB")
    lean = importer.preview(db, cards, region="GB", keep_records=False, all_rows=False)
    assert (lean.new, lean.matches, lean.problems) == (full.new, full.matches, full.problems)
    assert lean.new >= 3000 and len(full.rows) == 3001 and len(full.records) >= 3000
    assert lean.records == []
    assert lean.rows == [r for r in full.rows if r.warnings or r.status is importer.Status.PROBLEM]
    assert len(lean.rows) == 1
