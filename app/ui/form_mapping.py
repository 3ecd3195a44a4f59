"""What the contact card shows of a Contact, derived from the dataclass fields.

The card is one boundary of the model, so it is mapped in one place: every field of `Contact`
(and of each part: Name, Email, Phone, Address, Url, Event) is either on the card, of a kind
read from its type, or named in `NOT_ON_FORM` and carried through untouched. A field added to
the model and forgotten here fails at import time instead of going missing on the first edit.
This module holds no Qt: only the text each field shows and how that text is read back.
"""

from __future__ import annotations

import csv
import dataclasses
import enum
import types
import typing
from collections.abc import Sequence
from typing import Any

from app.core.domain.contact import Contact, Name, Phone, Stage
from app.core.domain.dates import PartialDate

Values = dict[str, str]
"""One row of a list field as the card shows it: part name -> text ("label" included)."""


class Kind(enum.Enum):
    """How a Contact field is edited on the card."""

    TEXT = "text"  # one line of text
    LONG_TEXT = "long text"  # several lines (notes)
    NAME = "name"  # the parts of Name, each a line
    DATE = "date"  # an optional PartialDate, typed
    ROWS = "rows"  # a list of small dataclasses, one editor row each
    TAGS = "tags"  # a list of words, typed comma-separated
    CUSTOM = "custom"  # label -> value, one row each
    PHOTO = "photo"  # bytes, with photo_mime
    STAGE = "stage"
    FLAG = "flag"  # a checkbox


NOT_ON_FORM = frozenset(
    {
        "id",
        "uid",
        "priority",
        "created_at",
        "updated_at",
        "deleted_at",
        "interactions",  # the card shows a timeline instead
        "keep_in_touch_every",  # set through ReminderService.set_keep_in_touch
        "keep_in_touch_unit",
        "extra_vcard",
        "photo_mime",  # goes with the photo
    }
)
"""Contact fields the card does not edit; they are carried through an edit as they were."""

LONG_TEXT = frozenset({"notes"})

DERIVED_PARTS: dict[type, frozenset[str]] = {Phone: frozenset({"e164"})}
"""Parts of a row the user does not type; they are kept while the row's value is unchanged."""


def _kind_of(name: str, hint: Any) -> Kind:
    if name in LONG_TEXT:
        return Kind.LONG_TEXT
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    origin = typing.get_origin(hint)
    if hint is str:
        return Kind.TEXT
    if hint is bool:
        return Kind.FLAG
    if hint is Name:
        return Kind.NAME
    if origin in (typing.Union, types.UnionType) and args == [PartialDate]:
        return Kind.DATE
    if origin in (typing.Union, types.UnionType) and args == [bytes]:
        return Kind.PHOTO
    if origin in (typing.Union, types.UnionType) and args == [Stage]:
        return Kind.STAGE
    if origin is list and args == [str]:
        return Kind.TAGS
    if origin is list and dataclasses.is_dataclass(args[0]):
        return Kind.ROWS
    if origin is dict and args == [str, str]:
        return Kind.CUSTOM
    raise TypeError(f"Contact.{name} ({hint}) has no place on the card: map it or skip it")


def _form_fields() -> dict[str, Kind]:
    hints = typing.get_type_hints(Contact)
    return {
        f.name: _kind_of(f.name, hints[f.name])
        for f in dataclasses.fields(Contact)
        if f.name not in NOT_ON_FORM
    }


FORM_FIELDS: dict[str, Kind] = _form_fields()
"""Every Contact field the card edits, in the dataclass's order, with how it is edited."""

NAME_PARTS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Name))


def row_type(field_name: str) -> type:
    """The dataclass a ROWS field holds (Email for "emails", ...)."""
    hint = typing.get_type_hints(Contact)[field_name]
    item: type = typing.get_args(hint)[0]
    return item


def row_parts(item_type: type) -> tuple[str, ...]:
    """The parts of a row the user types: every field but the label and derived ones."""
    hidden = DERIVED_PARTS.get(item_type, frozenset()) | {"label"}
    return tuple(f.name for f in dataclasses.fields(item_type) if f.name not in hidden)


def _part_text(value: object) -> str:
    if isinstance(value, PartialDate):
        return value.iso()
    return "" if value is None else str(value)


def to_values(item: object) -> Values:
    """A row's texts for one Email, Phone, Address, Url or Event (derived parts included)."""
    assert dataclasses.is_dataclass(item)
    return {f.name: _part_text(getattr(item, f.name)) for f in dataclasses.fields(item)}


def from_values(item_type: type, values: Values) -> Any:
    """The Email, Phone, ... a row's texts describe (its dates must read: see `row_problem`)."""
    hints = typing.get_type_hints(item_type)
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(item_type):
        text = values.get(f.name, "")
        kwargs[f.name] = PartialDate.parse(text) if hints[f.name] is PartialDate else text
    return item_type(**kwargs)


def has_dates(item_type: type) -> bool:
    """Whether a row type holds a date (a row of it then counts once it has a label)."""
    return PartialDate in typing.get_type_hints(item_type).values()


def row_problem(item_type: type, values: Values) -> str:
    """What stops a row from becoming its dataclass (a date that does not read), or ""."""
    hints = typing.get_type_hints(item_type)
    for f in dataclasses.fields(item_type):
        if hints[f.name] is PartialDate:
            text = values.get(f.name, "")
            if not text.strip():
                return "Type a date (1985-04-23, or --04-23 without a year), or remove this row."
            if PartialDate.try_parse(text) is None:
                return date_problem(text)
    return ""


def date_problem(text: str) -> str:
    """What is wrong with a typed date, or ""."""
    if not text.strip() or PartialDate.try_parse(text) is not None:
        return ""
    return "Not a date: type 1985-04-23, or --04-23 without a year."


def custom_problems(rows: Sequence[Values]) -> list[str]:
    """A problem per custom row: a value without a name, or a name used twice."""
    seen: set[str] = set()
    out = []
    for row in rows:
        label = row.get("label", "")
        if not label.strip():
            out.append("Give this field a name." if row.get("value", "") else "")
        elif label in seen:
            out.append(f"Another field is already called {label!r}: rename one or merge them.")
        else:
            out.append("")
        seen.add(label)
    return out


def tags_text(tags: Sequence[str]) -> str:
    """Tags as one comma-separated line; a tag holding a comma or quote is quoted, CSV-style."""
    return ", ".join(_quote(t) for t in tags)


def _quote(tag: str) -> str:
    if any(ch in tag for ch in ',"\n\r'):
        return '"' + tag.replace('"', '""') + '"'
    return tag


def parse_tags(text: str) -> list[str]:
    """The tags of a line typed as `tags_text` writes it (blank ones dropped)."""
    if not text.strip():
        return []
    cells = next(csv.reader([text], skipinitialspace=True, strict=False), [])
    # Surrounding spaces are not part of a tag (the service strips them too).
    return [cell.strip() for cell in cells if cell.strip()]
