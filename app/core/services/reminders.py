"""Reminder use cases: what is due, done, snooze, follow-ups, and notifying each occurrence once.

The user's day and the time a day's reminders notify are local; the store and the clock speak
UTC. `zone` (the user's time zone; the system's when None) joins the two, so that a birthday in
Tokyo is due when it is that day in Tokyo, and a 09:00 reminder still rings at 09:00 after the
clocks change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from app.core.clock import SYSTEM_CLOCK, Clock
from app.core.domain.interaction import Cadence, InteractionKind
from app.core.errors import UserFacingError
from app.core.reminders.compute import OVERDUE_DAYS, due_reminders, occurrences
from app.core.reminders.model import (
    YEARLY,
    Feb29Rule,
    FollowUp,
    Reminder,
    ReminderKind,
    ReminderSettings,
    Subject,
)
from app.core.services.contacts import ChangeSet
from app.core.services.interactions import InteractionService
from app.core.services.queries import Filter
from app.core.storage import reminders_repo, settings_repo
from app.core.storage.database import Database

__all__ = [
    "DUE_SEGMENT",
    "Feb29Rule",
    "Reminder",
    "ReminderKind",
    "ReminderService",
    "ReminderSettings",
]

DAYS_AHEAD_MAX = 366
NOTE_MAX = 2000
DUE_SEGMENT = "due"
"""The segment key of the window's "Due" list."""
_FORGET = timedelta(days=400)
"""Notifications, done and snoozed marks older than this concern occurrences that can no
longer be due (a yearly one is looked for at most 373 days back)."""
_SETTING_KEYS = (
    settings_repo.REMINDER_TIME,
    settings_repo.REMINDER_DAYS_AHEAD,
    settings_repo.REMINDER_FEB29,
)


class ReminderService:
    """Reminders for the window (Due list, card, tray, notifications) and the CLI.

    Args:
        db: the open database.
        clock: what time it is (tests pass a `FixedClock`).
        zone: the user's time zone; None means the system's (and the clock's `today`).
    """

    def __init__(self, db: Database, clock: Clock = SYSTEM_CLOCK, zone: tzinfo | None = None):
        self._db = db
        self._clock = clock
        self._zone = zone
        self._interactions = InteractionService(db, clock)

    # Time

    def today(self) -> date:
        """The user's calendar day."""
        if self._zone is None:
            return self._clock.today()
        return self._clock.now().astimezone(self._zone).date()

    def local_day(self, moment: datetime) -> date:
        """The user's calendar day at `moment`."""
        return moment.astimezone(self._zone).date()

    def notify_at(self, reminder: Reminder, settings: ReminderSettings | None = None) -> datetime:
        """When (UTC) a reminder notifies: its due day at the reminder time, local.

        A time that does not exist on that day (clocks go forward through it) is read with the
        offset before the change, so it rings once, an hour late; a time that happens twice
        rings at the first.
        """
        at = (settings or self.settings()).time_of_day
        local = datetime.combine(reminder.due, at)
        if self._zone is not None:
            local = local.replace(tzinfo=self._zone)
        return local.astimezone(UTC)

    # Settings

    def settings(self) -> ReminderSettings:
        """The stored reminder settings; a value that cannot be read falls back to its default."""
        with self._db.read() as conn:
            stored = settings_repo.get_many(conn, _SETTING_KEYS)
        default = ReminderSettings()
        try:
            when = time.fromisoformat(stored.get(settings_repo.REMINDER_TIME, ""))
        except ValueError:
            when = default.time_of_day
        try:
            days = min(
                max(int(stored.get(settings_repo.REMINDER_DAYS_AHEAD, "")), 0), DAYS_AHEAD_MAX
            )
        except ValueError:
            days = default.days_ahead
        try:
            feb29 = Feb29Rule(stored.get(settings_repo.REMINDER_FEB29, ""))
        except ValueError:
            feb29 = default.feb29
        return ReminderSettings(when.replace(second=0, microsecond=0), days, feb29)

    def save_settings(self, settings: ReminderSettings) -> None:
        """Store the reminder settings.

        Raises:
            UserFacingError: days ahead is not between 0 and 366.
        """
        if not 0 <= settings.days_ahead <= DAYS_AHEAD_MAX:
            raise UserFacingError(f"Look ahead 0 to {DAYS_AHEAD_MAX} days.")
        with self._db.write() as conn:
            settings_repo.put(
                conn, settings_repo.REMINDER_TIME, settings.time_of_day.strftime("%H:%M")
            )
            settings_repo.put(conn, settings_repo.REMINDER_DAYS_AHEAD, str(settings.days_ahead))
            settings_repo.put(conn, settings_repo.REMINDER_FEB29, settings.feb29.value)

    # Reading

    def due(self, days: int | None = None) -> list[Reminder]:
        """What is due from today to `days` ahead (the setting by default), with what is
        overdue, by day.

        Raises:
            UserFacingError: `days` is negative or more than a year.
        """
        settings = self.settings()
        days = settings.days_ahead if days is None else days
        if not 0 <= days <= DAYS_AHEAD_MAX:
            raise UserFacingError(f"Look ahead 0 to {DAYS_AHEAD_MAX} days.")
        today = self.today()
        start = today - timedelta(days=OVERDUE_DAYS)
        window = [start + timedelta(days=n) for n in range((today - start).days + days + 1)]
        month_days = {d.strftime("%m-%d") for d in window}
        if month_days & {"02-28", "03-01"}:
            month_days.add("02-29")  # falls on one of those in common years
        with self._db.read() as conn:
            also = set(reminders_repo.snoozed_contacts(conn, start))
            also.update(reminders_repo.contacts_with_open_follow_ups(conn))
            subjects = reminders_repo.subjects(conn, month_days, sorted(also))
            states = reminders_repo.states(conn)
        return due_reminders(
            subjects, today, days, settings=settings, states=states, local_day=self.local_day
        )

    def for_contact(self, contact_id: int, days: int | None = None) -> list[Reminder]:
        """One contact's reminders that are due or overdue within `days` (the card shows them)."""
        settings = self.settings()
        with self._db.read() as conn:
            subject = reminders_repo.subject(conn, contact_id)
            states = reminders_repo.states(conn)
        if subject is None:
            return []
        ahead = settings.days_ahead if days is None else days
        return due_reminders(
            [subject],
            self.today(),
            ahead,
            settings=settings,
            states=states,
            local_day=self.local_day,
        )

    def due_filter(self, days: int | None = None) -> Filter:
        """The "Due" segment: contacts with a reminder due within `days` (the setting by
        default) or overdue, as a condition for a `ListQuery`."""
        ids = sorted({r.contact_id for r in self.due(days)})
        # Literal ids, not parameters: SQLite limits parameters, and these are integers.
        return Filter(f"c.id IN ({','.join(map(str, ids))})" if ids else "0")

    def to_notify(self) -> list[Reminder]:
        """Reminders whose time has come and that were never notified.

        One missed while Kith was closed is here at the next start (while it is still due);
        one already notified is not, after any number of restarts.
        """
        settings = self.settings()
        now = self._clock.now()
        ready = [r for r in self.due(0) if self.notify_at(r, settings) <= now]
        with self._db.read() as conn:
            done = reminders_repo.notified(conn, [r.id for r in ready])
        return [r for r in ready if r.id not in done]

    def next_notification(self) -> datetime | None:
        """When (UTC) the next reminder will be ready to notify, for the scheduler's timer;
        None when nothing is due within the days ahead."""
        settings = self.settings()
        now = self._clock.now()
        later = [self.notify_at(r, settings) for r in self.due()]
        return min((t for t in later if t > now), default=None)

    # Changing

    def mark_notified(self, reminder_ids: Iterable[str]) -> None:
        """Record that these reminders were shown, so that they are not shown again."""
        now = self._clock.now()
        with self._db.write() as conn:
            reminders_repo.mark_notified(conn, list(dict.fromkeys(reminder_ids)), now)
            reminders_repo.forget_before(conn, now - _FORGET)

    def done(
        self, reminder_id: str, log: InteractionKind | None = None, summary: str = ""
    ) -> ChangeSet:
        """Mark an occurrence done; with `log`, also log that interaction with the contact.

        A keep-in-touch reminder done without an interaction counts its next period from now.

        Raises:
            UserFacingError: there is no such reminder (or it is already done).
        """
        reminder = self._resolve(reminder_id)
        change = ChangeSet(f"Done: {reminder.label}", segments=frozenset({DUE_SEGMENT}))
        if log is not None:
            logged = self._interactions.log(
                [reminder.contact_id], log, summary or _summary_for(reminder)
            )
            change = ChangeSet(
                change.label,
                changed=logged.changed,
                operation_id=logged.operation_id,
                segments=(logged.segments or frozenset()) | {DUE_SEGMENT},
            )
        with self._db.write() as conn:
            if reminder.kind is ReminderKind.FOLLOW_UP:
                follow_up_id = int(reminder.id.rsplit(":", 1)[1])
                reminders_repo.finish_follow_up(conn, follow_up_id, self._clock.now())
            else:
                reminders_repo.set_done(conn, reminder.id, reminder.contact_id, self._clock.now())
        return change

    def snooze(self, reminder_id: str, until: date) -> ChangeSet:
        """Hide an occurrence until a later day; it notifies again on that day.

        Raises:
            UserFacingError: there is no such reminder, or `until` is not after today.
        """
        if until <= self.today():
            raise UserFacingError("Snooze until a day after today.")
        reminder = self._resolve(reminder_id)
        with self._db.write() as conn:
            reminders_repo.set_snoozed(
                conn, reminder.id, reminder.contact_id, until, self._clock.now()
            )
        return ChangeSet(
            f"Snooze {reminder.label} until {until.isoformat()}",
            segments=frozenset({DUE_SEGMENT}),
        )

    def follow_up(self, contact_id: int, due: date, note: str) -> tuple[Reminder, ChangeSet]:
        """Add a one-off reminder to follow up with a contact on a day.

        Returns:
            The new reminder (its id is what `done` and `snooze` take), and what changed.

        Raises:
            UserFacingError: the contact does not exist or is in the trash, or the note is too
                long or holds a control character.
        """
        note = " ".join(note.split())
        if len(note) > NOTE_MAX:
            raise UserFacingError(f"A follow-up note holds up to {NOTE_MAX:,} characters.")
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in note):
            raise UserFacingError("A control character is not allowed in the note; remove it.")
        with self._db.write() as conn:
            subject = reminders_repo.subject(conn, contact_id)
            if subject is None:
                raise UserFacingError(f"No contact with id {contact_id} (or it is in the trash).")
            new_id = reminders_repo.add_follow_up(conn, contact_id, due, note, self._clock.now())
        reminder = next(
            r
            for r in self._occurrences(_with_follow_up(subject, new_id, due, note), due)
            if r.kind is ReminderKind.FOLLOW_UP and r.id.endswith(f":{new_id}")
        )
        label = f"Follow up with {subject.name} on {due.isoformat()}"
        return reminder, ChangeSet(label, segments=frozenset({DUE_SEGMENT}))

    def set_keep_in_touch(
        self, contact_ids: Sequence[int], every: int, unit: Cadence | None
    ) -> ChangeSet:
        """Keep in touch with these contacts every N days, weeks or months (0: stop); an
        undoable edit of the contacts."""
        change = self._interactions.set_keep_in_touch(contact_ids, every, unit)
        return ChangeSet(
            change.label,
            changed=change.changed,
            operation_id=change.operation_id,
            segments=frozenset({DUE_SEGMENT}),
        )

    def move_to(self, from_ids: Sequence[int], into_id: int) -> None:
        """Give the follow-ups of contacts merged away to the contact they were merged into
        (a merge calls this; the snoozes and "done" of their dates stay with the old ids)."""
        with self._db.write() as conn:
            reminders_repo.move_follow_ups(conn, list(from_ids), into_id)

    # Finding one occurrence by its id

    def _resolve(self, reminder_id: str) -> Reminder:
        kind_text, _, rest = reminder_id.partition(":")
        contact_text, _, detail = rest.partition(":")
        try:
            kind = ReminderKind(kind_text)
            contact_id = int(contact_text)
        except ValueError:
            raise UserFacingError(
                f"{reminder_id!r} is not a reminder id; `kith reminders --json` lists them."
            ) from None
        with self._db.read() as conn:
            subject = reminders_repo.subject(conn, contact_id)
        day = self.today()
        if kind in YEARLY or kind is ReminderKind.KEEP_IN_TOUCH:
            try:
                day = date.fromisoformat(detail[:10])
            except ValueError:
                day = self.today()
        found = (
            next((r for r in self._occurrences(subject, day) if r.id == reminder_id), None)
            if subject is not None
            else None
        )
        if found is None:
            raise UserFacingError(
                f"There is no open reminder {reminder_id!r}; it may be done already, or its "
                "contact deleted or changed. `kith reminders --json` lists the current ones."
            )
        return found

    def _occurrences(self, subject: Subject, day: date) -> list[Reminder]:
        return list(occurrences(subject, day, day, self.settings(), self.local_day))


def _with_follow_up(subject: Subject, follow_up_id: int, due: date, note: str) -> Subject:
    item = FollowUp(follow_up_id, subject.contact_id, due, note)
    return replace(subject, follow_ups=(*subject.follow_ups, item))


def _summary_for(reminder: Reminder) -> str:
    """The interaction's summary when a reminder is done with one and no summary is given."""
    if reminder.kind is ReminderKind.FOLLOW_UP:
        return f"Followed up: {reminder.note}" if reminder.note else "Followed up"
    return reminder.label
