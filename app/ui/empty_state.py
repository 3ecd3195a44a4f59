"""What the list shows instead of an empty table: what happened, and what to do next.

An empty address book offers the two ways in (import a phone's or Outlook's export, or add a
contact) and says that a file can be dropped here; a search that matches nothing says so, with
the words searched for and a way to clear them; an empty segment says it is empty.
"""

from __future__ import annotations

import enum

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class Emptiness(enum.Enum):
    """Why the list has no rows."""

    NO_CONTACTS = "no contacts"  # the address book itself is empty
    NO_MATCH = "no match"  # a search found nothing
    EMPTY_SEGMENT = "empty segment"  # a tag, smart segment or the trash has nobody in it


class EmptyState(QWidget):
    """The message and buttons in place of the table.

    Signals:
        import_requested: "Import from a phone or Outlook…" was clicked.
        add_requested: "Add a contact" was clicked.
        clear_search_requested: "Clear the search" was clicked.
    """

    import_requested = Signal()
    add_requested = Signal()
    clear_search_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("empty-state")
        self.kind = Emptiness.NO_CONTACTS
        self.title = QLabel(self)
        self.title.setObjectName("empty-title")
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # it may quote the search text
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.detail = QLabel(self)
        self.detail.setObjectName("empty-detail")
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail.setWordWrap(True)
        self.import_button = QPushButton("Import from a phone or Outlook…", self)
        self.import_button.setObjectName("empty-import")
        self.import_button.setToolTip("A .vcf file from a phone, or a .csv from Outlook or Google")
        self.add_button = QPushButton("Add a contact", self)
        self.add_button.setObjectName("empty-add")
        self.clear_button = QPushButton("Clear the search", self)
        self.clear_button.setObjectName("empty-clear")
        self.drop_hint = QLabel("or drop a .vcf or .csv file here", self)
        self.drop_hint.setObjectName("empty-drop")
        self.drop_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.drop_hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.import_button.clicked.connect(self.import_requested.emit)
        self.add_button.clicked.connect(self.add_requested.emit)
        self.clear_button.clicked.connect(self.clear_search_requested.emit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.import_button, self.add_button, self.clear_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.setSpacing(12)
        layout.addStretch(2)
        layout.addWidget(self.title)
        layout.addWidget(self.detail)
        layout.addLayout(buttons)
        layout.addWidget(self.drop_hint)
        layout.addStretch(3)
        self.show_kind(Emptiness.NO_CONTACTS)

    def show_kind(self, kind: Emptiness, search: str = "") -> None:
        """Say why the list is empty (`search`: the words searched for, for NO_MATCH)."""
        self.kind = kind
        if kind is Emptiness.NO_CONTACTS:
            self.title.setText("Your address book is empty")
            self.detail.setText(
                "Bring your contacts in from a phone (a .vcf file) or from Outlook or Google "
                "(a .csv file), or add the first one yourself."
            )
        elif kind is Emptiness.NO_MATCH:
            self.title.setText(f"Nothing matches “{search.strip()}”")
            self.detail.setText(
                "Search looks in names, companies, emails, phones, notes and tags. Check the "
                "spelling, try fewer words, or search all contacts."
            )
        else:
            self.title.setText("Nobody here yet")
            self.detail.setText("No contact is in this segment.")
        welcome = kind is Emptiness.NO_CONTACTS
        self.import_button.setVisible(welcome)
        self.add_button.setVisible(welcome)
        self.drop_hint.setVisible(welcome)
        self.clear_button.setVisible(kind is Emptiness.NO_MATCH)
