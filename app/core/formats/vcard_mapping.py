"""From the repaired properties of one card (and their decoded values) to a Contact."""

from __future__ import annotations

import contextlib
import re

from app.core.domain.contact import Address, Contact, Email, Event, Name, Phone, Stage, Url
from app.core.domain.normalise import to_e164
from app.core.formats.records import (
    ImportProblem,
    ImportRecord,
    check_record,
    name_from_text,
    parse_date,
)
from app.core.formats.vcard_labels import label_from_types
from app.core.formats.vcard_prepass import Prop
from app.core.formats.vcard_text import unescape

# Written fresh by every writer, so not kept from the file.
_REGENERATED = frozenset({"VERSION", "PRODID", "FN"})
_DATE_PROPS = frozenset({"BDAY", "ANNIVERSARY", "X-ANNIVERSARY", "X-ABDATE"})


Value = str | list[str]
# An FN that is an email address or a phone number, never a person's name.
_NOT_A_NAME = re.compile(r"^\S+@\S+$|^[\d\s+().\-/]+$")


def _text(value: Value) -> str:
    return (value if isinstance(value, str) else ", ".join(value)).strip()


def _part(parts: Value, index: int) -> str:
    """One component of a compound value, empty when the card left it out."""
    if isinstance(parts, str):
        parts = [parts]
    return parts[index].strip() if index < len(parts) else ""


class _Builder:
    def __init__(self, region: str, labels: dict[str, str], warnings: list[str]) -> None:
        self.contact = Contact()
        self.region = region
        self.labels = labels
        self.warnings = warnings
        self.fn = ""
        self.used_labels: set[str] = set()

    def label(self, prop: Prop) -> str:
        group = prop.group.upper()
        if group and group in self.labels:
            self.used_labels.add(group)
            return self.labels[group]
        return label_from_types(prop.params.get("TYPE", []))

    def date(self, prop: Prop, value: Value) -> bool:
        found = parse_date(_text(value))
        if found is None:
            return False
        c = self.contact
        if prop.name == "BDAY":
            if c.birthday is not None:
                return False
            c.birthday = found
        elif prop.name in ("ANNIVERSARY", "X-ANNIVERSARY"):
            if c.anniversary is not None:
                return False
            c.anniversary = found
        else:
            label = self.label(prop) or "date"
            if label == "anniversary" and c.anniversary is None:
                c.anniversary = found
            else:
                c.events.append(Event(label, found))
        return True

    def add(self, prop: Prop, value: Value) -> bool:
        """Map one property; False when the contact does not model it (keep it verbatim)."""
        c, name = self.contact, prop.name
        if name in _DATE_PROPS:
            return self.date(prop, value)
        if name == "N":
            n = Name(
                prefix=_part(value, 3),
                given=_part(value, 1),
                middle=_part(value, 2),
                family=_part(value, 0),
                suffix=_part(value, 4),
            )
            if not c.name.is_empty():
                return False
            c.name = n
        elif name == "FN":
            self.fn = _text(value)
        elif name == "EMAIL":
            text = _text(value).removeprefix("mailto:")
            if text:
                c.emails.append(Email(text, self.label(prop)))
        elif name == "TEL":
            text = _text(value)
            text = text[4:] if text.lower().startswith("tel:") else text
            if text:
                c.phones.append(Phone(text, to_e164(text, self.region), self.label(prop)))
        elif name == "ADR":
            adr = Address(
                label=self.label(prop),
                street=_part(value, 2),
                city=_part(value, 3),
                region=_part(value, 4),
                postal_code=_part(value, 5),
                country=_part(value, 6),
                po_box=_part(value, 0),
                extended=_part(value, 1),
            )
            if not adr.is_empty():
                c.addresses.append(adr)
        elif name == "URL":
            text = _text(value)
            if text:
                c.urls.append(Url(text, self.label(prop)))
        elif name == "ORG":
            units = [u.strip() for u in ([value] if isinstance(value, str) else value)]
            if not any(units):
                return True
            if c.org or c.department:
                return False  # a second ORG: kept as it is
            # "ORG:;Sales" is a department without an organisation name.
            c.org, c.department = units[0], ", ".join(u for u in units[1:] if u)
        elif name in ("TITLE", "NICKNAME", "UID"):
            attr = {"TITLE": "title", "NICKNAME": "nickname", "UID": "uid"}[name]
            if getattr(c, attr):
                return False
            setattr(c, attr, _text(value))
        elif name == "NOTE":
            text = _text(value)
            c.notes = f"{c.notes}\n\n{text}" if c.notes and text else c.notes or text
        elif name == "CATEGORIES":
            items = [value] if isinstance(value, str) else value
            c.tags.extend(t for t in (i.strip() for i in items) if t and t not in c.tags)
        else:
            return name in _REGENERATED
        return True

    def add_kith(self, prop: Prop) -> bool:
        c, value = self.contact, unescape(prop.value)
        if prop.name == "X-KITH-STAGE":
            with contextlib.suppress(ValueError):
                c.stage = Stage(value)
        elif prop.name == "X-KITH-PRIORITY":
            with contextlib.suppress(ValueError):
                c.priority = int(value)
        elif prop.name == "X-KITH-FAVOURITE":
            c.favourite = value.strip().lower() in ("1", "true", "yes")
        else:
            key = prop.params.get("X-NAME", [prop.name.removeprefix("X-KITH-CUSTOM-")])[0]
            c.custom[key] = value
        return True


def _valid_base64(prop: Prop, warnings: list[str]) -> bool:
    """Whether a kept base64 value can decode, its padding mended: a damaged one would make
    other readers refuse the whole exported file."""
    if prop.params.get("ENCODING") != ["b"]:
        return True
    data = prop.value.rstrip("=")
    if len(data) % 4 == 1 or "=" in data:
        warnings.append(f"The {prop.name} line held damaged base64 data and was left out.")
        return False
    prop.value = data + "=" * (-len(data) % 4)
    return True


def _keep_fn(c: Contact, fn: str) -> None:
    """Keep the card's FN: as the name when N is empty and FN names a person, and as the
    formatted name when it differs from the name Kith would build."""
    fn = fn.strip()
    if not fn:
        return
    fallbacks = {c.built_name, c.org, c.nickname, *(e.value for e in c.emails)}
    if c.name.is_empty() and fn not in fallbacks and not _NOT_A_NAME.match(fn):
        c.name = name_from_text(fn)
    if fn != c.built_name:
        c.formatted_name = fn


def contact_from_props(  # noqa: PLR0917
    line: int,
    props: list[Prop],
    values: dict[int, Value],
    labels: dict[str, str],
    photo: tuple[bytes, str] | None,
    photo_index: int,
    region: str,
    warnings: list[str],
) -> ImportRecord | ImportProblem:
    """The contact that `props` describe; unmodelled properties go to `extra_vcard`."""
    b = _Builder(region, labels, warnings)
    kept: list[Prop] = []
    for i, prop in enumerate(props):
        if i in values:
            if not b.add(prop, values[i]):
                kept.append(prop)
        elif prop.name.startswith("X-KITH-"):
            b.add_kith(prop)
        elif i == photo_index and photo is not None:
            if photo[0]:
                b.contact.photo, b.contact.photo_mime = photo
        elif prop.name not in (*_REGENERATED, "X-ABLABEL") and _valid_base64(prop, warnings):
            kept.append(prop)
    c = b.contact
    _keep_fn(c, b.fn)
    unused = {p.group.upper() for p in kept if p.group}
    c.extra_vcard = [
        p.content_line()
        for p in props
        if p in kept or (p.name == "X-ABLABEL" and p.group.upper() in unused)
    ]
    return check_record(c, line, warnings)
