"""The passphrase dialog of first run and unlock; what to do with the answer is the core's."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.services.session import (
    ASK_PASSPHRASE,
    NO_KEYRING,
    WRONG,
    Ask,
    Database,
    KeyStore,
    open_or_create,
    passphrase_from_env,
)
from app.ui.theme import mark_problem

__all__ = [
    "ASK_PASSPHRASE",
    "NO_KEYRING",
    "WRONG",
    "Ask",
    "PassphraseDialog",
    "ask_with_dialog",
    "open_database",
]


def open_database(path: Path, key_store: KeyStore, ask: Ask) -> Database | None:
    """Create or unlock the database at `path`, asking with `ask`; None when the user gives up.

    The decisions (keyring or passphrase, first run, asking again) are the core's
    (`app.core.services.session.open_or_create`); the window only asks and shows the sentence.

    Raises:
        UserFacingError: the file is not a Kith database, cannot be created, or the like.
    """
    return open_or_create(path, key_store, ask, passphrase=passphrase_from_env())


class PassphraseDialog(QDialog):
    """Asks for a passphrase, or for a new one twice; says what went wrong in the dialog."""

    def __init__(
        self, new: bool, message: str, title: str = "Kith", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(440)
        self._new = new
        self.message = QLabel(message, self)
        self.message.setWordWrap(True)
        self.first = QLineEdit(self)
        self.first.setEchoMode(QLineEdit.EchoMode.Password)
        self.second = QLineEdit(self)
        self.second.setEchoMode(QLineEdit.EchoMode.Password)
        self.problem = QLabel(self)
        mark_problem(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("New passphrase" if new else "Passphrase", self.first)
        if new:
            form.addRow("Type it again", self.second)
        else:
            self.second.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def passphrase(self) -> str:
        """What was typed."""
        return self.first.text()

    def accept(self) -> None:
        """Close only with a passphrase (typed the same twice when it is new)."""
        if not self.first.text():
            self.problem.setText("Type a passphrase.")
        elif self._new and self.first.text() != self.second.text():
            self.problem.setText("The two passphrases differ; type them again.")
        else:
            super().accept()


def ask_with_dialog(new: bool, message: str) -> str | None:
    """An `Ask` that shows a PassphraseDialog."""
    dialog = PassphraseDialog(new, message)
    return dialog.passphrase() if dialog.exec() == QDialog.DialogCode.Accepted else None
