"""What the window's parts share, built once in `app.ui.app` and passed down (no globals)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings, QUrl

from app.core.services.contacts import ContactService
from app.core.services.interactions import InteractionService
from app.core.services.reminders import ReminderService
from app.core.services.segments import SegmentService
from app.core.services.session import Database, KeyStore
from app.ui.changes import ChangeHub
from app.ui.tasks import TaskRunner
from app.ui.worker import Worker

ICONS = Path(__file__).resolve().parents[2] / "resources" / "icons"


@dataclass(slots=True)
class AppContext:
    """What the application object (`app.ui.app.KithApp`) lends a window; the window owns none
    of it, so that work and the connection outlive a closed window.

    Attributes:
        db: the open database.
        contacts: contact use cases.
        segments: segment use cases.
        reminders: reminder use cases (the card's Coming up, Preferences, the tray).
        interactions: the timeline's use cases (the card's Log…).
        runner: the one task runner (priorities, progress, Cancel).
        worker: the runner's writer lane at high priority: edits, undo, the card's reads.
        reader: the runner's read lane at normal priority: segment counts.
        pager: the runner's read lane at high priority: the list's ids and rows.
        background: the runner's file lane: parsing files for import previews.
        hub: the ChangeSet fan-out.
        settings: where window layout and list settings are remembered.
        key_store: the keyring, for "change passphrase".
        open_url: opens mailto:/tel: links (the desktop's; tests record them instead).
    """

    db: Database
    contacts: ContactService
    segments: SegmentService
    reminders: ReminderService
    interactions: InteractionService
    runner: TaskRunner
    worker: Worker
    reader: Worker
    pager: Worker
    background: Worker
    hub: ChangeHub
    settings: QSettings
    key_store: KeyStore
    open_url: Callable[[QUrl], object]
