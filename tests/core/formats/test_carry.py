"""The cannot-carry table: every entry names a real field, counts what it loses, and the docs show
exactly the table the code renders."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

from app.core.domain.contact import Contact, Email, Event, Phone
from app.core.domain.dates import PartialDate
from app.core.formats import EXPORT_FORMATS
from app.core.formats.carry import CANNOT_CARRY, carried, losses, render_table

DOCS = Path(__file__).resolve().parents[3] / "docs" / "formats.md"
BEGIN, END = "<!-- cannot-carry table: begin -->", "<!-- cannot-carry table: end -->"


def test_every_export_format_has_an_entry_naming_real_fields() -> None:
    assert set(CANNOT_CARRY) == set(EXPORT_FORMATS)
    names = {f.name for f in fields(Contact)}
    for table in CANNOT_CARRY.values():
        for loss in table:
            assert loss.field.partition(".")[0] in names, loss.field


def test_docs_show_exactly_the_table_the_code_renders() -> None:
    text = DOCS.read_text(encoding="utf-8")
    found = re.search(re.escape(BEGIN) + r"\n(.*)\n" + re.escape(END), text, re.S)
    assert found, f"{DOCS} lacks the {BEGIN} ... {END} block"
    assert found[1].strip() == render_table().strip(), (
        "docs/formats.md is out of date: run `python -m app.core.formats.carry`"
    )


def test_outlook_losses_count_values_past_its_columns() -> None:
    contact = Contact(
        emails=[Email(f"e{i}@example.org", "work") for i in range(5)],
        phones=[Phone(f"0207946000{i}", label="mobile") for i in range(9)],
        events=[Event("met", PartialDate(2020, 1, 1))],
        custom={"a": "1", "b": "2"},
    )
    found = losses(contact, "outlook-csv")
    assert found["emails"] == 2
    assert found["emails.label"] == 5
    assert found["phones"] == 2  # the mobile column and six spare ones
    assert found["events"] == 1
    assert found["custom"] == 2
    assert len(carried(contact, "outlook-csv").phones) == 7
    assert losses(contact, "vcard") == {}
