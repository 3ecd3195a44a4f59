"""Occurrences of a contact's dates and cadences, and which of them are due on a given day.

Every function takes the day (and a way to turn a stored UTC time into the user's day) from its
caller, so that the computation is tested at any date, in any time zone.
"""

from __future__ import annotations

import calendar
import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from app.core.domain.dates import PartialDate
from app.core.domain.interaction import Cadence
from app.core.reminders.model import (
    YEARLY,
    Feb29Rule,
    Reminder,
    ReminderKind,
    ReminderSettings,
    Subject,
)

OVERDUE_DAYS = 7
"""Days a missed birthday, anniversary or event stays in the list; follow-ups and
keep-in-touch reminders stay until they are done."""
LOOK_BACK_DAYS = OVERDUE_DAYS + 366
"""How far back yearly occurrences are generated, so that a snoozed one is still found."""

LocalDay = Callable[[datetime], date]
"""Turns a stored time (UTC) into the user's calendar day."""


@dataclass(frozen=True, slots=True)
class State:
    """What the user did with one occurrence: done, or snoozed until a day."""

    done: bool = False
    snoozed_until: date | None = None


def yearly_date(when: PartialDate, year: int, feb29: Feb29Rule) -> date | None:
    """The day `when` falls on in `year`; None before its own year.

    29 February falls on 28 February or 1 March in common years, as the user chose.
    """
    if when.year is not None and year < when.year:
        return None
    if (when.month, when.day) == (2, 29) and not calendar.isleap(year):
        return date(year, 2, 28) if feb29 is Feb29Rule.FEB_28 else date(year, 3, 1)
    return date(year, when.month, when.day)


def add_cadence(day: date, every: int, unit: Cadence) -> date:
    """`day` plus `every` days, weeks or months (a month end stays in its month: Jan 31 + 1
    month is Feb 28 or 29)."""
    if unit is Cadence.DAYS:
        return day + timedelta(days=every)
    if unit is Cadence.WEEKS:
        return day + timedelta(weeks=every)
    months = day.year * 12 + day.month - 1 + every
    year, month = divmod(months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def cadence_text(every: int, unit: Cadence) -> str:
    """ "every day", "every 2 weeks"."""
    if every == 1:
        return f"every {unit.value.rstrip('s')}"
    return f"every {every} {unit.value}"


def _yearly(subject: Subject, start: date, end: date, feb29: Feb29Rule) -> Iterator[Reminder]:
    dated: list[tuple[ReminderKind, PartialDate, str]] = []
    if subject.birthday is not None:
        dated.append((ReminderKind.BIRTHDAY, subject.birthday, ""))
    if subject.anniversary is not None:
        dated.append((ReminderKind.ANNIVERSARY, subject.anniversary, ""))
    dated += [(ReminderKind.EVENT, e.date, e.label) for e in subject.events]
    for kind, when, label in dated:
        for year in range(start.year, end.year + 1):
            day = yearly_date(when, year, feb29)
            if day is None or not start <= day <= end:
                continue
            years = year - when.year if when.year is not None else None
            yield Reminder(
                _yearly_id(kind, subject.contact_id, day, label),
                subject.contact_id,
                kind,
                day,
                _yearly_label(kind, subject.name, label, years),
                day,
                years,
            )


def _yearly_id(kind: ReminderKind, contact_id: int, day: date, label: str) -> str:
    base = f"{kind.value}:{contact_id}:{day.isoformat()}"
    if kind is not ReminderKind.EVENT:
        return base
    # Events are told apart by their label; a digest keeps the id free of the user's text.
    return f"{base}:{hashlib.sha1(label.encode()).hexdigest()[:8]}"


def _yearly_label(kind: ReminderKind, name: str, label: str, years: int | None) -> str:
    if kind is ReminderKind.BIRTHDAY:
        return f"{name}'s birthday" + (f" (turns {years})" if years else "")
    if kind is ReminderKind.ANNIVERSARY:
        return f"{name}'s anniversary" + (f" ({_years(years)})" if years else "")
    return f"{name}: {label}" + (f" ({_years(years)})" if years else "")


def _years(n: int) -> str:
    return f"{n} year{'s' if n != 1 else ''}"


def keep_in_touch(subject: Subject, local_day: LocalDay) -> Reminder | None:
    """The contact's keep-in-touch reminder: due a cadence after the last contact (or after
    the last time it was marked done, or after the contact was added); None without one."""
    if subject.keep_every <= 0 or subject.keep_unit is None:
        return None
    since = max(
        (t for t in (subject.last_contacted, subject.keep_in_touch_done) if t is not None),
        default=subject.created_at,
    )
    due = add_cadence(local_day(since), subject.keep_every, subject.keep_unit)
    last = (
        f"last contacted {local_day(subject.last_contacted).isoformat()}"
        if subject.last_contacted is not None
        else "never contacted"
    )
    return Reminder(
        f"{ReminderKind.KEEP_IN_TOUCH.value}:{subject.contact_id}:{due.isoformat()}",
        subject.contact_id,
        ReminderKind.KEEP_IN_TOUCH,
        due,
        f"Keep in touch with {subject.name} "
        f"({cadence_text(subject.keep_every, subject.keep_unit)}; {last})",
        due,
    )


def occurrences(
    subject: Subject, start: date, end: date, settings: ReminderSettings, local_day: LocalDay
) -> Iterator[Reminder]:
    """Every reminder of one contact that occurs between `start` and `end` (inclusive), and its
    keep-in-touch reminder and open follow-ups whenever they fall."""
    yield from _yearly(subject, start, end, settings.feb29)
    cadence = keep_in_touch(subject, local_day)
    if cadence is not None:
        yield cadence
    for item in subject.follow_ups:
        if item.done_at is None:
            yield Reminder(
                f"{ReminderKind.FOLLOW_UP.value}:{subject.contact_id}:{item.id}",
                subject.contact_id,
                ReminderKind.FOLLOW_UP,
                item.due,
                f"Follow up with {subject.name}: {item.note}"
                if item.note
                else f"Follow up with {subject.name}",
                item.due,
                note=item.note,
            )


def due_reminders(
    subjects: Iterable[Subject],
    today: date,
    days: int,
    *,
    settings: ReminderSettings,
    states: Mapping[str, State],
    local_day: LocalDay,
) -> list[Reminder]:
    """What is due from `today` to `days` ahead, with what is overdue, by day then label.

    Done occurrences are left out; a snoozed one is due on the day its snooze ends. A missed
    yearly occurrence stays for `OVERDUE_DAYS`; follow-ups and keep-in-touch stay until done.
    """
    end = today + timedelta(days=max(days, 0))
    start = today - timedelta(days=LOOK_BACK_DAYS)
    found: list[Reminder] = []
    for subject in subjects:
        for occurrence in occurrences(subject, start, end, settings, local_day):
            item = occurrence
            state = states.get(item.id)
            if state is not None and state.done:
                continue
            if state is not None and state.snoozed_until is not None:
                item = replace(item, due=state.snoozed_until)
            if item.due > end:
                continue
            if item.kind in YEARLY and item.due < today - timedelta(days=OVERDUE_DAYS):
                continue
            found.append(item)
    found.sort(key=lambda r: (r.due, r.label, r.id))
    return found
