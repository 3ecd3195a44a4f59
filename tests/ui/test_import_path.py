"""The window imports through the path `kith import` takes: its preview is that path's dry run.

One database is opened by the window, another (a copy of the same empty one) by the real CLI in
a subprocess; both hold the same contact before the same file is imported into each.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from app.core.domain.contact import Contact, Email, Name
from app.core.domain.serialise import contact_to_dict
from app.core.services import import_preview, importer
from app.core.services.contacts import ContactService
from app.core.services.queries import ListQuery
from app.core.storage.database import Database
from app.core.storage.engine import DatabaseKey
from app.ui.import_dialog import ImportDialog
from app.ui.main_window import MainWindow
from tests.conftest import PASSPHRASE, WINDOW_DATA, CliRunner
from tests.integration.store_helpers import write_vcards
from tests.ui.conftest import REGION, wait_idle

MIXED = WINDOW_DATA / "import-mixed.vcf"
"""New cards, one matching the contact both databases hold, two with warnings, one unreadable."""
MANY = 8000
"""Cards in the large file: four chunks of the import, and more than the preview's sample."""
STAMPS = ("uid", "created_at", "updated_at")
"""What differs between two imports of the same file: generated UIDs and the time."""


def piotr() -> Contact:
    """The contact both databases hold before the import (the file has him too)."""
    return Contact(
        name=Name(given="Piotr", family="Kowalski"), emails=[Email("piotr@already.example.org")]
    )


@pytest.fixture
def window_db(db_path: Path, tmp_path: Path) -> Iterator[Database]:
    """The window's database: a copy of the CLI's (`db_path`), opened here."""
    folder = tmp_path / "window"
    folder.mkdir(mode=0o700)
    path = folder / "kith.db"
    shutil.copy2(db_path, path)
    database = Database.open(path, DatabaseKey(passphrase=PASSPHRASE))
    yield database
    database.close()


@pytest.fixture
def both(
    window_db: Database, kith: CliRunner, make_window: Callable[[Database], MainWindow]
) -> MainWindow:
    """A window on its database and the CLI's database, each holding Piotr."""
    ContactService(window_db, REGION).add(piotr())
    added = kith("add", "--given", "Piotr", "--family", "Kowalski",
                 "--email", "piotr@already.example.org")  # fmt: skip
    assert added.returncode == 0, added.stderr
    return make_window(window_db)


@pytest.fixture(scope="module")
def many_cards(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("many") / "many.vcf"
    write_vcards(path, MANY)
    with path.open("a", encoding="utf-8", newline="") as out:
        out.write("BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:no name\r\nEND:VCARD\r\n")
    return path


def previewed(qtbot: QtBot, dialog: ImportDialog) -> importer.ImportPreview:
    qtbot.waitUntil(lambda: dialog.preview is not None and dialog.progress.isHidden())
    assert dialog.preview is not None
    return dialog.preview


def cli_json(kith: CliRunner, *args: str) -> Any:
    result = kith(*args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def without_stamps(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in STAMPS}


def test_the_preview_is_the_cli_dry_run(qtbot: QtBot, both: MainWindow, kith: CliRunner) -> None:
    dialog = both.transfer.import_file(MIXED)
    preview = previewed(qtbot, dialog)
    cli = cli_json(kith, "import", "--dry-run", "--region", REGION, str(MIXED))
    assert (preview.new, preview.matches) == (cli["new"], cli["matched"]) == (5, 1)
    assert preview.counts[importer.Status.PROBLEM] == len(cli["problems"]) == 1
    assert preview.warned == len(cli["warnings"]) == 2
    # Every row the table shows is the CLI's record, line by line.
    shown = [
        {"line": r.line, "display_name": r.display_name, "status": r.status.value,
         "match_id": r.match_id, "detail": r.detail, **importer.match_json(r)}
        for r in preview.rows
    ]  # fmt: skip
    assert shown == cli["records"]
    assert dialog.model.rowCount() == len(cli["records"])
    assert dialog.summary.text().startswith("5 new, 1 already here, 3 with problems (vcard)")
    assert preview.records == []  # a dry run keeps no contacts


def test_the_window_imports_what_the_cli_imports(
    qtbot: QtBot, both: MainWindow, window_db: Database, kith: CliRunner
) -> None:
    dialog = both.transfer.import_file(MIXED)
    previewed(qtbot, dialog)
    with qtbot.waitSignal(dialog.imported, timeout=60_000) as imported:
        dialog.commit()
    result: importer.ImportResult = imported.args[0]
    wait_idle(qtbot, both)
    # The window merges a probable match by default (keeping every value): Piotr's card fills
    # what his stored contact lacks, so he is updated, not skipped.
    cli = cli_json(kith, "import", "--region", REGION, "--on-match", "merge", str(MIXED))
    assert (result.created, result.updated, result.skipped) == (
        cli["created"], cli["updated"], cli["skipped"],
    ) == (5, 1, 0)  # fmt: skip
    assert list(result.change.added) == cli["ids"]
    service = ContactService(window_db, REGION)
    mine = [
        contact_to_dict(c, with_photo=False) for c in service.get_many(service.ids(ListQuery()))
    ]
    theirs = cli_json(kith, "list")
    assert len(mine) == len(theirs) == 6
    for ours, cli_contact in zip(mine, theirs, strict=True):
        assert without_stamps(ours) == without_stamps(cli_contact)  # field by field
    maja = next(c for c in mine if c["name"]["family"] == "Lindqvist")
    assert maja["notes"] == "Met at the book fair, call in May"  # the file reached the store
    assert both.undo_action.text() == f"&Undo Import {MIXED.name}"


def test_cancel_in_the_middle_of_an_import_stores_nothing(
    qtbot: QtBot, both: MainWindow, window_db: Database, many_cards: Path
) -> None:
    service = ContactService(window_db, REGION)
    before = [contact_to_dict(c) for c in service.get_many(service.ids(ListQuery()))]
    undo_before = both.undo_action.text()
    dialog = both.transfer.import_file(many_cards)
    preview = previewed(qtbot, dialog)
    assert preview.new == MANY
    dialog.commit()
    # A chunk is written inside the import's transaction before Cancel is pressed.
    qtbot.waitUntil(lambda: dialog.progress.value() > importer.CHUNK, timeout=60_000)
    assert dialog.progress.maximum() == preview.total
    dialog.cancel_button.click()
    qtbot.waitUntil(dialog.import_button.isEnabled, timeout=60_000)
    wait_idle(qtbot, both)
    assert dialog.summary.text() == "Cancelled: nothing was imported."
    assert [contact_to_dict(c) for c in service.get_many(service.ids(ListQuery()))] == before
    assert service.count(ListQuery(trash=True)) == 0
    assert both.undo_action.text() == undo_before
    # And the same dialog can still import it all.
    with qtbot.waitSignal(dialog.imported, timeout=120_000):
        dialog.commit()
    assert service.count(ListQuery()) == len(before) + MANY


def test_the_preview_of_a_large_file_holds_a_bounded_sample(
    qtbot: QtBot, both: MainWindow, many_cards: Path
) -> None:
    dialog = both.transfer.import_file(many_cards)
    preview = previewed(qtbot, dialog)
    assert preview.total == MANY + 1 and preview.new == MANY
    # The first thousand rows and the problem; counts exact, no contact kept.
    kept = import_preview.PREVIEW_TABLE.sample + 1
    assert len(preview.rows) == dialog.model.rowCount() == kept
    assert preview.rows[-1].status is importer.Status.PROBLEM
    assert preview.records == []
    assert f"The table shows {kept:,} of the {MANY + 1:,} records" in dialog.summary.text()
    dialog.reject()
