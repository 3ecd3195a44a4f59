"""What the read card's reminder and timeline buttons do: done, snooze, edit, delete.

Each runs on the worker through a service and publishes the ChangeSet it returns, so that the
segments, the tray and the card follow; editing and deleting an interaction are undoable like
any change (the journal), marking a reminder done or snoozed is not (it is not the contact's).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from PySide6.QtCore import QDateTime, QObject
from PySide6.QtWidgets import QWidget

from app.core.clock import Clock
from app.core.services.contacts import ChangeSet
from app.ui.card_view import SNOOZE_DAYS, CardView
from app.ui.changes import ChangeHub
from app.ui.log_dialog import LogDialog, open_to_save
from app.ui.worker import Worker


class ReminderActions(Protocol):
    """What the card asks of the reminder service."""

    def done(self, reminder_id: str) -> ChangeSet: ...

    def snooze(self, reminder_id: str, until: date) -> ChangeSet: ...

    def today(self) -> date: ...


class InteractionActions(Protocol):
    """What the card asks of the interaction service."""

    def edit(
        self,
        contact_id: int,
        interaction_id: str,
        *,
        kind: Any = None,
        summary: str | None = None,
        at: datetime | None = None,
    ) -> ChangeSet: ...

    def delete(self, contact_id: int, interaction_id: str) -> ChangeSet: ...


class CardActions(QObject):
    """Connects a CardView's buttons to the services.

    Args:
        card: the read card.
        contact: the contact the card shows, as (id, display name), or None.
        refresh: shows the card's contact again (its reminders are read anew).
        worker: where the services run.
        hub: where their changes are published.
        reminders: done and snooze (None: the card offers neither).
        interactions: edit and delete (None: the timeline offers neither).
        kinds: the interaction kinds, for the edit dialog.
        clock: the newest time an interaction may be given.
    """

    def __init__(
        self,
        card: CardView,
        contact: Callable[[], tuple[int, str] | None],
        refresh: Callable[[], None],
        worker: Worker,
        hub: ChangeHub,
        *,
        reminders: ReminderActions | None,
        interactions: InteractionActions | None,
        kinds: Sequence[enum.Enum],
        clock: Clock,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._card, self._contact, self._refresh = card, contact, refresh
        self._worker, self._hub = worker, hub
        self._reminders, self._interactions = reminders, interactions
        self._kinds, self._clock, self._parent = list(kinds), clock, parent
        self.dialog: LogDialog | None = None
        card.reminder_done.connect(self.done)
        card.reminder_snoozed.connect(self.snooze)
        card.interaction_edit.connect(self.edit)
        card.interaction_delete.connect(self.delete)

    def done(self, reminder_id: str) -> None:
        """Mark a reminder done."""
        if (service := self._reminders) is not None:
            self._run(lambda: service.done(reminder_id), refresh=True)

    def snooze(self, reminder_id: str) -> None:
        """Hide a reminder for SNOOZE_DAYS days."""
        if (service := self._reminders) is not None:

            def job() -> ChangeSet:
                return service.snooze(reminder_id, service.today() + timedelta(days=SNOOZE_DAYS))

            self._run(job, refresh=True)

    def delete(self, interaction_id: str) -> None:
        """Delete an interaction from the timeline (Undo brings it back)."""
        shown, service = self._contact(), self._interactions
        if shown is not None and service is not None:
            cid = shown[0]
            self._run(lambda: service.delete(cid, interaction_id))

    def edit(self, interaction_id: str) -> LogDialog | None:
        """Open the interaction in the log dialog; OK changes it (one undoable operation)."""
        shown, service = self._contact(), self._interactions
        entry = next((e for e in self._card.entries if e.id == interaction_id), None)
        if shown is None or service is None or entry is None:
            return None
        cid, name = shown
        dialog = self.dialog = LogDialog([name], self._kinds, self._clock.now(), self._parent)
        dialog.setWindowTitle("Edit an interaction")
        kind = next((k for k in self._kinds if str(k.value) == entry.kind), None)
        if kind is not None:
            dialog.choose_kind(kind)
        dialog.when.setDateTime(QDateTime.fromSecsSinceEpoch(int(entry.when.timestamp())))
        dialog.summary.setText(entry.summary)

        open_to_save(
            dialog,
            self._worker,
            self._hub,
            lambda kind, at, summary: service.edit(
                cid, interaction_id, kind=kind, summary=summary, at=at
            ),
            self._closed,
        )
        return dialog

    def _closed(self) -> None:
        self.dialog = None

    def _run(self, job: Callable[[], ChangeSet], *, refresh: bool = False) -> None:
        def finished(change: ChangeSet) -> None:
            self._hub.publish(change)
            if refresh:  # a reminder's state is not the contact's: the card asks again
                self._refresh()

        self._worker.submit(job, finished)
