"""Needs attention › Duplicates: groups of likely duplicates by score, with their reasons.

The main window shows this review in the list's place when its line is chosen. The scan runs
as a task on the read worker (progress, Cancel), the first time the review is shown and again
when it is shown after contacts changed; merging and "Not duplicates" run on the write worker
and publish their ChangeSet, so the other panes refresh. A group that a merge or a decision
settles leaves the list at once; other changes that may move the groups mark the list as old.

A few contacts added or edited elsewhere (a card saved, not an import or a bulk action) are
checked at once (`DedupeService.check`, a low-priority read): a probable duplicate is said in a
sentence (`suspected`, shown in the status bar) and marks the list as old; a change the check
clears, and which touches no group shown, leaves the list as it is.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from PySide6.QtCore import Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.domain.merge import MergePlan
from app.core.services.contacts import ChangeSet
from app.core.services.dedupe import DUPLICATES, DedupeService, DuplicateGroup
from app.core.services.merge import MergeService
from app.core.services.queries import ContactReader
from app.core.tasks import Cancelled, TaskControl
from app.ui.changes import ChangeHub
from app.ui.context import AppContext
from app.ui.duplicate_groups import DuplicateGroupsModel, GroupColumn
from app.ui.merge_dialog import MergeDialog
from app.ui.tasks import Lane, Priority
from app.ui.worker import Worker

T = TypeVar("T")
PROGRESS_EVERY_S = 0.05
"""The scan's progress reaches the window at most this often."""
CHECK_AT_MOST = 20
"""A change of more contacts than this (a bulk action) is left to the next scan."""


class Runs(Protocol):
    """What runs work off the GUI thread and calls back on it (`app.ui.worker.Worker`)."""

    def submit(
        self,
        job: Callable[[], T],
        done: Callable[[T], None] | None = None,
        error: Callable[[Exception], None] | None = None,
    ) -> object:
        """Run `job`, then `done(result)` or `error(exc)` on the GUI thread."""


class DuplicatesView(QWidget):
    """The review list: Scan, then Merge… or Not duplicates per group, or merge all above S.

    Signals:
        scanned: a scan finished and its groups are shown (or it was cancelled or failed).
        counted: the number of groups a scan found, or that a merge or decision left (int).
        contact_chosen: the first contact of the group chosen (int), or None for no group.
        merge_dialog_opened: the MergeDialog for the chosen group, once it is open.
        suspected: a sentence naming a probable duplicate of a contact just added or edited.
        checked: a check of contacts just added or edited finished (found or not).
    """

    scanned = Signal()
    counted = Signal(int)
    contact_chosen = Signal(object)
    merge_dialog_opened = Signal(object)
    suspected = Signal(str)
    checked = Signal()
    _progressed = Signal(int, int)

    def __init__(
        self,
        dedupe: DedupeService,
        merger: MergeService,
        *,
        contacts: ContactReader,
        reads: Runs,
        writes: Runs,
        hub: ChangeHub,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._dedupe, self._merger, self._contacts = dedupe, merger, contacts
        self._reads, self._writes, self._hub = reads, writes, hub
        self._control: TaskControl | None = None
        self._decided = False
        """Whether a "Not duplicates" decision is stored (the last scan said, or one was made)."""
        self._publishing = False
        self.stale = True
        """Whether the list may not show the contacts as they are (no scan yet, or a change)."""
        self._changes = 0  # changes that made the list old: one during a scan keeps it old
        self.merge_dialog: MergeDialog | None = None
        self.model = DuplicateGroupsModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        rows = self.table.verticalHeader()
        rows.hide()
        # Fixed sizes: a scan's 5,000 groups arrive without Qt measuring a row (sizing the
        # score column to its contents read a thousand rows on the GUI thread).
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(GroupColumn.SCORE, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(
            GroupColumn.SCORE, self.fontMetrics().horizontalAdvance("Score 0.00") + 16
        )
        header.setSectionResizeMode(GroupColumn.CONTACTS, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(GroupColumn.CONTACTS, 320)
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _index: self.merge_selected())
        self.scan_button = QPushButton("Scan", self)
        self.cancel_button = QPushButton("Cancel", self)
        self.progress = QProgressBar(self)
        self.status = QLabel(self)
        self.merge_button = QPushButton("Merge…", self)
        self.apart_button = QPushButton("Not duplicates", self)
        self.forget_button = QPushButton("Undo “Not duplicates”", self)
        self.min_score = QDoubleSpinBox(self)
        self.min_score.setRange(0.0, 1.0)
        self.min_score.setSingleStep(0.01)
        self.min_score.setValue(0.95)
        self.merge_all_button = QPushButton("Merge all at or above", self)
        self._layout()
        self.scan_button.clicked.connect(self.scan)
        self.cancel_button.clicked.connect(self.cancel)
        self.merge_button.clicked.connect(self.merge_selected)
        self.apart_button.clicked.connect(self.mark_selected_apart)
        self.forget_button.clicked.connect(self.forget_last_decision)
        self.merge_all_button.clicked.connect(self.merge_all)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._chosen())
        self._progressed.connect(self._show_progress)
        hub.changed.connect(self._changed_elsewhere)
        self._scanning(False)

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.scan_button)
        top.addWidget(self.cancel_button)
        top.addWidget(self.status, 1)  # the status takes the room the progress leaves
        top.addWidget(self.progress, 1)
        self.status.setWordWrap(True)  # a long sentence must not widen the window
        one = QHBoxLayout()  # what acts on the chosen group
        for button in (self.merge_button, self.apart_button, self.forget_button):
            one.addWidget(button)
        one.addStretch(1)
        every = QHBoxLayout()  # what acts on many groups
        every.addWidget(self.merge_all_button)
        every.addWidget(self.min_score)
        every.addStretch(1)  # on a line of their own, they stay at the left
        self._actions = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._actions.addLayout(one, 1)
        self._actions.addLayout(every)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)  # a pane of the window, like the list
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(self._actions)
        # In a narrow pane the two sets of buttons go on two lines (`resizeEvent`), so the
        # review asks the window for no more room than the list does.
        spacing = self._actions.spacing()
        self._one_line = one.sizeHint().width() + spacing + every.sizeHint().width()
        self.setMinimumWidth(max(one.sizeHint().width(), every.sizeHint().width()))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        wide = event.size().width() >= self._one_line
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if self._actions.direction() != direction:
            self._actions.setDirection(direction)

    # Scanning

    @property
    def scanning(self) -> bool:
        """Whether a scan is running."""
        return self._control is not None

    def scan_if_stale(self) -> None:
        """Scan when no scan has run yet, or contacts changed since the last one."""
        if self.stale and self._control is None:
            self.scan()

    def scan(self) -> None:
        """Look for duplicates in the background (progress shown; Cancel stops it)."""
        if self._control is not None:
            return
        last = [0.0]

        def report(done: int, total: int) -> None:
            # On the scan's thread: only some steps cross to the window, or they would queue up.
            now = time.monotonic()
            if now - last[0] >= PROGRESS_EVERY_S or (total and done >= total):
                last[0] = now
                self._progressed.emit(done, total)

        control = TaskControl(on_progress=report)
        self._control = control
        self._scanning(True)
        self.status.setText("Looking for duplicates…")
        dedupe, contacts, changes = self._dedupe, self._contacts, self._changes

        def job() -> tuple[list[DuplicateGroup], dict[int, str], bool]:
            groups = dedupe.groups(control=control)
            ids = [i for g in groups for i in g.ids]
            # The list's lines, not whole contacts: only the names are shown.
            names = {r.id: r.display_name for r in contacts.rows(ids)}
            return groups, names, bool(dedupe.decisions())

        self._reads.submit(job, lambda found: self._scan_done(found, changes), self._scan_failed)

    def cancel(self) -> None:
        """Stop the scan at its next step."""
        if self._control is not None:
            self._control.cancel()

    def _show_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 0))
        if total:
            self.progress.setValue(min(done, total))

    def _scan_done(
        self, found: tuple[list[DuplicateGroup], dict[int, str], bool], changes: int
    ) -> None:
        groups, names, self._decided = found
        self._scanning(False)
        # The weights this scan learnt, stored so that checks after a restart use them too.
        self._writes.submit(self._dedupe.remember_weights)
        self.model.set_groups(groups, names)
        self._say_count()
        self.stale = changes != self._changes  # contacts changed while it ran
        if self.stale:
            self.status.setText(CHANGED)
        if groups:
            self.table.selectRow(0)
        else:
            self.contact_chosen.emit(None)
        self.counted.emit(len(groups))
        self.scanned.emit()

    def _scan_failed(self, exc: Exception) -> None:
        self._scanning(False)
        if isinstance(exc, Cancelled):
            self.status.setText("The scan was cancelled; Scan starts it again.")
        else:
            self.status.setText("The scan failed.")
            report = getattr(self._reads, "report", None)
            if callable(report):
                report(exc)
        self.scanned.emit()

    def _scanning(self, running: bool) -> None:
        if not running:
            self._control = None
        self.scan_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.progress.setVisible(running)
        self.progress.setRange(0, 0)
        self._enable()

    def _say_count(self) -> None:
        n = self.model.rowCount()
        self.status.setText(
            f"{n} group{'s' if n != 1 else ''} of likely duplicates, best first."
            if n
            else "No likely duplicates."
        )

    def _enable(self) -> None:
        chosen = self.selected_group() is not None
        idle = self._control is None
        self.merge_button.setEnabled(chosen and idle)
        self.apart_button.setEnabled(chosen and idle)
        self.merge_all_button.setEnabled(idle and self.model.rowCount() > 0)
        self.forget_button.setEnabled(idle and self._decided)

    def selected_group(self) -> DuplicateGroup | None:
        """The group chosen in the list."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.group(rows[0].row()) if rows else None

    def _chosen(self) -> None:
        self._enable()
        group = self.selected_group()
        self.contact_chosen.emit(group.ids[0] if group is not None else None)

    # Acting on groups

    def merge_selected(self) -> None:
        """Open the merge dialog for the chosen group."""
        group = self.selected_group()
        if group is None:
            return
        merger = self._merger
        self._writes.submit(lambda: merger.plan(group.ids), self._open_dialog)

    def _open_dialog(self, plan: MergePlan) -> None:
        dialog = MergeDialog(plan, self)
        self.merge_dialog = dialog
        dialog.accepted.connect(lambda: self._merge(dialog.plan))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        self.merge_dialog_opened.emit(dialog)

    def _merge(self, plan: MergePlan) -> None:
        merger = self._merger
        self._writes.submit(
            lambda: merger.merge(plan.ids, plan.survivor_id, dict(plan.choices)),
            lambda change: self._settled(change, plan.ids),
        )

    def mark_selected_apart(self) -> None:
        """Remember that the chosen group's contacts are different people."""
        group = self.selected_group()
        if group is None:
            return
        dedupe = self._dedupe
        self._writes.submit(
            lambda: dedupe.mark_not_duplicates(group.ids),
            lambda change: self._decided_apart(change, group.ids),
        )

    def _decided_apart(self, change: ChangeSet, ids: tuple[int, ...]) -> None:
        self._decided = True
        self._settled(change, ids)

    def forget_last_decision(self) -> None:
        """Take back the newest "Not duplicates" decision, then scan again."""
        dedupe = self._dedupe
        self._writes.submit(dedupe.forget_decision, self._forgotten)

    def _forgotten(self, change: ChangeSet) -> None:
        self._publish(change)
        self.scan()

    def merge_all(self) -> None:
        """Merge every group shown at or above the score chosen, as one undoable operation."""
        floor = self.min_score.value()
        groups = [g.ids for g in self.model.groups if g.score >= floor - 1e-9]
        if not groups:
            self.status.setText(f"No group scores {floor:.2f} or more.")
            return
        answer = QMessageBox.question(
            self,
            "Merge duplicates",
            f"Merge {len(groups)} group{'s' if len(groups) != 1 else ''} scored {floor:.2f} or "
            "more, each with its default choices? One Undo takes it all back.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        merger = self._merger
        ids = [i for g in groups for i in g]
        self._writes.submit(
            lambda: merger.merge_groups(groups), lambda change: self._settled(change, ids)
        )

    def _settled(self, change: ChangeSet, ids: Sequence[int]) -> None:
        self.model.drop_touching(ids)
        self._say_count()
        self._publish(change)
        if self.model.rowCount():
            self.table.selectRow(0)
        self._enable()
        self.counted.emit(self.model.rowCount())

    def _publish(self, change: ChangeSet) -> None:
        # The hub calls its listeners at once, this one among them: it is told it was us.
        self._publishing = True
        try:
            self._hub.publish(change)
        finally:
            self._publishing = False

    def _changed_elsewhere(self, change: ChangeSet) -> None:
        if self._publishing:
            return
        checked = self._check(change)
        may_move = change.segments is None or DUPLICATES in change.segments
        # A group shown was touched, or too many contacts changed to check them one by one.
        if self.model.holds_any(change.ids) or (may_move and not checked):
            self._mark_stale()

    def _mark_stale(self) -> None:
        self.stale = True
        self._changes += 1
        if self._control is None:
            self.status.setText(CHANGED)

    def _check(self, change: ChangeSet) -> bool:
        """Check the few contacts a change added or edited against the others.

        Returns:
            Whether the change was few enough contacts to check (the check then decides
            whether the list is old); False for an import or a bulk action.
        """
        ids = [*change.added, *change.changed]
        imported = change.segments is not None and any(
            key.startswith("import:") for key in change.segments
        )
        if len(ids) > CHECK_AT_MOST or imported:
            return False
        if not ids:
            return True
        dedupe, contacts = self._dedupe, self._contacts

        def job() -> str | None:
            found = dedupe.check(ids)
            if not found:
                return None
            best = found[0]
            names = {r.id: r.display_name for r in contacts.rows(best.ids)}
            # The contact just saved first: "Anne Lee may be the same person as Ann Lee".
            first = next(i for i in best.ids if i in ids)
            (other,) = (i for i in best.ids if i != first)
            why = ", ".join(best.reasons[:2])
            return (
                f"{names.get(first, f'#{first}')} may be the same person as "
                f"{names.get(other, f'#{other}')}: {why} — View › Review duplicates…"
            )

        self._reads.submit(job, self._check_done)
        return True

    def _check_done(self, sentence: str | None) -> None:
        if sentence is not None:
            self._mark_stale()
            self.status.setText(sentence)
            self.suspected.emit(sentence)
        self.checked.emit()


CHANGED = "Contacts changed since this scan; Scan to see them as they are."


def build_duplicates_view(ctx: AppContext, parent: QWidget | None = None) -> DuplicatesView:
    """The review over the window's database and workers (the main window shows it as a pane)."""
    view = DuplicatesView(
        DedupeService(ctx.db),
        MergeService(ctx.db),
        contacts=ctx.contacts,
        # A scan is background work: it never holds up an edit, a page or a count.
        reads=Worker("kith-scan", parent, runner=ctx.runner, lane=Lane.READ, priority=Priority.LOW),
        writes=ctx.worker,
        hub=ctx.hub,
        parent=parent,
    )
    return view
