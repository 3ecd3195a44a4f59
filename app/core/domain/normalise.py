"""Normalisation of names, emails and phone numbers for search, sorting and matching."""

from __future__ import annotations

import contextlib
import dataclasses
import locale
import os
import re
import unicodedata
from collections.abc import Iterator
from typing import TYPE_CHECKING

from app.core.domain.contact import Contact
from app.core.errors import UserFacingError

if TYPE_CHECKING:
    import phonenumbers

_EMAIL = re.compile(r"^[^@\s<>(),;:\"\[\]]+@[^@\s<>(),;:\"\[\]]+\.[^@\s<>(),;:\"\[\]]+$")
_NON_DIGIT = re.compile(r"\D+")
_SPACES = re.compile(r"\s+")
_LINE_BREAK = re.compile(r"\r\n?")
# Kith's one rule for control characters in text: TAB is text, LF is a line break where a
# field has lines, and every other C0 or C1 control (and DEL) is never part of a stored or
# written value: a CR can open a new line in a reader of an export, ESC drives a terminal.
CONTROL_CHARACTERS = "\x00-\x08\x0b-\x1f\x7f-\x9f"
CONTROLS = re.compile(f"[{CONTROL_CHARACTERS}]")
"""A control character other than TAB and LF."""
_ANY_CONTROL = re.compile(f"[\t\n{CONTROL_CHARACTERS}]")
_SINGLE_LINE_CONTROL = re.compile(f"[\n{CONTROL_CHARACTERS}]")
_NEWLINES = re.compile(r"\r\n|\r|\n")
FALLBACK_REGION = "US"
REGION_ALIASES = {"UK": "GB"}
"""Codes people type for a region that phone numbering (ISO 3166) writes otherwise."""


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
    """Whether `value` has the shape of an email address (no DNS check, no control characters)."""
    text = value.strip()
    return bool(_EMAIL.match(text)) and not _ANY_CONTROL.search(text)


def normalise_email(value: str) -> str:
    """The form emails are matched by: trimmed and lower-cased."""
    return value.strip().casefold()


def default_region() -> str:
    """The phone region implied by the user's locale (e.g. "DE" for de_DE), else "US"."""
    import phonenumbers  # noqa: PLC0415 - 14 ms to import; a listing by name never needs it

    names = [os.environ.get(var) for var in ("LC_ALL", "LC_CTYPE", "LANG")]
    with contextlib.suppress(ValueError):
        names.insert(0, locale.getlocale()[0])
    for name in names:
        if name and "_" in name:
            region = name.split("_", 1)[1][:2].upper()
            if region in phonenumbers.SUPPORTED_REGIONS:
                return region
    return FALLBACK_REGION


def _phone_text(value: str) -> str:
    text = value.strip()
    return text[4:] if text.lower().startswith("tel:") else text


def _read_phone(value: str, region: str) -> tuple[phonenumbers.PhoneNumber | None, str]:
    """The parsed number when it is a valid one, else None and a sentence saying why."""
    import phonenumbers  # noqa: PLC0415 - 14 ms to import; a listing by name never needs it

    text = _phone_text(value)
    if not _NON_DIGIT.sub("", text):
        return None, "This is not a phone number." if text else "This phone has no number."
    try:
        number = phonenumbers.parse(text, region.strip().upper() or FALLBACK_REGION)
    except phonenumbers.NumberParseException:
        return None, "This is not a phone number."
    if not phonenumbers.is_possible_number(number):
        return None, "This number has too few or too many digits."
    if not phonenumbers.is_valid_number(number):
        return None, "No phone number in this country has this form."
    return number, ""


def phone_problem(value: str, region: str) -> str:
    """A sentence that says what is wrong with a phone number, or "" when it is valid.

    This is Kith's one definition of an invalid phone: the card's warning, the "Invalid phone"
    segment (through the empty E.164 that `to_e164` stores) and the import preview all use it.
    A number is invalid when it cannot be parsed, has the wrong length, or has a form that no
    number in its country has. `region` applies to numbers written without a country code.
    """
    return _read_phone(value, region)[1]


def to_e164(value: str, region: str) -> str:
    """The E.164 form of a phone number as typed, or "" exactly when `phone_problem` finds one.

    `region` is the ISO 3166 country whose national numbering applies to numbers written
    without a country code.
    """
    import phonenumbers  # noqa: PLC0415 - 14 ms to import; a listing by name never needs it

    number, _ = _read_phone(value, region)
    if number is None:
        return ""
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def parse_region(text: str) -> tuple[str, str]:
    """The phone region `text` names, and a note when Kith read it as another code.

    Accepts any case and the common alias UK (which phone numbering writes GB).

    Raises:
        UserFacingError: no phone numbering has this region.
    """
    import phonenumbers  # noqa: PLC0415 - 14 ms to import; a listing by name never needs it

    code = text.strip().upper()
    if code in REGION_ALIASES:
        real = REGION_ALIASES[code]
        return real, f"{code} is written {real} in phone numbering; using {real}."
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise UserFacingError(
            f"{text.strip()!r} is not a country code Kith knows; "
            "use a two-letter code such as DE, GB or US."
        )
    return code, ""


def clean_text(text: str, newline: str = "\n") -> str:
    """`text` without control characters; CR LF, CR and LF become `newline`."""
    if not _SINGLE_LINE_CONTROL.search(text):
        return text
    return CONTROLS.sub("", _NEWLINES.sub(lambda _: newline, text))


def text_problem(value: str, field: str, *, multiline: bool = False) -> str:
    """A sentence naming `field` when `value` holds a control character, else "".

    TAB is always allowed, LF only where `multiline` (notes, a street); CR, NUL, escape and the
    rest of C0 never are: a stored control character can break a line of an export open.
    """
    found = (CONTROLS if multiline else _SINGLE_LINE_CONTROL).search(value)
    if found is None:
        return ""
    if found.group() == "\n" or (found.group() == "\r" and not multiline):
        return f"A line break is not allowed in the {field}; write it on one line."
    return (
        f"A control character (U+{ord(found.group()):04X}) is not allowed in the {field}; "
        "remove it and try again."
    )


_MULTILINE_FIELDS = frozenset({"notes", "addresses.street"})
_UNCHECKED_FIELDS = frozenset({"uid", "photo_mime", "extra_vcard", "phones.e164"})
"""Fields the user neither sees nor types; what the formats keep verbatim is theirs to check."""
_FIELD_NAMES = {
    "name.prefix": "name prefix",
    "name.given": "given name",
    "name.middle": "middle name",
    "name.family": "family name",
    "name.suffix": "name suffix",
    "formatted_name": "display name",
    "org": "organisation",
    "emails.value": "email",
    "phones.value": "phone",
    "urls.value": "website",
    "tags": "tag",
}
_PART_NAMES = {"emails": "email", "phones": "phone", "addresses": "address", "urls": "website"}


def _field_name(path: str) -> str:
    if path in _FIELD_NAMES:
        return _FIELD_NAMES[path]
    head, _, leaf = path.rpartition(".")
    words = leaf.replace("_", " ")
    return f"{_PART_NAMES.get(head, head.rstrip('s'))} {words}" if head else words


def _text_problems(value: object, path: str) -> Iterator[str]:
    if path in _UNCHECKED_FIELDS:
        return
    if isinstance(value, str):
        yield text_problem(value, _field_name(path), multiline=path in _MULTILINE_FIELDS)
    elif isinstance(value, list):
        for item in value:
            yield from _text_problems(item, path)
    elif isinstance(value, dict):  # custom fields: the label, then the value under its label
        for key, text in value.items():
            yield text_problem(str(key), "custom field's label")
            yield text_problem(str(text), f"custom field {key!r}")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _text_problems(getattr(value, f.name), f"{path}.{f.name}".lstrip("."))


def contact_text_problems(contact: Contact) -> list[str]:
    """A sentence for each control character in text the user can edit, naming its field."""
    return [p for p in _text_problems(contact, "") if p]


def unify_line_breaks(contact: Contact) -> None:
    """Turn CRLF and CR into LF where a field may hold lines (notes, streets), in place."""
    contact.notes = _LINE_BREAK.sub("\n", contact.notes)
    for address in contact.addresses:
        address.street = _LINE_BREAK.sub("\n", address.street)


def digits(value: str) -> str:
    """Only the digits of `value` (for indexing phone numbers for search)."""
    return _NON_DIGIT.sub("", value)
