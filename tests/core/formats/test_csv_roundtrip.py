"""Kith's CSV exports import back to the same contact, up to what the format cannot carry."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from app.core.domain.contact import Address, Contact, Email, Event, Name
from app.core.domain.dates import PartialDate
from app.core.formats import ImportRecord, read_records, write_contacts
from app.core.formats.carry import carried
from tests.core.formats.csv_strategies import REGION, contacts

CSV_FORMATS = ("outlook-csv", "google-csv")


def roundtrip(contacts: list[Contact], fmt: str, folder: Path) -> list[Contact]:
    """Export as `fmt`, import the file as Kith would (format sniffed), give the contacts."""
    out = io.BytesIO()
    assert write_contacts(contacts, fmt, out) == len(contacts)
    path = folder / "export.csv"
    path.write_bytes(out.getvalue())
    items = list(read_records(path, region=REGION))
    assert all(isinstance(i, ImportRecord) for i in items), items
    return [i.contact for i in items if isinstance(i, ImportRecord)]


@pytest.mark.parametrize("fmt", CSV_FORMATS)
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(contact=contacts)
def test_export_then_import_gives_what_the_format_carries(
    fmt: str, contact: Contact, tmp_path: Path
) -> None:
    (back,) = roundtrip([contact], fmt, tmp_path)
    assert back == carried(contact, fmt)


def test_google_carries_every_address_event_and_custom_field(tmp_path: Path) -> None:
    contact = Contact(
        name=Name(given="Ada", family="Byron"),
        emails=[Email(f"a{i}@example.org", f"label {i}") for i in range(5)],
        addresses=[
            Address(f"place {i}", f"{i} High St, Flat {i}", "London", "", f"N{i} 1AA", "UK")
            for i in range(5)
        ],
        anniversary=PartialDate(2001, 6, 30),
        events=[Event(f"event {i}", PartialDate(2000 + i, 1 + i, 2)) for i in range(4)],
        custom={f"Field {i}": f"value {i}; with, separators" for i in range(5)},
    )
    (back,) = roundtrip([contact], "google-csv", tmp_path)
    assert back.addresses == contact.addresses
    assert back.events == contact.events
    assert back.anniversary == contact.anniversary
    assert back.custom == contact.custom
    assert back.emails == contact.emails


def test_a_google_cell_of_several_values_keeps_one_label_each(tmp_path: Path) -> None:
    path = tmp_path / "google.csv"
    path.write_text(
        "Name,Given Name,E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value,"
        "Address 1 - Type,Address 1 - Street,Address 1 - City\n"
        "Ann Lee,Ann,* Home,a@example.org ::: b@example.org,Mobile,07700 900123 ::: 020 7946 0000,"
        "Home,1 High St ::: 2 Low Rd,London ::: Leeds\n",
        encoding="utf-8",
    )
    (record,) = read_records(path, region=REGION)
    assert isinstance(record, ImportRecord)
    c = record.contact
    assert [(e.value, e.label) for e in c.emails] == [
        ("a@example.org", "home"),
        ("b@example.org", "home"),
    ]
    assert [(p.value, p.label) for p in c.phones] == [
        ("07700 900123", "mobile"),
        ("020 7946 0000", "mobile"),
    ]
    assert [(a.street, a.city, a.label) for a in c.addresses] == [
        ("1 High St", "London", "home"),
        ("2 Low Rd", "Leeds", "home"),
    ]


@pytest.mark.parametrize("fmt", CSV_FORMATS)
def test_a_contact_with_only_an_email_comes_back_without_a_name(fmt: str, tmp_path: Path) -> None:
    contact = Contact(emails=[Email("solo@example.org")])
    (back,) = roundtrip([contact], fmt, tmp_path)
    assert back.name == Name()
    assert back.formatted_name == ""
    assert back.display_name == "solo@example.org"
    assert back == carried(contact, fmt)
