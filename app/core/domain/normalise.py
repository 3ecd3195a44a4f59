"""Normalisation of names, emails and phone numbers for search, sorting and matching."""

from __future__ import annotations

import contextlib
import locale
import os
import re
import unicodedata

import phonenumbers

from app.core.domain.contact import Contact

_EMAIL = re.compile(r"^[^@\s<>(),;:\"\[\]]+@[^@\s<>(),;:\"\[\]]+\.[^@\s<>(),;:\"\[\]]+$")
_NON_DIGIT = re.compile(r"\D+")
_SPACES = re.compile(r"\s+")
FALLBACK_REGION = "US"


def fold(text: str) -> str:
    """Lower-case `text` and strip its accents, so that "Élodie" sorts and matches as "elodie"."""
    if text.isascii():  # most names: skip the per-character Unicode work
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.casefold()).strip()


def sort_key(contact: Contact, *, family_first: bool) -> str:
    """The folded key the list sorts by: "given family" or "family given"."""
    name = contact.name
    if name.given or name.family:
        parts = (
            (name.family, name.given, name.middle)
            if family_first
            else (
                name.given,
                name.middle,
                name.family,
            )
        )
        return fold(" ".join(p for p in parts if p))
    return fold(contact.display_name)


def is_valid_email(value: str) -> bool:
    """Whether `value` has the shape of an email address (no DNS check)."""
    return bool(_EMAIL.match(value.strip()))


def normalise_email(value: str) -> str:
    """The form emails are matched by: trimmed and lower-cased."""
    return value.strip().casefold()


def default_region() -> str:
    """The phone region implied by the user's locale (e.g. "DE" for de_DE), else "US"."""
    names = [os.environ.get(var) for var in ("LC_ALL", "LC_CTYPE", "LANG")]
    with contextlib.suppress(ValueError):
        names.insert(0, locale.getlocale()[0])
    for name in names:
        if name and "_" in name:
            region = name.split("_", 1)[1][:2].upper()
            if region.isalpha() and len(region) == 2:
                return region
    return FALLBACK_REGION


def to_e164(value: str, region: str) -> str:
    """The E.164 form of a phone number as typed, or "" when it is not a possible number.

    `region` is the ISO 3166 country whose national numbering applies to numbers written
    without a country code.
    """
    text = value.strip()
    if text.lower().startswith("tel:"):
        text = text[4:]
    if not _NON_DIGIT.sub("", text):
        return ""
    try:
        number = phonenumbers.parse(text, region.upper() or FALLBACK_REGION)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_possible_number(number):
        return ""
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def phone_problem(value: str, region: str) -> str:
    """A sentence that says what is wrong with a phone number, or "" when it is valid."""
    text = value.strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text[4:] if text.lower().startswith("tel:") else text, region)
    except phonenumbers.NumberParseException:
        return "This is not a phone number."
    if not phonenumbers.is_possible_number(number):
        return "This number has too few or too many digits."
    if not phonenumbers.is_valid_number(number):
        return "No phone number in this country has this form."
    return ""


def digits(value: str) -> str:
    """Only the digits of `value` (for indexing phone numbers for search)."""
    return _NON_DIGIT.sub("", value)
