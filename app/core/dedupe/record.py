"""A contact reduced to what matching compares, each value normalised once."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.core.domain.contact import Contact, Phone
from app.core.domain.dates import PartialDate
from app.core.domain.normalise import digits, normalise_email
from app.core.dedupe.names import given_group, name_tokens

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
    family name. `phones` maps each phone's last digits to the phone as the user has it, so a
    reason can quote it.
    """

    id: int
    given: str
    family: str
    middle: str
    full: str
    phones: dict[str, Phone]
    emails: frozenset[str]
    locals: frozenset[str]
    birthday: PartialDate | None
    addresses: tuple[AddressKey, ...]
    org: str
    groups: frozenset[str]


def _name_parts(contact: Contact) -> tuple[str, str, str]:
    name = contact.name
    given = name_tokens(name.given)
    family = name_tokens(name.family)
    middle = name_tokens(name.middle)
    if not given and not family:
        # A card with only a display name ("Jane Q Doe"): first word given, last word family.
        words = name_tokens(contact.formatted_name or contact.nickname)
        if len(words) >= 2:
            given, middle, family = words[:1], words[1:-1], words[-1:]
        elif words:
            given = words
    if len(given) > 1:
        given, middle = given[:1], given[1:] + middle
    return (" ".join(given), " ".join(family), " ".join(middle))


def _address(street: str, extended: str, postcode: str, city: str) -> AddressKey:
    words = [_STREET_WORDS.get(w, w) for w in name_tokens(f"{street} {extended}")]
    return AddressKey(
        " ".join(words), _POSTCODE_JUNK.sub("", postcode.upper()), " ".join(name_tokens(city))
    )


def _org(text: str) -> str:
    return " ".join(w for w in name_tokens(text) if w not in _ORG_SUFFIXES)


def phone_key(phone: Phone) -> str:
    """The last nine digits of a phone (E.164 when known), or "" when it has too few."""
    number = digits(phone.e164 or phone.value)
    return number[-PHONE_KEY_DIGITS:] if len(number) >= 7 else ""


def to_record(contact: Contact, fallback_id: int) -> Record:
    """Normalise `contact` for matching; `fallback_id` stands in when it is not stored yet."""
    given, family, middle = _name_parts(contact)
    phones: dict[str, Phone] = {}
    for phone in contact.phones:
        key = phone_key(phone)
        if key and key not in phones:
            phones[key] = phone
    emails = frozenset(e for e in (normalise_email(x.value) for x in contact.emails) if "@" in e)
    addresses = tuple(
        dict.fromkeys(
            a
            for a in (
                _address(x.street, x.extended, x.postal_code, x.city) for x in contact.addresses[:3]
            )
            if a.street or a.postcode
        )
    )
    nickname = name_tokens(contact.nickname)
    groups = given_group(given) if given else frozenset()
    if nickname:
        groups |= given_group(nickname[0])
    return Record(
        id=contact.id if contact.id is not None else fallback_id,
        given=given,
        family=family,
        middle=middle,
        full=f"{given} {family}".strip(),
        phones=phones,
        emails=emails,
        locals=frozenset(e.split("@", 1)[0] for e in emails),
        birthday=contact.birthday,
        addresses=addresses,
        org=_org(contact.org),
        groups=groups,
    )
