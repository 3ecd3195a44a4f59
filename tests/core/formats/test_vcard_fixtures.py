"""Each vCard quirk class the corpus taught, in a small file of Kith's own (tests/data/vcf).

These run in a fresh clone with no corpus of real exports beside it; the corpus tests are the wider
layer. Every file is also exported as vCard 3.0 and 4.0 and read back unchanged.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from app.core.domain.contact import Address, Contact, Email, Event, Name, Phone, Url
from app.core.domain.dates import PartialDate
from app.core.formats import ImportRecord, read_records, write_contacts

DATA = Path(__file__).resolve().parents[2] / "data" / "vcf"
PNG = b"\x89PNG\r\n\x1a\n"


def _contacts(name: str) -> list[Contact]:
    items = list(read_records(DATA / name, region="GB", workers=1))
    assert all(isinstance(i, ImportRecord) and not i.warnings for i in items), items
    return [i.contact for i in items if isinstance(i, ImportRecord)]


def test_qp_soft_break_inside_a_multibyte_character() -> None:
    (c,) = _contacts("qp-soft-break-multibyte.vcf")
    assert c.name == Name(given="Jörg", family="Müller")
    assert c.notes == "Line one, still one\nLine two €5"


def test_wrong_and_missing_charsets() -> None:
    declared_latin1_but_utf8, undeclared_cp1252 = _contacts("wrong-and-missing-charset.vcf")
    assert declared_latin1_but_utf8.name == Name(given="Renée", family="Café")
    assert undeclared_cp1252.name == Name(given="Jürgen", family="Doë")
    assert undeclared_cp1252.notes == "Price €10"


def test_utf16_with_bom() -> None:
    (c,) = _contacts("utf16-bom.vcf")
    assert c.name == Name(given="Hana", family="Tanaka")
    assert c.formatted_name == "Tanaka Hana"
    assert c.emails == [Email("hana@example.org")]
    assert c.org == "株式会社, 東京"


def test_apple_groups_give_labels_dates_and_keep_the_rest() -> None:
    (c,) = _contacts("apple-groups.vcf")
    assert c.emails == [Email("kim@example.org", "other")]
    assert c.phones == [Phone("+44 20 7946 0958", "+442079460958", "Met, at conf")]
    assert c.urls == [Url("https://maps.example.com/?q=1,2", "map")]
    assert c.anniversary == PartialDate(2015, 6, 1)
    assert c.events == [Event("First job", PartialDate(2019, 2, 3))]
    assert c.extra_vcard == ["item6.X-CUSTOM:kept as is", "item6.X-ABLABEL:custom"]


def test_unescaped_commas_are_kept() -> None:
    (c,) = _contacts("unescaped-commas.vcf")
    assert c.name == Name(given="Ann, Marie", family="Doe, Jr")
    assert c.formatted_name == "Ann Doe"
    assert (c.org, c.department) == ("Acme, Inc.", "Sales, EMEA")
    assert c.title == "Owner, Lead Designer"
    assert c.notes == "Met at the fair, wants a quote; call back in May\n\nPath C:\\temp\\"
    assert c.addresses == [Address("work", "12 Main St, Suite 5", "Leeds", "", "LS1 1AA", "UK")]
    assert (c.nickname, c.tags) == ("Annie, Nan", ["clients", "2024"])


def test_folded_lines_inside_a_character_and_with_tabs() -> None:
    (c,) = _contacts("folded-lines.vcf")
    assert c.name == Name(given="Ann", family="Zoë")
    assert c.notes == "This note is folded across three lines."


def test_embedded_21_photo_over_unindented_lines() -> None:
    (c,) = _contacts("embedded-photo.vcf")
    assert c.photo is not None and c.photo.startswith(PNG)
    assert c.photo_mime == "image/png"
    assert c.phones == [Phone("+1 415 555 2671", "+14155552671", "mobile")]


def test_vcard_21_bare_types() -> None:
    (c,) = _contacts("v21-bare-types.vcf")
    assert [(p.value, p.label) for p in c.phones] == [
        ("+44 7700 900123", "mobile"),
        ("+44 20 7946 0000", "work fax"),
    ]
    assert c.emails == [Email("bea@example.org", "work")]
    assert c.addresses == [Address("home", "1 High St", "Leeds", "", "LS1 1AA", "UK")]


def test_cr_cr_lf_and_a_bare_cr_in_a_value() -> None:
    (c,) = _contacts("cr-cr-lf.vcf")
    assert c.name == Name(given="Cy", family="Crlf")
    assert c.notes == "one\ntwo"
    assert c.emails == [Email("cy@example.org")]


def test_vcard_40_with_bom_data_uri_and_no_year() -> None:
    (c,) = _contacts("v40-bom-datauri.vcf")
    assert c.name == Name(given="Quinn")
    assert c.birthday == PartialDate(None, 4, 15)
    assert c.photo is not None and c.photo.startswith(PNG)
    assert c.phones == [Phone("+1-415-555-2671", "+14155552671", "mobile")]


@pytest.mark.parametrize("fmt", ["vcard", "vcard4"])
@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("*.vcf")))
def test_fixture_exports_read_back_unchanged(name: str, fmt: str, tmp_path: Path) -> None:
    stored = _contacts(name)
    out = io.BytesIO()
    write_contacts(stored, fmt, out)
    path = tmp_path / "export.vcf"
    path.write_bytes(out.getvalue())
    items = list(read_records(path, region="GB", workers=1))
    assert [i.contact if isinstance(i, ImportRecord) else i for i in items] == stored
