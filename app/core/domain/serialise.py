"""Contacts to and from plain dicts: the `--json` shape of the CLI and the journal's snapshots.

The mapping is derived from the dataclass fields and their types, never written out field by
field: a field added to `Contact` (or to `Address`) is carried by the JSON, the journal and the
database rows without a line changed here. Each type has one encoder and one decoder.
"""

from __future__ import annotations

import base64
import dataclasses
import enum
import functools
import types
import typing
from collections.abc import Callable
from datetime import datetime
from typing import Any

from app.core.domain.contact import Contact
from app.core.domain.dates import PartialDate

Encoder = Callable[[Any], Any]
Decoder = Callable[[Any], Any]


def _optional(tp: Any) -> Any:
    """The `X` of `X | None`, or `tp` itself."""
    if isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union:
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return tp


def _photo_out(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


@functools.cache
def encoder(tp: Any) -> Encoder:
    """The function that turns a value of type `tp` into plain JSON data."""
    tp = _optional(tp)
    origin = typing.get_origin(tp)
    if origin is list:
        (item,) = typing.get_args(tp)
        item_out = encoder(item)
        return lambda v: [item_out(i) for i in v]
    if origin is dict:
        return dict
    if isinstance(tp, type) and dataclasses.is_dataclass(tp) and tp is not PartialDate:
        parts = [(f.name, encoder(f.type)) for f in fields_of(tp)]
        return lambda v: {n: out(getattr(v, n)) for n, out in parts}
    if tp is PartialDate:
        return lambda v: v.iso() if v is not None else None
    if tp is datetime:
        return lambda v: v.isoformat() if v is not None else None
    if tp is bytes:
        return lambda v: _photo_out(v) if v is not None else None
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return lambda v: v.value if v is not None else None
    return _same


def _same(value: Any) -> Any:
    return value


@functools.cache
def decoder(tp: Any) -> Decoder:
    """The inverse of `encoder(tp)`; missing or null values become the type's empty value."""
    tp = _optional(tp)
    origin = typing.get_origin(tp)
    if origin is list:
        (item,) = typing.get_args(tp)
        item_in = decoder(item)
        return lambda v: [item_in(i) for i in v or ()]
    if origin is dict:
        return lambda v: dict(v or {})
    if isinstance(tp, type) and dataclasses.is_dataclass(tp) and tp is not PartialDate:
        parts = [(f.name, decoder(f.type)) for f in fields_of(tp)]
        cls: Callable[..., Any] = tp

        def build(v: Any) -> Any:
            v = v or {}
            return cls(**{n: into(v[n]) for n, into in parts if n in v and v[n] is not None})

        return build
    if tp is PartialDate:
        return lambda v: PartialDate.parse(v) if v else None
    if tp is datetime:
        return lambda v: datetime.fromisoformat(v) if v else None
    if tp is bytes:
        return lambda v: base64.b64decode(v) if v else None
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        enum_type = tp
        return lambda v: enum_type(v) if v else None
    if tp is bool:
        return bool
    if tp is int:
        return lambda v: int(v or 0)
    if tp is str:
        return lambda v: v or ""
    return _same


@dataclasses.dataclass(frozen=True, slots=True)
class FieldSpec:
    """A dataclass field's name and its resolved type (not the annotation's string)."""

    name: str
    type: Any


@functools.cache
def fields_of(cls: type) -> tuple[FieldSpec, ...]:
    """The dataclass fields of `cls`, in order, with their types resolved."""
    hints = typing.get_type_hints(cls)
    return tuple(FieldSpec(f.name, hints[f.name]) for f in dataclasses.fields(cls))


def field_type(cls: type, name: str) -> Any:
    """The resolved type of field `name` of dataclass `cls`."""
    return next(f.type for f in fields_of(cls) if f.name == name)


def contact_to_dict(contact: Contact, *, with_photo: bool = True) -> dict[str, Any]:
    """Every field of `contact`, in the shape docs/json.md gives for `--json`.

    Args:
        contact: the contact.
        with_photo: the photo as base64 under "photo"; else only "has_photo".
    """
    data: dict[str, Any] = {}
    for f in fields_of(Contact):
        if f.name == "photo" and not with_photo:
            data["has_photo"] = contact.photo is not None
            continue
        data[f.name] = encoder(f.type)(getattr(contact, f.name))
        if f.name == "uid":
            data["display_name"] = contact.display_name
        elif f.name == "deleted_at":  # derived from the interactions; scripts read it here
            data["last_contacted"] = encoder(datetime)(contact.last_contacted)
    return data


def contact_from_dict(data: dict[str, Any]) -> Contact:
    """The inverse of `contact_to_dict` (with the photo); unknown keys are ignored."""
    result: Contact = decoder(Contact)(data)
    return result
