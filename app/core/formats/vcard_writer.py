"""Contacts to vCard 3.0 or 4.0: UTF-8, folded at 75 octets, escaped, unknown lines kept."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from app.core.domain.contact import Contact
from app.core.domain.dates import PartialDate
from app.core.domain.normalise import clean_text
from app.core.formats.vcard_labels import types_for_label
from app.core.formats.vcard_text import escape_component, escape_text, escape_uri

_SAFE_NAME = re.compile(r"[^A-Za-z0-9-]")


def fold(line: str) -> bytes:
    """One content line as UTF-8, folded at 75 octets without splitting a character.

    A control character or bare newline cannot reach the file (a CR-aware reader would see a
    new line, even a new card, there): values are escaped already, so this only ever changes an
    `extra_vcard` line or a bug's output.
    """
    data = clean_text(line, "\\n").encode("utf-8")
    if len(data) <= 75:
        return data + b"\r\n"
    out, start, limit = [], 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # inside a UTF-8 sequence
            end -= 1
        out.append(data[start:end])
        start, limit = end, 74  # continuation lines begin with a space
    return b"\r\n ".join(out) + b"\r\n"


def _param(value: str) -> str:
    text = clean_text(value).replace("^", "^^").replace("\n", "^n").replace('"', "^'")
    return f'"{text}"' if any(c in text for c in ";:,") else text


def _date(date: PartialDate, v4: bool) -> str:
    if date.year is None and not v4:
        return f"1604-{date.month:02d}-{date.day:02d}"  # Apple's "no year" form for 3.0
    return date.iso()


class _Lines:
    def __init__(self, v4: bool, extra: list[str]) -> None:
        self.v4 = v4
        self.lines: list[str] = []
        self.item = 0
        # Groups of kept lines (an Apple "item3.X-FOO"): never reused for Kith's own labels.
        self.taken = {line.split(".", 1)[0].lower() for line in extra if "." in line.split(":")[0]}

    def group(self) -> str:
        """The next item group no kept line uses."""
        self.item += 1
        while f"item{self.item}" in self.taken:
            self.item += 1
        return f"item{self.item}"

    def labelled(self, name: str, label: str, value: str, extra: str = "") -> None:
        types = types_for_label(label)
        if types is None:
            group = self.group()
            self.lines.append(f"{group}.{name}{extra}:{value}")
            self.lines.append(f"{group}.X-ABLabel:{escape_text(label)}")
        else:
            params = f";TYPE={','.join(types)}" if types else ""
            self.lines.append(f"{name}{params}{extra}:{value}")


def card_lines(c: Contact, v4: bool) -> Iterator[str]:
    """The unfolded content lines of one card."""
    out = _Lines(v4, c.extra_vcard)
    add = out.lines.append
    n = c.name
    add("BEGIN:VCARD")
    add("VERSION:4.0" if v4 else "VERSION:3.0")
    add(f"FN:{escape_text(c.display_name)}")
    parts = (n.family, n.given, n.middle, n.prefix, n.suffix)
    add("N:" + ";".join(escape_component(p) for p in parts))
    if c.nickname:
        add(f"NICKNAME:{escape_text(c.nickname)}")
    if c.org or c.department:
        add(
            f"ORG:{escape_component(c.org)}"
            + (f";{escape_component(c.department)}" if c.department else "")
        )
    if c.title:
        add(f"TITLE:{escape_text(c.title)}")
    for email in c.emails:
        out.labelled("EMAIL", email.label, escape_text(email.value))
    for phone in c.phones:
        out.labelled("TEL", phone.label, escape_text(phone.value), ";VALUE=text" if v4 else "")
    for a in c.addresses:
        fields = (a.po_box, a.extended, a.street, a.city, a.region, a.postal_code, a.country)
        out.labelled("ADR", a.label, ";".join(escape_component(f) for f in fields))
    for url in c.urls:
        out.labelled("URL", url.label, escape_uri(url.value))
    if c.birthday:
        add(f"BDAY:{_date(c.birthday, v4)}")
    if c.anniversary:
        add(f"{'ANNIVERSARY' if v4 else 'X-ANNIVERSARY'}:{_date(c.anniversary, v4)}")
    for event in c.events:
        group = out.group()
        add(f"{group}.X-ABDATE:{_date(event.date, v4)}")
        add(f"{group}.X-ABLabel:{escape_text(event.label)}")
    if c.notes:
        add(f"NOTE:{escape_text(c.notes)}")
    if c.tags:
        add("CATEGORIES:" + ",".join(escape_text(t) for t in c.tags))
    if c.photo:
        data = base64.b64encode(c.photo).decode("ascii")
        mime = c.photo_mime or "image/jpeg"
        if v4:
            add(f"PHOTO:data:{mime};base64,{data}")
        else:
            add(f"PHOTO;ENCODING=b;TYPE={mime.split('/')[-1].upper()}:{data}")
    if c.uid:
        add(f"UID:{escape_text(c.uid)}")
    if c.stage:
        add(f"X-KITH-STAGE:{escape_text(c.stage.value)}")
    if c.priority:
        add(f"X-KITH-PRIORITY:{c.priority}")
    if c.favourite:
        add("X-KITH-FAVOURITE:1")
    for key, value in c.custom.items():
        safe = _SAFE_NAME.sub("-", key)[:40] or "FIELD"
        add(f"X-KITH-CUSTOM-{safe.upper()};X-NAME={_param(key)}:{escape_text(value)}")
    out.lines.extend(c.extra_vcard)
    add("END:VCARD")
    return iter(out.lines)


def write_vcards(contacts: Iterable[Contact], out: BinaryIO, *, v4: bool) -> int:
    """Write `contacts` as vCard 3.0 (or 4.0); returns how many were written."""
    count = 0
    for contact in contacts:
        out.write(b"".join(fold(line) for line in card_lines(contact, v4)))
        count += 1
    return count
