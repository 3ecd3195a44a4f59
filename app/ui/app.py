"""Builds and wires the application's objects: the one place the object graph is made."""

from __future__ import annotations

import gc
import logging
import signal
import sys
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QSettings, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QWidget

from app.core.clock import SYSTEM_CLOCK, Clock
from app.core.errors import UserFacingError
from app.core.paths import database_path
from app.core.services.contacts import ChangeSet, ContactService
from app.core.services.interactions import InteractionService
from app.core.services.reminders import ReminderService
from app.core.services.segments import SegmentService
from app.core.services.session import Database, KeyStore
from app.ui.changes import ChangeHub
from app.ui.close_to_tray import keep_running_in_the_tray, start_reminders
from app.ui.context import ICONS, AppContext
from app.ui.main_window import MainWindow
from app.ui.preferences import THEME_KEY
from app.ui.tasks import Lane, Priority, TaskRunner
from app.ui.theme import apply_saved_theme
from app.ui.tray import Tray
from app.ui.unlock_dialog import ask_with_dialog, open_database
from app.ui.worker import Worker

log = logging.getLogger("kith")

RELOADED = "The database file was replaced on disk; Kith reloaded it."
WAIT_DIALOG_MS = 400
NORMAL = Priority.NORMAL


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


class KithApp(QObject):
    """The application object: it owns the open database, the services, the hub and the runner.

    Windows borrow them (through an `AppContext`) and own none of them, so a task outlives the
    window that started it, and Kith can keep running with no window open (in the tray).

    Args:
        db: the open database (closed by `quit`).
        settings: where window layout and list settings are remembered.
        key_store: the keyring, for "change passphrase".
        open_url: opens mailto:/tel: links.
        region: the phone region (default: the stored setting, else the locale's).
        clock: what time it is for the services.
        freeze_heap: once the window is built, hide what exists from the garbage collector
            (`gc.freeze`). A full collection walks every tracked object holding the GIL, and
            one started by a task's thread stalled the window 150-700 ms at 100,000 contacts;
            what is built at start lives as long as Kith. The program sets it; tests do not.
    """

    def __init__(
        self,
        db: Database,
        settings: QSettings,
        *,
        key_store: KeyStore | None = None,
        open_url: Callable[[QUrl], object] = QDesktopServices.openUrl,
        region: str | None = None,
        clock: Clock = SYSTEM_CLOCK,
        freeze_heap: bool = False,
    ) -> None:
        super().__init__()
        self._freeze_heap = freeze_heap
        self.db = db
        self.hub = ChangeHub()
        self.runner = TaskRunner(self.hub)
        contacts = ContactService(db, region, clock=clock)
        self.ctx = AppContext(
            db=db,
            contacts=contacts,
            segments=SegmentService(db, clock),
            reminders=ReminderService(db, clock),
            interactions=InteractionService(db, clock),
            runner=self.runner,
            worker=Worker("kith-db", runner=self.runner),
            reader=Worker("kith-counts", runner=self.runner, lane=Lane.READ, priority=NORMAL),
            pager=Worker("kith-list", runner=self.runner, lane=Lane.READ),
            background=Worker("kith-files", runner=self.runner, lane=Lane.FILES, priority=NORMAL),
            hub=self.hub,
            settings=settings,
            key_store=key_store or KeyStore(),
            open_url=open_url,
        )
        # The region is read from the store once, here on the writer, and then kept.
        self.ctx.worker.submit(lambda: contacts.region)
        self.events = StoreEvents(self.hub, self.hub)  # lives as long as the hub
        db.on_replaced(self.events.replaced.emit)
        db.notice = self.events.notice.emit
        self.window: MainWindow | None = None

    def open_window(self) -> MainWindow:
        """The main window (made on first use, shown again after it was closed)."""
        if self.window is None:
            self.window = MainWindow(self.ctx)
            self.events.notice.connect(self.window.show_message)
            if self._freeze_heap:
                gc.freeze()
        return self.window

    def finish_writes(self, parent: QWidget | None = None) -> None:
        """Wait for the writes already asked for (the last edit among them), saying so if slow."""
        if not self.runner.busy(frozenset({Lane.WRITE}), below=Priority.LOW):
            return
        wait = QProgressDialog("Saving your last changes…", "", 0, 0, parent)
        wait.setWindowTitle("Kith")
        wait.setCancelButton(None)
        wait.setWindowModality(Qt.WindowModality.ApplicationModal)
        wait.setMinimumDuration(WAIT_DIALOG_MS)  # shown only if it takes that long
        try:
            self.runner.wait(
                lambda: not self.runner.busy(frozenset({Lane.WRITE}), below=Priority.LOW)
            )
        finally:
            wait.reset()
            wait.deleteLater()

    def shutdown(self) -> None:
        """Finish the writes, cancel scans and unread reads, stop the runner (the db stays open)."""
        if self.runner.closed:
            return
        self.finish_writes()
        self.runner.shutdown()

    def quit(self) -> None:
        """Shut down, then close the database (which checkpoints its WAL)."""
        self.shutdown()
        self.db.close()


def build_window(
    db: Database,
    settings: QSettings,
    *,
    key_store: KeyStore | None = None,
    open_url: Callable[[QUrl], object] = QDesktopServices.openUrl,
    region: str | None = None,
) -> MainWindow:
    """An application object over an open database, and its main window (tests, benchmarks).

    The window's `ctx.runner` is the application's runner: shut it down when done with it.
    """
    kith = KithApp(db, settings, key_store=key_store, open_url=open_url, region=region)
    return kith.open_window()


def _db_arg(args: Sequence[str]) -> str | None:
    rest = list(args)
    if rest[:1] == ["--db"] and len(rest) > 1:
        return rest[1]
    if rest and rest[0].startswith("--db="):
        return rest[0].split("=", 1)[1]
    return None


def quit_on_terminate(app: QApplication, save: Callable[[], None]) -> QTimer:
    """Stop cleanly when the session ends or `kill` asks (SIGTERM), not die mid-write.

    `save` saves what the card holds (without asking: nobody is there to answer); then the
    event loop ends (`exit`, not `quit`: a window kept in the tray would refuse to close) and
    `run` waits for the writes asked for before it closes the database. Python runs a signal
    handler only between bytecodes, and Qt's event loop is C++: a timer gives the interpreter
    a moment every half second to notice the signal.
    """

    def stop(_signum: int, _frame: object) -> None:
        save()
        app.exit(0)

    signal.signal(signal.SIGTERM, stop)
    wake = QTimer(app)
    wake.timeout.connect(lambda: None)
    wake.start(500)
    return wake


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
    kith = KithApp(db, QSettings(), key_store=key_store, freeze_heap=True)
    try:
        window = kith.open_window()
        quit_on_terminate(app, window.detail.flush)
        tray = Tray(app.windowIcon(), app)
        keep_running_in_the_tray(app, window, QSettings(), tray)
        # Reminders are looked up at low priority: a user's edit never waits behind them.
        notices = Worker("kith-reminders", runner=kith.runner, priority=Priority.LOW)
        start_reminders(window, tray, kith.ctx.reminders, worker=notices)
        window.show()
        return int(app.exec())
    finally:
        kith.quit()
