"""What the window's parts share, built once in `app.ui.app` and passed down (no globals)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings, QUrl

from app.core.services.contacts import ContactService
from app.core.services.segments import SegmentService
from app.core.services.session import Database, KeyStore
from app.ui.changes import ChangeHub
from app.ui.worker import Worker

ICONS = Path(__file__).resolve().parents[2] / "resources" / "icons"


@dataclass(slots=True)
class AppContext:
    """The object graph of one open window.

    Attributes:
        db: the open database.
        contacts: contact use cases.
        segments: segment use cases.
        worker: the one thread all database work runs on.
        reader: a thread for slow reads (segment counts) so the list never waits behind them.
        background: a thread for file parsing (import previews), apart from the database work.
        hub: the ChangeSet fan-out.
        settings: where window layout and list settings are remembered.
        key_store: the keyring, for "change passphrase".
        open_url: opens mailto:/tel: links (the desktop's; tests record them instead).
    """

    db: Database
    contacts: ContactService
    segments: SegmentService
    worker: Worker
    reader: Worker
    background: Worker
    hub: ChangeHub
    settings: QSettings
    key_store: KeyStore
    open_url: Callable[[QUrl], object]
