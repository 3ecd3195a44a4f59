"""How two records agree, field by field: the comparison levels of the Fellegi-Sunter model.

Each field compares to a small integer: 0 means one side has no value (the field says
nothing), 1 is the strongest agreement, and the last level is a disagreement, which counts
against a match. Exact agreements also name the value they agree on, so that the model can
weigh a shared rare surname above a shared common one (term-frequency adjustment).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from rapidfuzz.distance import JaroWinkler, Levenshtein
from rapidfuzz.fuzz import token_set_ratio

from app.core.dedupe.names import gendered_pair
from app.core.dedupe.record import AddressKey, Record
from app.core.domain.dates import PartialDate

STRONG = 0.92
"""Jaro-Winkler similarity at or above which two names differ by a typo at most."""
WEAK = 0.80
"""Jaro-Winkler similarity at or above which two names may still be one, badly typed."""


class Field(enum.IntEnum):
    """The compared fields, in the order of a comparison vector."""

    GIVEN = 0
    FAMILY = 1
    PHONE = 2
    EMAIL = 3
    BIRTHDAY = 4
    ADDRESS = 5
    ORG = 6


LEVELS: dict[Field, tuple[str, ...]] = {
    Field.GIVEN: ("exact", "short form", "typo", "initial", "similar", "different"),
    Field.FAMILY: ("exact", "typo", "similar", "different"),
    Field.PHONE: ("shared", "different"),
    Field.EMAIL: ("shared", "different"),
    Field.BIRTHDAY: ("exact", "same day", "typo", "different"),
    Field.ADDRESS: ("exact", "similar", "same area", "different"),
    Field.ORG: ("same", "different"),
}
"""The non-null levels of each field, strongest first; level i+1 in a vector is LEVELS[f][i]."""

TF_FIELDS = tuple(Field)
"""Fields whose exact agreement is weighed by how common the shared value is."""


@dataclass(frozen=True, slots=True)
class Comparison:
    """Two records compared: a level per field, the values shared exactly, and the swap."""

    levels: tuple[int, ...]
    shared: tuple[str, ...]
    swapped: bool


def _jw(a: str, b: str) -> float:
    return JaroWinkler.normalized_similarity(a, b)


def _jw_some(a: str, b: str) -> float:
    return _jw(a, b) if a and b else 0.0


def lone_name(r: Record) -> bool:
    """Whether `r` has a given name or a family name but not both."""
    return bool(r.given) != bool(r.family)


def _given(a: Record, b_given: str, b_groups: frozenset[str]) -> int:
    if not a.given or not b_given:
        return 0
    if a.given == b_given:
        return 1
    if a.groups & b_groups:
        return 2
    if gendered_pair(a.given, b_given):
        return 6  # Robert and Roberta: two people, however alike the letters
    sim = _jw(a.given, b_given)
    if sim >= STRONG:
        return 3
    if (len(a.given) == 1 or len(b_given) == 1) and a.given[0] == b_given[0]:
        return 4
    return 5 if sim >= WEAK else 6


def _family(a: str, b: str) -> int:
    if not a or not b:
        return 0
    if a == b:
        return 1
    sim = _jw(a, b)
    if sim >= STRONG:
        return 2
    if sim >= WEAK:
        return 3
    # Double-barrelled names: "smith jones" and "smith" share a surname.
    if (" " in a or " " in b) and set(a.split()) & set(b.split()):
        return 1
    return 4


def _date_typo(a: PartialDate, b: PartialDate) -> bool:
    if a.year is None or b.year is None:
        return False
    if a.year == b.year and (a.month, a.day) == (b.day, b.month):
        return True  # day and month read the other way round
    return Levenshtein.distance(a.iso(), b.iso()) <= 1 or (
        a.month_day == b.month_day and abs(a.year - b.year) == 1
    )


def _birthday(a: PartialDate | None, b: PartialDate | None) -> int:
    if a is None or b is None:
        return 0
    if a == b:
        return 1
    if a.month_day == b.month_day and (a.year is None or b.year is None):
        return 2
    return 3 if _date_typo(a, b) else 4


def _address_pair(a: AddressKey, b: AddressKey) -> int:
    same_place = not a.postcode or not b.postcode or a.postcode == b.postcode
    if a.street and a.street == b.street and same_place:
        return 1
    if a.street and b.street and token_set_ratio(a.street, b.street) >= 85 and same_place:
        return 2
    if (a.postcode and a.postcode == b.postcode) or (
        not (a.postcode and b.postcode) and a.city and a.city == b.city
    ):
        return 3
    return 4


def _address(a: tuple[AddressKey, ...], b: tuple[AddressKey, ...]) -> tuple[int, str]:
    if not a or not b:
        return 0, ""
    best, shared = 4, ""
    for x in a:
        for y in b:
            level = _address_pair(x, y)
            if level < best:
                best, shared = level, f"{x.street}|{x.postcode}"
    return best, shared if best == 1 else ""


def _org(a: str, b: str) -> int:
    if not a or not b:
        return 0
    return 1 if a == b or token_set_ratio(a, b) >= 90 else 2


def compare_records(a: Record, b: Record) -> Comparison:
    """Compare two records field by field, trying their given and family names both ways."""
    b_given, b_family, b_groups = b.given, b.family, b.groups
    swapped = False
    if a.given and a.family and b.given and b.family and a.given != b.given:
        straight = _jw(a.given, b.given) + _jw(a.family, b.family)
        crossed = _jw(a.given, b.family) + _jw(a.family, b.given)
        swapped = crossed > straight and min(_jw(a.given, b.family), _jw(a.family, b.given)) >= WEAK
    elif lone_name(a) or lone_name(b):
        # One side has a single name: is it the other's given name or its family name?
        straight = _jw_some(a.given, b.given) + _jw_some(a.family, b.family)
        cross = (_jw_some(a.given, b.family), _jw_some(a.family, b.given))
        swapped = sum(cross) > straight and max(cross) >= WEAK
    if swapped:
        b_given, b_family = b.family, b.given
        b_groups = frozenset({b_given})
    given = _given(a, b_given, b_groups)
    family = _family(a.family, b_family)

    phone, phone_value = 0, ""
    if a.phones and b.phones:
        common = [p for p in a.phones if p in b.phones]
        phone, phone_value = (1, common[0]) if common else (2, "")
    email, email_value = 0, ""
    if a.emails and b.emails:
        common = [e for e in a.emails if e in b.emails]
        if common:
            email, email_value = 1, common[0]
        elif not any(x in b.locals for x in a.locals):
            # The same user name at another domain is most often built from the same name
            # ("j.smith@"), so it is no evidence beyond the names; it is no conflict either.
            email = 2
    birthday = _birthday(a.birthday, b.birthday)
    address, address_value = _address(a.addresses, b.addresses)
    levels = (given, family, phone, email, birthday, address, _org(a.org, b.org))
    shared = (
        a.given if given == 1 else "",
        a.family if family == 1 and a.family == b_family else "",
        phone_value,
        email_value,
        a.birthday.iso() if birthday == 1 and a.birthday else "",
        address_value,
        a.org if levels[Field.ORG] == 1 else "",
    )
    return Comparison(levels, shared, swapped)
