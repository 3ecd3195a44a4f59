"""The tray icon: Kith keeps reminding while its window is closed.

`Tray` is the icon: a tooltip saying what is due, a menu (Open Kith, today's and overdue
reminders, Quit) and notifications through `QSystemTrayIcon.showMessage`; clicking a
notification opens its contact. When to look for reminders is `reminder_scheduler`'s business.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

MENU_LIMIT = 12
MESSAGE_MS = 10_000
NOTIFIED = "Notified reminders"
"""What the private log says for each notification."""


class DueItem(Protocol):
    """What the tray reads of a reminder occurrence (the reminder service's items)."""

    @property
    def id(self) -> str: ...

    @property
    def contact_id(self) -> int: ...

    @property
    def due(self) -> date: ...

    @property
    def label(self) -> str: ...


def tooltip_text(items: Sequence[DueItem], today: date) -> str:
    """ "Kith: 2 reminders today, 1 overdue", or "Kith: nothing due today"."""
    now = sum(1 for i in items if i.due == today)
    late = sum(1 for i in items if i.due < today)
    parts = []
    if now:
        parts.append(f"{now} reminder{'s' if now != 1 else ''} today")
    if late:
        parts.append(f"{late} overdue")
    return "Kith: " + (", ".join(parts) if parts else "nothing due today")


def message_text(items: Sequence[DueItem]) -> tuple[str, str]:
    """The title and body of one notification for these items."""
    if len(items) == 1:
        return "Kith reminder", items[0].label
    lines = [i.label for i in items[:4]]
    if len(items) > 4:
        lines.append(f"and {len(items) - 4} more")
    return f"Kith: {len(items)} reminders", "\n".join(lines)


class Tray(QObject):
    """The tray icon with its menu and notifications.

    Signals:
        open_requested: "Open Kith" was chosen, or the icon clicked.
        contact_requested: a reminder in the menu, or a notification, was clicked (contact id).
        quit_requested: "Quit Kith" was chosen.
    """

    open_requested = Signal()
    contact_requested = Signal(int)
    quit_requested = Signal()

    def __init__(self, icon: QIcon, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.icon = QSystemTrayIcon(icon, self)
        self.icon.setToolTip("Kith")
        self.menu = QMenu()
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self.icon.messageClicked.connect(self._message_clicked)
        self._message_contact: int | None = None
        self.shown_messages: list[tuple[str, str]] = []
        self.set_due([], date.min)

    @staticmethod
    def available() -> bool:
        """Whether this desktop shows tray icons."""
        return QSystemTrayIcon.isSystemTrayAvailable()

    def show(self) -> bool:
        """Show the icon where a tray exists; returns whether it is shown."""
        if not self.available():
            return False
        self.icon.show()
        return True

    def hide(self) -> None:
        """Take the icon away (before quitting)."""
        self.icon.hide()

    def set_due(self, items: Sequence[DueItem], today: date) -> None:
        """Show today's and overdue reminders in the menu and the tooltip."""
        self.menu.clear()
        self.open_action = self._add("Open Kith", self.open_requested.emit)
        self.menu.addSeparator()
        due = sorted((i for i in items if i.due <= today), key=lambda i: (i.due, i.label))
        self.reminder_actions: list[QAction] = []
        for heading, group in (
            ("Overdue", [i for i in due if i.due < today]),
            ("Today", [i for i in due if i.due == today]),
        ):
            if not group:
                continue
            self.menu.addSection(heading)
            for item in group[:MENU_LIMIT]:
                action = self._add(item.label, self._opener(item.contact_id))
                self.reminder_actions.append(action)
            if len(group) > MENU_LIMIT:
                self._add(f"{len(group) - MENU_LIMIT} more…", self.open_requested.emit)
        if not due:
            nothing = self._add("Nothing due today", lambda: None)
            nothing.setEnabled(False)
        self.menu.addSeparator()
        self.quit_action = self._add("Quit Kith", self.quit_requested.emit)
        self.icon.setToolTip(tooltip_text(items, today))

    def _opener(self, contact_id: int) -> Callable[[], None]:
        return lambda: self.contact_requested.emit(contact_id)

    def _add(self, text: str, slot: Callable[[], object]) -> QAction:
        action = self.menu.addAction(text)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def notify(self, items: Sequence[DueItem]) -> None:
        """Raise one notification for these items (clicking it opens the contact, if one)."""
        if not items:
            return
        title, body = message_text(items)
        contacts = {i.contact_id for i in items}
        self._message_contact = next(iter(contacts)) if len(contacts) == 1 else None
        self.shown_messages.append((title, body))
        self.icon.showMessage(title, body, QSystemTrayIcon.MessageIcon.Information, MESSAGE_MS)

    def _message_clicked(self) -> None:
        if self._message_contact is not None:
            self.contact_requested.emit(self._message_contact)
        else:
            self.open_requested.emit()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.open_requested.emit()
