"""What the readers yield, and the small rules readers and writers share."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.core.domain.contact import Contact, Name
from app.core.domain.dates import PartialDate


@dataclass(slots=True)
class ImportRecord:
    """One contact read from a file.

    Attributes:
        contact: the contact, with ids None and phones' e164 filled for the import region.
        line: the 1-based line of the file where the record starts.
        warnings: what was fixed or dropped in this record, as sentences.
    """

    contact: Contact
    line: int
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ImportProblem:
    """A record that could not be read.

    Attributes:
        line: the 1-based line of the file where the record starts.
        reason: one sentence that says why.
    """

    line: int
    reason: str


def check_record(contact: Contact, line: int, warnings: list[str]) -> ImportRecord | ImportProblem:
    """The record, or a problem when it holds nothing to show (no name, org, email or phone)."""
    if not contact.display_name.strip():
        return ImportProblem(line, "This record has no name, organisation, email or phone.")
    return ImportRecord(contact, line, warnings)


# Spreadsheets run a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")


def neutralise_cell(text: str) -> str:
    """`text` with a leading quote when a spreadsheet would run it as a formula.

    A cell that already starts with quotes before such a character gets one more, so that
    `unneutralise_cell` gives back exactly what the user typed.
    """
    if text.lstrip("'").startswith(FORMULA_STARTS):
        return "'" + text
    return text


def unneutralise_cell(text: str) -> str:
    """The inverse of `neutralise_cell`."""
    if text.startswith("'") and text.lstrip("'").startswith(FORMULA_STARTS):
        return text[1:]
    return text


_LOOSE_ISO = re.compile(r"^\s*(\d{1,4})-(\d{1,2})-(\d{1,2})\s*$")
_MONTHS = {
    name: n
    for n, names in enumerate(
        (
            ("jan", "january", "januar", "janvier", "enero"),
            ("feb", "february", "februar", "février", "fevrier", "febrero"),
            ("mar", "march", "märz", "maerz", "mars", "marzo"),
            ("apr", "april", "avril", "abril"),
            ("may", "mai", "mayo"),
            ("jun", "june", "juni", "juin", "junio"),
            ("jul", "july", "juli", "juillet", "julio"),
            ("aug", "august", "août", "aout", "agosto"),
            ("sep", "sept", "september", "septembre", "septiembre"),
            ("oct", "october", "oktober", "okt", "octobre", "octubre"),
            ("nov", "november", "novembre", "noviembre"),
            ("dec", "december", "dezember", "dez", "décembre", "decembre", "diciembre"),
        ),
        start=1,
    )
    for name in names
}
_EMPTY_DATES = {"0.0.00", "0/0/00", "00.00.0000", "0000-00-00", "1/1/1601"}


def parse_date(text: str) -> PartialDate | None:
    """A date in any form exports use, or None when the text is empty or not a date.

    Adds to `PartialDate.try_parse` the forms Google and Outlook write: `1-01-01` (year 1 for
    "no year", leading spaces), and Outlook's `0.0.00` for "no date".
    """
    text = text.strip()
    if not text or text in _EMPTY_DATES:
        return None
    found = PartialDate.try_parse(text)
    if found is not None and found.year in (1, 1604, 1900):  # "no year" in M/D/YYYY form too
        return PartialDate(None, found.month, found.day)
    if found is not None:
        return found
    if m := _LOOSE_ISO.match(text):
        year = int(m[1])
        try:
            return PartialDate(
                None if year < 1000 or year in (1604, 1900) else year, int(m[2]), int(m[3])
            )
        except ValueError:
            return None
    return None


def date_from_parts(year: str, month: str, day: str) -> PartialDate | None:
    """A date from separate year, month (number or name) and day cells, as Thunderbird has."""
    month = month.strip().casefold()
    m = int(month) if month.isdigit() else _MONTHS.get(month.rstrip("."), 0)
    if not day.strip().isdigit() or not m:
        return None
    y = int(year) if year.strip().isdigit() and int(year) > 0 else None
    try:
        return PartialDate(y, m, int(day))
    except ValueError:
        return None


def name_from_text(text: str) -> Name:
    """A structured name from a display name: "Doe, John" or "John Doe"."""
    text = text.strip()
    if "," in text:
        family, _, given = text.partition(",")
        return Name(given=given.strip(), family=family.strip())
    parts = text.split()
    if len(parts) < 2:
        return Name(given=text)
    return Name(given=" ".join(parts[:-1]), family=parts[-1])
