"""vCard text values: our own escaping and unescaping, one the inverse of the other.

vobject's text grammar cuts every value at its first unescaped comma (py-vobject/vobject#55),
and Outlook, Android, iOS and every vCard 2.1 writer leave commas unescaped; so Kith splits on
commas only where a property is a list by definition (CATEGORIES, NICKNAME in 3.0/4.0), and on
semicolons only inside compound values (N, ADR, ORG). Each function returns its input untouched,
without a scan in Python, when there is no backslash or separator in it: most values have none.

What the writer emits is what common readers read back (checked against ical.js, Thunderbird's
parser, in tests/core/formats/test_vcard_icaljs.py): commas are escaped in every text value,
semicolons only inside compound values (ical.js does not undo `\\;` in a single text value).
"""

from __future__ import annotations

import re

from app.core.domain.normalise import clean_text

# `\:` and `\"` are not vCard escapes, but Apple writes `http\://` and `\"AS IS\"`.
_ESCAPES = re.compile(r'\\([nN\\,;:"])')
_UNESCAPED = {"n": "\n", "N": "\n", "\\": "\\", ",": ",", ";": ";", ":": ":", '"': '"'}
_SPLITTERS = {sep: re.compile(r"\\.|" + re.escape(sep), re.DOTALL) for sep in ",;"}


def unescape(value: str) -> str:
    """A text value as the user wrote it: `\\n`, `\\\\`, `\\,`, `\\;`, `\\:`, `\\"` undone.

    Any other backslash (an unknown escape such as a Windows path's `\\t`, or a backslash at
    the very end) is kept as it is rather than dropped or turned into something else.
    """
    if "\\" not in value:
        return value
    return _ESCAPES.sub(lambda m: _UNESCAPED[m[1]], value)


def split(value: str, sep: str) -> list[str]:
    """The parts of `value` between unescaped `sep` characters (`,` or `;`), each unescaped."""
    if "\\" not in value:
        return value.split(sep)
    parts: list[str] = []
    start = 0
    for m in _SPLITTERS[sep].finditer(value):
        if m[0] == sep:
            parts.append(unescape(value[start : m.start()]))
            start = m.end()
    parts.append(unescape(value[start:]))
    return parts


def escape_text(text: str) -> str:
    """A single text value (NOTE, TITLE, FN, a label...): backslash, comma, newline escaped."""
    if "\\" in text:
        text = text.replace("\\", "\\\\")
    if "," in text:
        text = text.replace(",", "\\,")
    return clean_text(text, "\\n")


def escape_component(text: str) -> str:
    """One component of a compound value (N, ADR, ORG): also its semicolons escaped."""
    text = escape_text(text)
    return text.replace(";", "\\;") if ";" in text else text


def escape_uri(text: str) -> str:
    """A URI (URL): commas and semicolons are part of it, only backslash and newline escaped."""
    if "\\" in text:
        text = text.replace("\\", "\\\\")
    return clean_text(text, "\\n")
