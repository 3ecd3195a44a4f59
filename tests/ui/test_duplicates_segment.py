"""Needs attention › Duplicates shows the grouped review in the main window, in the list's place."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from pytestqt.qtbot import QtBot

from app.core.domain.contact import Contact, Email, Name, Phone
from app.core.domain.dates import PartialDate
from app.core.services.contacts import ChangeSet, ContactService
from app.core.services.dedupe import DedupeService
from app.core.storage.database import Database
from app.ui.duplicates_view import GroupColumn
from app.ui.main_window import MainWindow
from app.ui.segment_model import SegmentRole
from app.ui.segment_pane import PROBABLE_DUPLICATE
from tests.conftest import CliRunner
from tests.ui.conftest import wait_idle


def _add_pair(
    service: ContactService,
    given: str,
    family: str,
    email: str,
    publish: Callable[[ChangeSet], None] = lambda _change: None,
) -> tuple[int, int]:
    """Two entries of one person: an email in two cases, a number written two ways."""
    first = service.add(
        Contact(name=Name(given=given, family=family), emails=[Email(email)],
                phones=[Phone("+49 30 1234567")])
    )  # fmt: skip
    publish(first)
    second = service.add(
        Contact(name=Name(given=given, family=family), emails=[Email(email.capitalize())],
                phones=[Phone("030 1234567", label="work")])
    )  # fmt: skip
    publish(second)
    return first.added[0], second.added[0]


@pytest.fixture
def pair(service: ContactService, filled: list[int]) -> tuple[int, int]:
    """Forty strangers (`filled`: the matcher learns its weights from them) and one pair."""
    return _add_pair(service, "Ilse", "Brandauer", "ilse@example.de")


@pytest.fixture
def paired(
    make_window: Callable[[Database], MainWindow], db: Database, pair: tuple[int, int]
) -> tuple[MainWindow, tuple[int, int]]:
    """The window over forty strangers and one pair that is one person."""
    return make_window(db), pair


def _choose_duplicates(qtbot: QtBot, window: MainWindow) -> None:
    """Choose the line as a user does, and wait for the scan it starts."""
    with qtbot.waitSignal(window.duplicates.scanned, timeout=30000):
        window.segments.select_key(PROBABLE_DUPLICATE)


def _shows_review(window: MainWindow) -> bool:
    review = window.duplicates
    return review.isVisible() and not window.list.isVisible() and not review.isWindow()


def test_the_line_is_called_duplicates_under_needs_attention(
    paired: tuple[MainWindow, tuple[int, int]],
) -> None:
    window, _pair = paired
    row = window.segment_model.row_of(PROBABLE_DUPLICATE)
    assert row is not None
    assert window.segment_model.entry(row).title == "Duplicates"
    headings = [e.title for e in window.segment_model.entries[:row] if e.is_heading]
    assert headings[-1] == "Needs attention"


def test_choosing_duplicates_shows_the_groups_in_the_main_window(
    qtbot: QtBot,
    paired: tuple[MainWindow, tuple[int, int]],
) -> None:
    window, pair = paired
    assert window.list.isVisible() and not window.duplicates.isVisible()
    _choose_duplicates(qtbot, window)
    assert _shows_review(window)
    review = window.duplicates
    assert [g.ids for g in review.model.groups] == [pair]
    score = review.model.data(review.model.index(0, GroupColumn.SCORE))
    assert 0.5 <= float(score) <= 1.0
    reasons = str(review.model.data(review.model.index(0, GroupColumn.REASONS)))
    assert "same email ilse@example.de" in reasons
    names = review.model.data(review.model.index(0, GroupColumn.CONTACTS))
    assert names == "Ilse Brandauer, Ilse Brandauer"
    assert review.status.text() == "1 group of likely duplicates, best first."


def test_choosing_all_contacts_brings_the_list_back(
    qtbot: QtBot,
    paired: tuple[MainWindow, tuple[int, int]],
) -> None:
    window, pair = paired
    _choose_duplicates(qtbot, window)
    window.segments.select_key("all")
    wait_idle(qtbot, window)
    assert window.list.isVisible() and not window.duplicates.isVisible()
    qtbot.waitUntil(lambda: window.list_model.rowCount() == 42)
    window.list.table.selectRow(3)
    chosen = window.list.current_id()
    qtbot.waitUntil(lambda: window.detail.contact_id == chosen)
    assert chosen is not None and chosen not in pair


def test_the_detail_pane_shows_the_chosen_groups_first_contact(
    qtbot: QtBot,
    paired: tuple[MainWindow, tuple[int, int]],
    service: ContactService,
) -> None:
    window, first = paired
    second = _add_pair(service, "Jorge", "Valdivieso", "jorge@example.cl")
    _choose_duplicates(qtbot, window)
    review = window.duplicates
    groups = [g.ids for g in review.model.groups]
    assert sorted(groups) == [first, second]
    qtbot.waitUntil(lambda: window.detail.contact_id == groups[0][0])  # the best is chosen
    review.table.selectRow(1)
    qtbot.waitUntil(lambda: window.detail.contact_id == groups[1][0])
    assert window.detail.isVisible() and _shows_review(window)


def test_the_count_beside_the_line_is_the_number_of_groups_after_a_scan(
    qtbot: QtBot,
    paired: tuple[MainWindow, tuple[int, int]],
    service: ContactService,
) -> None:
    window, _pair = paired
    _add_pair(service, "Jorge", "Valdivieso", "jorge@example.cl")
    window.refresh_segments()
    wait_idle(qtbot, window)

    def count() -> object:
        row = window.segment_model.row_of(PROBABLE_DUPLICATE)
        assert row is not None
        return window.segment_model.index(row).data(SegmentRole.COUNT)

    assert count() == 4  # before a scan: the contacts that share an email or a phone
    _choose_duplicates(qtbot, window)
    assert count() == 2  # after it: the groups
    window.refresh_segments()  # a recount of the segments keeps the groups' number
    wait_idle(qtbot, window)
    assert count() == 2
    row = window.segment_model.row_of(PROBABLE_DUPLICATE)
    assert row is not None
    tip = window.segment_model.index(row).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == "Duplicates: 2 groups of likely duplicates"


def test_review_duplicates_selects_the_line_with_no_window_of_its_own(
    qtbot: QtBot,
    paired: tuple[MainWindow, tuple[int, int]],
) -> None:
    window, pair = paired
    action = window.findChild(QAction, "review-duplicates")
    assert action.shortcut() == QKeySequence("Ctrl+Shift+D")
    with qtbot.waitSignal(window.duplicates.scanned, timeout=30000):
        action.trigger()
    assert window.segments.current_key == PROBABLE_DUPLICATE
    assert _shows_review(window)
    assert [g.ids for g in window.duplicates.model.groups] == [pair]


def test_the_review_scans_again_only_when_contacts_changed(
    qtbot: QtBot,
    paired: tuple[MainWindow, tuple[int, int]],
    service: ContactService,
) -> None:
    window, pair = paired
    scans: list[None] = []
    window.duplicates.scanned.connect(lambda: scans.append(None))
    _choose_duplicates(qtbot, window)
    window.segments.select_key("all")
    window.segments.select_key(PROBABLE_DUPLICATE)
    wait_idle(qtbot, window)
    assert len(scans) == 1 and not window.duplicates.scanning
    window.segments.select_key("all")
    # A stranger added: the check at once finds no duplicate, so the groups still stand.
    with qtbot.waitSignal(window.duplicates.checked, timeout=10000):
        window.ctx.hub.publish(service.add(Contact(name=Name(given="Zia", family="Quell"))))
    assert not window.duplicates.stale
    window.segments.select_key(PROBABLE_DUPLICATE)
    wait_idle(qtbot, window)
    assert len(scans) == 1
    window.segments.select_key("all")
    twin = _add_pair(service, "Jorge", "Valdivieso", "jorge@example.cl", window.ctx.hub.publish)
    qtbot.waitUntil(lambda: window.duplicates.stale)
    _choose_duplicates(qtbot, window)
    assert len(scans) == 2
    assert sorted(g.ids for g in window.duplicates.model.groups) == sorted([pair, twin])


@pytest.mark.parametrize("how", ["double-click", "context menu"])
def test_the_lines_double_click_and_menu_show_the_review(
    qtbot: QtBot,
    paired: tuple[MainWindow, tuple[int, int]],
    how: str,
) -> None:
    window, pair = paired
    row = window.segment_model.row_of(PROBABLE_DUPLICATE)
    assert row is not None
    view = window.segments.view
    view.scrollTo(window.segment_model.index(row))
    rect = view.visualRect(window.segment_model.index(row))
    with qtbot.waitSignal(window.duplicates.scanned, timeout=30000):
        if how == "double-click":
            # Qt's views take a double-click only on the line the first press chose.
            qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        else:
            menu = window.segments.context_menu(rect.center())
            next(a for a in menu.actions() if a.text() == "Review duplicates…").trigger()
    assert window.segments.current_key == PROBABLE_DUPLICATE and _shows_review(window)
    assert [g.ids for g in window.duplicates.model.groups] == [pair]


def test_a_window_reopened_on_duplicates_shows_the_review(
    qtbot: QtBot,
    make_window: Callable[[Database], MainWindow],
    settings: QSettings,
    db: Database,
    pair: tuple[int, int],
) -> None:
    settings.setValue("list/segment", PROBABLE_DUPLICATE)
    window = make_window(db)
    qtbot.waitUntil(lambda: [g.ids for g in window.duplicates.model.groups] == [pair])
    assert window.segments.current_key == PROBABLE_DUPLICATE and _shows_review(window)


def test_the_old_title_still_exports_the_segment(
    kith: CliRunner, db: Database, service: ContactService
) -> None:
    _add_pair(service, "Ilse", "Brandauer", "ilse@example.de")
    service.add(Contact(name=Name(given="Zia", family="Quell"), emails=[Email("zia@example.org")]))
    for name in ("Probable duplicate", "probable DUPLICATE", "Duplicates", PROBABLE_DUPLICATE):
        result = kith("export", "--segment", name)
        assert result.returncode == 0, (name, result.stderr)
        assert result.stdout.count("BEGIN:VCARD") == 2, name


def test_a_narrow_window_keeps_every_button_of_the_review_in_view(
    qtbot: QtBot, paired: tuple[MainWindow, tuple[int, int]]
) -> None:
    window, _pair = paired
    _choose_duplicates(qtbot, window)
    review = window.duplicates
    buttons = [
        review.merge_button, review.apart_button, review.forget_button,
        review.merge_all_button, review.min_score,
    ]  # fmt: skip
    for width, lines in ((1360, 1), (760, 2)):
        window.resize(width, 560)
        window.splitter.setSizes([150, width // 2, width // 2])
        qtbot.waitUntil(lambda w=width: window.width() == w)  # type: ignore[misc]
        qtbot.waitUntil(lambda: review.merge_button.geometry().right() < review.width())
        assert all(b.geometry().right() <= review.width() for b in buttons), width
        one_line = review.merge_all_button.y() == review.merge_button.y()
        assert one_line == (lines == 1), width


def test_find_from_the_review_searches_all_contacts(
    qtbot: QtBot, paired: tuple[MainWindow, tuple[int, int]]
) -> None:
    window, _pair = paired
    _choose_duplicates(qtbot, window)
    window.find_action.trigger()
    assert window.segments.current_key == "all"
    assert window.list.isVisible() and not window.duplicates.isVisible()
    qtbot.waitUntil(lambda: window.list_model.rowCount() == 42)


def test_a_scan_in_the_window_leaves_its_weights_for_later_checks(
    qtbot: QtBot,
    make_window: Callable[[Database], MainWindow],
    db: Database,
    service: ContactService,
    filled: list[int],
) -> None:
    """After the window's scan, a check in a later session scores a pair as the scan did."""
    ann = service.add(
        Contact(name=Name(given="Ann", family="Leeworth"), emails=[Email("ann.l@example.org")],
                birthday=PartialDate(1980, 5, 6))
    ).added[0]  # fmt: skip
    anne = service.add(
        Contact(name=Name(given="Anne", family="Leeworth"), emails=[Email("ANN.L@example.org")])
    ).added[0]
    (before,) = DedupeService(db).check([anne])  # no scan yet: the typical weights
    window = make_window(db)
    _choose_duplicates(qtbot, window)
    wait_idle(qtbot, window)  # the weights are stored on the writer
    (shown,) = [g for g in window.duplicates.model.groups if anne in g.ids]
    (later,) = DedupeService(db).check([anne])  # a new service: what a restart has
    assert shown.ids == later.ids == (ann, anne)
    assert later.score == pytest.approx(shown.score, abs=0.005)
    assert before.score != pytest.approx(shown.score, abs=0.005)
