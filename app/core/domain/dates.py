"""Dates that may lack a year, as birthdays often do."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from app.core.clock import SYSTEM_CLOCK

_ISO = re.compile(r"^\s*(\d{4})-?(\d{2})-?(\d{2})(?:[T ].*)?\s*$")
_NO_YEAR = re.compile(r"^\s*--(\d{2})-?(\d{2})\s*$")
_DOTTED = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})\s*$")
_SLASHED = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_PLACEHOLDER_YEARS = {1, 1604, 1900}


@dataclass(frozen=True, slots=True, order=True)
class PartialDate:
    """A calendar date whose year may be unknown.

    Ordering sorts by year first; use `month_day` to sort by the day within a year.
    """

    year: int | None
    month: int
    day: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} is not between 1 and 12")
        # 29 February is a valid birthday without a year; check against a leap year.
        days = calendar.monthrange(self.year if self.year else 2000, self.month)[1]
        if not 1 <= self.day <= days:
            raise ValueError(f"day {self.day} is not in month {self.month}")

    @property
    def month_day(self) -> tuple[int, int]:
        """(month, day), for sorting birthdays through the year."""
        return (self.month, self.day)

    def iso(self) -> str:
        """ISO 8601 text: `YYYY-MM-DD`, or vCard 4's `--MM-DD` when the year is unknown."""
        if self.year is None:
            return f"--{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def to_date(self, year: int | None = None) -> date:
        """The date in `year` (default: its own); 29 February falls on 28 in common years."""
        y = year if year is not None else self.year
        if y is None:
            raise ValueError("a date without a year needs one to become a date")
        day = min(self.day, calendar.monthrange(y, self.month)[1])
        return date(y, self.month, day)

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read the date forms real exports use.

        Accepts `YYYY-MM-DD`, `YYYYMMDD` (with an optional time), `--MM-DD`, `--MMDD`,
        `DD.MM.YYYY`, `DD.MM.YY` and `MM/DD/YYYY`. Years that exporters use as "no year"
        (0001, 1604, 1900) become None.

        Raises:
            ValueError: the text is not a date in any of these forms.
        """
        if m := _NO_YEAR.match(text):
            return cls(None, int(m[1]), int(m[2]))
        if m := _ISO.match(text):
            year = int(m[1])
            return cls(
                None if year in _PLACEHOLDER_YEARS or year == 0 else year, int(m[2]), int(m[3])
            )
        if m := _DOTTED.match(text):
            year = int(m[3])
            if len(m[3]) == 2:
                year += 1900 if year > SYSTEM_CLOCK.today().year % 100 else 2000
            return cls(year, int(m[2]), int(m[1]))
        if m := _SLASHED.match(text):
            return cls(int(m[3]), int(m[1]), int(m[2]))
        raise ValueError(f"{text.strip()!r} is not a date Kith can read")

    @classmethod
    def try_parse(cls, text: str) -> PartialDate | None:
        """`parse`, or None for empty or unreadable text."""
        if not text or not text.strip():
            return None
        try:
            return cls.parse(text)
        except ValueError:
            return None
