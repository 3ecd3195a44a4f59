"""First run, unlock and change of passphrase, as the window does them."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core.errors import UserFacingError
from app.core.paths import database_path
from app.core.services.session import ASK_PASSPHRASE, open_or_create, unlock
from app.core.storage.database import try_open
from app.core.storage.keys import KeyStore, passphrase_key
from app.ui.main_window import MainWindow
from app.ui.unlock_dialog import NO_KEYRING, WRONG, PassphraseDialog, open_database
from tests.conftest import PASSPHRASE
from tests.ui.conftest import wait_idle


class MemoryKeyring:
    """A keyring that counts as secure (tests only): secrets in a dict."""

    priority = 5

    def __init__(self) -> None:
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, account: str) -> str | None:
        return self.secrets.get((service, account))

    def set_password(self, service: str, account: str, secret: str) -> None:
        self.secrets[(service, account)] = secret

    def delete_password(self, service: str, account: str) -> None:
        self.secrets.pop((service, account), None)


class Answers:
    """An `Ask` that gives the answers it was made with and records what it was asked."""

    def __init__(self, *answers: str | None) -> None:
        self.answers = list(answers)
        self.asked: list[tuple[bool, str]] = []

    def __call__(self, new: bool, message: str) -> str | None:
        self.asked.append((new, message))
        return self.answers.pop(0)


def test_first_run_without_a_keyring_explains_and_asks_for_a_passphrase(tmp_path: Path) -> None:
    path = tmp_path / "kith.db"
    ask = Answers("s3cret")
    db = open_database(path, KeyStore(), ask)
    assert db is not None
    db.close()
    assert ask.asked == [(True, NO_KEYRING)]
    assert "Nobody can recover it" in NO_KEYRING


def test_a_wrong_passphrase_says_so_and_lets_the_user_retry(db_path: Path) -> None:
    ask = Answers("wrong", "", PASSPHRASE)
    db = open_database(db_path, KeyStore(), ask)
    assert db is not None
    db.close()
    assert [m for _, m in ask.asked][1:] == [WRONG, WRONG]
    assert not any(new for new, _ in ask.asked)


def test_giving_up_opens_nothing(db_path: Path) -> None:
    assert open_database(db_path, KeyStore(), Answers(None)) is None


def test_with_a_secure_keyring_start_is_silent(tmp_path: Path) -> None:
    keyring = MemoryKeyring()
    path = tmp_path / "kith.db"
    ask = Answers()
    first = open_database(path, KeyStore(keyring), ask)
    assert first is not None
    first.close()
    again = open_database(path, KeyStore(keyring), ask)
    assert again is not None
    again.close()
    assert ask.asked == []
    assert len(keyring.secrets) == 1


def test_database_path_follows_arg_then_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KITH_DB", str(tmp_path / "env.db"))
    assert database_path(str(tmp_path / "arg.db")) == tmp_path / "arg.db"
    assert database_path(None) == tmp_path / "env.db"


def test_new_passphrase_dialog_wants_the_same_twice(qtbot: QtBot) -> None:
    dialog = PassphraseDialog(True, "Choose one")
    qtbot.addWidget(dialog)
    dialog.first.setText("one")
    dialog.second.setText("two")
    dialog.accept()
    assert "differ" in dialog.problem.text()
    assert dialog.result() == 0
    dialog.second.setText("one")
    dialog.accept()
    assert dialog.result() == 1
    assert dialog.passphrase() == "one"


def test_change_passphrase_rekeys_the_database(
    qtbot: QtBot, window: MainWindow, db_path: Path
) -> None:
    window.transfer.set_passphrase("a new passphrase")
    wait_idle(qtbot, window)
    assert window.statusBar().currentMessage() == "The passphrase is changed."
    assert window.ctx.contacts.count(window.list.query()) == 40  # still usable
    assert try_open(db_path, passphrase_key(PASSPHRASE)) is None
    reopened = try_open(db_path, passphrase_key("a new passphrase"))
    assert reopened is not None
    reopened.close()


def test_the_terminal_and_the_window_unlock_through_one_core(db_path: Path) -> None:
    # The command line asks three times and stops with the sentence; the window, through the
    # same decisions, keeps asking until the passphrase is right or the user gives up.
    asked: list[bool] = []

    def terminal(new: bool) -> str:
        asked.append(new)
        return "wrong"

    with pytest.raises(UserFacingError, match="Wrong passphrase"):
        unlock(db_path, KeyStore(), prompt=terminal)
    assert asked == [False, False, False]
    ask = Answers("wrong", "wrong", "wrong", "wrong", PASSPHRASE)
    db = open_or_create(db_path, KeyStore(), ask)
    assert db is not None
    db.close()
    assert [m for _, m in ask.asked] == [ASK_PASSPHRASE] + [WRONG] * 4
