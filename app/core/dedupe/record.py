"""A contact reduced to what matching compares, each value normalised once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from app.core.dedupe.names import given_group, name_tokens, soundex
from app.core.domain.contact import Contact, Phone
from app.core.domain.dates import PartialDate
from app.core.domain.normalise import digits, normalise_email

PHONE_KEY_DIGITS = 9
"""Phones match on their last nine digits: "+44 7700 900123" and "07700 900123" agree whether
or not a region was known when they were read, and nine digits rarely collide by chance."""

_STREET_WORDS = {
    "street": "st",
    "road": "rd",
    "avenue": "ave",
    "av": "ave",
    "lane": "ln",
    "drive": "dr",
    "court": "ct",
    "place": "pl",
    "square": "sq",
    "crescent": "cres",
    "terrace": "tce",
    "close": "cl",
    "boulevard": "blvd",
    "highway": "hwy",
    "apartment": "apt",
    "flat": "apt",
    "unit": "apt",
    "strasse": "str",
    "str": "str",
}
_ORG_SUFFIXES = frozenset(
    {"ltd", "limited", "inc", "plc", "llc", "gmbh", "co", "corp", "ag", "sa", "sarl", "llp", "the"}
)
_POSTCODE_JUNK = re.compile(r"[^0-9A-Z]")
GENERIC_LOCALS = frozenset(
    {"info", "admin", "contact", "office", "hello", "mail", "sales", "support", "team", "enquiries"}
)
"""User names that many unrelated people's addresses share, so they say nothing."""


@dataclass(frozen=True, slots=True)
class AddressKey:
    """A postal address as compared: street words abbreviated, postcode without spaces."""

    street: str
    postcode: str
    city: str


@dataclass(slots=True)
class Record:
    """What the matcher knows of one contact.

    `given` is the first given name, folded (the rest joins `middle`); `family` the folded
    family name; `groups` the formal names the given name (or nickname) may stand for.
    `phones` holds each phone's last digits and `phone_refs` the phones as the user has them,
    so that a reason can quote one. Values are tuples and shared strings: a scan holds
    100,000 of these.
    """

    id: int
    given: str
    family: str
    middle: str
    full: str
    groups: frozenset[str]
    phones: tuple[str, ...]
    phone_refs: tuple[Phone, ...]
    emails: tuple[str, ...]
    locals: tuple[str, ...]
    birthday: PartialDate | None
    addresses: tuple[AddressKey, ...]
    org: str

    def phone(self, key: str) -> Phone:
        """The phone whose last digits are `key`."""
        return self.phone_refs[self.phones.index(key)]


def _names(
    given_text: str, family_text: str, middle_text: str, display: str, nickname_text: str
) -> tuple[str, str, str, str, frozenset[str]]:
    given = name_tokens(given_text)
    family = name_tokens(family_text)
    middle = name_tokens(middle_text)
    if not given and not family:
        # A card with only a display name ("Jane Q Doe"): first word given, last word family.
        words = name_tokens(display or nickname_text)
        if len(words) >= 2:
            given, middle, family = words[:1], words[1:-1], words[-1:]
        elif words:
            given = words
    if len(given) > 1:
        given, middle = given[:1], given[1:] + middle
    first, last = " ".join(given), " ".join(family)
    groups = given_group(first) if first else frozenset()
    nickname = name_tokens(nickname_text)
    if nickname:
        groups |= given_group(nickname[0])
    return first, last, " ".join(middle), f"{first} {last}".strip(), groups


def _address(street: str, extended: str, postcode: str, city: str) -> AddressKey:
    words = [_STREET_WORDS.get(w, w) for w in name_tokens(f"{street} {extended}")]
    return AddressKey(
        " ".join(words), _POSTCODE_JUNK.sub("", postcode.upper()), " ".join(name_tokens(city))
    )


@lru_cache(maxsize=1 << 14)
def _org(text: str) -> str:
    return " ".join(w for w in name_tokens(text) if w not in _ORG_SUFFIXES)


def forget_normalised() -> None:
    """Empty the caches of normalised names and organisations once a scan is done.

    A scan fills them with some 160,000 entries; left in place, they are objects the garbage
    collector walks when the scan switches it back on, a stall of 40 ms or more in the window.
    """
    for cached in (name_tokens, given_group, soundex, _org):
        cached.cache_clear()


def phone_key(phone: Phone) -> str:
    """The last nine digits of a phone (E.164 when known), or "" when it has too few."""
    number = digits(phone.e164 or phone.value)
    return number[-PHONE_KEY_DIGITS:] if len(number) >= 7 else ""


def to_record(contact: Contact, fallback_id: int) -> Record:
    """Normalise `contact` for matching; `fallback_id` stands in when it is not stored yet."""
    name = contact.name
    given, family, middle, full, groups = _names(
        name.given, name.family, name.middle, contact.formatted_name, contact.nickname
    )
    phones: dict[str, Phone] = {}
    for phone in contact.phones:
        key = phone_key(phone)
        if key and key not in phones:
            phones[key] = phone
    emails = tuple(
        dict.fromkeys(e for e in (normalise_email(x.value) for x in contact.emails) if "@" in e)
    )
    addresses = tuple(
        dict.fromkeys(
            a
            for a in (
                _address(x.street, x.extended, x.postal_code, x.city) for x in contact.addresses[:3]
            )
            if a.street or a.postcode
        )
    )
    return Record(
        id=contact.id if contact.id is not None else fallback_id,
        given=given,
        family=family,
        middle=middle,
        full=full,
        groups=groups,
        phones=tuple(phones),
        phone_refs=tuple(phones.values()),
        emails=emails,
        locals=tuple(dict.fromkeys(e.split("@", 1)[0] for e in emails)),
        birthday=contact.birthday,
        addresses=addresses,
        org=_org(contact.org) if contact.org else "",
    )
