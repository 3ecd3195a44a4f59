"""The merge dialog: one column per contact, a choice per field, the union, a live preview."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel, QRadioButton
from pytestqt.qtbot import QtBot

from app.core.clock import FixedClock
from app.core.domain.contact import Contact, Email, Name, Phone
from app.core.domain.dates import PartialDate
from app.core.services.contacts import ContactService
from app.core.services.merge import MergeService
from app.core.storage.database import Database
from app.ui.merge_dialog import EMPTY, MergeDialog

CLOCK = FixedClock(datetime(2026, 12, 1, 9, 30, tzinfo=UTC))


def _two(db: Database) -> tuple[int, int]:
    service = ContactService(db, "GB", CLOCK)
    bob = service.add(
        Contact(
            name=Name(given="Bob", family="Smith"),
            emails=[Email("bob@example.org", "work")],
            phones=[Phone("+44 7911 123456")],
            notes="Met at the fair, call in May",
        )
    ).added[0]
    robert = service.add(
        Contact(
            name=Name(given="Robert", family="Smith"),
            emails=[Email("BOB@example.org"), Email("rob@home.example")],
            org="Smith & Co",
            birthday=PartialDate(None, 2, 29),
        )
    ).added[0]
    return bob, robert


def _radio(dialog: MergeDialog, name: str) -> QRadioButton:
    button = dialog.findChild(QRadioButton, name)
    assert isinstance(button, QRadioButton), name
    return button


def _click(qtbot: QtBot, button: QRadioButton) -> None:
    """Click on the button's circle (its middle may be empty space beyond a short text)."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(6, button.height() // 2))


def test_columns_choices_and_the_union_are_shown(qtbot: QtBot, db: Database) -> None:
    bob, robert = _two(db)
    dialog = MergeDialog(MergeService(db, CLOCK).plan([bob, robert]))
    qtbot.addWidget(dialog)
    dialog.show()
    heads = [
        dialog.grid.itemAtPosition(0, c).widget().text()  # type: ignore[union-attr]
        for c in range(1, 4)
    ]
    assert heads == [f"Bob Smith\n(id {bob})", f"Robert Smith\n(id {robert})", "Result"]
    assert _radio(dialog, f"keep-{bob}").isChecked()
    assert _radio(dialog, f"name-{bob}").isChecked() and _radio(dialog, f"name-{bob}").text() == (
        "Bob Smith"
    )
    # An empty value is offered too (choosing it leaves the field empty), shown as a dash.
    assert (
        _radio(dialog, f"org-{bob}").text() == EMPTY and _radio(dialog, f"org-{robert}").isChecked()
    )
    assert _radio(dialog, f"org-{robert}").text() == "Smith && Co"  # "&" is not a shortcut
    assert dialog.result_labels["org"].text() == "Smith & Co"
    assert "nickname" not in dialog.field_groups  # nobody has one: no row
    assert dialog.result_labels["emails"].text() == "bob@example.org (work)\nrob@home.example"
    assert dialog.result_labels["birthday"].text() == "--02-29"
    assert dialog.result_labels["notes"].text() == "Met at the fair, call in May"


def test_a_click_changes_the_preview_and_the_plan(qtbot: QtBot, db: Database) -> None:
    bob, robert = _two(db)
    merger = MergeService(db, CLOCK)
    dialog = MergeDialog(merger.plan([bob, robert]))
    qtbot.addWidget(dialog)
    dialog.show()
    _click(qtbot, _radio(dialog, f"name-{robert}"))
    assert dialog.result_labels["name"].text() == "Robert Smith"
    assert dialog.plan.choices["name"] == robert
    _click(qtbot, _radio(dialog, f"org-{bob}"))
    assert dialog.result_labels["org"].text() == EMPTY
    # Keeping the other card keeps what was chosen by hand, and its id.
    _click(qtbot, _radio(dialog, f"keep-{robert}"))
    assert dialog.plan.survivor_id == robert and dialog.plan.choices["name"] == robert
    assert dialog.result_contact().id == robert
    preview = dialog.result_contact()
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    plan = dialog.plan
    merger.merge(plan.ids, plan.survivor_id, dict(plan.choices))
    stored = ContactService(db, "GB", CLOCK).get(robert)
    assert stored is not None and ContactService(db, "GB", CLOCK).get(bob) is None
    preview.updated_at = stored.updated_at
    assert stored == preview  # what was previewed is what was saved


def test_cancel_changes_nothing(qtbot: QtBot, db: Database) -> None:
    bob, robert = _two(db)
    dialog = MergeDialog(MergeService(db, CLOCK).plan([bob, robert]))
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert ContactService(db, "GB", CLOCK).get_many([bob, robert])[1].name.given == "Robert"
    labels = [w.text() for w in dialog.findChildren(QLabel)]
    assert "Result" in labels
