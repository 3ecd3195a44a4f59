"""Builds and wires the window's objects: the one place the object graph is made."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QSettings, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from app.core.clock import SYSTEM_CLOCK
from app.core.errors import UserFacingError
from app.core.paths import database_path
from app.core.services.contacts import ChangeSet, ContactService
from app.core.services.segments import SegmentService
from app.core.services.session import Database, KeyStore
from app.ui.changes import ChangeHub
from app.ui.close_to_tray import keep_running_in_the_tray
from app.ui.context import ICONS, AppContext
from app.ui.main_window import MainWindow
from app.ui.preferences import THEME_KEY
from app.ui.theme import apply_saved_theme
from app.ui.tray import Tray
from app.ui.unlock_dialog import ask_with_dialog, open_database
from app.ui.worker import Worker

log = logging.getLogger("kith")

RELOADED = "The database file was replaced on disk; Kith reloaded it."


class StoreEvents(QObject):
    """Brings what the store says from the worker threads to the GUI thread.

    The database calls back on whichever thread noticed (a worker's); these signals queue the
    call to the window's thread.

    Signals:
        replaced: the database file was replaced under the window and has been reopened.
        notice: a sentence to show while the store waits (another Kith is writing).
    """

    replaced = Signal()
    notice = Signal(str)

    def __init__(self, hub: ChangeHub, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._hub = hub
        self.replaced.connect(self._reload)

    @Slot()
    def _reload(self) -> None:
        # Every pane refreshes on a change: one with no ids makes each reload what it shows.
        self._hub.publish(ChangeSet(RELOADED))


def build_window(
    db: Database,
    settings: QSettings,
    *,
    key_store: KeyStore | None = None,
    open_url: Callable[[QUrl], object] = QDesktopServices.openUrl,
    region: str | None = None,
) -> MainWindow:
    """The main window over an open database, with its workers and services."""
    contacts = ContactService(db, region, clock=SYSTEM_CLOCK)
    worker = Worker("kith-db")
    # The region is read from the store once, here on the worker, and then kept.
    worker.submit(lambda: contacts.region)
    ctx = AppContext(
        db=db,
        contacts=contacts,
        segments=SegmentService(db, SYSTEM_CLOCK),
        worker=worker,
        reader=Worker("kith-counts"),
        background=Worker("kith-files"),
        hub=ChangeHub(),
        settings=settings,
        key_store=key_store or KeyStore(),
        open_url=open_url,
    )
    window = MainWindow(ctx)
    events = StoreEvents(ctx.hub, window)
    db.on_replaced(events.replaced.emit)
    db.notice = events.notice.emit
    events.notice.connect(window.show_message)
    return window


def _db_arg(args: Sequence[str]) -> str | None:
    rest = list(args)
    if rest[:1] == ["--db"] and len(rest) > 1:
        return rest[1]
    if rest and rest[0].startswith("--db="):
        return rest[0].split("=", 1)[1]
    return None


def run(args: Sequence[str]) -> int:
    """Open the main window on the database the arguments name."""
    logging.basicConfig(level=logging.WARNING, format="kith: %(levelname)s: %(message)s")
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName("Kith")
    app.setOrganizationName("Kith")
    app.setDesktopFileName("kith")
    app.setWindowIcon(QIcon(str(ICONS / "kith.svg")))
    # Fusion follows the desktop's light or dark scheme (QStyleHints.colorScheme) everywhere.
    app.setStyle("Fusion")
    apply_saved_theme(str(QSettings().value(THEME_KEY, "system")))
    key_store = KeyStore()
    try:
        db = open_database(database_path(_db_arg(args)), key_store, ask_with_dialog)
    except UserFacingError as exc:
        QMessageBox.critical(None, "Kith", str(exc))
        return 1
    if db is None:
        return 1
    try:
        window = build_window(db, QSettings(), key_store=key_store)
        keep_running_in_the_tray(app, window, QSettings(), Tray(app.windowIcon(), app))
        window.show()
        return int(app.exec())
    finally:
        db.close()
