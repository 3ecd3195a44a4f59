"""Why two contacts look like one person, in words a user reads in the review list."""

from __future__ import annotations

import phonenumbers
from rapidfuzz.fuzz import token_sort_ratio

from app.core.dedupe.levels import Comparison, Field
from app.core.dedupe.names import short_form_of
from app.core.dedupe.record import Record
from app.core.domain.contact import Phone

_PHONE_LABELS = {"cell": "mobile", "mobile": "mobile", "iphone": "mobile", "home": "home phone"}


def _phone_words(phone: Phone) -> str:
    label = _PHONE_LABELS.get(phone.label.strip().lower(), "phone")
    if phone.label.strip().lower() == "work":
        label = "work phone"
    shown = phone.value.strip()
    if phone.e164:
        try:
            number = phonenumbers.parse(phone.e164, None)
            shown = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        except phonenumbers.NumberParseException:
            shown = phone.e164
    return f"same {label} {shown}"


def _name_words(a: Record, b: Record, c: Comparison) -> list[str]:
    given, family = c.levels[Field.GIVEN], c.levels[Field.FAMILY]
    words = []
    if c.swapped:
        words.append("given and family names swapped")
    if given == 1 and family == 1:
        words.append("same name")
        return words
    if given == 2:
        pair = short_form_of(a.given, b.given)
        if pair:
            words.append(f"{pair[0].title()} is short for {pair[1].title()}")
    if a.full and b.full:
        alike = round(token_sort_ratio(a.full, b.full))
        words.append(f"names {alike}% alike")
    return words


def reasons(a: Record, b: Record, c: Comparison) -> tuple[str, ...]:
    """The agreements (and conflicts) of a compared pair, strongest first, in words."""
    levels = c.levels
    words: list[str] = []
    if levels[Field.PHONE] == 1:
        key = c.shared[Field.PHONE]
        # Quote the number in the form that says most: the one whose E.164 form is known.
        words.append(_phone_words(max(a.phone(key), b.phone(key), key=lambda p: bool(p.e164))))
    if levels[Field.EMAIL] == 1:
        words.append(f"same email {c.shared[Field.EMAIL]}")
    words.extend(_name_words(a, b, c))
    birthday = levels[Field.BIRTHDAY]
    if birthday in (1, 2):
        words.append("same birthday")
    elif birthday == 3:
        words.append("birthdays one typo apart")
    if levels[Field.ADDRESS] == 1:
        words.append("same address")
    elif levels[Field.ADDRESS] == 2:
        words.append("similar addresses")
    if levels[Field.ORG] == 1:
        words.append("same organisation")
    if birthday == 4:
        words.append("different birthdays")
    if levels[Field.PHONE] == 2:
        words.append("no phone number in common")
    return tuple(words)
