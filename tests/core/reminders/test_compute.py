"""The reminder computation on its own: yearly dates, Feb 29, cadences, done and snooze."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.domain.contact import Event
from app.core.domain.dates import PartialDate
from app.core.domain.interaction import Cadence
from app.core.reminders.compute import (
    OVERDUE_DAYS,
    State,
    add_cadence,
    due_reminders,
    yearly_date,
)
from app.core.reminders.model import Feb29Rule, FollowUp, ReminderKind, ReminderSettings, Subject

ADDED = datetime(2020, 1, 1, tzinfo=UTC)


def utc_day(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


def due(
    subjects: list[Subject],
    today: date,
    days: int = 7,
    states: dict[str, State] | None = None,
    feb29: Feb29Rule = Feb29Rule.FEB_28,
) -> list[tuple[str, date, str]]:
    found = due_reminders(
        subjects,
        today,
        days,
        settings=ReminderSettings(feb29=feb29),
        states=states or {},
        local_day=utc_day,
    )
    return [(r.id, r.due, r.label) for r in found]


@pytest.mark.parametrize(
    ("year", "rule", "expected"),
    [
        (2027, Feb29Rule.FEB_28, date(2027, 2, 28)),
        (2027, Feb29Rule.MAR_1, date(2027, 3, 1)),
        (2028, Feb29Rule.FEB_28, date(2028, 2, 29)),
        (2028, Feb29Rule.MAR_1, date(2028, 2, 29)),
        (2100, Feb29Rule.MAR_1, date(2100, 3, 1)),  # a century year is a common year
    ],
)
def test_feb_29_falls_where_the_user_chose_in_common_years(
    year: int, rule: Feb29Rule, expected: date
) -> None:
    assert yearly_date(PartialDate(2000, 2, 29), year, rule) == expected
    assert yearly_date(PartialDate(None, 2, 29), year, rule) == expected


def test_a_leap_day_birthday_is_due_once_in_a_common_year_with_its_age() -> None:
    ann = Subject(1, "Ann", ADDED, birthday=PartialDate(2000, 2, 29))
    feb = due([ann], date(2027, 2, 25), 10)
    assert feb == [("birthday:1:2027-02-28", date(2027, 2, 28), "Ann's birthday (turns 27)")]
    mar = due([ann], date(2027, 2, 25), 10, feb29=Feb29Rule.MAR_1)
    assert mar == [("birthday:1:2027-03-01", date(2027, 3, 1), "Ann's birthday (turns 27)")]


def test_no_year_means_no_age_and_no_occurrence_before_a_known_year() -> None:
    ann = Subject(1, "Ann", ADDED, birthday=PartialDate(None, 3, 4))
    bo = Subject(2, "Bo", ADDED, birthday=PartialDate(2027, 3, 4))  # not born yet in 2026
    assert due([ann, bo], date(2026, 3, 1)) == [
        ("birthday:1:2026-03-04", date(2026, 3, 4), "Ann's birthday")
    ]


def test_anniversaries_and_events_count_years() -> None:
    cy = Subject(
        3,
        "Cy",
        ADDED,
        anniversary=PartialDate(2016, 6, 10),
        events=(
            Event("met", PartialDate(2025, 6, 12)),
            Event("contract ends", PartialDate(None, 6, 9)),
        ),
    )
    found = due([cy], date(2026, 6, 8))
    assert [label for _, _, label in found] == [
        "Cy: contract ends",
        "Cy's anniversary (10 years)",
        "Cy: met (1 year)",
    ]
    assert found[0][0].startswith("event:3:2026-06-09:")
    assert found[0][0] != found[2][0]


def test_the_window_crosses_the_new_year() -> None:
    ann = Subject(1, "Ann", ADDED, birthday=PartialDate(1990, 1, 2))
    assert due([ann], date(2026, 12, 30)) == [
        ("birthday:1:2027-01-02", date(2027, 1, 2), "Ann's birthday (turns 37)")
    ]


def test_a_missed_birthday_stays_a_week_then_goes() -> None:
    ann = Subject(1, "Ann", ADDED, birthday=PartialDate(None, 3, 4))
    assert [d for _, d, _ in due([ann], date(2026, 3, 4 + OVERDUE_DAYS), 0)] == [date(2026, 3, 4)]
    assert due([ann], date(2026, 3, 5 + OVERDUE_DAYS), 0) == []


def test_done_hides_one_occurrence_and_not_next_years() -> None:
    ann = Subject(1, "Ann", ADDED, birthday=PartialDate(None, 3, 4))
    done = {"birthday:1:2026-03-04": State(done=True)}
    assert due([ann], date(2026, 3, 4), 0, done) == []
    assert [i for i, _, _ in due([ann], date(2027, 3, 1), 7, done)] == ["birthday:1:2027-03-04"]


def test_a_snoozed_occurrence_is_due_when_the_snooze_ends_even_past_the_grace() -> None:
    ann = Subject(1, "Ann", ADDED, birthday=PartialDate(None, 3, 4))
    snoozed = {"birthday:1:2026-03-04": State(snoozed_until=date(2026, 3, 20))}
    assert due([ann], date(2026, 3, 5), 7, snoozed) == []
    assert due([ann], date(2026, 3, 20), 0, snoozed) == [
        ("birthday:1:2026-03-04", date(2026, 3, 20), "Ann's birthday")
    ]


@pytest.mark.parametrize(
    ("start", "every", "unit", "expected"),
    [
        (date(2026, 1, 31), 10, Cadence.DAYS, date(2026, 2, 10)),
        (date(2026, 1, 31), 2, Cadence.WEEKS, date(2026, 2, 14)),
        (date(2026, 2, 3), 1, Cadence.MONTHS, date(2026, 3, 3)),
        (date(2026, 1, 31), 12, Cadence.MONTHS, date(2027, 1, 31)),
    ],
)
def test_cadences(start: date, every: int, unit: Cadence, expected: date) -> None:
    assert add_cadence(start, every, unit) == expected


def test_a_month_end_stays_in_its_month() -> None:
    assert add_cadence(date(2026, 1, 31), 1, Cadence.MONTHS) == date(2026, 2, 28)
    assert add_cadence(date(2028, 1, 31), 1, Cadence.MONTHS) == date(2028, 2, 29)
    assert add_cadence(date(2026, 12, 15), 2, Cadence.MONTHS) == date(2027, 2, 15)


@given(st.dates(date(1950, 1, 1), date(2200, 1, 1)), st.integers(1, 60))
def test_a_cadence_of_months_lands_in_the_right_month(day: date, months: int) -> None:
    later = add_cadence(day, months, Cadence.MONTHS)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    assert later.day == day.day or later.day < day.day


def test_keep_in_touch_is_due_a_cadence_after_the_last_contact() -> None:
    ann = Subject(
        1,
        "Ann",
        ADDED,
        keep_every=2,
        keep_unit=Cadence.WEEKS,
        last_contacted=datetime(2026, 3, 1, 18, tzinfo=UTC),
    )
    assert due([ann], date(2026, 3, 10), 3) == []
    (found,) = due([ann], date(2026, 3, 12), 3)
    assert found == (
        "keep-in-touch:1:2026-03-15",
        date(2026, 3, 15),
        "Keep in touch with Ann (every 2 weeks; last contacted 2026-03-01)",
    )
    # Not contacted since: still due weeks later (it never drops off like a birthday).
    assert [i for i, _, _ in due([ann], date(2026, 5, 1), 0)] == ["keep-in-touch:1:2026-03-15"]


def test_keep_in_touch_counts_from_the_later_of_contact_and_done() -> None:
    never = Subject(1, "Ann", ADDED, keep_every=30, keep_unit=Cadence.DAYS)
    assert due([never], date(2020, 1, 31), 0) == [
        (
            "keep-in-touch:1:2020-01-31",
            date(2020, 1, 31),
            "Keep in touch with Ann (every 30 days; never contacted)",
        )
    ]
    done = Subject(
        1,
        "Ann",
        ADDED,
        keep_every=1,
        keep_unit=Cadence.MONTHS,
        last_contacted=datetime(2026, 1, 5, tzinfo=UTC),
        keep_in_touch_done=datetime(2026, 2, 10, tzinfo=UTC),
    )
    assert [d for _, d, _ in due([done], date(2026, 3, 1), 30)] == [date(2026, 3, 10)]


def test_follow_ups_stay_due_until_done() -> None:
    ann = Subject(
        1,
        "Ann",
        ADDED,
        follow_ups=(FollowUp(7, 1, date(2026, 1, 10), "send the quote"),),
    )
    assert due([ann], date(2026, 1, 1), 5) == []
    assert due([ann], date(2026, 6, 1), 0) == [
        ("follow-up:1:7", date(2026, 1, 10), "Follow up with Ann: send the quote")
    ]
    kinds = {
        r.kind
        for r in due_reminders(
            [ann], date(2026, 6, 1), 0, settings=ReminderSettings(), states={}, local_day=utc_day
        )
    }
    assert kinds == {ReminderKind.FOLLOW_UP}
