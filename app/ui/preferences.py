"""Preferences (Ctrl+,): phone region, tray and login, reminders, and the theme.

Settings that core needs (the phone region, the reminder settings) are stored with the data
through the services, so the command line and every window see the same; settings of the window
alone (theme, keeping running in the tray) are kept in QSettings; starting at login is the
autostart entry itself (`app.ui.autostart`), so what the dialog shows is what the desktop does.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import phonenumbers
from PySide6.QtCore import QLocale, QSettings, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QSpinBox,
    QSystemTrayIcon,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import UserFacingError
from app.ui import autostart
from app.ui.theme import ThemeChoice, mark_problem, theme_keeper

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

THEME_KEY = "appearance/theme"
TRAY_KEY = "tray/keep_running"
THEME_TITLES = {
    ThemeChoice.SYSTEM: "Like the system",
    ThemeChoice.LIGHT: "Light",
    ThemeChoice.DARK: "Dark",
}


FEB29_TITLES = {"FEB_28": "28 February", "MAR_1": "1 March"}
"""Titles of the Feb 29 rule's choices, by the names of the reminder settings' enum members."""


class Feb29(enum.StrEnum):
    """Where a 29 February falls in a common year (until a reminder service says)."""

    FEB_28 = "feb 28"
    MAR_1 = "mar 1"


@dataclass(frozen=True, slots=True)
class ReminderPrefs:
    """When reminders notify and how far ahead they look (the shape the service stores)."""

    time_of_day: time = time(9, 0)
    days_ahead: int = 7
    feb29: enum.Enum = Feb29.FEB_28


class ReminderStore(Protocol):
    """Where reminder settings live: the reminder service (called on the worker).

    `settings()` returns a frozen dataclass with `time_of_day`, `days_ahead` and `feb29` (an
    enum with members FEB_28 and MAR_1), as `ReminderPrefs` is; the dialog hands back a copy
    of it with the user's choices, so the service's own types go round untouched.
    """

    def settings(self) -> Any:
        """The stored settings."""
        ...

    def save_settings(self, settings: Any) -> None:
        """Store them."""
        ...


def theme_choice(settings: QSettings) -> ThemeChoice:
    """The theme the user chose (system by default, and for anything unreadable)."""
    value = str(settings.value(THEME_KEY, ThemeChoice.SYSTEM.value))
    return ThemeChoice(value) if value in set(ThemeChoice) else ThemeChoice.SYSTEM


def keep_running_in_tray(settings: QSettings) -> bool:
    """Whether closing the window keeps Kith running in the tray (on by default)."""
    return str(settings.value(TRAY_KEY, "true")).lower() == "true"


def region_choices() -> list[tuple[str, str]]:
    """(title, code) for every region phone numbering knows, sorted by title."""
    out = []
    for code in phonenumbers.SUPPORTED_REGIONS:
        territory = QLocale.codeToTerritory(code)
        name = QLocale.territoryToString(territory) if territory.value else ""
        out.append((f"{name} ({code})" if name else code, code))
    return sorted(out, key=lambda pair: pair[0].casefold())


@dataclass(frozen=True, slots=True)
class Choices:
    """Everything the dialog edits, as read back from it."""

    region: str
    theme: ThemeChoice
    keep_in_tray: bool
    start_at_login: bool
    reminders: Any
    """The reminder service's settings (a `ReminderPrefs` where there is none)."""


class PreferencesDialog(QDialog):
    """The dialog; `PreferencesActions.open` fills it and applies what it returns."""

    def __init__(
        self, current: Choices, *, tray_available: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.setObjectName("preferences")
        self.region = QComboBox(self)
        self.region.setObjectName("region")
        for title, code in region_choices():
            self.region.addItem(title, code)
        self.region.setCurrentIndex(max(0, self.region.findData(current.region)))
        self.theme = QComboBox(self)
        self.theme.setObjectName("theme")
        for choice, title in THEME_TITLES.items():
            self.theme.addItem(title, choice.value)
        self.theme.setCurrentIndex(max(0, self.theme.findData(current.theme.value)))
        self.keep_in_tray = QCheckBox("Keep running in the tray when the window closes", self)
        self.keep_in_tray.setChecked(current.keep_in_tray and tray_available)
        self._keep_in_tray_stored = current.keep_in_tray  # kept as it is where no tray shows
        self.keep_in_tray.setEnabled(tray_available)
        if not tray_available:
            self.keep_in_tray.setToolTip("This desktop has no tray: closing the window quits.")
        self.start_at_login = QCheckBox("Start Kith when I log in", self)
        self.start_at_login.setChecked(current.start_at_login)
        self.reminder_time = QTimeEdit(self)
        self.reminder_time.setDisplayFormat("HH:mm")
        t = current.reminders.time_of_day
        self.reminder_time.setTime(QTime(t.hour, t.minute))
        self.days_ahead = QSpinBox(self)
        self.days_ahead.setRange(0, 365)
        self.days_ahead.setSuffix(" days")
        self.days_ahead.setValue(current.reminders.days_ahead)
        self.feb29 = QComboBox(self)
        self._reminders = current.reminders
        rule = type(current.reminders.feb29)
        for member in rule:
            self.feb29.addItem(FEB29_TITLES.get(member.name, str(member.value)), member.name)
        self.feb29.setCurrentIndex(max(0, self.feb29.findData(current.reminders.feb29.name)))
        self.problem = QLabel(self)
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        mark_problem(self.problem)
        self.problem.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        sections: dict[str, list[tuple[str, QWidget]]] = {
            "Phone numbers": [("Numbers without a country code are in", self.region)],
            "Appearance": [("Theme", self.theme)],
            "Running": [("", self.keep_in_tray), ("", self.start_at_login)],
            "Reminders": [
                ("Notify me at", self.reminder_time),
                ("Look ahead by", self.days_ahead),
                ("29 February birthdays, in other years, fall on", self.feb29),
            ],
        }
        for title, rows in sections.items():
            box = QGroupBox(title, self)
            form = QFormLayout(box)
            for label, widget in rows:
                form.addRow(label, widget)
            layout.addWidget(box)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

    def choices(self) -> Choices:
        """What the dialog shows now."""
        t = self.reminder_time.time()
        return Choices(
            region=str(self.region.currentData()),
            theme=ThemeChoice(str(self.theme.currentData())),
            keep_in_tray=(
                self.keep_in_tray.isChecked()
                if self.keep_in_tray.isEnabled()
                else self._keep_in_tray_stored
            ),
            start_at_login=self.start_at_login.isChecked(),
            reminders=dataclasses.replace(
                self._reminders,
                time_of_day=time(t.hour(), t.minute()),
                days_ahead=self.days_ahead.value(),
                feb29=type(self._reminders.feb29)[str(self.feb29.currentData())],
            ),
        )

    def show_problem(self, text: str) -> None:
        """Say what could not be saved."""
        self.problem.setText(text)
        self.problem.setVisible(bool(text))


def apply_window_choices(
    settings: QSettings,
    choices: Choices,
    *,
    apply_theme: Callable[[ThemeChoice], object],
    autostart_file: Path | None = None,
) -> None:
    """Store and apply the settings of the window alone (theme, tray, start at login).

    Raises:
        UserFacingError: the autostart entry could not be written or removed.
    """
    settings.setValue(THEME_KEY, choices.theme.value)
    settings.setValue(TRAY_KEY, "true" if choices.keep_in_tray else "false")
    settings.sync()
    apply_theme(choices.theme)
    path = autostart_file or autostart.autostart_path()
    if autostart.is_enabled(path) != choices.start_at_login:
        try:
            autostart.set_enabled(choices.start_at_login, path)
        except OSError as exc:
            raise UserFacingError(
                f"Could not change {path}: {exc.strerror or exc}. Check that the folder can be "
                "written, then try again."
            ) from exc


def tray_available() -> bool:
    """Whether this desktop shows tray icons."""
    return QSystemTrayIcon.isSystemTrayAvailable()


class Preferences:
    """Opens the dialog over the window, and stores and applies what the user chose."""

    def __init__(
        self,
        window: MainWindow,
        *,
        reminders: ReminderStore | None = None,
        autostart_file: Path | None = None,
    ) -> None:
        self._w = window
        self._reminders = reminders
        self._autostart_file = autostart_file
        self.dialog: PreferencesDialog | None = None

    def open(self) -> None:
        """Ctrl+,: read what the store holds (on the worker), then show the dialog."""
        contacts, reminders = self._w.ctx.contacts, self._reminders
        self._w.ctx.worker.submit(
            lambda: (contacts.region, reminders.settings() if reminders else ReminderPrefs()),
            self._show,
        )

    def _show(self, stored: tuple[str, Any]) -> None:
        region, reminder_prefs = stored
        settings = self._w.ctx.settings
        current = Choices(
            region=region,
            theme=theme_choice(settings),
            keep_in_tray=keep_running_in_tray(settings),
            start_at_login=autostart.is_enabled(self._autostart_file),
            reminders=reminder_prefs,
        )
        dialog = self.dialog = PreferencesDialog(
            current, tray_available=tray_available(), parent=self._w
        )
        for widget in (dialog.reminder_time, dialog.days_ahead, dialog.feb29):
            widget.setEnabled(self._reminders is not None)
        dialog.accepted.connect(lambda: self._accepted(dialog, current))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _accepted(self, dialog: PreferencesDialog, before: Choices) -> None:
        chosen = dialog.choices()
        try:
            apply_window_choices(
                self._w.ctx.settings,
                chosen,
                apply_theme=lambda choice: theme_keeper().apply(choice),
                autostart_file=self._autostart_file,
            )
        except UserFacingError as exc:
            self._w.show_message(str(exc))
        contacts, reminders, worker = self._w.ctx.contacts, self._reminders, self._w.ctx.worker
        if chosen.region != before.region:
            worker.submit(lambda: contacts.set_region(chosen.region), self._region_saved)
        if reminders is not None and chosen.reminders != before.reminders:
            worker.submit(lambda: reminders.save_settings(chosen.reminders))
        self.dialog = None

    def _region_saved(self, stored: tuple[str, str]) -> None:
        code, note = stored
        self._w.show_message(
            note or f"Phone numbers without a country code are now read as {code}."
        )
