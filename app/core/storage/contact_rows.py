"""A contact to its `contacts` row and back, derived from the dataclass fields.

A field of `Contact` with a column of the same name goes to that column; the parts of `Name` go
to theirs; `tags` live in their own table; every other field goes into the row's `data` JSON.
So a field added to `Contact` is stored without a line changed here, and a test proves that
contact -> row -> contact is the identity.
"""

from __future__ import annotations

import json
import typing
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from json.encoder import encode_basestring
from operator import attrgetter
from typing import Any

from app.core.domain.contact import Contact, Name
from app.core.domain.normalise import fold, sort_key
from app.core.domain.serialise import decoder, encoder, fields_of

_quote = encode_basestring
"""A JSON string, exactly as `json.dumps(..., ensure_ascii=False)` writes strings."""
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))

NAME_PARTS = tuple(f.name for f in fields_of(Name))
# Columns the store computes from a contact, and the row's own bookkeeping. `last_contacted`
# is written from `Contact.last_contacted` (derived from the interactions) and never read
# back: the interactions in `data` are the truth, the column is there to sort and filter by.
DERIVED = (
    "display_name", "sort_first", "sort_last", "sort_org", "last_contacted", "import_op", "data",
)  # fmt: skip
_STORED_ELSEWHERE = frozenset({"name", "tags"})


def _column_fields(columns: frozenset[str]) -> tuple[str, ...]:
    return tuple(f.name for f in fields_of(Contact) if f.name in columns and f.name not in DERIVED)


def _json_encoder(tp: Any) -> Callable[[Any], str]:
    """A JSON text encoder for one field type, fast for lists of all-text dataclasses.

    This runs for every contact of an import; a template filled with `%` is several times
    faster than building dicts for `json.dumps`, and writes the same characters.
    """
    plain = encoder(tp)
    # Only a list takes the template path: `X | None` has `__args__` too.
    args = typing.get_args(tp) if typing.get_origin(tp) is list else ()
    item = args[0] if args else None
    if item is not None and hasattr(item, "__dataclass_fields__"):
        parts = fields_of(item)
        names = [f.name for f in parts]
        template = "{" + ",".join(f'"{n}":%s' for n in names) + "}"
        get = attrgetter(*names)
        outs = [encoder(f.type) for f in parts]
        if len(names) > 1 and all(f.type is str for f in parts):
            return lambda v: "[" + ",".join(template % tuple(map(_quote, get(i))) for i in v) + "]"
        return lambda v: (
            "["
            + ",".join(
                template % tuple(_JSON.encode(o(x)) for o, x in zip(outs, get(i), strict=True))
                for i in v
            )
            + "]"
        )
    if tp is str:
        return _quote
    return lambda v: _JSON.encode(plain(v))


def _time(value: datetime | None) -> str | None:
    """A time as the store writes it (ISO 8601 in UTC), so that text order is time order."""
    return value.astimezone(UTC).isoformat() if value is not None else None


class RowMapping:
    """How contacts map to the columns of the `contacts` table (in `columns` order)."""

    def __init__(self, columns: Sequence[str]) -> None:
        self.columns = tuple(columns)
        column_set = frozenset(self.columns)
        self.scalar = _column_fields(column_set)
        self.in_data = tuple(
            f.name
            for f in fields_of(Contact)
            if f.name not in column_set and f.name not in _STORED_ELSEWHERE
        )
        types = {f.name: f.type for f in fields_of(Contact)}
        self._out = {n: self._column_encoder(types[n]) for n in self.scalar}
        self._in = {n: decoder(types[n]) for n in self.in_data}
        self._in.update((n, self._column_decoder(types[n])) for n in self.scalar)
        self._data_out = [(n, attrgetter(n), _json_encoder(types[n])) for n in self.in_data]
        self._index = {c: i for i, c in enumerate(self.columns)}
        missing = set(self.columns) - set(self.scalar) - set(NAME_PARTS) - set(DERIVED)
        if missing:
            raise ValueError(f"columns with no field: {sorted(missing)}")

    @staticmethod
    def _column_encoder(tp: Any) -> Callable[[Any], Any]:
        if tp is bytes or tp == bytes | None:
            return lambda v: v  # a BLOB column, not base64
        if tp is bool:
            return int
        return encoder(tp)

    @staticmethod
    def _column_decoder(tp: Any) -> Callable[[Any], Any]:
        if tp is bytes or tp == bytes | None:
            return lambda v: v
        return decoder(tp)

    def data_json(self, c: Contact) -> str:
        """The `data` column: the fields without a column of their own, empty ones left out."""
        parts = [
            f'"{name}":{encode(value)}' for name, get, encode in self._data_out if (value := get(c))
        ]
        return "{" + ",".join(parts) + "}"

    def values(self, c: Contact, display_name: str, import_op: int | None) -> tuple[Any, ...]:
        """The row's values, in `columns` order."""
        derived = {
            "display_name": display_name,
            "sort_first": sort_key(c, family_first=False),
            "sort_last": sort_key(c, family_first=True),
            "sort_org": fold(c.org),
            "last_contacted": _time(c.last_contacted),
            "import_op": import_op,
            "data": self.data_json(c),
        }
        out = self._out
        row: list[Any] = []
        for column in self.columns:
            if column in out:
                row.append(out[column](getattr(c, column)))
            elif column in derived:
                row.append(derived[column])
            else:
                row.append(getattr(c.name, column))
        return tuple(row)

    def contact(self, row: Sequence[Any], tags: list[str]) -> Contact:
        """The contact a row (selected in `columns` order) holds."""
        index = self._index
        data = json.loads(row[index["data"]])
        values: dict[str, Any] = {n: self._in[n](row[index[n]]) for n in self.scalar}
        values.update((n, self._in[n](data.get(n))) for n in self.in_data)
        return Contact(**values, name=Name(*(row[index[p]] for p in NAME_PARTS)), tags=list(tags))
