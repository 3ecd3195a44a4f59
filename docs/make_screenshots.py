"""Screenshots of the real window on a generated address book, for the README.

Run under Xvfb: xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python docs/make_screenshots.py
Saves docs/screenshots/{main-window,detail-editing,import-preview,smart-segment-editor}.png,
card-read-{light,dark}.png, empty-{light,dark}.png and preferences.png.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"

from bench_store import fill, generate  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtGui import QIcon  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from app.core.clock import SYSTEM_CLOCK  # noqa: E402
from app.core.domain.contact import Stage  # noqa: E402
from app.core.domain.dates import PartialDate  # noqa: E402
from app.core.services import exporter  # noqa: E402
from app.core.services.contacts import ContactService  # noqa: E402
from app.core.services.segments import Rule, RuleKind, SmartSegment  # noqa: E402
from app.core.storage.database import Database  # noqa: E402
from app.core.storage.engine import DatabaseKey  # noqa: E402
from app.core.storage.search import ListQuery  # noqa: E402
from app.ui.app import build_window  # noqa: E402
from app.ui.context import ICONS  # noqa: E402
from app.ui.detail_pane import Leave  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402
from app.ui.theme import ThemeChoice, theme_keeper  # noqa: E402
from app.ui.tray import Tray  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
COUNT = 2500


def settle(app: QApplication, window: MainWindow, until: Callable[[], bool] = lambda: True) -> None:
    """Let the workers deliver and the window paint."""
    ctx = window.ctx
    end = time.monotonic() + 20
    while time.monotonic() < end:
        app.processEvents()
        idle = ctx.worker.pending == 0 and ctx.reader.pending == 0 and ctx.background.pending == 0
        if idle and until():
            break
    for _ in range(20):
        app.processEvents()
        time.sleep(0.01)


def save(widget: QWidget, name: str) -> None:
    path = OUT / name
    widget.grab().save(str(path))
    print(f"saved {path.relative_to(ROOT)}")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Kith")
    theme = theme_keeper()
    theme.apply(ThemeChoice.LIGHT)
    with tempfile.TemporaryDirectory() as tmp:
        db = Database.create(Path(tmp) / "kith.db", DatabaseKey(raw=bytes(32)))
        contacts = generate(COUNT, seed=11)
        for n, c in enumerate(contacts[:60]):
            c.favourite = n % 7 == 0
        fill(db, contacts)
        service = ContactService(db, "GB")
        sample = make_sample(Path(tmp), db, service)
        settings = QSettings(str(Path(tmp) / "kith.ini"), QSettings.Format.IniFormat)
        window = build_window(db, settings, region="GB")
        window.resize(1360, 840)
        window.show()
        settle(app, window, lambda: window.segment_model.rowCount() > 0)
        window.smart.save(
            SmartSegment(
                "Berlin clients",
                [Rule(RuleKind.TAG_IS, "client"), Rule(RuleKind.CITY_IS, "Berlin")],
            )
        )
        window.smart.save(
            SmartSegment("Birthdays this month", [Rule(RuleKind.BIRTHDAY_THIS_MONTH)])
        )
        settle(app, window)
        window.segments.select_key("all")
        settle(app, window)
        window.list.select_id(window.list_model.id_at(2))
        settle(app, window, lambda: window.detail.contact_id is not None)
        save(window, "main-window.png")
        shoot_card(app, window, service)
        theme.apply(ThemeChoice.LIGHT)
        settle(app, window)
        shoot_tray_menu(app, window)

        window.detail.edit()
        form = window.detail.form
        form.stage.setCurrentIndex(form.stage.findData(Stage.CLIENT.value))
        form.emails.add_row({"value": "anna.at.example", "label": "home"})
        form.phones.rows[0].parts["value"].setText("+44 20 7")
        form.birthday.setText("--07-14")
        form.fields["title"].setFocus()
        settle(app, window)
        save(window, "detail-editing.png")
        window.detail.ask_leave = lambda _problems: Leave.DISCARD  # type: ignore[method-assign]
        window.detail.show_contact(None)
        settle(app, window)

        dialog = window.transfer.import_file(sample)
        dialog.resize(900, 560)
        settle(app, window, lambda: dialog.preview is not None)
        save(dialog, "import-preview.png")
        dialog.reject()

        editor = window.smart.editor(
            SmartSegment(
                "Quiet clients",
                [
                    Rule(RuleKind.STAGE_IS, "client"),
                    Rule(RuleKind.NOT_CONTACTED_DAYS, "90"),
                    Rule(RuleKind.MISSING_PHONE),
                ],
            )
        )
        editor.show()
        settle(app, window)
        save(editor, "smart-segment-editor.png")
        editor.reject()
        window.preferences.open()
        settle(app, window, lambda: window.preferences.dialog is not None)
        assert window.preferences.dialog is not None
        settle(app, window)
        save(window.preferences.dialog, "preferences.png")
        window.preferences.dialog.reject()
        window.close()
        db.close()
        shoot_empty(app, Path(tmp))


def shoot_card(app: QApplication, window: MainWindow, service: ContactService) -> None:
    """The read card of a well-filled contact, in the light theme and in the dark one."""
    cid = window.list_model.id_at(4)
    contact = service.get(cid)
    assert contact is not None
    contact.nickname = contact.nickname or contact.name.given[:3]
    contact.notes = "Met at the harbour fair; wants a quote for the spring catalogue."
    contact.title = contact.title or "Buyer"
    today = SYSTEM_CLOCK.today()
    contact.birthday = PartialDate(1984, today.month, min(today.day + 3, 28))
    window.ctx.hub.publish(service.update(contact))
    log_timeline(window, cid)
    settle(app, window)
    window.list.select_id(cid)
    settle(app, window, lambda: window.detail.contact_id == cid)
    for choice in (ThemeChoice.LIGHT, ThemeChoice.DARK):
        theme_keeper().apply(choice)
        settle(app, window)
        save(window, f"card-read-{choice.value}.png")


def log_timeline(window: MainWindow, contact_id: int) -> None:
    """A few interactions on the card's timeline, where interactions exist (keeping branch)."""
    try:
        from app.core.domain.interaction import InteractionKind  # noqa: PLC0415
        from app.core.services.interactions import InteractionService  # noqa: PLC0415
    except ImportError:
        return
    log = InteractionService(window.ctx.db).log
    now = SYSTEM_CLOCK.now()
    for days, kind, summary in (
        (40, InteractionKind.MEETING, "Showed the autumn samples at their office"),
        (12, InteractionKind.EMAIL, "Sent the quote for the spring catalogue"),
        (3, InteractionKind.CALL, "Agreed on 2,000 copies; invoice after delivery"),
    ):
        window.ctx.hub.publish(log([contact_id], kind, summary, now - timedelta(days=days)))


def shoot_tray_menu(app: QApplication, window: MainWindow) -> None:
    """The tray's menu with today's and overdue reminders, where reminders exist."""
    try:
        from app.core.services.reminders import ReminderService  # noqa: PLC0415
    except ImportError:
        return
    reminders = ReminderService(window.ctx.db)
    today = reminders.today()
    for row, days, note in ((4, 0, "Send the invoice"), (7, 2, "Call back about the venue")):
        reminders.follow_up(window.list_model.id_at(row), today - timedelta(days=days), note)
    tray = Tray(QIcon(str(ICONS / "kith.svg")))
    tray.set_due(reminders.due(0), reminders.today())
    tray.menu.popup(window.mapToGlobal(window.rect().center()))
    settle(app, window)
    save(tray.menu, "tray-menu.png")
    tray.menu.hide()


def shoot_empty(app: QApplication, tmp: Path) -> None:
    """The first start: an empty address book saying what to do, in both themes."""
    db = Database.create(tmp / "empty.db", DatabaseKey(raw=bytes(range(1, 33))))
    settings = QSettings(str(tmp / "empty.ini"), QSettings.Format.IniFormat)
    window = build_window(db, settings, region="GB")
    window.resize(1100, 680)
    window.show()
    settle(app, window, window.list.empty.isVisible)
    for choice in (ThemeChoice.LIGHT, ThemeChoice.DARK):
        theme_keeper().apply(choice)
        settle(app, window)
        save(window, f"empty-{choice.value}.png")
    window.close()
    db.close()


def make_sample(tmp: Path, db: Database, service: ContactService) -> Path:
    """A phone export: mostly new people, a few already in the book, one broken card."""
    other = Database.create(tmp / "other.db", DatabaseKey(raw=bytes(range(32))))
    fill(other, generate(30, seed=99))
    fresh, known = tmp / "fresh.vcf", tmp / "known.vcf"
    exporter.export(other, ContactService(other).ids(ListQuery())[:30], "vcard", fresh)
    other.close()
    exporter.export(db, service.ids(ListQuery())[5:12], "vcard", known)
    empty = b"BEGIN:VCARD\r\nVERSION:3.0\r\nEND:VCARD\r\n"
    sample = tmp / "phone-export.vcf"
    sample.write_bytes(known.read_bytes() + empty + fresh.read_bytes())
    return sample


if __name__ == "__main__":
    main()
