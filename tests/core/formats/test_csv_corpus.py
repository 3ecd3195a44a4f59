"""The corpus's CSV files read value by value, not only counted: every record's line, name,
emails and phones, and the harder cells (multi-line addresses, notes, labels) of some."""

from __future__ import annotations

import pytest

from app.core.domain.contact import Address
from app.core.domain.dates import PartialDate
from app.core.formats import ImportRecord, read_records
from tests.core.formats.conftest import CORPUS, require_corpus

require_corpus()

EXPECTED: dict[str, list[tuple[int, str, list[str], list[str]]]] = {
    "csv/bbdb-csv-import/gmail-test-data.csv": [
        (
            2,
            "name-prefix test contact, name-suffix",
            ["homeemail@home.com", "workemail@work.com", "customemail@custom.com"],
            ["customphone 123-1234-1234", "mobilephone 123-234-2433", "workphone 123-1234-234"],
        ),
    ],
    "csv/bbdb-csv-import/outlook-web-test-data.csv": [
        (2, "test name", [], ["12341234"]),
        (3, "test name2", [], ["1234"]),
    ],
    "csv/bbdb-csv-import/thunderbird-test-data.csv": [
        (2, "justanemail@cox.net", ["justanemail@cox.net"], []),
        (3, "Weather", [], ["289-1212"]),
        (
            4,
            "Bob Dole",
            ["dole49@hotmail.com", "secondarydole@hotmail.com"],
            ["555-123-4567", "555-123-1111", "faxnum12334", "pager1234", "555-333-3333"],
        ),
    ],
    "csv/pear-addressbook/gmail-2005-sections.csv": [
        (
            2,
            "John Doe",
            ["john@example.com", "john.doe@example.com"],
            ["9999999", "9999999", "9999999", "9999999"],
        ),
        (
            3,
            "Jeniffer Doe",
            ["jeniffer@example.com", "jeniffer.doe@example.com"],
            ["9999999", "9999999", "9999999", "9999999"],
        ),
    ],
    "csv/pear-addressbook/outlook-express-wab.csv": [
        (
            2,
            "Firman Wandayandi",
            ["firman@php.net"],
            ["99999999", "99999999", "999999999", "99999999", "99999999", "99999999"],
        ),
    ],
    "csv/pear-addressbook/outlook2003-english.csv": [
        (
            2,
            "Firman Wandayandi",
            ["firman@php.net"],
            ["99999999", "99999999", "99999999", "99999999", "999999999", "99999999"],
        ),
    ],
    "csv/pear-addressbook/yahoo-mail.csv": [
        (2, "Firman Wandayandi", ["firman@php.net"], ["tarzillamax", "99999999", "999999999"]),
    ],
    "csv/roundcube/gmail-legacy.csv": [
        (
            2,
            "Prefix Firstname Middle Lastname, Suffix",
            ["home@aaa.pl", "work@email.pl", "unknown@email.com", "other@email.com"],
            ["pager", "mainphone", "homephone", "homefax", "mobile", "workphone", "workfax"],
        ),
    ],
    "csv/sondreb-people/google-outlook-csv-export-2025.csv": [
        (2, "John Doe", [], ["91551000"]),
        (3, "Jane Doe", [], ["+4741644000"]),
        (4, "mail@mail.com", ["mail@mail.com"], []),
        (5, "Norway Doe", ["mail@hotmail.com"], ["+47 111111"]),
        (8, "John Cruickshank", [], ["+474800000"]),
    ],
    "csv/thunderbird/tb-export.csv": [
        (2, "contact one", ["contact1@invalid"], []),
        (3, "contact two", ["contact2@invalid"], []),
    ],
    "csv/thunderbird/tb-quote.csv": [
        (2, "Acer America", [], ["(800) 000-0000"]),
    ],
    "csv/thunderbird/tb-shiftjis.csv": [
        (2, "権兵衛 名無し", ["名無しの権兵衛@host.invalid"], []),
    ],
    "csv/tine20/google-legacy-tine.csv": [
        (2, "Ando family", [], ["+49227913452"]),
        (3, "Anna family", [], ["+494471707801"]),
        (4, "Anne family", [], ["01235684494"]),
        (5, "axel gert", ["abc@here.de"], ["+4921234435"]),
        (6, "Bus Winsen family", [], ["021224351809"]),
    ],
    "csv/tine20/mac-addressbook-german-tab.csv": [
        (2, "Max Mustermann", ["max@muster.de"], ["04012345"]),
    ],
    "csv/tine20/outlook2007-german-mangled.csv": [
        (2, "The Firm", [], ["+4983242332"]),
        (
            3,
            "Vorname Nachname",
            ["email@example.org"],
            ["+4923782112", "tel_work", "tel_car", "tel_home", "tel_cell", "tel_cell_private"],
        ),
    ],
    "csv/tine20/semicolon-win1252.csv": [
        (2, "Peter Pan", ["peter.pan@ecologic.eu"], []),
        (3, "Maja Biene", ["maja.biene@bienenstock.de"], []),
        (4, "ÖzdemirÖ Üglü", ["oezdemir@ueglue.tu"], []),
        (5, "Weiss Cornelius", ["c.weiss@metaways.de"], []),
    ],
}


def _records(rel: str) -> list[ImportRecord]:
    items = list(read_records(CORPUS / rel, region="US"))
    assert all(isinstance(i, ImportRecord) for i in items), items
    return [i for i in items if isinstance(i, ImportRecord)]


def test_every_corpus_csv_is_checked() -> None:
    found = {str(p.relative_to(CORPUS)) for p in (CORPUS / "csv").rglob("*.csv")}
    assert found == set(EXPECTED)


@pytest.mark.parametrize("rel", sorted(EXPECTED))
def test_each_record_has_its_values(rel: str) -> None:
    got = [
        (r.line, r.contact.display_name, [e.value for e in r.contact.emails],
         [p.value for p in r.contact.phones])
        for r in _records(rel)
    ]  # fmt: skip
    assert got == EXPECTED[rel]


def test_google_exported_as_outlook_keeps_multi_line_addresses_and_stars() -> None:
    records = _records("csv/sondreb-people/google-outlook-csv-export-2025.csv")
    norway = records[3].contact
    # "Home Street" wins over the multi-line "Home Address" that repeats it.
    assert norway.addresses == [Address("home", "50B Industrigata", "Oslo", "", "0357", "Norway")]
    assert norway.tags == ["Restored from Samsung - SM-G950F"]
    assert records[0].contact.favourite  # "starred" in Categories
    assert records[4].contact.addresses[0].city == "Kristiansand S"


def test_outlook_multiline_memo_and_thunderbird_birthday() -> None:
    (outlook,) = _records("csv/pear-addressbook/outlook2003-english.csv")
    assert outlook.contact.notes == "It's\nmultiline \nmemo."
    assert [a.city for a in outlook.contact.addresses] == ["Bandung", "Bandung"]
    bob = _records("csv/bbdb-csv-import/thunderbird-test-data.csv")[2].contact
    assert bob.birthday == PartialDate(1950, 12, 12)
    assert bob.org == "org1"
    assert [a.city for a in bob.addresses] == ["Beverly Hills", "Roanoke"]


def test_gmail_legacy_keeps_quotes_and_labels() -> None:
    (record,) = _records("csv/roundcube/gmail-legacy.csv")
    c = record.contact
    assert c.notes == 'note"note'
    assert c.birthday == PartialDate(1975, 12, 12)
    assert [a.city for a in c.addresses] == ["home_city", "work_city"]
    assert c.tags == ["Test"]


def test_mangled_german_outlook_reads_categories_and_dates() -> None:
    firm, person = _records("csv/tine20/outlook2007-german-mangled.csv")
    assert (firm.contact.org, firm.contact.birthday) == ("The Firm", None)  # 0.0.00: no date
    assert person.contact.tags == ["Partner"]
    assert person.contact.title == "Pressestelle"


def test_windows_1252_semicolons_value_by_value() -> None:
    names = [
        (r.contact.name.given, r.contact.name.family)
        for r in _records("csv/tine20/semicolon-win1252.csv")
    ]
    assert names == [
        ("Peter", "Pan"),
        ("Maja", "Biene"),
        ("ÖzdemirÖ", "Üglü"),
        ("Weiss", "Cornelius"),
    ]
