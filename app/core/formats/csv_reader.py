"""CSV files of contacts (Outlook in four languages, Google old and new, Thunderbird, Yahoo and
any other with a column map) to Contacts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from app.core.domain.contact import Address, Contact, Email, Event, Name, Phone, Url
from app.core.domain.dates import PartialDate
from app.core.domain.normalise import clean_text, to_e164
from app.core.errors import UserFacingError
from app.core.formats.csv_dialects import (
    DAY_FIRST,
    Target,
    dialect_of,
    header_key,
    header_language,
    target_for,
    target_from_map,
)
from app.core.formats.csv_rows import csv_rows
from app.core.formats.csv_sniff import open_text
from app.core.formats.limits import Limits
from app.core.formats.records import (
    ImportProblem,
    ImportRecord,
    check_record,
    date_from_parts,
    name_from_text,
    parse_date,
    unneutralise_cell,
)

_NAME_PARTS = ("prefix", "given", "middle", "family", "suffix")
_SCALARS = frozenset(
    {*_NAME_PARTS, "nickname", "org", "department", "title", "notes", "fullname"}
    | {"birthday", "anniversary", "tags", "labels", "birth_year", "birth_month", "birth_day"}
    | {"formatted_name"}
)
_MULTI = " ::: "  # Google's separator of several values in one cell
_JOINS = {"notes": "\n", "labels": _MULTI, "tags": ","}  # several columns for one field
_SLASHED = re.compile(r"^\s*\d{1,2}/\d{1,2}/\d{2,4}\s*$")
_SYSTEM_GROUPS = {"my contacts", "mycontacts", "other contacts"}
_STARRED = {"starred"}


def _label(text: str) -> str:
    text = text.strip().removeprefix("* ").strip()
    lower = text.lower()
    return lower if lower in ("home", "work", "mobile", "other", "main", "fax", "pager") else text


def _targets(
    headers: list[str], fmt: str, column_map: dict[str, str] | None, language: str
) -> list[Target | None]:
    keys = {header_key(h) for h in headers}
    targets: list[Target | None] = []
    for header in headers:
        target = None if fmt == "csv" and column_map else target_for(header, language)
        # Outlook's "Title" is Mr/Ms when a "Job Title" column is there too.
        titled = "job title" in keys or "organization 1 - title" in keys
        if target is not None and titled and header_key(header) == "title":
            target = Target("prefix")
        if column_map and header in column_map:
            target = target_from_map(column_map[header], header)
        targets.append(target)
    return targets


def _split_tags(categories: str, labels: str, contact: Contact) -> list[str]:
    # Outlook and others separate categories with ';' or ','; Google's labels only by ' ::: '.
    parts = categories.replace(";", ",").split(",") if categories else []
    parts += labels.split(_MULTI) if labels else []
    tags = []
    for part in parts:
        tag = part.strip().removeprefix("* ").strip()
        if tag.lower() in _STARRED:
            contact.favourite = True
        elif tag and tag.lower() not in _SYSTEM_GROUPS and tag not in tags:
            tags.append(tag)
    return tags


def _date(text: str, what: str, warnings: list[str], day_first: bool) -> PartialDate | None:
    if day_first and _SLASHED.match(text):
        text = text.replace("/", ".")  # 25/12/1982: the dotted form reads day first
    found = parse_date(text)
    digits = any(ch.isdigit() for ch in text)
    if found is None and digits and text.strip("0./- "):
        warnings.append(f"The {what} {text.strip()!r} could not be read and was left out.")
    return found


def row_to_contact(
    cells: list[str],
    targets: list[tuple[int, Target]],
    region: str,
    warnings: list[str],
    *,
    day_first: bool = False,
) -> Contact | None:
    """The contact in one row, or None when every cell is empty.

    Args:
        cells: the row.
        targets: (column index, target) of each column Kith reads, in column order.
        region: the phone region for numbers without a country code.
        warnings: where to say what was fixed or left out.
        day_first: dates with slashes are day/month/year (a localised Outlook's).
    """
    scalars: dict[str, str] = {}
    groups: dict[tuple[str, str], dict[str, str]] = {}
    width = len(cells)
    for index, target in targets:
        cell = cells[index] if index < width else ""
        if not cell:  # most cells of a wide export are empty
            continue
        raw = unneutralise_cell(cell if cell.isprintable() else clean_text(cell))
        value = raw.strip()
        if not value:
            continue
        if target.kind in _SCALARS:
            old = scalars.get(target.kind)
            sep = _JOINS.get(target.kind, " ")
            scalars[target.kind] = f"{old}{sep}{value}" if old else value
        else:
            # Kept unstripped: ' ::: ' may separate empty values at either end.
            parts = groups.setdefault((target.kind, target.slot), {"_label": target.label})
            old = parts.get(target.part)
            parts[target.part] = f"{old}\n{value}" if old else raw
    if not scalars and not groups:
        return None
    c = Contact(name=Name(**{k: scalars.get(k, "") for k in _NAME_PARTS}))
    if c.name.is_empty() and scalars.get("fullname"):
        c.name = name_from_text(scalars["fullname"])
    c.formatted_name = scalars.get("formatted_name", "")
    c.nickname = scalars.get("nickname", "")
    c.org, c.department = scalars.get("org", ""), scalars.get("department", "")
    c.title, c.notes = scalars.get("title", ""), scalars.get("notes", "")
    c.tags = _split_tags(scalars.get("tags", ""), scalars.get("labels", ""), c)
    c.birthday = _date(scalars.get("birthday", ""), "birthday", warnings, day_first)
    c.anniversary = _date(scalars.get("anniversary", ""), "anniversary", warnings, day_first)
    if c.birthday is None and "birth_day" in scalars:
        c.birthday = date_from_parts(
            scalars.get("birth_year", ""), scalars.get("birth_month", ""), scalars["birth_day"]
        )
    for (kind, _slot), parts in groups.items():
        _add_group(c, kind, parts, region, warnings)
    return c


def _split(text: str) -> list[str]:
    if _MULTI not in text:
        return [text.strip()]
    return [item.strip() for item in text.split(_MULTI)]


def _labelled(parts: dict[str, str], n: int) -> list[str]:
    """The label of each of `n` values: Kith writes one label per value, Google one per group."""
    text = parts.get("label", "")
    if n == 1 or _MULTI not in text:
        return [_label(text) or parts["_label"]] * n
    labels = [_label(label) for label in _split(text)]
    if len(labels) != n:
        labels = [_label(parts.get("label", ""))] * n
    return [label or parts["_label"] for label in labels]


def _add_group(
    c: Contact, kind: str, parts: dict[str, str], region: str, warnings: list[str]
) -> None:
    if kind == "address":
        _add_addresses(c, parts)
        return
    if kind.startswith("custom:"):
        c.custom[kind.removeprefix("custom:")] = parts.get("value", "").strip()
        return
    raw = parts.get("value", "")
    items = _split(raw)
    labels = _labelled(parts, len(items))
    if kind in ("custom", "relation"):
        if len(items) == 1 or len(labels) != len(_split(parts.get("label", ""))):
            items, labels = [raw.strip()], labels[:1]  # one label: the value is whole
        for label, value in zip(labels, items, strict=True):
            if value:
                c.custom[label or kind.title()] = value
        return
    for label, value in zip(labels, items, strict=True):
        if not value:
            continue
        if kind == "email":
            c.emails.append(Email(value.removeprefix("mailto:"), label))
        elif kind == "phone":
            c.phones.append(Phone(value, to_e164(value, region), label))
        elif kind == "url":
            c.urls.append(Url(value, label))
        elif kind == "event":
            _add_event(c, label, value, warnings)


def _add_event(c: Contact, label: str, value: str, warnings: list[str]) -> None:
    found = parse_date(value)
    if found is None:
        warnings.append(f"The date {value!r} could not be read and was left out.")
    elif label.lower() == "anniversary" and c.anniversary is None:
        c.anniversary = found
    elif label.lower() == "birthday" and c.birthday is None:
        c.birthday = found
    else:
        c.events.append(Event(label, found))


def _add_addresses(c: Contact, parts: dict[str, str]) -> None:
    split = {name: _split(text) for name, text in parts.items() if name not in ("_label", "label")}
    n = max((len(items) for items in split.values()), default=0)
    labels = _labelled(parts, n)
    for i in range(n):
        one = {name: items[i] if i < len(items) else "" for name, items in split.items()}
        first = one.get("street") or one.get("address", "")
        street = "\n".join(p for p in (first, one.get("street2"), one.get("street3")) if p)
        # Google's "Formatted" repeats the other parts; it is the street only when alone.
        alone = not any(v for k, v in one.items() if k != "formatted")
        address = Address(
            label=labels[i],
            street=street or (one.get("formatted", "") if alone else ""),
            city=one.get("city", ""),
            region=one.get("region", ""),
            postal_code=one.get("postal_code", ""),
            country=one.get("country", ""),
            po_box=one.get("po_box", ""),
            extended=one.get("extended", ""),
        )
        if not address.is_empty():
            c.addresses.append(address)


def csv_header(path: Path, limits: Limits) -> list[str]:
    """The decoded header cells of a CSV file."""
    text, delimiter = open_text(path, limits)
    with text:
        first = next(csv_rows(text, delimiter, limits), None)
    if first is None or isinstance(first, ImportProblem):
        return []
    return [cell.strip().lstrip("\ufeff") for cell in first[1]]


def read_csv(
    path: Path, fmt: str, region: str, column_map: dict[str, str] | None, limits: Limits
) -> Iterator[ImportRecord | ImportProblem]:
    """The records of a CSV file, streamed; `fmt` is "auto" or one of the CSV formats.

    A row that cannot be read is an ImportProblem with its line (see `csv_rows`).
    """
    text, delimiter = open_text(path, limits)
    with text:
        rows = csv_rows(text, delimiter, limits)
        first = next(rows, None)
        if isinstance(first, ImportProblem):
            raise UserFacingError(
                f"The first line of {path.name} is not a CSV header line (a quote in it is "
                "never closed, or it is too long); export the contacts again and retry."
            )
        headers = [cell.strip().lstrip("\ufeff") for cell in (first[1] if first else [])]
        fmt = dialect_of(headers) if fmt == "auto" else fmt
        language = header_language(headers)
        columns = _targets(headers, fmt, column_map, language)
        targets = [(i, t) for i, t in enumerate(columns) if t]
        day_first = language in DAY_FIRST
        if not targets:
            return
        count = 0
        for row in rows:
            if isinstance(row, ImportProblem):
                yield row
                continue
            start, cells = row
            warnings: list[str] = []
            contact = row_to_contact(cells, targets, region, warnings, day_first=day_first)
            if contact is None:
                continue
            count += 1
            if count > limits.max_records:
                raise UserFacingError(
                    f"This file holds more than {limits.max_records:,} contacts; "
                    "split it into smaller files."
                )
            yield check_record(contact, start, warnings)
