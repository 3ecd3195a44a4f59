"""The read card: what it shows, its links, and the way to the form and back."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

from faker import Faker
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from pytestqt.qtbot import QtBot

from app.core.clock import SYSTEM_CLOCK, FixedClock
from app.core.domain import interaction
from app.core.domain.contact import Contact, Email, Name, Phone, Url
from app.core.domain.dates import PartialDate
from app.core.services import interactions
from app.core.services.contacts import ContactService
from app.core.storage.database import Database
from app.ui.avatar import PALETTE, avatar, colour_for, initials
from app.ui.card_text import HEADER, ago, card_rows, web_url
from app.ui.card_view import CardView
from app.ui.form_mapping import FORM_FIELDS, Kind
from app.ui.log_dialog import InteractionLogger
from app.ui.main_window import MainWindow
from app.ui.theme import contrast_ratio
from tests.conftest import make_contact
from tests.ui.conftest import answer_next_question, wait_idle
from tests.ui.test_detail_pane import open_contact

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


def _reader(qtbot: QtBot, opened: list[str] | None = None) -> CardView:
    seen = opened if opened is not None else []
    view = CardView(FixedClock(NOW), seen.append)
    qtbot.addWidget(view)
    view.resize(520, 700)
    view.show()
    return view


def _texts(view: CardView) -> list[str]:
    return [row.text for row in view.rows]


# What the card shows


def test_choosing_a_contact_opens_its_read_card(
    qtbot: QtBot, window: MainWindow, service: ContactService, filled: list[int]
) -> None:
    open_contact(qtbot, window, filled[5], edit=False)
    contact = service.get(filled[5])
    assert contact is not None
    detail = window.detail
    assert not detail.editing and detail.read_page.isVisible() and not detail.card.isVisible()
    reader = detail.reader
    assert reader.name.text() == contact.display_name
    assert contact.org in reader.subtitle.text() and contact.title in reader.subtitle.text()
    texts = _texts(reader)
    for value in [e.value for e in contact.emails] + [p.value for p in contact.phones]:
        assert value in texts
    assert contact.notes in texts
    assert contact.custom["Referred by"] in texts
    assert not reader.avatar.pixmap().isNull()


def test_only_filled_fields_are_shown(qtbot: QtBot) -> None:
    view = _reader(qtbot)
    view.show_contact(Contact(name=Name(given="Ada"), emails=[Email("ada@example.org", "work")]))
    assert [(r.field, r.label, r.text) for r in view.rows] == [
        ("emails", "work", "ada@example.org")
    ]
    assert not view.subtitle.isVisible()


def test_every_filled_field_has_a_row_derived_from_the_model(fake: Faker) -> None:
    """A field the model gains shows on the read card without being listed here."""
    for n in range(30):
        contact = make_contact(fake, n)
        contact.anniversary = PartialDate(2001, 5, 5)
        shown = {row.field for row in card_rows(contact, NOW.date())}
        for name, kind in FORM_FIELDS.items():
            if name in HEADER or kind in (Kind.PHOTO, Kind.STAGE, Kind.FLAG):
                continue
            value = getattr(contact, name)
            assert (name in shown) == bool(value), name


def test_ages_and_years_are_counted_from_the_clock(qtbot: QtBot) -> None:
    view = _reader(qtbot)
    contact = Contact(
        name=Name(given="Ben"),
        birthday=PartialDate(1990, 6, 16),  # tomorrow: still 35
        anniversary=PartialDate(2016, 6, 15),  # today: 10 years
    )
    view.show_contact(contact)
    assert "16 June 1990 (age 35)" in _texts(view)
    assert "15 June 2016 (10 years)" in _texts(view)
    view.show_contact(dataclasses.replace(contact, birthday=PartialDate(None, 2, 29)))
    assert "29 February" in _texts(view)


def test_never_contacted_says_so_and_ages_read_naturally(qtbot: QtBot) -> None:
    view = _reader(qtbot)
    view.show_contact(Contact(name=Name(given="Cy")))
    assert view.last_contacted.text() == "Not contacted yet"
    assert view.entries == []
    assert ago(datetime(2026, 6, 3, tzinfo=UTC), NOW) == "12 days ago"
    assert ago(datetime(2024, 6, 1, tzinfo=UTC), NOW) == "2 years ago"
    assert ago(datetime(2026, 6, 14, 23, 0, tzinfo=UTC), NOW) == "yesterday"
    assert ago(datetime(2026, 2, 1, tzinfo=UTC), NOW) == "4 months ago"


def test_the_timeline_lists_interactions_newest_first(qtbot: QtBot) -> None:
    kinds = interaction.InteractionKind
    logged = [
        interaction.Interaction("1", kinds.CALL, datetime(2026, 6, 3, 10, 0, tzinfo=UTC), "Quote"),
        interaction.Interaction("2", kinds.NOTE, datetime(2026, 6, 10, tzinfo=UTC), "Likes tea"),
        interaction.Interaction("3", kinds.EMAIL, datetime(2026, 5, 1, tzinfo=UTC), "Invoice"),
    ]
    view = _reader(qtbot)
    view.show_contact(Contact(name=Name(given="Cy"), interactions=logged))  # type: ignore[call-arg]
    assert [e.summary for e in view.entries] == ["Likes tea", "Quote", "Invoice"]
    assert [e.kind for e in view.entries] == ["note", "call", "email"]
    # a note is written about someone, not to them: the call 12 days ago is the last contact
    assert view.last_contacted.text() == "Last contacted 12 days ago"


def test_coming_up_shows_the_reminders_it_is_given(qtbot: QtBot) -> None:
    @dataclasses.dataclass(frozen=True)
    class Due:
        due: date
        label: str
        id: str = "birthday:1:2026-06-17"

    view = _reader(qtbot)
    view.show_contact(Contact(name=Name(given="Di")))
    assert not view.coming_up.isVisible()
    view.set_upcoming([Due(date(2026, 6, 17), "Di turns 30")])
    assert view.coming_up.isVisible()
    assert view.upcoming_texts() == ["Wed 17 June 2026 — Di turns 30"]
    view.set_upcoming([])
    assert not view.coming_up.isVisible()


def test_email_phone_and_web_links_open_and_nothing_else_does(qtbot: QtBot) -> None:
    opened: list[str] = []
    view = _reader(qtbot, opened)
    view.show_contact(
        Contact(
            name=Name(given="Dee"),
            emails=[Email("dee@example.org", "home"), Email("x@y.example?attach=/etc/passwd")],
            phones=[Phone("+44 20 7946 0000", label="work")],
            urls=[Url("example.org/dee"), Url("javascript:alert(1)")],
        )
    )
    for link in view.links:
        qtbot.mouseClick(link, Qt.MouseButton.LeftButton)
    assert opened[0] == "mailto:dee@example.org"
    assert opened[1].startswith("mailto:x@y.example") and "?" not in opened[1]  # no query
    assert opened[2:] == ["tel:+442079460000", "https://example.org/dee"]
    assert not any(url.startswith("javascript") for url in opened)
    # the values that are no safe link are still shown, as text
    assert "javascript:alert(1)" in _texts(view)
    assert web_url("http://") is None and web_url("ftp://example.org") is None


def test_avatar_is_the_photo_else_initials_on_a_colour_of_the_name(qtbot: QtBot) -> None:
    assert initials("Ada King Lovelace") == "AL"
    assert initials("Smith & Co") == "SC"
    assert initials("") == ""
    assert colour_for("Ada Lovelace") == colour_for("  ada   LOVELACE ")
    colours = {colour_for(f"Person {n}").name() for n in range(200)}
    assert len(colours) == len(PALETTE)  # names spread over every colour
    for hex_colour in PALETTE:  # white initials, drawn large and bold, need 3:1
        assert contrast_ratio(QColor(hex_colour), QColor("#ffffff")) >= 3.0, hex_colour
    drawn = avatar("Ada Lovelace", None, 64).toImage()
    assert drawn.pixelColor(32, 6) == colour_for("Ada Lovelace")  # inside the circle, no text
    assert drawn.pixelColor(1, 1).alpha() == 0  # outside it
    photo = QImage(40, 20, QImage.Format.Format_RGB32)
    photo.fill(QColor("#123456"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    photo.save(buffer, "PNG")
    drawn = avatar("Ada Lovelace", bytes(data.data()), 64).toImage()
    assert drawn.pixelColor(32, 32) == QColor("#123456")
    fallback = avatar("Ada Lovelace", b"not a picture", 64).toImage()
    assert fallback.pixelColor(32, 6) == colour_for("Ada Lovelace")


# From the card to the form and back


def test_edit_button_then_escape_saves_and_returns(
    qtbot: QtBot, window: MainWindow, service: ContactService, filled: list[int]
) -> None:
    open_contact(qtbot, window, filled[0], edit=False)
    detail = window.detail
    qtbot.mouseClick(detail.reader.edit_button, Qt.MouseButton.LeftButton)
    assert detail.editing and detail.card.isVisible()
    title = detail.form.fields["title"]
    assert title.hasFocus() or detail.form.fields["given"].hasFocus()
    title.setFocus()
    title.selectAll()
    qtbot.keyClicks(title, "Harbour master")
    qtbot.keyClick(title, Qt.Key.Key_Escape)
    assert not detail.editing
    wait_idle(qtbot, window)
    stored = service.get(filled[0])
    assert stored is not None and stored.title == "Harbour master"
    assert "Harbour master" in detail.reader.subtitle.text()


def test_enter_and_double_click_on_the_card_edit_done_returns(
    qtbot: QtBot, window: MainWindow, service: ContactService, filled: list[int]
) -> None:
    open_contact(qtbot, window, filled[1], edit=False)
    detail = window.detail
    detail.reader.setFocus()
    qtbot.keyClick(detail.reader, Qt.Key.Key_Return)
    assert detail.editing
    detail.form.fields["nickname"].setText("Dot")
    qtbot.mouseClick(detail.done_button, Qt.MouseButton.LeftButton)
    assert not detail.editing
    assert detail.reader.nickname.text() == "“Dot”"
    wait_idle(qtbot, window)
    stored = service.get(filled[1])
    assert stored is not None and stored.nickname == "Dot"
    qtbot.mouseDClick(detail.reader.name, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert detail.editing


def test_enter_or_double_click_in_the_list_edits(
    qtbot: QtBot, window: MainWindow, filled: list[int]
) -> None:
    open_contact(qtbot, window, filled[2], edit=False)
    window.list.table.setFocus()
    qtbot.keyClick(window.list.table, Qt.Key.Key_Return)
    assert window.detail.editing
    qtbot.keyClick(window.detail.form.fields["given"], Qt.Key.Key_Escape)
    assert not window.detail.editing
    index = window.list.table.currentIndex()
    rect = window.list.table.visualRect(index)
    viewport = window.list.table.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.detail.editing


def test_escape_with_a_problem_asks_and_keep_editing_stays(
    qtbot: QtBot, window: MainWindow, service: ContactService, filled: list[int]
) -> None:
    before = service.get(filled[3])
    assert before is not None
    open_contact(qtbot, window, filled[3])
    detail = window.detail
    detail.form.fields["title"].setText("Kept")
    detail.form.birthday.setText("not a date")
    seen: list[str] = []
    answer_next_question(qtbot, "Keep editing", seen)
    assert not detail.done_editing()
    assert seen and detail.editing and detail.form.birthday.text() == "not a date"
    answer_next_question(qtbot, "Save the rest", seen)
    assert detail.done_editing()
    assert not detail.editing
    wait_idle(qtbot, window)
    stored = service.get(filled[3])
    assert stored is not None and stored.title == "Kept" and stored.birthday == before.birthday
    # the card and the form show what was stored, not the refused date
    assert detail.form.birthday.text() == (before.birthday.iso() if before.birthday else "")
    assert "not a date" not in " ".join(_texts(detail.reader))


def test_discarding_shows_the_stored_contact(
    qtbot: QtBot, window: MainWindow, service: ContactService, filled: list[int]
) -> None:
    before = service.get(filled[4])
    assert before is not None
    open_contact(qtbot, window, filled[4])
    detail = window.detail
    detail.form.fields["title"].setText("Dropped")
    detail.form.emails.rows[0].parts["value"].setText("broken@")
    seen: list[str] = []
    answer_next_question(qtbot, "Discard changes", seen)
    assert detail.done_editing()
    wait_idle(qtbot, window)
    assert service.get(filled[4]) == before
    assert before.title in detail.reader.subtitle.text()
    assert detail.form.fields["title"].text() == before.title


def test_a_new_contact_opens_in_the_form_and_reads_after_done(
    qtbot: QtBot, window: MainWindow, service: ContactService
) -> None:
    window.new_contact()
    detail = window.detail
    assert detail.editing and detail.form.fields["given"].hasFocus()
    detail.form.fields["given"].setText("Nell")
    detail.form.fields["org"].setText("Lighthouse Ltd")
    qtbot.keyClick(detail.form.fields["org"], Qt.Key.Key_Escape)
    assert not detail.editing
    assert detail.reader.name.text() == "Nell"
    assert detail.reader.subtitle.text() == "Lighthouse Ltd"
    wait_idle(qtbot, window)
    new_id = detail.contact_id
    assert new_id is not None
    stored = service.get(new_id)
    assert stored is not None and stored.org == "Lighthouse Ltd"
    qtbot.waitUntil(lambda: window.list.current_id() == new_id)


def test_a_new_contact_left_without_a_name_is_not_kept(
    qtbot: QtBot, window: MainWindow, service: ContactService, filled: list[int]
) -> None:
    before = service.count(window.list.query())
    window.new_contact()
    window.detail.form.fields["title"].setText("Nobody")
    assert window.detail.done_editing()
    wait_idle(qtbot, window)
    assert window.detail.contact_id is None and window.detail.empty.isVisible()
    assert service.count(window.list.query()) == before


def test_another_contact_opens_on_its_read_card_after_saving_the_form(
    qtbot: QtBot, window: MainWindow, service: ContactService, filled: list[int]
) -> None:
    open_contact(qtbot, window, filled[6])
    window.detail.form.fields["department"].setText("Harbour")
    open_contact(qtbot, window, filled[7], edit=False)
    assert not window.detail.editing
    stored = service.get(filled[6])
    assert stored is not None and stored.department == "Harbour"


def test_an_undo_while_reading_refreshes_the_card(
    qtbot: QtBot, window: MainWindow, service: ContactService, filled: list[int]
) -> None:
    before = service.get(filled[8])
    assert before is not None
    open_contact(qtbot, window, filled[8])
    window.detail.form.fields["title"].setText("Temporary")
    window.detail.done_editing()
    wait_idle(qtbot, window)
    window.undo()
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: "Temporary" not in window.detail.reader.subtitle.text())
    assert not window.detail.editing
    assert before.title in window.detail.reader.subtitle.text()


def test_dim_text_on_the_card_is_readable(qtbot: QtBot) -> None:
    view = _reader(qtbot)
    view.show_contact(Contact(name=Name(given="Eve"), emails=[Email("eve@example.org", "home")]))
    (label,) = view.labels
    assert label.text() == "home"
    palette = label.palette()
    colour = palette.color(label.foregroundRole())
    assert colour != palette.color(QPalette.ColorRole.WindowText)  # secondary, and yet:
    assert contrast_ratio(colour, palette.color(label.backgroundRole())) >= 4.5


def test_today_is_the_clocks_not_the_machines() -> None:
    contact = Contact(name=Name(given="Fay"), birthday=PartialDate(2000, 1, 1))
    rows = card_rows(contact, date(2010, 1, 1))
    assert rows[0].text == "1 January 2000 (age 10)"


def test_log_is_offered_only_where_interactions_can_be_logged(
    qtbot: QtBot, window: MainWindow, filled: list[int]
) -> None:
    open_contact(qtbot, window, filled[9], edit=False)
    assert (window.detail.logger is None) == window.detail.reader.log_button.isHidden()


def test_logging_a_call_from_the_card_shows_it_on_the_timeline(
    qtbot: QtBot, window: MainWindow, db: Database, service: ContactService, filled: list[int]
) -> None:
    kinds = interaction.InteractionKind
    logger = InteractionLogger(
        window.detail,
        window.ctx.worker,
        window.ctx.hub,
        interactions.InteractionService(db).log,
        kinds=list(kinds),
        clock=SYSTEM_CLOCK,
    )
    window.detail.logger = logger
    open_contact(qtbot, window, filled[10], edit=False)
    window.detail.log()
    dialog = logger.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.choose_kind(kinds.CALL)
    dialog.summary.setText("Talked about the spring catalogue")
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: len(window.detail.reader.entries) == 1)
    entry = window.detail.reader.entries[0]
    assert (entry.kind, entry.summary) == ("call", "Talked about the spring catalogue")
    assert window.detail.reader.last_contacted.text() == "Last contacted today"
    stored = service.get(filled[10])
    assert stored is not None and [i.summary for i in stored.interactions] == [entry.summary]  # type: ignore[attr-defined]
    window.undo()  # one undoable operation
    qtbot.waitUntil(lambda: window.detail.reader.entries == [])


def test_the_avatar_is_of_the_given_and_family_names_not_the_title(qtbot: QtBot) -> None:
    view = _reader(qtbot)
    name = Name(prefix="Mr", given="Ada", middle="King", family="Lovelace", suffix="Jr")
    view.show_contact(Contact(name=name))
    drawn = view.avatar.pixmap().toImage()
    assert drawn.pixelColor(drawn.width() // 2, 6) == colour_for("Ada Lovelace")
    assert initials("Ada Lovelace") == "AL"
