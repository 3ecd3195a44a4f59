"""A contact added or edited through the card is checked for duplicates at once."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.domain.contact import Contact, Email, Name
from app.core.services.contacts import ContactService
from app.core.storage.database import Database
from app.ui.main_window import MainWindow
from tests.ui.conftest import wait_idle


def _type_new_contact(
    qtbot: QtBot, window: MainWindow, given: str, family: str, email: str
) -> None:
    window.new_contact()
    form = window.detail.form
    form.fields["given"].setText(given)
    form.fields["family"].setText(family)
    if not form.emails.rows:
        qtbot.mouseClick(form.emails.add_button, Qt.MouseButton.LeftButton)
    form.emails.rows[0].parts["value"].setText(email)


def test_adding_a_duplicate_through_the_card_says_so_in_the_status_bar(
    qtbot: QtBot,
    make_window: Callable[[Database], MainWindow],
    db: Database,
    service: ContactService,
    filled: list[int],
) -> None:
    service.add(
        Contact(name=Name(given="Ann", family="Leeworth"), emails=[Email("ann.l@example.org")])
    )
    window = make_window(db)
    window.duplicates.stale = False  # as after a scan: the check must make it old
    _type_new_contact(qtbot, window, "Anne", "Leeworth", "ANN.L@example.org")
    # The card is saved as the name is typed, then with the email: in a book of forty-odd,
    # "Anne Leeworth" beside "Ann Leeworth" is already a likely duplicate by name alone, and
    # the email makes it surer. Wait for the sentence that names it.
    with qtbot.waitSignal(
        window.duplicates.suspected, timeout=10000, check_params_cb=lambda s: "email" in s
    ) as said:
        window.detail.flush()
    sentence = said.args[0]
    assert sentence.startswith("Anne Leeworth may be the same person as Ann Leeworth")
    assert "same email ann.l@example.org" in sentence
    assert "Review duplicates" in sentence
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == sentence)
    assert window.duplicates.stale


def test_adding_a_stranger_says_nothing_of_duplicates(
    qtbot: QtBot, window: MainWindow, filled: list[int]
) -> None:
    window.duplicates.stale = False
    seen: list[str] = []
    window.duplicates.suspected.connect(seen.append)
    _type_new_contact(qtbot, window, "Quintus", "Ambervale", "quintus@example.net")
    with qtbot.waitSignal(window.duplicates.checked, timeout=10000):
        window.detail.flush()
    wait_idle(qtbot, window)
    assert seen == []
    assert not window.duplicates.stale
    assert "may be the same person" not in window.statusBar().currentMessage()
