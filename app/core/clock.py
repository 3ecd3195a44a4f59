"""What time it is, asked in one place so that tests can choose the date.

Core never reads the system time itself: services and the store take a `Clock` (the system's by
default) and tests pass a `FixedClock`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Protocol


class Clock(Protocol):
    """A source of the current time."""

    def now(self) -> datetime:
        """The current time, in UTC, to the whole second (what the store records)."""
        ...

    def today(self) -> date:
        """The user's calendar day (for rules such as "birthday this month")."""
        ...


@dataclass(frozen=True, slots=True)
class SystemClock:
    """The machine's clock."""

    def now(self) -> datetime:
        """The current time, in UTC, to the whole second."""
        return datetime.now(UTC).replace(microsecond=0)

    def today(self) -> date:
        """Today in the machine's time zone."""
        return date.today()


SYSTEM_CLOCK = SystemClock()
"""The one system clock (it holds no state)."""


@dataclass(slots=True)
class FixedClock:
    """A clock that says what it is told (for tests).

    Args:
        at: the time it says; a naive time is taken as UTC, and sub-seconds are dropped.
        day: the calendar day it says; by default the date of `at`.
    """

    at: datetime
    day: date | None = None

    def __post_init__(self) -> None:
        self.at = self.set(self.at)

    def set(self, at: datetime) -> datetime:
        """Move the clock to `at`; returns the time it now says."""
        at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
        self.at = at.replace(microsecond=0)
        return self.at

    def now(self) -> datetime:
        """The time it was set to."""
        return self.at

    def today(self) -> date:
        """The day it was given, else the date of `at`."""
        return self.day if self.day is not None else self.at.date()
