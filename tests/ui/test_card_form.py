"""The card's form: every field of a contact is shown and read back, and nothing is dropped."""

from __future__ import annotations

import dataclasses

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.core.domain.contact import Address, Contact, Email, Event, Name, Phone, Stage, Url
from app.core.domain.dates import PartialDate
from app.core.services.contacts import ContactService
from app.ui.contact_form import ContactForm
from app.ui.form_mapping import NOT_ON_FORM
from app.ui.main_window import MainWindow
from tests.ui.conftest import wait_idle
from tests.ui.test_detail_pane import open_contact, save


def add(qtbot: QtBot, window: MainWindow, contact: Contact) -> int:
    """Store a contact as another program would, and let the window hear of it."""
    change = window.ctx.contacts.add(contact)
    window.ctx.hub.publish(change)
    wait_idle(qtbot, window)
    return change.added[0]


def test_an_edit_keeps_the_po_box_and_extended_line(
    qtbot: QtBot, window: MainWindow, service: ContactService
) -> None:
    address = Address("work", "1 Quay St", "Leeds", "", "LS1 1AA", "UK", "PO Box 77", "Unit 4")
    cid = add(qtbot, window, Contact(name=Name(given="Po", family="Box"), addresses=[address]))
    open_contact(qtbot, window, cid)
    window.detail.form.fields["title"].setText("Harbour master")
    save(qtbot, window)
    stored = service.get(cid)
    assert stored is not None
    assert stored.title == "Harbour master"
    assert stored.addresses == [address]


def test_two_custom_fields_with_one_label_are_flagged_not_merged(
    qtbot: QtBot, window: MainWindow, service: ContactService, filled: list[int]
) -> None:
    open_contact(qtbot, window, filled[0])
    custom = window.detail.form.custom
    before = service.get(filled[0])
    assert before is not None
    qtbot.mouseClick(custom.add_button, Qt.MouseButton.LeftButton)
    custom.rows[1].label.setCurrentText("Referred by")
    custom.rows[1].parts["value"].setText("Someone else")
    assert "already called" in custom.rows[1].problem.text()
    assert not custom.rows[1].problem.isHidden()
    save(qtbot, window)
    assert window.detail.message.text().startswith("Not saved")
    after = service.get(filled[0])
    assert after is not None and after.custom == before.custom
    custom.rows[1].label.setCurrentText("Referred again")
    save(qtbot, window)
    after = service.get(filled[0])
    assert after is not None
    assert after.custom == {**before.custom, "Referred again": "Someone else"}


def test_an_event_whose_date_does_not_read_is_flagged_not_dropped(
    qtbot: QtBot, window: MainWindow, service: ContactService, filled: list[int]
) -> None:
    open_contact(qtbot, window, filled[0])
    events = window.detail.form.events
    qtbot.mouseClick(events.add_button, Qt.MouseButton.LeftButton)
    events.rows[0].label.setCurrentText("met")  # a label and no date
    assert events.rows[0].problem.text()
    save(qtbot, window)
    assert window.detail.message.text().startswith("Not saved")
    events.rows[0].parts["date"].setText("sometime in May")
    assert "Not a date" in events.rows[0].problem.text()
    save(qtbot, window)
    stored = service.get(filled[0])
    assert stored is not None and stored.events == []
    events.rows[0].parts["date"].setText("2021-05-03")
    save(qtbot, window)
    stored = service.get(filled[0])
    assert stored is not None and stored.events == [Event("met", PartialDate(2021, 5, 3))]


def test_display_as_sets_the_formatted_name(
    qtbot: QtBot, window: MainWindow, filled: list[int]
) -> None:
    open_contact(qtbot, window, filled[4])
    form = window.detail.form
    form.fields["formatted_name"].setText("Dr Bee (dentist)")
    assert form.read_into(Contact()).display_name == "Dr Bee (dentist)"
    save(qtbot, window)
    assert form.title_label.text() == "Dr Bee (dentist)"


def test_display_as_is_stored(
    qtbot: QtBot, window: MainWindow, service: ContactService, filled: list[int]
) -> None:
    open_contact(qtbot, window, filled[4])
    window.detail.form.fields["formatted_name"].setText("Dr Bee (dentist)")
    save(qtbot, window)
    stored = service.get(filled[4])
    assert stored is not None and stored.display_name == "Dr Bee (dentist)"


def test_tab_follows_the_form_and_leaves_notes(
    qtbot: QtBot, window: MainWindow, filled: list[int]
) -> None:
    open_contact(qtbot, window, filled[0])
    form = window.detail.form
    form.tags.setFocus()
    qtbot.keyClick(form.tags, Qt.Key.Key_Tab)
    focused = QApplication.focusWidget()
    assert focused is not form.notes
    assert form.emails.isAncestorOf(focused), focused
    form.notes.setFocus()
    before = form.notes.toPlainText()
    qtbot.keyClick(form.notes, Qt.Key.Key_Tab)
    assert form.notes.toPlainText() == before
    assert QApplication.focusWidget() is not form.notes
    chain = form.tab_chain()
    assert chain.index(form.tags) < chain.index(form.emails.rows[0].parts["value"])
    assert chain.index(form.custom.rows[0].parts["value"]) < chain.index(form.notes)


def test_the_form_maps_every_contact_field() -> None:
    on_form = {f.name for f in dataclasses.fields(Contact)} - NOT_ON_FORM
    assert {"formatted_name", "photo", "events", "custom", "addresses"} <= on_form


# The property: contact -> form -> contact is the identity, for hostile text in every field.

_ALPHABET = st.characters(
    blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\ufeff"
)
_HOSTILE = ",;\\\"'\t:=<>&?%"
text = st.one_of(
    st.text(_ALPHABET, max_size=30),
    st.sampled_from(["", 'Met, at conf; \\ "q"', "שלום עולם", "😀👍🏽", "x" * 500]),
    st.text(st.sampled_from(_HOSTILE + "ab 😀"), max_size=12),
).map(str.strip)
line = text.filter(lambda s: "\t" not in s)
notes = st.text(st.one_of(_ALPHABET, st.sampled_from("\n\t,;\\")), max_size=200)
value = line.filter(bool)
dates = st.builds(
    PartialDate,
    st.one_of(st.none(), st.integers(1000, 9999).filter(lambda y: y not in (1604, 1900))),
    st.integers(1, 12),
    st.integers(1, 28),
)


def _list(strategy: st.SearchStrategy[object]) -> st.SearchStrategy[list[object]]:
    return st.lists(strategy, max_size=3)


contacts = st.builds(
    Contact,
    name=st.builds(Name, line, line, line, line, line),
    formatted_name=line,
    nickname=line,
    emails=_list(st.builds(Email, value, line)),
    phones=_list(st.builds(Phone, value, st.just(""), line)),
    addresses=_list(st.builds(Address, line, value, line, line, line, line, line, line)),
    urls=_list(st.builds(Url, value, line)),
    org=line,
    department=line,
    title=line,
    birthday=st.one_of(st.none(), dates),
    anniversary=st.one_of(st.none(), dates),
    events=_list(st.builds(Event, line, dates)),
    notes=notes,
    tags=st.lists(value, max_size=4, unique=True),
    custom=st.dictionaries(value, line, max_size=4),
    photo=st.one_of(st.none(), st.binary(min_size=1, max_size=64)),
    photo_mime=st.sampled_from(["", "image/png", "image/jpeg"]),
    stage=st.one_of(st.none(), st.sampled_from(list(Stage))),
    favourite=st.booleans(),
    priority=st.integers(0, 3),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(contact=contacts)
def test_contact_to_form_to_contact_is_the_identity(qtbot: QtBot, contact: Contact) -> None:
    form = ContactForm(lambda: "GB", lambda _url: None)
    qtbot.addWidget(form)
    form.fill(contact)
    # Read into a contact holding only what the card does not show: everything else must come
    # from the card's fields.
    base = Contact(**{name: getattr(contact, name) for name in NOT_ON_FORM})
    assert set(form.field_problems()) <= {"emails"}  # generated emails need not be valid
    assert form.read_into(base) == contact


def test_an_edited_field_keeps_the_rest_of_a_hostile_contact(qtbot: QtBot) -> None:
    hostile = Contact(
        name=Name("Dr", 'Ann, "the" \\', "", "O'Brien; Jr", ""),
        formatted_name="Ann \u2067O'Brien\u2069 😀",
        addresses=[Address("home", "12 Main St, Suite 5", po_box="PO 9", extended="Flat 2")],
        tags=["a,b", 'q"uote', "client"],
        custom={"Ref": "x; y", "Ref2": ""},
        events=[Event("met", PartialDate(None, 2, 29))],
        notes="line one,\n\tindented; \\ end",
        department="long " * 10_000,  # past QLineEdit's default limit of 32,767
    )
    form = ContactForm(lambda: "GB", lambda _url: None)
    qtbot.addWidget(form)
    form.fill(hostile)
    form.fields["title"].setText("  Boss  ")
    read = form.read_into(dataclasses.replace(hostile))
    assert read == dataclasses.replace(hostile, title="Boss")
