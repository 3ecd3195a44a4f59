"""Contacts to Outlook CSV (English 2007+ names) and Google CSV (its current format).

UTF-8 with a BOM so that Excel reads it right; every cell a spreadsheet would run as a formula
is neutralised with a leading quote, which the CSV reader removes again.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import replace
from typing import BinaryIO

from app.core.domain.contact import Address, Contact, Phone
from app.core.domain.dates import PartialDate
from app.core.formats.csv_dialects import target_for
from app.core.formats.records import neutralise_cell

_ADDR_PARTS = ("Street", "City", "State", "Postal Code", "Country/Region", "Address PO Box")
OUTLOOK_HEADER = [
    "Title", "First Name", "Middle Name", "Last Name", "Suffix", "Company", "Department",
    "Job Title",
    *(f"{w} {p}" for w in ("Business", "Home", "Other") for p in _ADDR_PARTS),
    "Assistant's Phone", "Business Fax", "Business Phone", "Business Phone 2", "Callback",
    "Car Phone", "Company Main Phone", "Home Fax", "Home Phone", "Home Phone 2", "ISDN",
    "Mobile Phone", "Other Fax", "Other Phone", "Pager", "Primary Phone", "Radio Phone",
    "TTY/TDD Phone", "Telex", "Anniversary", "Birthday", "Categories", "E-mail Address",
    "E-mail 2 Address", "E-mail 3 Address", "Notes", "Web Page",
]  # fmt: skip
_PHONE_SLOTS = {
    "mobile": ["Mobile Phone"],
    "home": ["Home Phone", "Home Phone 2"],
    "work": ["Business Phone", "Business Phone 2"],
    "work fax": ["Business Fax"],
    "home fax": ["Home Fax"],
    "fax": ["Other Fax"],
    "pager": ["Pager"],
    "main": ["Primary Phone", "Company Main Phone"],
    "car": ["Car Phone"],
    "assistant": ["Assistant's Phone"],
}
_SPARE_PHONES = ["Other Phone", "Callback", "Radio Phone", "ISDN", "Telex", "TTY/TDD Phone"]
_ADDR_SLOTS = {"work": "Business", "home": "Home", "other": "Other"}


def _outlook_date(date: PartialDate | None) -> str:
    if date is None:
        return ""
    return f"{date.month}/{date.day}/{date.year or 1604}"  # Outlook's own "no year" is 1604


def outlook_phone_columns(phones: list[Phone]) -> dict[str, Phone]:
    """Which Outlook column each phone goes to: its label's, else a spare; None past them."""
    placed: dict[str, Phone] = {}
    for phone in phones:
        free = [s for s in _PHONE_SLOTS.get(phone.label, []) + _SPARE_PHONES if s not in placed]
        if free:
            placed[free[0]] = phone
    return placed


def outlook_phones_back(phones: list[Phone]) -> list[Phone]:
    """The phones an import of Kith's Outlook CSV gives back: in column order, column labels."""
    placed = outlook_phone_columns(phones)
    return [
        replace(placed[column], label=_column_label(column))
        for column in OUTLOOK_HEADER
        if column in placed
    ]


def outlook_address_slots(addresses: list[Address]) -> dict[str, Address]:
    """Which Outlook address (Business, Home, Other) each non-empty address goes to."""
    placed: dict[str, Address] = {}
    for a in addresses:
        if a.is_empty():
            continue
        preferred = _ADDR_SLOTS.get(a.label, "Other")
        where = next((w for w in (preferred, "Other", "Home", "Business") if w not in placed), "")
        if where:
            placed[where] = a
    return placed


def outlook_addresses_back(addresses: list[Address]) -> list[Address]:
    """The addresses an import of Kith's Outlook CSV gives back."""
    placed = outlook_address_slots(addresses)
    return [
        replace(
            placed[where],
            label=_column_label(f"{where} City"),
            street="\n".join(p for p in (placed[where].extended, placed[where].street) if p),
            extended="",
        )
        for where in ("Business", "Home", "Other")
        if where in placed
    ]


def _column_label(column: str) -> str:
    target = target_for(column)
    return target.label if target is not None else ""


def _outlook_address(row: dict[str, str], where: str, a: Address) -> None:
    street = "\n".join(p for p in (a.extended, a.street) if p)
    values = (street, a.city, a.region, a.postal_code, a.country, a.po_box)
    for part, value in zip(_ADDR_PARTS, values, strict=True):
        row[f"{where} {part}"] = value


def outlook_row(c: Contact) -> dict[str, str]:
    """One contact as Outlook CSV cells by column name.

    A nameless contact keeps its name cells empty: Outlook shows such a row by its e-mail, and
    filling "First Name" with the display name would come back as a name the user never gave.
    """
    n = c.name
    row = {"Title": n.prefix, "First Name": n.given, "Middle Name": n.middle}
    row |= {"Last Name": n.family, "Suffix": n.suffix, "Company": c.org}
    row |= {"Department": c.department, "Job Title": c.title, "Notes": c.notes}
    row |= {"Birthday": _outlook_date(c.birthday), "Anniversary": _outlook_date(c.anniversary)}
    row["Categories"] = ";".join(c.tags)
    for column, email in zip(
        ("E-mail Address", "E-mail 2 Address", "E-mail 3 Address"), c.emails, strict=False
    ):
        row[column] = email.value
    for column, phone in outlook_phone_columns(c.phones).items():
        row[column] = phone.value
    for where, a in outlook_address_slots(c.addresses).items():
        _outlook_address(row, where, a)
    if c.urls:
        row["Web Page"] = c.urls[0].value
    return row


GOOGLE_COUNTS = {"E-mail": 3, "Phone": 4, "Address": 3, "Website": 2, "Event": 2, "Custom Field": 3}
_GOOGLE_ADDR: tuple[str, ...] = (
    "Formatted",
    "Street",
    "City",
    "PO Box",
    "Region",
    "Postal Code",
    "Country",
)
_GOOGLE_ADDR += ("Extended Address",)
_GOOGLE_ADDR_ATTRS = {
    "Street": "street",
    "City": "city",
    "PO Box": "po_box",
    "Region": "region",
    "Postal Code": "postal_code",
    "Country": "country",
    "Extended Address": "extended",
}
MULTI = " ::: "  # Google's separator of several values in one cell
GOOGLE_HEADER = [
    "First Name", "Middle Name", "Last Name", "Phonetic First Name", "Phonetic Middle Name",
    "Phonetic Last Name", "Name Prefix", "Name Suffix", "Nickname", "File As",
    "Organization Name", "Organization Title", "Organization Department", "Birthday", "Notes",
    "Photo", "Labels",
    *(f"E-mail {i} - {p}" for i in range(1, 4) for p in ("Label", "Value")),
    *(f"Phone {i} - {p}" for i in range(1, 5) for p in ("Label", "Value")),
    *(f"Address {i} - {p}" for i in range(1, 4) for p in ("Label", *_GOOGLE_ADDR)),
    *(f"Website {i} - {p}" for i in range(1, 3) for p in ("Label", "Value")),
    *(f"Event {i} - {p}" for i in range(1, 3) for p in ("Label", "Value")),
    *(f"Custom Field {i} - {p}" for i in range(1, 4) for p in ("Label", "Value")),
]  # fmt: skip


def _google_items(row: dict[str, str], group: str, items: list[tuple[str, str]]) -> None:
    """Fill "E-mail 1 - Label/Value"...; items past the last group share it.

    Google joins several values of one group with ' ::: '; the labels of the shared group are
    joined the same way, so that each value keeps its own label.
    """
    count = GOOGLE_COUNTS[group]
    for i, (label, value) in enumerate(items[:count], start=1):
        row[f"{group} {i} - Label"], row[f"{group} {i} - Value"] = label, value
    if len(items) > count:
        rest = items[count - 1 :]
        row[f"{group} {count} - Label"] = MULTI.join(label for label, _ in rest)
        row[f"{group} {count} - Value"] = MULTI.join(value for _, value in rest)


def _google_addresses(row: dict[str, str], addresses: list[Address]) -> None:
    count = GOOGLE_COUNTS["Address"]
    groups = [[a] for a in addresses[: count - 1]] + [addresses[count - 1 :]]
    for i, group in enumerate(groups, start=1):
        if not group:
            break
        row[f"Address {i} - Label"] = MULTI.join(a.label for a in group)
        for part, attr in _GOOGLE_ADDR_ATTRS.items():
            row[f"Address {i} - {part}"] = MULTI.join(getattr(a, attr) for a in group)


def google_row(c: Contact) -> dict[str, str]:
    """One contact as Google CSV cells by column name."""
    n = c.name
    row = {"First Name": n.given, "Middle Name": n.middle, "Last Name": n.family}
    row |= {"Name Prefix": n.prefix, "Name Suffix": n.suffix, "Nickname": c.nickname}
    row |= {"File As": c.formatted_name, "Organization Name": c.org}
    row |= {"Organization Title": c.title, "Organization Department": c.department}
    row["Notes"] = c.notes
    row["Birthday"] = c.birthday.iso() if c.birthday else ""
    labels = list(c.tags) + (["* starred"] if c.favourite else [])
    row["Labels"] = MULTI.join(labels)
    _google_items(row, "E-mail", [(e.label, e.value) for e in c.emails])
    _google_items(row, "Phone", [(p.label, p.value) for p in c.phones])
    _google_items(row, "Website", [(u.label, u.value) for u in c.urls])
    events = [(e.label, e.date.iso()) for e in c.events]
    if c.anniversary:
        events.insert(0, ("Anniversary", c.anniversary.iso()))
    _google_items(row, "Event", events)
    _google_items(row, "Custom Field", list(c.custom.items()))
    _google_addresses(row, c.addresses)
    return row


def write_csv(contacts: Iterable[Contact], out: BinaryIO, *, google: bool) -> int:
    """Write `contacts` as Google or Outlook CSV; returns how many were written."""
    header = GOOGLE_HEADER if google else OUTLOOK_HEADER
    make_row = google_row if google else outlook_row
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    out.write(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))
    count = 0
    for contact in contacts:
        buffer.seek(0)
        buffer.truncate()
        row = make_row(contact)
        writer.writerow([neutralise_cell(row.get(column, "")) for column in header])
        out.write(buffer.getvalue().encode("utf-8"))
        count += 1
    return count
