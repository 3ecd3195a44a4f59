"""Hypothesis strategies: generated contacts with hostile text, every field filled or empty.

The contact strategy is derived from the dataclass fields and their types, so a field added to
`Contact` is generated (and so round-trip tested) without a change here.
"""

from __future__ import annotations

import enum
import typing
from datetime import UTC, date, datetime
from typing import Any

from hypothesis import strategies as st

from app.core.domain.contact import Contact
from app.core.domain.dates import PartialDate
from app.core.domain.serialise import fields_of

# Characters that broke a boundary once: separators, escapes, quotes, line ends, tabs, emoji,
# right-to-left text, a formula start, combining marks.
HOSTILE = [",", ";", "\\", '"', "'", ":", "\n", "\r\n", "\t", "=", "+", "-", "@", "^", "😀",
           "שלום", "مرحبا", "é", "e\u0301", "中文", " ", "\\n", "\\,", "%", "<", "&"]  # fmt: skip

# Control characters other than TAB and LF never reach a stored value (see normalise).
_PRINTABLE = st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(["\t", "\n"])


def hostile_text(*, max_size: int = 40, single_line: bool = False) -> st.SearchStrategy[str]:
    """Text mixing the hostile pieces with arbitrary printable characters."""
    pieces = st.sampled_from(HOSTILE) | st.text(_PRINTABLE, min_size=1, max_size=8)
    text = st.lists(pieces, max_size=max_size // 4).map("".join)
    if single_line:
        text = text.map(lambda t: t.replace("\r", " ").replace("\n", " "))
    return text


def partial_dates() -> st.SearchStrategy[PartialDate]:
    """Dates with and without a year, 29 February included."""
    return st.builds(
        lambda d, with_year: PartialDate(d.year if with_year else None, d.month, d.day),
        st.dates(min_value=date(1901, 1, 1), max_value=date(2099, 12, 31)),
        st.booleans(),
    )


def times() -> st.SearchStrategy[datetime]:
    """Whole seconds in UTC, as the store records them."""
    return st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
    ).map(lambda t: t.replace(microsecond=0))


# Fields whose values are derived by Kith, not typed by a user: generate well-formed ones.
DERIVED_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "e164": st.sampled_from(["", "+442071026676", "+15551234567", "+4930123456"]),
}


def _for_type(tp: Any, name: str) -> st.SearchStrategy[Any]:
    if name in DERIVED_FIELDS:
        return DERIVED_FIELDS[name]
    optional = type(None) in typing.get_args(tp)
    if optional:
        (tp,) = [a for a in typing.get_args(tp) if a is not type(None)]
    origin = typing.get_origin(tp)
    if origin is list:
        (item,) = typing.get_args(tp)
        base: st.SearchStrategy[Any] = st.lists(_for_type(item, name), max_size=4)
    elif origin is dict:
        base = st.dictionaries(hostile_text(single_line=True), hostile_text(), max_size=4)
    elif tp is PartialDate:
        base = partial_dates()
    elif tp is datetime:
        base = times()
    elif tp is bytes:
        base = st.binary(min_size=1, max_size=64)
    elif isinstance(tp, type) and issubclass(tp, enum.Enum):
        base = st.sampled_from(list(tp))
    elif tp is bool:
        base = st.booleans()
    elif tp is int:
        base = st.integers(0, 5)
    elif tp is str:
        base = hostile_text()
    elif hasattr(tp, "__dataclass_fields__"):
        base = st.builds(tp, **{f.name: _for_type(f.type, f.name) for f in fields_of(tp)})
    else:
        raise TypeError(f"no strategy for {name}: {tp}")
    return st.none() | base if optional else base


def contacts(**overrides: st.SearchStrategy[Any]) -> st.SearchStrategy[Contact]:
    """Contacts with every field generated from its type; `overrides` replace some fields."""
    parts = {f.name: _for_type(f.type, f.name) for f in fields_of(Contact)}
    parts.update(overrides)
    return st.builds(Contact, **parts)
