"""The reminder types: what is due, the settings that shape it, and what a contact brings."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime, time

from app.core.domain.contact import Event
from app.core.domain.dates import PartialDate
from app.core.domain.interaction import Cadence


class ReminderKind(enum.StrEnum):
    """What a reminder is for; also the first part of its id."""

    BIRTHDAY = "birthday"
    ANNIVERSARY = "anniversary"
    EVENT = "event"
    KEEP_IN_TOUCH = "keep-in-touch"
    FOLLOW_UP = "follow-up"


YEARLY = frozenset({ReminderKind.BIRTHDAY, ReminderKind.ANNIVERSARY, ReminderKind.EVENT})
"""Kinds that come back every year; the others stay due until they are done."""


class Feb29Rule(enum.StrEnum):
    """Where a 29 February birthday falls in a year without one."""

    FEB_28 = "feb 28"
    MAR_1 = "mar 1"


@dataclass(frozen=True, slots=True)
class ReminderSettings:
    """The user's reminder settings (stored with the data).

    Attributes:
        time_of_day: local time at which a day's reminders notify.
        days_ahead: how far ahead the reminder list looks by default.
        feb29: where 29 February falls in common years.
    """

    time_of_day: time = time(9, 0)
    days_ahead: int = 7
    feb29: Feb29Rule = Feb29Rule.FEB_28


@dataclass(frozen=True, slots=True)
class FollowUp:
    """A one-off "follow up with X on DATE" the user asked for."""

    id: int
    contact_id: int
    due: date
    note: str
    done_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Subject:
    """What reminders need of one contact (read without building the whole contact).

    Attributes:
        last_contacted: the stored "last contacted" (derived from the interactions).
        keep_in_touch_done: the latest time a keep-in-touch reminder was marked done without
            an interaction; the cadence counts from the later of the two.
    """

    contact_id: int
    name: str
    created_at: datetime
    birthday: PartialDate | None = None
    anniversary: PartialDate | None = None
    events: tuple[Event, ...] = ()
    keep_every: int = 0
    keep_unit: Cadence | None = None
    last_contacted: datetime | None = None
    keep_in_touch_done: datetime | None = None
    follow_ups: tuple[FollowUp, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Reminder:
    """One occurrence of something to remember.

    Attributes:
        id: stable for the occurrence ("birthday:12:2026-03-04"), so that done, snooze and
            "already notified" hold across restarts.
        due: the day it is due: the occurrence's day, or the day a snooze ends.
        occurs: the occurrence's own day (equal to `due` unless snoozed).
        years: the age or the number of years, when the event's year is known.
    """

    id: str
    contact_id: int
    kind: ReminderKind
    due: date
    label: str
    occurs: date
    years: int | None = None
    note: str = ""

    @property
    def snoozed(self) -> bool:
        """Whether a snooze moved it."""
        return self.due != self.occurs
