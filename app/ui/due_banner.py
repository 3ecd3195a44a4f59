"""Where no system tray shows, the reminders due today or overdue appear in a banner.

The tray is how Kith tells the user of a birthday or a follow-up; a desktop without one
(some tiling window managers, GNOME without its extension) would never hear of them. The
banner sits above the panes, names what is due, and offers the "Due" segment; it hides when
nothing is due or when the user dismisses it (until something new is due).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from app.ui.tray import DueItem

SHOWN = 3
"""Reminders named in the banner; the rest are counted."""


def banner_text(items: Sequence[DueItem], today: date) -> str:
    """ "Due today: Ann Lee's birthday (turns 42); 1 overdue", naming the first few."""
    now = [i for i in items if i.due == today]
    late = [i for i in items if i.due < today]
    named = [i.label for i in (now or late)[:SHOWN]]
    more = len(now or late) - len(named)
    text = ("Due today: " if now else "Overdue: ") + "; ".join(named)
    if more:
        text += f"; and {more} more"
    if now and late:
        text += f" · {len(late)} overdue"
    return text


class DueBanner(QFrame):
    """A strip naming the reminders due, with Show (the Due segment) and Dismiss.

    Args:
        show_due: called by Show (the window chooses its "Due" segment).
        tray_shown: whether the tray icon is showing now; where it is, the tray tells the user
            and the banner stays hidden.
    """

    def __init__(
        self, show_due: Callable[[], None], tray_shown: Callable[[], bool], parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.setObjectName("due-banner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._tray_shown = tray_shown
        self._dismissed: frozenset[str] = frozenset()
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.show_button = QPushButton("Show", self)
        self.show_button.clicked.connect(show_due)
        self.dismiss_button = QPushButton("Dismiss", self)
        self.dismiss_button.clicked.connect(self._dismiss)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(self.text, 1)
        row.addWidget(self.show_button)
        row.addWidget(self.dismiss_button)
        self._ids: frozenset[str] = frozenset()
        self.hide()

    def set_due(self, items: Sequence[DueItem], today: date) -> None:
        """Show what is due (called by the reminder scheduler at each check)."""
        self._ids = frozenset(i.id for i in items)
        if not items or self._tray_shown() or self._ids <= self._dismissed:
            self.hide()
            return
        self.text.setText(banner_text(items, today))
        self.show()

    def _dismiss(self) -> None:
        # Until something new is due: the same reminders do not bring the banner back.
        self._dismissed = self._ids
        self.hide()
