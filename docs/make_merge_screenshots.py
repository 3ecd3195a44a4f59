"""Screenshots of the duplicates review and the merge dialog, on a generated address book.

The review is shown as the user finds it: Needs attention › Duplicates chosen in the main
window, the groups in the list's place, the chosen group's first contact in the card.

Run under Xvfb:
    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python docs/make_merge_screenshots.py
Saves docs/screenshots/{duplicates,merge-dialog}.png.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"

from bench_store import fill, generate  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from app.core.domain.contact import Contact, Email, Name, Phone  # noqa: E402
from app.core.domain.dates import PartialDate  # noqa: E402
from app.core.storage.database import Database  # noqa: E402
from app.core.storage.engine import DatabaseKey  # noqa: E402
from app.ui.app import build_window  # noqa: E402
from app.ui.merge_dialog import MergeDialog  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
COUNT = 600


def settle(app: QApplication, until: Callable[[], bool] = lambda: True) -> None:
    """Let the workers deliver and the window paint."""
    end = time.monotonic() + 60
    while time.monotonic() < end and not until():
        app.processEvents()
        time.sleep(0.01)
    for _ in range(30):
        app.processEvents()
        time.sleep(0.01)


def save(widget: QWidget, name: str) -> None:
    path = OUT / name
    widget.grab().save(str(path))
    print(f"saved {path.relative_to(ROOT)}")


def noisy_copies(contacts: list[Contact]) -> list[Contact]:
    """Second entries of some people, the way a phone and Outlook disagree about them."""
    out = []
    for n, c in enumerate(contacts[:40]):
        twin = replace(c, name=replace(c.name), emails=list(c.emails), phones=list(c.phones))
        if n % 4 == 0:
            twin.name.given = twin.name.given.upper()
        elif n % 4 == 1:
            twin.name.middle = "J."
            twin.emails = [Email(c.emails[0].value.upper(), "home")]
        elif n % 4 == 2:
            twin.phones = [Phone("0" + c.phones[0].value.removeprefix("+44 "), label="work")]
            twin.org = ""
        else:
            twin.emails = []
            twin.birthday = PartialDate(1984, 3, 7)
        out.append(twin)
    bob = Contact(
        name=Name(given="Robert", family="Ashworth"),
        nickname="Bob",
        emails=[Email("bob.ashworth@example.org", "work")],
        phones=[Phone("+44 7911 123456", "+447911123456", "mobile")],
        org="Ashworth & Daughters",
        birthday=PartialDate(1979, 2, 28),
        notes="Met at the fair, call in May",
        tags=["client"],
    )
    bobby = Contact(
        name=Name(given="Bob", family="Ashworth"),
        emails=[Email("Bob.Ashworth@example.org"), Email("bob@ashworth.example")],
        phones=[Phone("07911 123456", "+447911123456"), Phone("+44 20 7946 0958", "+442079460958")],
        title="Director",
        notes="Prefers email",
        tags=["golf"],
        custom={"Referred by": "Ann"},
    )
    return [*out, bob, bobby]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Kith")
    app.setStyle("Fusion")
    with tempfile.TemporaryDirectory() as tmp:
        db = Database.create(Path(tmp) / "kith.db", DatabaseKey(raw=bytes(32)))
        people = generate(COUNT, seed=5)
        fill(db, people + noisy_copies(people))
        settings = QSettings(str(Path(tmp) / "kith.ini"), QSettings.Format.IniFormat)
        window = build_window(db, settings, region="GB")
        window.resize(1360, 820)
        window.splitter.setSizes([210, 640, 510])
        window.show()
        settle(app, lambda: window.segment_model.rowCount() > 0)
        view = window.duplicates
        window.show_duplicates()  # View › Review duplicates…: the line is chosen, it scans
        settle(app, lambda: view.model.rowCount() > 0 and not view.scanning)
        bob = next(
            r
            for r in range(view.model.rowCount())
            if "Ashworth" in view.model.names(view.model.group(r))
        )
        view.table.selectRow(bob)
        first = view.model.group(bob).ids[0]
        settle(app, lambda: window.detail.contact_id == first)
        save(window, "duplicates.png")

        opened: list[MergeDialog] = []
        view.merge_dialog_opened.connect(opened.append)
        view.merge_selected()
        settle(app, lambda: bool(opened))
        dialog = opened[0]
        dialog.resize(1040, 760)
        settle(app)
        save(dialog, "merge-dialog.png")
        dialog.reject()
        window.close()
        db.close()


if __name__ == "__main__":
    main()
