"""First run and unlock: create the database, or open it with the keyring key or a passphrase."""

from __future__ import annotations

from collections.abc import Callable
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

from app.core.errors import UserFacingError
from app.core.services.session import (
    Database,
    DatabaseKey,
    KeyStore,
    passphrase_from_env,
    passphrase_key,
    try_open,
)

Ask = Callable[[bool, str], str | None]
"""Asks for a passphrase: (choosing a new one?, a message to show) -> it, or None to give up."""

NO_KEYRING = (
    "Kith keeps your contacts in an encrypted file. No secure keyring (such as GNOME Keyring "
    "or KWallet) is available to hold its key, so choose a passphrase instead. You will type "
    "it each time Kith starts. Nobody can recover it if you forget it."
)
ASK_PASSPHRASE = "Your contacts are locked with a passphrase. Type it to open them."
WRONG = "That passphrase does not open this database. Check it and try again."


def open_database(path: Path, key_store: KeyStore, ask: Ask) -> Database | None:
    """Create or unlock the database at `path`; None when the user gives up.

    Raises:
        UserFacingError: the file is not a Kith database, cannot be created, or the like.
    """
    if not path.exists():
        return _create(path, key_store, ask)
    message = ASK_PASSPHRASE
    try:
        raw = key_store.load(path)
    except UserFacingError as exc:
        raw, message = None, f"{exc}\n\n{ASK_PASSPHRASE}"
    if raw is not None and (db := try_open(path, DatabaseKey(raw=raw))) is not None:
        return db
    env = passphrase_from_env()
    if env and (db := try_open(path, passphrase_key(env))) is not None:
        return db
    while True:
        passphrase = ask(False, message)
        if passphrase is None:
            return None
        if passphrase and (db := try_open(path, passphrase_key(passphrase))) is not None:
            return db
        message = WRONG


def _create(path: Path, key_store: KeyStore, ask: Ask) -> Database:
    message = NO_KEYRING
    if key_store.available():
        try:
            raw = key_store.create(path)
        except UserFacingError as exc:
            message = f"{exc}\n\n{NO_KEYRING}"
        else:
            try:
                return Database.create(path, DatabaseKey(raw=raw))
            except BaseException:
                key_store.forget(path)
                raise
    env = passphrase_from_env()
    if env:
        return Database.create(path, passphrase_key(env))
    while True:
        passphrase = ask(True, message)
        if passphrase is None:
            raise UserFacingError("No database was created; Kith needs one to start.")
        try:
            return Database.create(path, passphrase_key(passphrase))
        except UserFacingError as exc:
            if path.exists():
                raise
            message = str(exc)


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
        self.problem.setStyleSheet("color: #c0392b")
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
