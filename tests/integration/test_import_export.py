"""Import as one operation and export back without loss: through the real CLI and services."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from faker import Faker

from app.core.domain.contact import Contact, Email, Name, Phone
from app.core.domain.dates import PartialDate
from app.core.formats import write_contacts
from app.core.services import importer
from app.core.services.contacts import ContactService
from app.core.storage.database import Database
from app.core.storage.search import ListQuery
from tests import corpus
from tests.conftest import CliRunner, make_contact
from tests.corpus import CORPUS

ROUND_TRIP_FORMATS = ["vcard", "vcard4", "outlook-csv", "google-csv"]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def vcard_file(tmp_path: Path, contacts: list[Contact], name: str = "cards.vcf") -> Path:
    path = tmp_path / name
    with path.open("wb") as out:
        write_contacts(contacts, "vcard", out)
    return path


def import_json(kith: CliRunner, *args: str) -> dict[str, object]:
    result = kith("import", *args, "--json")
    assert result.returncode == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_import_is_one_operation_that_one_undo_takes_back(
    kith: CliRunner, tmp_path: Path, fake: Faker
) -> None:
    path = vcard_file(tmp_path, [make_contact(fake, n) for n in range(25)])
    assert kith("add", "--given", "Already", "--family", "Here").returncode == 0
    report = import_json(kith, str(path))
    assert report["created"] == 25 and report["problems"] == []
    assert len(json.loads(kith("list", "--json").stdout)) == 26
    undo = kith("undo")
    assert undo.returncode == 0 and "Import cards.vcf" in undo.stdout
    assert [c["display_name"] for c in json.loads(kith("list", "--json").stdout)] == [
        "Already Here"
    ]


def test_dry_run_previews_and_stores_nothing(
    kith: CliRunner, db_path: Path, tmp_path: Path, fake: Faker
) -> None:
    people = [make_contact(fake, n) for n in range(6)]
    # The same person (name and email): a shared email alone is a reason, not a match (issue 11).
    first = people[0]
    added = kith("add", "--given", first.name.given, "--family", first.name.family,
                 "--email", first.emails[0].value)  # fmt: skip
    assert added.returncode == 0
    before = sha256(db_path)
    report = import_json(kith, str(vcard_file(tmp_path, people)), "--dry-run")
    assert (report["new"], report["matched"]) == (5, 1)
    records = report["records"]
    assert isinstance(records, list) and len(records) == 6
    assert {r["status"] for r in records} == {"new", "match"}
    assert sha256(db_path) == before


def test_on_match_skip_update_create(kith: CliRunner, tmp_path: Path, fake: Faker) -> None:
    people = [make_contact(fake, n) for n in range(4)]
    first = vcard_file(tmp_path, people)
    assert import_json(kith, str(first))["created"] == 4
    assert import_json(kith, str(first))["skipped"] == 4
    people[0].notes = "changed in the phone"
    people[0].tags.append("from-phone")
    second = vcard_file(tmp_path, people, "second.vcf")
    report = import_json(kith, str(second), "--on-match", "update")
    assert report["updated"] == 1 and report["created"] == 0
    listed = json.loads(kith("list", "--search", "changed", "--json").stdout)
    assert len(listed) == 1 and "from-phone" in listed[0]["tags"]
    assert import_json(kith, str(second), "--on-match", "create")["created"] == 4
    assert len(json.loads(kith("list", "--json").stdout)) == 8


def test_matches_are_counted_and_only_real_warnings_listed(
    kith: CliRunner, tmp_path: Path, fake: Faker
) -> None:
    people = [make_contact(fake, n) for n in range(3)]
    people[1].emails[0].value = "not an address"
    path = vcard_file(tmp_path, people)
    assert kith("import", str(path)).returncode == 0
    again = kith("import", str(path))
    assert again.returncode == 0 and "0 added, 0 updated, 3 skipped" in again.stdout
    # A match is counted, not a warning; the doubtful email is one, and said once, on its line.
    assert again.stderr.count("\n") == 1 and "'not an address'" in again.stderr
    report: Any = import_json(kith, str(path), "--dry-run")
    doubtful = [r["line"] for r in report["records"] if r["display_name"] == people[1].display_name]
    assert [w["line"] for w in report["warnings"]] == doubtful
    assert all("same" in r["detail"] for r in report["records"])


def test_unreadable_records_are_reported_and_the_rest_imported(
    kith: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "mixed.vcf"
    path.write_bytes(
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Good One\r\nN:One;Good;;;\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Good Two\r\nN:Two;Good;;;\r\nEND:VCARD\r\n"
    )
    result = kith("import", str(path))
    assert result.returncode == 0, result.stderr
    assert "line 6:" in result.stderr  # where the nameless card begins
    names = [c["display_name"] for c in json.loads(kith("list", "--json").stdout)]
    assert names == ["Good One", "Good Two"]


def test_a_file_that_is_not_contacts_is_one_sentence(kith: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "picture.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(2000))
    result = kith("import", str(path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and result.stderr.startswith("kith: ")


@pytest.mark.parametrize("fmt", ROUND_TRIP_FORMATS)
def test_export_then_import_gives_back_the_same_contacts(
    db: Database, tmp_path: Path, fake: Faker, fmt: str
) -> None:
    service = ContactService(db, "GB")
    for n in range(15):
        contact = make_contact(fake, n)
        contact.notes = '=HYPERLINK("http://x") +1 -2 @cmd' if n == 3 else contact.notes
        contact.custom = {}
        service.add(contact)
    service.add(
        Contact(name=Name(given="Only", family="Phone"), phones=[Phone("+33 1 23 45 67 89")])
    )
    service.add(Contact(org="Org Without Person", emails=[Email("desk@org.example")]))
    from app.core.services import exporter  # noqa: PLC0415

    out = tmp_path / f"export.{fmt}"
    ids = service.ids(ListQuery())
    assert exporter.export(db, ids, fmt, out) == len(ids)
    plan = importer.preview(db, out, region="GB")
    assert plan.matches == len(ids) and plan.problems == 0

    fresh = Database.create(tmp_path / "fresh.db", db.key)
    try:
        result = importer.commit(fresh, importer.preview(fresh, out, region="GB"))
        assert result.created == len(ids)
        again = {
            c.display_name: c for c in ContactService(fresh).get_many(list(result.change.added))
        }
    finally:
        fresh.close()
    for original in service.get_many(ids):
        copy = again[original.display_name]
        assert copy.name == original.name
        assert [e.value for e in copy.emails] == [e.value for e in original.emails]
        assert [p.e164 for p in copy.phones] == [p.e164 for p in original.phones]
        assert copy.notes == original.notes
        assert sorted(copy.tags) == sorted(original.tags)
        assert copy.birthday == original.birthday
        assert [(a.street, a.city, a.postal_code) for a in copy.addresses] == [
            (a.street, a.city, a.postal_code) for a in original.addresses
        ]


def test_csv_export_neutralises_formulas(db: Database, tmp_path: Path) -> None:
    service = ContactService(db, "US")
    service.add(Contact(name=Name(given="=cmd|' /C calc'!A0", family="@SUM(1)"), notes="-2+3"))
    from app.core.services import exporter  # noqa: PLC0415

    for fmt in ("outlook-csv", "google-csv"):
        buffer = io.BytesIO()
        exporter.export_to_stream(db, service.ids(ListQuery()), fmt, buffer)
        rows = list(csv.reader(io.StringIO(buffer.getvalue().decode("utf-8-sig"))))
        cells = [cell for row in rows[1:] for cell in row if cell]
        assert cells and not any(cell[0] in "=+-@\t\r\0" for cell in cells), cells


def test_every_corpus_file_previews_with_its_record_count(db: Database) -> None:
    corpus.require()
    sources = {}
    with (CORPUS / "SOURCES.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            sources[row["local_file"]] = row
    assert len(sources) > 50
    for rel, row in sources.items():
        plan = importer.preview(db, CORPUS / rel, region="US")
        read = plan.new + plan.matches
        assert read + plan.problems >= int(row["records"]) > 0, rel
        assert read > 0, rel
        assert all(r.display_name for r in plan.rows if r.status != "problem"), rel


def test_corpus_import_through_the_cli_undoes_whole(kith: CliRunner) -> None:
    corpus.require()
    files = [CORPUS / "vcf" / "aosp" / "v21_multiple_entry.vcf",
             CORPUS / "csv" / "sondreb-people" / "google-outlook-csv-export-2025.csv"]  # fmt: skip
    for path in files:
        report = import_json(kith, str(path))
        assert isinstance(report["created"], int) and report["created"] > 0
    assert kith("undo").returncode == 0
    assert kith("undo").returncode == 0
    assert json.loads(kith("list", "--json").stdout) == []


def test_partial_dates_survive(db: Database, tmp_path: Path) -> None:
    service = ContactService(db, "US")
    service.add(Contact(name=Name(given="Leap"), birthday=PartialDate(None, 2, 29)))
    from app.core.services import exporter  # noqa: PLC0415

    for fmt in ROUND_TRIP_FORMATS:
        out = tmp_path / f"leap.{fmt}"
        exporter.export(db, service.ids(ListQuery()), fmt, out)
        plan = importer.preview(db, out, region="US")
        assert plan.records[0][0].birthday == PartialDate(None, 2, 29), fmt
