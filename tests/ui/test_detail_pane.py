"""The detail pane: editing in place, validation beside the fields, links, saving, undo."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.services.contacts import ContactService
from app.ui.main_window import MainWindow
from tests.ui.conftest import wait_idle


def open_contact(qtbot: QtBot, window: MainWindow, contact_id: int, *, edit: bool = True) -> None:
    """Choose the contact in the list; then, unless `edit` is False, press its Edit button."""
    assert window.list.select_id(contact_id)
    qtbot.waitUntil(lambda: window.detail.contact_id == contact_id)
    wait_idle(qtbot, window)
    if edit and not window.detail.editing:
        qtbot.mouseClick(window.detail.reader.edit_button, Qt.MouseButton.LeftButton)
        assert window.detail.editing


def save(qtbot: QtBot, window: MainWindow) -> None:
    window.detail.flush()
    wait_idle(qtbot, window)


def test_choosing_a_contact_shows_its_card(
    qtbot: QtBot, window: MainWindow, service: ContactService, filled: list[int]
) -> None:
    open_contact(qtbot, window, filled[5])
    contact = service.get(filled[5])
    assert contact is not None
    form = window.detail.form
    assert form.fields["given"].text() == contact.name.given
    assert form.title_label.text() == contact.display_name
    assert [r.values()["value"] for r in form.emails.rows] == [e.value for e in contact.emails]
    assert form.birthday.text() == (contact.birthday.iso() if contact.birthday else "")
    assert form.custom.rows[0].values()["label"] == "Referred by"


def test_an_edit_is_saved_and_can_be_undone(
    qtbot: QtBot, window: MainWindow, service: ContactService, filled: list[int]
) -> None:
    open_contact(qtbot, window, filled[0])
    form = window.detail.form
    form.fields["title"].setText("Chief Gardener")
    form.birthday.setText("--02-29")
    assert window.detail.dirty
    save(qtbot, window)
    stored = service.get(filled[0])
    assert stored is not None
    assert stored.title == "Chief Gardener"
    assert stored.birthday is not None and stored.birthday.year is None
    window.undo()
    wait_idle(qtbot, window)
    stored = service.get(filled[0])
    assert stored is not None and stored.title != "Chief Gardener"
    qtbot.waitUntil(lambda: form.fields["title"].text() == stored.title)


def test_problems_show_beside_the_field_and_stop_the_save(
    qtbot: QtBot, window: MainWindow, service: ContactService, filled: list[int]
) -> None:
    open_contact(qtbot, window, filled[1])
    form = window.detail.form
    form.emails.rows[0].parts["value"].setText("not-an-address")
    row = form.emails.rows[0]
    assert row.problem.text() == "Not an email address."
    assert not row.problem.isHidden()
    form.birthday.setText("31st of Smarch")
    assert "Not a date" in form.date_problems[form.birthday].text()
    save(qtbot, window)
    assert window.detail.message.text().startswith("Not saved")
    stored = service.get(filled[1])
    assert stored is not None and stored.emails[0].value != "not-an-address"
    # A phone the region cannot read only warns; it does not stop the save.
    form.emails.rows[0].parts["value"].setText("fixed@example.org")
    form.birthday.setText("")
    form.phones.rows[0].parts["value"].setText("12")
    assert form.phones.rows[0].problem.text()
    save(qtbot, window)
    stored = service.get(filled[1])
    assert stored is not None
    assert (stored.emails[0].value, stored.phones[0].value) == ("fixed@example.org", "12")


def test_rows_are_added_reordered_and_removed(
    qtbot: QtBot, window: MainWindow, service: ContactService, filled: list[int]
) -> None:
    open_contact(qtbot, window, filled[2])
    emails = window.detail.form.emails
    first = emails.rows[0].values()["value"]
    qtbot.mouseClick(emails.add_button, Qt.MouseButton.LeftButton)
    emails.rows[1].parts["value"].setText("second@example.org")
    emails.rows[1].label.setCurrentText("home")
    qtbot.mouseClick(emails.rows[1].up, Qt.MouseButton.LeftButton)
    save(qtbot, window)
    stored = service.get(filled[2])
    assert stored is not None
    assert [(e.value, e.label) for e in stored.emails] == [
        ("second@example.org", "home"),
        (first, "work"),
    ]
    qtbot.mouseClick(emails.rows[0].remove, Qt.MouseButton.LeftButton)
    save(qtbot, window)
    stored = service.get(filled[2])
    assert stored is not None and [e.value for e in stored.emails] == [first]


def test_email_and_phone_open_through_the_desktop(
    qtbot: QtBot, window: MainWindow, filled: list[int], opened_urls: list[str]
) -> None:
    open_contact(qtbot, window, filled[3])
    form = window.detail.form
    email_button, phone_button = form.emails.rows[0].open, form.phones.rows[0].open
    assert email_button is not None and phone_button is not None
    qtbot.mouseClick(email_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(phone_button, Qt.MouseButton.LeftButton)
    assert opened_urls[0] == f"mailto:{form.emails.rows[0].values()['value']}"
    assert opened_urls[1].startswith("tel:+4420")


def test_new_contact_is_stored_once_it_has_a_name(
    qtbot: QtBot, window: MainWindow, service: ContactService
) -> None:
    window.new_contact()
    form = window.detail.form
    form.fields["title"].setText("Pilot")  # a job title alone does not name a contact
    save(qtbot, window)
    assert "type a name" in window.detail.message.text()
    form.fields["given"].setText("Zelda")
    form.fields["family"].setText("Quill")
    form.tags.setText("client, new-tag")
    save(qtbot, window)
    new_id = window.detail.contact_id
    assert new_id is not None
    stored = service.get(new_id)
    assert stored is not None
    assert (stored.display_name, stored.tags) == ("Zelda Quill", ["client", "new-tag"])
    qtbot.waitUntil(lambda: window.list.current_id() == new_id)
