"""Preferences: saved where they belong and applied at once; the themes' text is readable."""

from __future__ import annotations

import configparser
import shlex
from collections.abc import Iterator
from datetime import time
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTime
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.core.services import reminders
from app.core.services.contacts import ContactService
from app.core.storage.database import Database
from app.ui import autostart
from app.ui.main_window import MainWindow
from app.ui.preferences import (
    THEME_KEY,
    TRAY_KEY,
    Preferences,
    PreferencesDialog,
    keep_running_in_tray,
    region_choices,
    theme_choice,
)
from app.ui.theme import (
    BACKGROUNDS,
    ThemeChoice,
    apply_saved_theme,
    contrast_ratio,
    error_colour,
    palette_for,
    theme_keeper,
)
from tests.ui.conftest import wait_idle

Role = QPalette.ColorRole
SCHEMES = (Qt.ColorScheme.Light, Qt.ColorScheme.Dark)
TEXT_PAIRS = (
    (Role.Text, Role.Base),
    (Role.WindowText, Role.Window),
    (Role.ButtonText, Role.Button),
    (Role.HighlightedText, Role.Highlight),
    (Role.ToolTipText, Role.ToolTipBase),
    (Role.Link, Role.Base),
    (Role.Link, Role.Window),
    (Role.PlaceholderText, Role.Base),
    (Role.PlaceholderText, Role.Window),
)


@pytest.fixture(autouse=True)
def _restore_theme(qapp: QApplication) -> Iterator[None]:
    """A theme is the application's: put it back so that later tests see Qt's defaults."""
    app = qapp
    palette, sheet = app.palette(), app.styleSheet()
    yield
    theme_keeper().choice = ThemeChoice.SYSTEM
    app.styleHints().unsetColorScheme()
    app.setStyleSheet(sheet)
    app.setPalette(palette)


@pytest.fixture
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """XDG_CONFIG_HOME in the test's own folder (start at login writes there)."""
    home = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    return home


def open_preferences(
    qtbot: QtBot, window: MainWindow, preferences: Preferences | None = None
) -> PreferencesDialog:
    """Ctrl+, (or `preferences.open()`), then the dialog once the store has answered."""
    window.activateWindow()
    if preferences is None:
        preferences = window.preferences
        window.preferences_action.trigger()
    else:
        preferences.open()
    qtbot.waitUntil(lambda: preferences.dialog is not None)
    dialog = preferences.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


# Contrast


@pytest.mark.parametrize("scheme", SCHEMES, ids=["light", "dark"])
def test_text_in_each_theme_reaches_4_5_to_1(scheme: Qt.ColorScheme) -> None:
    palette = palette_for(scheme)
    for fore, back in TEXT_PAIRS:
        ratio = contrast_ratio(palette.color(fore), palette.color(back))
        assert ratio >= 4.5, f"{fore.name} on {back.name}: {ratio:.2f}"
    for back in BACKGROUNDS:
        ratio = contrast_ratio(error_colour(scheme), palette.color(back))
        assert ratio >= 4.5, f"problem red on {back.name}: {ratio:.2f}"


def test_one_red_could_not_serve_both_themes() -> None:
    """Why the red differs: each theme's red is unreadable on the other's background."""
    light, dark = palette_for(Qt.ColorScheme.Light), palette_for(Qt.ColorScheme.Dark)
    assert contrast_ratio(error_colour(Qt.ColorScheme.Light), dark.color(Role.Base)) < 4.5
    assert contrast_ratio(error_colour(Qt.ColorScheme.Dark), light.color(Role.Base)) < 4.5
    assert contrast_ratio(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21.0)


@pytest.mark.parametrize("choice", [ThemeChoice.LIGHT, ThemeChoice.DARK])
def test_a_problem_shown_on_the_card_is_readable_in_the_theme(
    qtbot: QtBot, window: MainWindow, filled: list[int], choice: ThemeChoice
) -> None:
    scheme = theme_keeper().apply(choice)
    assert window.list.select_id(filled[0])
    qtbot.waitUntil(lambda: window.detail.contact_id == filled[0])
    window.detail.edit()
    window.detail.form.birthday.setText("the fifth of never")
    label = window.detail.form.date_problems[window.detail.form.birthday]
    assert label.isVisible()
    label.ensurePolished()
    drawn = label.palette().color(label.foregroundRole())
    assert drawn == error_colour(scheme)
    background = window.detail.form.palette().color(Role.Window)
    assert contrast_ratio(drawn, background) >= 4.5


# The dialog


def test_preferences_are_saved_and_applied(
    qtbot: QtBot,
    window: MainWindow,
    db: Database,
    settings: QSettings,
    config_home: Path,
) -> None:
    dialog = open_preferences(qtbot, window)
    assert dialog.region.currentData() == "GB"
    assert not dialog.start_at_login.isChecked()
    dialog.region.setCurrentIndex(dialog.region.findData("DE"))
    dialog.theme.setCurrentIndex(dialog.theme.findData(ThemeChoice.DARK.value))
    dialog.start_at_login.setChecked(True)
    tray_shown = dialog.keep_in_tray.isEnabled()
    dialog.keep_in_tray.setChecked(False)
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    wait_idle(qtbot, window)
    # the region, which core needs, is stored with the data: a fresh service reads it
    assert ContactService(db).region == "DE"
    assert window.ctx.contacts.region == "DE"
    # the window's own settings, applied at once
    assert theme_choice(settings) is ThemeChoice.DARK
    assert QApplication.palette().color(Role.Window) == palette_for(Qt.ColorScheme.Dark).color(
        Role.Window
    )
    entry = config_home / "autostart" / "kith.desktop"
    assert entry.is_file()
    # keeping running in the tray is the user's choice where a tray shows; where none does,
    # the stored choice is left as it was (on by default)
    assert keep_running_in_tray(settings) is not tray_shown
    # and shown again the next time
    again = open_preferences(qtbot, window)
    assert again.region.currentData() == "DE"
    assert again.theme.currentData() == ThemeChoice.DARK.value
    assert again.start_at_login.isChecked()
    again.start_at_login.setChecked(False)
    again.theme.setCurrentIndex(again.theme.findData(ThemeChoice.LIGHT.value))
    again.accept()
    wait_idle(qtbot, window)
    assert not entry.exists()
    assert QApplication.palette().color(Role.Window) == palette_for(Qt.ColorScheme.Light).color(
        Role.Window
    )


def test_cancel_changes_nothing(
    qtbot: QtBot, window: MainWindow, db: Database, settings: QSettings, config_home: Path
) -> None:
    dialog = open_preferences(qtbot, window)
    dialog.region.setCurrentIndex(dialog.region.findData("FR"))
    dialog.theme.setCurrentIndex(dialog.theme.findData(ThemeChoice.DARK.value))
    dialog.start_at_login.setChecked(True)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    wait_idle(qtbot, window)
    assert ContactService(db).region != "FR"
    assert settings.value(THEME_KEY) is None and settings.value(TRAY_KEY) is None
    assert not (config_home / "autostart" / "kith.desktop").exists()


def test_ctrl_comma_opens_preferences(qtbot: QtBot, window: MainWindow) -> None:
    assert window.preferences_action.shortcut().toString() == "Ctrl+,"
    assert window.preferences_action in window.actions()


def test_a_saved_theme_is_applied_at_start(settings: QSettings) -> None:
    settings.setValue(THEME_KEY, "dark")
    keeper = apply_saved_theme(str(settings.value(THEME_KEY)))
    assert keeper.scheme == Qt.ColorScheme.Dark
    assert QApplication.palette().color(Role.Base) == palette_for(Qt.ColorScheme.Dark).color(
        Role.Base
    )
    assert "#ff8a80" in QApplication.instance().styleSheet()  # type: ignore[union-attr]
    assert apply_saved_theme("purple").choice is ThemeChoice.SYSTEM  # unreadable: the system's


def test_regions_are_named() -> None:
    choices = dict((code, title) for title, code in region_choices())
    assert choices["DE"] == "Germany (DE)"
    assert "GB" in choices and "US" in choices and len(choices) > 200


# Start at login


def test_autostart_follows_xdg_config_home(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert autostart.autostart_path({}, home) == home / ".config/autostart/kith.desktop"
    assert autostart.autostart_path({"XDG_CONFIG_HOME": "rel/ative"}, home) == (
        home / ".config/autostart/kith.desktop"
    )
    assert autostart.autostart_path({"XDG_CONFIG_HOME": str(tmp_path / "x")}, home) == (
        tmp_path / "x/autostart/kith.desktop"
    )


def test_the_autostart_entry_runs_this_kith(tmp_path: Path) -> None:
    path = tmp_path / "autostart" / "kith.desktop"
    command = ["/opt/My Apps/python3", "-m", "app", "--db", '/data/50% "kith".db']
    autostart.set_enabled(True, path, command)
    assert autostart.is_enabled(path)
    entry = configparser.ConfigParser(interpolation=None)
    entry.read(path, encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application" and section["Name"] == "Kith"
    # the spec's quoting reads back as the same arguments (%% is a literal %)
    assert shlex.split(section["Exec"].replace("%%", "%")) == command
    autostart.set_enabled(False, path)
    assert not path.exists() and not autostart.is_enabled(path)
    autostart.set_enabled(False, path)  # already off: nothing to do
    assert autostart.kith_command()[-2:] == ["-m", "app"]


def test_reminder_settings_are_stored_through_the_reminder_service(
    qtbot: QtBot, window: MainWindow, db: Database, config_home: Path
) -> None:
    preferences = Preferences(window, reminders=reminders.ReminderService(db))
    dialog = open_preferences(qtbot, window, preferences)
    assert dialog.reminder_time.isEnabled() and dialog.feb29.count() == 2
    assert dialog.reminder_time.time() == QTime(9, 0)
    dialog.reminder_time.setTime(QTime(7, 30))
    dialog.days_ahead.setValue(14)
    dialog.feb29.setCurrentIndex(dialog.feb29.findText("1 March"))
    dialog.accept()
    wait_idle(qtbot, window)
    stored = reminders.ReminderService(db).settings()
    assert (stored.time_of_day, stored.days_ahead) == (time(7, 30), 14)
    assert stored.feb29 is reminders.Feb29Rule.MAR_1


def test_without_a_reminder_service_the_reminder_settings_wait(
    qtbot: QtBot, window: MainWindow, config_home: Path
) -> None:
    dialog = open_preferences(qtbot, window, Preferences(window))
    assert not dialog.reminder_time.isEnabled() and not dialog.feb29.isEnabled()
    assert [dialog.feb29.itemText(i) for i in range(dialog.feb29.count())] == [
        "28 February",
        "1 March",
    ]
    dialog.reject()
