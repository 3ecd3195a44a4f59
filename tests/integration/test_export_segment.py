"""`kith export --segment NAME` exports every segment the window shows, as many as it counts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from faker import Faker

from app.core.domain.contact import Address, Contact, Email, Name, Phone, Stage
from app.core.domain.dates import PartialDate
from app.core.formats import write_contacts
from app.core.services.contacts import ContactService
from app.core.services.queries import ListQuery
from app.core.services.segment_catalogue import SegmentCatalogue
from app.core.services.segments import Rule, RuleKind, SegmentService, SmartSegment
from app.core.storage.database import Database
from app.core.storage.engine import DatabaseKey
from app.ui.segment_model import build_entries
from tests.conftest import PASSPHRASE, CliRunner, make_contact


def _import(kith: CliRunner, folder: Path, contacts: list[Contact]) -> None:
    folder.mkdir()
    path = folder / "cards.vcf"  # the same file name twice: two imports with one title
    with path.open("wb") as out:
        write_contacts(contacts, "vcard", out)
    result = kith("import", str(path), "--on-match", "create")
    assert result.returncode == 0, result.stderr


@pytest.fixture
def seeded(kith: CliRunner, db_path: Path, tmp_path: Path, fake: Faker) -> dict[str, int]:
    """Contacts in every kind of segment; returns the window's count of each key."""
    _import(kith, tmp_path / "first", [make_contact(fake, n) for n in range(3)])
    _import(kith, tmp_path / "second", [make_contact(fake, n) for n in range(3, 5)])
    db = Database.open(db_path, DatabaseKey(passphrase=PASSPHRASE))
    try:
        service = ContactService(db, "GB")
        ids = [service.add(make_contact(fake, n)).added[0] for n in range(5, 11)]
        service.tag(ids[:3], add=["VIP"])
        service.tag(ids[3:4], add=["Lead"])  # a tag named as a stage is still the tag
        service.set_stage(ids[2:5], Stage.LEAD)
        fav = service.get(ids[0])
        assert fav is not None
        fav.favourite = True
        service.update(fav)
        service.add(Contact(name=Name(given="Nowhere"), org="Acme"))  # no way to reach
        service.add(Contact(name=Name(given="Bad"), phones=[Phone("+1 555 123 4567")]))
        twin = Email("same@example.org")
        for given in ("Twin", "Twain"):
            service.add(Contact(name=Name(given=given), emails=[twin], addresses=[Address()]))
        service.delete(ids[4:6])
        segments = SegmentService(db)
        segments.save(SmartSegment("Acme people", [Rule(RuleKind.COMPANY_CONTAINS, "acme")]))
        segments.save(SmartSegment("Favourites", [Rule(RuleKind.STAGE_IS, "lead")]))
        entries = build_entries(service, segments)
    finally:
        db.close()
    return {e.key: e.count for e in entries if not e.is_heading}


def _exported(kith: CliRunner, name: str) -> int:
    result = kith("export", "--segment", name)
    assert result.returncode == 0, (name, result.stderr)
    return result.stdout.count("BEGIN:VCARD")


def test_every_segment_exports_by_key_and_by_title_with_the_windows_count(
    kith: CliRunner, db_path: Path, seeded: dict[str, int]
) -> None:
    kinds = {key.split(":")[0] for key in seeded}
    assert kinds == {
        "all", "favourites", "due", "tag", "stage", "smart", "import", "attention", "trash"
    }  # fmt: skip
    db = Database.open(db_path, DatabaseKey(passphrase=PASSPHRASE))
    try:  # every key, as the command resolves it (a subprocess each would take minutes)
        catalogue, service = SegmentCatalogue(db), ContactService(db)
        for key, count in seeded.items():
            query = catalogue.find(key).query
            assert query is not None and service.count(query) == count, key
        listed = {s.title: s.key for s in catalogue.segments() if not s.heading}
    finally:
        db.close()
    # One of each kind through the real command.
    for kind in sorted(kinds):
        key = next(k for k in seeded if k.split(":")[0] == kind)
        assert _exported(kith, key) == seeded[key], key
    assert seeded["trash"] == 2 and seeded["stage:lead"] == 2 and seeded["tag:VIP"] == 3
    assert all(seeded[f"attention:{a}"] >= 1 for a in ("invalid phone", "no way to reach"))
    assert seeded["attention:probable duplicate"] >= 2

    smart = next(k for t, k in listed.items() if t == "Acme people")
    # Titles as shown, in any case: one of each kind a title alone names.
    for title, key in [
        ("ALL CONTACTS", "all"),
        ("former client", "stage:former client"),
        ("Acme People", smart),
        ("invalid PHONE", "attention:invalid phone"),
        ("No way to reach", "attention:no way to reach"),
        ("trash", "trash"),
    ]:
        assert _exported(kith, title) == seeded[key], title


def test_tags_are_found_as_before_even_where_a_segment_has_the_name(
    kith: CliRunner, seeded: dict[str, int]
) -> None:
    assert _exported(kith, "vip") == seeded["tag:VIP"] == 3
    assert _exported(kith, "Lead") == seeded["tag:Lead"] == 1  # the tag, not the stage
    assert _exported(kith, "stage:lead") == seeded["stage:lead"]


def test_an_ambiguous_or_unknown_name_lists_the_choices(
    kith: CliRunner, seeded: dict[str, int]
) -> None:
    ambiguous = kith("export", "--segment", "Favourites")  # built in, and a smart segment
    assert ambiguous.returncode != 0 and ambiguous.stdout == ""
    assert "more than one segment" in ambiguous.stderr and "(favourites)" in ambiguous.stderr
    assert "smart:" in ambiguous.stderr
    two_imports = kith("export", "--segment", "cards.vcf")
    assert two_imports.returncode != 0
    assert "(import:1)" in two_imports.stderr and "(import:2)" in two_imports.stderr
    unknown = kith("export", "--segment", "Nobody")
    assert unknown.returncode != 0 and "no tag or segment called 'Nobody'" in unknown.stderr
    for choice in (
        "Favourites (favourites)",
        "Lead (stage:lead)",
        "Trash (trash)",
        "VIP (tag:VIP)",
    ):
        assert choice in unknown.stderr
    assert "Traceback" not in unknown.stderr + ambiguous.stderr


def test_the_due_segment_exports_the_contacts_with_a_reminder_due(
    kith: CliRunner, db_path: Path, seeded: dict[str, int]
) -> None:
    today = date.today()  # the command reads the system's clock
    db = Database.open(db_path, DatabaseKey(passphrase=PASSPHRASE))
    try:
        service = ContactService(db, "GB")
        before = service.count(ListQuery(filter=SegmentService(db).due_filter()))
        service.add(Contact(name=Name(given="Birthday", family="Today"),
                            birthday=PartialDate(None, today.month, today.day)))  # fmt: skip
    finally:
        db.close()
    assert _exported(kith, "Due") == before + 1
    assert "Birthday Today" in kith("export", "--segment", "due").stdout
