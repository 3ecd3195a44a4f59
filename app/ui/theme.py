"""Light, dark or the system's theme, with text that stays readable in each.

Kith draws with Fusion and two palettes of its own, so that the window looks the same on every
desktop and every pair of colours it relies on (text, links, secondary text and the red of a
problem, each on its background) is known to reach WCAG's 4.5:1; a test computes the ratios.
The red of a problem differs between the two palettes: no one red reaches 4.5:1 on both white
and near-black. A widget that shows a problem is marked with `mark_problem`, and the theme's
one style rule colours every marked widget, in whichever theme is on.
"""

from __future__ import annotations

import enum

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

PROBLEM_PROPERTY = "problem"


class ThemeChoice(enum.StrEnum):
    """What the user chose in Preferences."""

    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


Role = QPalette.ColorRole

_LIGHT = {
    Role.Window: "#efefef",
    Role.WindowText: "#1d1d1f",
    Role.Base: "#ffffff",
    Role.AlternateBase: "#f4f5f7",
    Role.Text: "#1d1d1f",
    Role.Button: "#e9e9eb",
    Role.ButtonText: "#1d1d1f",
    Role.BrightText: "#ffffff",
    Role.Highlight: "#2160c4",
    Role.HighlightedText: "#ffffff",
    Role.Link: "#0b57d0",
    Role.LinkVisited: "#6a1b9a",
    Role.PlaceholderText: "#5c5f66",
    Role.ToolTipBase: "#ffffe8",
    Role.ToolTipText: "#1d1d1f",
    Role.Light: "#ffffff",
    Role.Midlight: "#e3e3e3",
    Role.Mid: "#b9b9bc",
    Role.Dark: "#9d9da0",
    Role.Shadow: "#6d6d70",
}
_DARK = {
    Role.Window: "#2a2a2d",
    Role.WindowText: "#e9e9ec",
    Role.Base: "#1e1e20",
    Role.AlternateBase: "#252528",
    Role.Text: "#e9e9ec",
    Role.Button: "#37373b",
    Role.ButtonText: "#e9e9ec",
    Role.BrightText: "#ffffff",
    Role.Highlight: "#2f6bc4",
    Role.HighlightedText: "#ffffff",
    Role.Link: "#8ab4f8",
    Role.LinkVisited: "#d7aefb",
    Role.PlaceholderText: "#a5a5ab",
    Role.ToolTipBase: "#3a3a3e",
    Role.ToolTipText: "#e9e9ec",
    Role.Light: "#4a4a4f",
    Role.Midlight: "#3d3d41",
    Role.Mid: "#4f4f54",
    Role.Dark: "#18181a",
    Role.Shadow: "#000000",
}
_DISABLED_TEXT = {Qt.ColorScheme.Light: "#8c8c90", Qt.ColorScheme.Dark: "#7c7c82"}

ERROR_COLOURS = {Qt.ColorScheme.Light: "#b3261e", Qt.ColorScheme.Dark: "#ff8a80"}
"""The red of a problem in each scheme (4.5:1 or better on the window and on a text box)."""

BACKGROUNDS = (Role.Window, Role.Base, Role.AlternateBase)
"""Where text is drawn; each pair the tests check is checked on each of these."""


def relative_luminance(colour: QColor) -> float:
    """WCAG 2's relative luminance of an sRGB colour (0 black, 1 white)."""

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * linear(colour.redF())
        + 0.7152 * linear(colour.greenF())
        + 0.0722 * linear(colour.blueF())
    )


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG 2's contrast ratio of two colours, from 1 (same) to 21 (black on white)."""
    la, lb = relative_luminance(a), relative_luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def palette_for(scheme: Qt.ColorScheme) -> QPalette:
    """Kith's palette for a light or a dark scheme (Unknown counts as light)."""
    dark = scheme == Qt.ColorScheme.Dark
    palette = QPalette()
    for role, colour in (_DARK if dark else _LIGHT).items():
        palette.setColor(role, QColor(colour))
    disabled = QColor(_DISABLED_TEXT[Qt.ColorScheme.Dark if dark else Qt.ColorScheme.Light])
    for role in (Role.WindowText, Role.Text, Role.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return palette


def error_colour(scheme: Qt.ColorScheme) -> QColor:
    """The red of a problem in this scheme."""
    return QColor(
        ERROR_COLOURS[
            Qt.ColorScheme.Dark if scheme == Qt.ColorScheme.Dark else Qt.ColorScheme.Light
        ]
    )


def scheme_of(choice: ThemeChoice, app: QGuiApplication) -> Qt.ColorScheme:
    """The scheme a choice means now (the system's: what the desktop says, light if unknown)."""
    if choice is ThemeChoice.DARK:
        return Qt.ColorScheme.Dark
    if choice is ThemeChoice.LIGHT:
        return Qt.ColorScheme.Light
    system = app.styleHints().colorScheme()
    return Qt.ColorScheme.Dark if system == Qt.ColorScheme.Dark else Qt.ColorScheme.Light


def mark_problem(widget: QWidget) -> None:
    """Draw this widget's text in the theme's problem red."""
    widget.setProperty(PROBLEM_PROPERTY, True)


def problem_rule(scheme: Qt.ColorScheme) -> str:
    """The one style rule that colours every widget `mark_problem` marked."""
    return f'*[{PROBLEM_PROPERTY}="true"] {{ color: {error_colour(scheme).name()}; }}'


class ThemeKeeper(QObject):
    """Applies the chosen theme to the application, and follows the desktop under "system"."""

    def __init__(self, app: QApplication, choice: ThemeChoice = ThemeChoice.SYSTEM) -> None:
        super().__init__(app)
        self._app = app
        self.choice = choice
        self.scheme = Qt.ColorScheme.Light
        app.styleHints().colorSchemeChanged.connect(self._desktop_changed)

    def apply(self, choice: ThemeChoice) -> Qt.ColorScheme:
        """Use this theme from now on; returns the scheme it shows."""
        self.choice = choice
        hints = self._app.styleHints()
        if choice is ThemeChoice.SYSTEM:
            hints.unsetColorScheme()
        else:
            # Tells the platform too, so that its own dialogs follow where it can.
            hints.setColorScheme(scheme_of(choice, self._app))
        self.scheme = scheme_of(choice, self._app)
        self._app.setStyle("Fusion")
        self._app.setPalette(palette_for(self.scheme))
        self._app.setStyleSheet(problem_rule(self.scheme))
        return self.scheme

    def _desktop_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self.choice is ThemeChoice.SYSTEM and scheme_of(self.choice, self._app) != self.scheme:
            self.apply(self.choice)


def theme_keeper() -> ThemeKeeper:
    """The application's ThemeKeeper, made on first use as the application's child.

    The theme belongs to the application (every window and dialog shares its palette), so the
    keeper hangs off the QApplication instead of being a global of Kith's own.
    """
    app = QApplication.instance()
    assert isinstance(app, QApplication), "a theme needs a QApplication"
    found = app.findChild(ThemeKeeper)
    return found if isinstance(found, ThemeKeeper) else ThemeKeeper(app)


def apply_saved_theme(choice: str) -> ThemeKeeper:
    """Apply the theme stored in the settings (at start, before the first window shows)."""
    keeper = theme_keeper()
    keeper.apply(ThemeChoice(choice) if choice in set(ThemeChoice) else ThemeChoice.SYSTEM)
    return keeper
