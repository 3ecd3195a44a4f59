"""The main window: segments, list and detail side by side, with the menus that drive them.

The middle pane is the contact list, or, when Needs attention › Duplicates is chosen, the
duplicates review (`DuplicatesView`): groups with scores and reasons, the chosen group's first
contact shown in the detail pane.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QByteArray, QItemSelectionModel, Qt, QTimer, QUrl
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QIcon,
    QKeySequence,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.domain.interaction import InteractionKind
from app.core.services.contacts import ChangeSet
from app.core.services.queries import ListQuery, SortOrder
from app.core.services.segment_catalogue import DUE
from app.ui.backups import Backups
from app.ui.bulk_actions import BulkActions
from app.ui.context import ICONS, AppContext
from app.ui.detail_pane import DetailPane
from app.ui.due_banner import DueBanner
from app.ui.duplicates_view import build_duplicates_view
from app.ui.list_model import ContactListModel
from app.ui.list_pane import ListPane
from app.ui.preferences import Preferences
from app.ui.segment_model import SegmentCounts, SegmentEntry, SegmentModel
from app.ui.segment_pane import PROBABLE_DUPLICATE, SegmentPane
from app.ui.smart_segments import SmartSegmentActions
from app.ui.task_progress import TaskProgress
from app.ui.transfer import Transfer

SEGMENT_REFRESH_MS = 300
IMPORTABLE = (".vcf", ".vcard", ".csv")


class MainWindow(QMainWindow):
    """The window the user spends the day in."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Kith")
        self.setWindowIcon(QIcon(str(ICONS / "kith.svg")))
        self.setAcceptDrops(True)
        self.segment_model = SegmentModel(self)
        self.segments = SegmentPane(self.segment_model, self)
        self.list_model = ContactListModel(
            ctx.contacts, ctx.pager, QIcon(str(ICONS / "star.svg")), self
        )
        self.list = ListPane(self.list_model, self)
        # Qt's header asks, after every change of selection, whether each column is wholly
        # selected, by asking the model about every row (2.5 s after Ctrl+A at 100,000 rows).
        # It highlights nothing here: it gets a selection model of its own, always empty.
        header = self.list.table.horizontalHeader()
        header.setSelectionModel(QItemSelectionModel(self.list_model, header))
        self.detail = DetailPane(
            ctx.contacts,
            ctx.worker,
            ctx.hub,
            ctx.open_url,
            self,
            upcoming=ctx.reminders.for_contact,
            log_interaction=ctx.interactions.log,
            interaction_kinds=list(InteractionKind),
            reminders=ctx.reminders,
            interactions=ctx.interactions,
        )
        self.duplicates = build_duplicates_view(ctx, self)
        # The middle: the list, or the duplicates review in its place.
        self.middle = QStackedWidget(self)
        self.middle.setObjectName("middle")
        self.middle.addWidget(self.list)
        self.middle.addWidget(self.duplicates)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("main-splitter")
        for pane in (self.segments, self.middle, self.detail):
            self.splitter.addWidget(pane)
        self.splitter.setSizes([230, 640, 490])
        self.splitter.setStretchFactor(1, 1)
        # Where no tray shows, reminders due appear in a banner above the panes.
        self.tray_shown: Callable[[], bool] = lambda: False
        self.due_banner = DueBanner(
            lambda: self.segments.select_key(DUE),
            lambda: self.tray_shown(),  # noqa: PLW0108 - read at each call: run() sets it later
            self,
        )
        central = QWidget(self)
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.due_banner)
        column.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.status_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.status_label)
        self.progress = TaskProgress(ctx.runner, self)
        self.progress.told.connect(self.show_message)
        self.statusBar().addPermanentWidget(self.progress)
        self.bulk = BulkActions(self)
        self.smart = SmartSegmentActions(self)
        self.transfer = Transfer(self)
        self.backups = Backups(self)
        self.preferences = Preferences(self, reminders=ctx.reminders)
        self._segment_timer = QTimer(self)
        self._segment_timer.setSingleShot(True)
        self._segment_timer.setInterval(SEGMENT_REFRESH_MS)
        self._segment_timer.timeout.connect(self._recount_segments)
        self._segment_counts = SegmentCounts(ctx.contacts, ctx.segments)
        self._segments_due: frozenset[str] | None = frozenset()
        self._segments_shown = 0
        self._build_menus()
        self._connect()
        self._restore_settings()
        self._pending_select: int | None = None
        self.list.set_segment(ListQuery())  # first: the list is what makes the window usable
        self.refresh_segments()
        self._update_undo_labels()

    # Menus

    def _action(
        self, text: str, slot: object, shortcut: QKeySequence | str | None = None
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        self.new_action = self._action("&New contact", self.new_contact, "Ctrl+N")
        self.import_action = self._action("&Import…", self.transfer.choose_import, "Ctrl+I")
        self.export_action = self._action("&Export…", self.transfer.choose_export, "Ctrl+E")
        self.passphrase_action = self._action(
            "Change &passphrase…", self.transfer.change_passphrase
        )
        self.backup_action = self._action("&Back up…", self.backups.choose_backup)
        self.restore_action = self._action("&Restore…", self.backups.choose_restore)
        quit_action = self._action("&Quit", self.close, "Ctrl+Q")
        self.undo_action = self._action("&Undo", self.undo, "Ctrl+Z")
        self.redo_action = self._action("&Redo", self.redo, "Ctrl+Shift+Z")
        self.find_action = self._action("&Find", self.focus_search, "Ctrl+F")
        self.preferences_action = self._action("Pr&eferences…", self.preferences.open, "Ctrl+,")
        self.family_first_action = self._action("Sort names by &last name", self._name_order)
        self.family_first_action.setCheckable(True)
        file_menu = self.menuBar().addMenu("&File")
        for a in (self.new_action, self.import_action, self.export_action):
            file_menu.addAction(a)
        file_menu.addSeparator()
        file_menu.addAction(self.backup_action)
        file_menu.addAction(self.restore_action)
        file_menu.addAction(self.passphrase_action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        edit = self.menuBar().addMenu("&Edit")
        for a in (self.undo_action, self.redo_action, self.find_action):
            edit.addAction(a)
        edit.addSeparator()
        edit.addAction(self.preferences_action)
        self.menuBar().addMenu(self.bulk.menu)
        view = self.menuBar().addMenu("&View")
        view.addAction(self.family_first_action)
        view.addAction(self.smart.new_action)
        review = self._action("Review &duplicates…", self.show_duplicates, "Ctrl+Shift+D")
        review.setObjectName("review-duplicates")
        view.addAction(review)
        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("main-toolbar")
        toolbar.setMovable(False)
        for a in (self.new_action, self.import_action, self.export_action):
            toolbar.addAction(a)
        toolbar.addSeparator()
        toolbar.addAction(self.undo_action)
        toolbar.addAction(self.redo_action)

    def _connect(self) -> None:
        self.segments.chosen.connect(self._segment_chosen)
        self.list.current_changed.connect(self._current_changed)
        self.list.open_current.connect(self.detail.edit)
        self.list.import_requested.connect(self.transfer.choose_import)
        self.list.add_requested.connect(self.new_contact)
        self.list.table.customContextMenuRequested.connect(self.bulk.popup)
        self.detail.created.connect(self._created)
        self.detail.stayed.connect(self.list.select_id)
        self.list_model.loaded.connect(self._select_pending)
        self.ctx.hub.changed.connect(self._after_change)
        self.ctx.hub.segments_changed.connect(self.refresh_segments)
        for worker in (self.ctx.worker, self.ctx.background, self.ctx.reader, self.ctx.pager):
            worker.failed.connect(self.show_message)
        self.ctx.runner.failed.connect(self.show_message)
        # A probable duplicate of a contact just saved is said in the status bar.
        self.duplicates.suspected.connect(self.show_message)
        self.segments.review_duplicates.connect(self.show_duplicates)
        self.duplicates.contact_chosen.connect(self._group_chosen)
        self.duplicates.counted.connect(self._groups_counted)

    # Behaviour

    def show_message(self, text: str) -> None:
        """Say something in the status bar for a while."""
        self.statusBar().showMessage(text, 15000)

    def focus_search(self) -> None:
        """Ctrl+F: into the search box, its text selected (from the review: all contacts)."""
        if self.reviewing_duplicates:
            self.segments.select_key("all")
        self.list.search.setFocus()
        self.list.search.selectAll()

    def new_contact(self) -> None:
        """Ctrl+N: an empty card in the detail pane."""
        self.list.table.clearSelection()
        self.detail.new_contact()

    def _current_changed(self, contact_id: int | None) -> None:
        # A new card not stored yet belongs to no row: a row leaving the list must not clear it.
        if contact_id is None and self.detail.showing_new:
            return
        if self.reviewing_duplicates:
            return  # the list is hidden: the card shows the chosen group's contact
        self.detail.show_contact(contact_id)

    def _created(self, contact_id: int) -> None:
        self._pending_select = contact_id

    def _select_pending(self) -> None:
        if self._pending_select is not None and self.list.select_id(self._pending_select):
            self._pending_select = None

    def _segment_chosen(self, entry: SegmentEntry) -> None:
        if entry.query is not None and entry.key != PROBABLE_DUPLICATE:
            self.list.set_segment(entry.query)
        self.bulk.update_for_segment(entry)
        self._show_middle(entry.key)

    # The duplicates review, in the list's place

    @property
    def reviewing_duplicates(self) -> bool:
        """Whether the middle pane shows the duplicates review rather than the list."""
        return self.middle.currentWidget() is self.duplicates

    def show_duplicates(self) -> None:
        """View › Review duplicates… (Ctrl+Shift+D): choose Needs attention › Duplicates."""
        self.segments.select_key(PROBABLE_DUPLICATE)
        # Already chosen (no signal then): an old list is scanned again now that it is asked for.
        self._show_middle(PROBABLE_DUPLICATE, rescan=True)

    def _show_middle(self, key: str, *, rescan: bool = False) -> None:
        """Show the review for the Duplicates line, else the list; the card follows.

        The review scans when it comes into view with no scan yet or contacts changed since
        (or when `rescan` asks); while it stays in view, a change only says the list is old,
        so that the groups do not move under the user's hand.
        """
        review = key == PROBABLE_DUPLICATE
        page = self.duplicates if review else self.list
        switched = self.middle.currentWidget() is not page
        if switched:
            self.middle.setCurrentWidget(page)
            # The Contacts menu acts on the list's selection, which is hidden meanwhile.
            self.bulk.menu.menuAction().setEnabled(not review)
            if review:
                group = self.duplicates.selected_group()
                if group is not None:
                    self.detail.show_contact(group.ids[0])
            else:
                self._current_changed(self.list.current_id())
        if review and (switched or rescan):
            self.duplicates.scan_if_stale()

    def _group_chosen(self, contact_id: int | None) -> None:
        if self.reviewing_duplicates and not (contact_id is None and self.detail.showing_new):
            self.detail.show_contact(contact_id)

    def _groups_counted(self, groups: int) -> None:
        # Once a scan has found them, the line counts groups rather than contacts.
        tip = f"{groups:,} group{'s' if groups != 1 else ''} of likely duplicates"
        self.segment_model.set_count(PROBABLE_DUPLICATE, groups, tip)

    def _name_order(self) -> None:
        self.list.set_family_first(self.family_first_action.isChecked())

    def refresh_segments(self) -> None:
        """Read every segment and count it again, on the runner's reader."""
        self._segments_due = None
        self._recount_segments()

    @property
    def recount_due(self) -> bool:
        """Whether a recount of segments waits for the end of a burst of changes."""
        return self._segment_timer.isActive()

    def _queue_recount(self, keys: frozenset[str] | None) -> None:
        """Recount these segments soon (None: all); changes close together are counted once."""
        if keys is None or self._segments_due is None:
            self._segments_due = None
        else:
            self._segments_due |= keys
        self._segment_timer.start()

    def _recount_segments(self) -> None:
        self._segment_timer.stop()
        keys, self._segments_due = self._segments_due, frozenset()
        if keys is not None and not keys:
            return
        counts = self._segment_counts
        self.ctx.reader.submit(lambda: counts.count(keys), self._segments_built)

    def _segments_built(self, made: tuple[int, list[SegmentEntry]]) -> None:
        number, entries = made
        if number < self._segments_shown:
            return  # an older count delivered after a newer one
        self._segments_shown = number
        self.segment_model.set_entries(entries)
        entry = self.segments.current_entry()
        if entry is not None:
            review = entry.key == PROBABLE_DUPLICATE
            if not review and entry.query is not None and entry.query != self.list.segment:
                self.list.set_segment(entry.query)
                self.bulk.update_for_segment(entry)
            self._show_middle(entry.key)  # e.g. a window reopened on Duplicates shows it
        tags = [e.title for e in entries if e.key.startswith("tag:")]
        self.detail.form.set_tag_names(tags)
        self.bulk.set_tag_names(tags)

    def _after_change(self, change: ChangeSet) -> None:
        # Each pane refreshes only what the change names (see docs/architecture.md).
        self.list_model.apply_change(change)
        self._queue_recount(change.segments)
        self._update_undo_labels()
        if change.label:
            self.show_message(change.label)

    def undo(self) -> None:
        """Ctrl+Z: take back the last operation in the journal."""
        self.detail.flush()
        self.ctx.worker.submit(self.ctx.contacts.undo, self._undone)

    def redo(self) -> None:
        """Ctrl+Shift+Z: apply again what was undone."""
        self.detail.flush()
        self.ctx.worker.submit(self.ctx.contacts.redo, self._undone)

    def _undone(self, change: ChangeSet | None) -> None:
        if change is None:
            self.show_message("Nothing to undo or redo.")
            return
        self.ctx.hub.publish(change)

    def _update_undo_labels(self) -> None:
        contacts = self.ctx.contacts
        self.ctx.worker.submit(
            lambda: (contacts.undo_label(), contacts.redo_label()), self._show_undo_labels
        )

    def _show_undo_labels(self, labels: tuple[str | None, str | None]) -> None:
        undo, redo = labels
        self.undo_action.setText(f"&Undo {undo}" if undo else "&Undo")
        self.undo_action.setIconText("Undo")
        self.redo_action.setIconText("Redo")
        self.undo_action.setToolTip(f"Undo {undo}" if undo else "Nothing to undo")
        self.undo_action.setEnabled(undo is not None)
        self.redo_action.setText(f"&Redo {redo}" if redo else "&Redo")
        self.redo_action.setEnabled(redo is not None)

    # Drag and drop

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if _dropped_files(event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        files = _dropped_files(event.mimeData().urls())
        if files:
            event.acceptProposedAction()
            self.transfer.import_file(files[0])

    # Settings

    def _restore_settings(self) -> None:
        s = self.ctx.settings
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1300, 820)
        state = s.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        splitter = s.value("window/splitter")
        # Applied on the first show, once the window has its remembered size.
        self._splitter_state = splitter if isinstance(splitter, QByteArray) else None
        self.family_first_action.setChecked(s.value("list/family_first", "false") == "true")
        self.list.set_family_first(self.family_first_action.isChecked())
        sort = str(s.value("list/sort", SortOrder.FIRST_LAST.value))
        if sort in set(SortOrder):
            self.list.set_sort(SortOrder(sort))
        self.segments.select_key(str(s.value("list/segment", "all")))

    def save_settings(self) -> None:
        """Remember the layout, the sort order and the segment."""
        s = self.ctx.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("list/family_first", "true" if self.family_first_action.isChecked() else "false")
        s.setValue("list/sort", str(self.list.sort.currentData()))
        s.setValue("list/segment", self.segments.current_key)
        s.sync()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._splitter_state is not None:
            self.splitter.restoreState(self._splitter_state)
            self._splitter_state = None

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        # The runner and the database belong to the application object: tasks already asked
        # for (the card's last save among them) go on after the window closes, and quitting
        # waits for the writes (KithApp.quit).
        if not self.detail.leave():
            event.ignore()  # the user keeps editing a card with a problem
            return
        self.save_settings()
        self.transfer.cancel()
        self.duplicates.cancel()
        super().closeEvent(event)


def _dropped_files(urls: Sequence[QUrl]) -> list[Path]:
    paths = [Path(u.toLocalFile()) for u in urls if u.isLocalFile()]
    return [p for p in paths if p.suffix.lower() in IMPORTABLE]
