"""The card's text fields: commit when editing is finished, and undo only what was typed.

A field keeps the text it was filled with. What it reads back is that text exactly while the
user has not changed it (so an edit elsewhere never rewrites a value, even one with odd
spacing), and the typed text without surrounding spaces once they have.

Ctrl+Z in a field undoes the typing since the field took focus (or since its last commit);
with nothing of that left to undo, the shortcut goes on to the window's own Undo. So a field's
undo never reaches back into what an earlier contact or an earlier save put there.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

MAX_TEXT = 1 << 24
"""Longest text a line takes (QLineEdit's default of 32,767 would cut a long value)."""


def _is_undo(event: QEvent) -> bool:
    return (
        event.type() == QEvent.Type.ShortcutOverride
        and isinstance(event, QKeyEvent)
        and event.matches(QKeySequence.StandardKey.Undo)
    )


class FieldEdit(QLineEdit):
    """One line of a contact's text.

    Signals:
        committed: editing finished (Enter, or focus left): the time to save.
    """

    committed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMaxLength(MAX_TEXT)
        self._shown = ""
        self.editingFinished.connect(self._finish)

    def show_value(self, text: str) -> None:
        """Show `text` as the field's stored value (its undo history starts here)."""
        self._shown = text
        self.setText(text)  # setText also clears the undo history, even for the same text
        self.setCursorPosition(0)  # the start of a long value, not its end

    def untouched(self) -> bool:
        """Whether the text is still what `show_value` put there."""
        return self.text() == self._shown

    def value(self) -> str:
        """The stored value while untouched, else the typed text without surrounding spaces."""
        text = self.text()
        return text if text == self._shown else text.strip()

    def _forget_undo(self) -> None:
        cursor = self.cursorPosition()
        self.setText(self.text())  # the only way Qt offers to clear a line's undo history
        self.setCursorPosition(cursor)

    def _finish(self) -> None:
        self._forget_undo()  # what is committed is the window's to undo from now on
        self.committed.emit()

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        self._forget_undo()
        super().focusInEvent(event)

    def event(self, event: QEvent) -> bool:
        if _is_undo(event) and not self.isUndoAvailable():
            event.ignore()  # nothing typed to undo here: let the window's Undo have the key
            return False
        return super().event(event)


class NotesEdit(QPlainTextEdit):
    """The notes: several lines; Tab moves on to the next field instead of typing a tab.

    Signals:
        committed: focus left: the time to save.
    """

    committed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self._value = ""
        self._shown = ""

    def show_value(self, text: str) -> None:
        """Show `text` as the stored notes."""
        self._value = text
        if self.toPlainText() != text:
            self.setPlainText(text)
        self.document().clearUndoRedoStacks()
        # The editor turns \r and line separators into \n: compare with what it shows.
        self._shown = self.toPlainText()

    def value(self) -> str:
        """The stored notes while untouched, else the text as typed."""
        text = self.toPlainText()
        return self._value if text == self._shown else text

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        self.document().clearUndoRedoStacks()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusOutEvent(event)
        self.document().clearUndoRedoStacks()
        self.committed.emit()

    def event(self, event: QEvent) -> bool:
        if _is_undo(event) and not self.document().isUndoAvailable():
            event.ignore()
            return False
        return super().event(event)


class SearchEdit(QLineEdit):
    """A search box whose Ctrl+Z, with no typing of its own to undo, is the window's Undo."""

    def event(self, event: QEvent) -> bool:
        if _is_undo(event) and not self.isUndoAvailable():
            event.ignore()
            return False
        return super().event(event)
