"""The paged contact list model: ids from SQLite, rows paged in through the worker."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from faker import Faker
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.core.domain.contact import Contact, Name
from app.core.services.contacts import ContactService
from app.core.storage.database import Database
from app.core.storage.search import ListQuery, SortOrder
from app.ui.list_model import BLOCK, PLACEHOLDER, Column, ContactListModel, Role
from app.ui.worker import Worker
from tests.conftest import make_contact


@pytest.fixture
def worker() -> Iterator[Worker]:
    w = Worker("test-db")
    yield w
    w.shutdown()


@pytest.fixture
def many(db: Database, service: ContactService, fake: Faker) -> list[int]:
    """More contacts than two blocks hold."""
    return [service.add(make_contact(fake, n)).added[0] for n in range(BLOCK * 2 + 50)]


def load(qtbot: QtBot, model: ContactListModel, query: ListQuery) -> None:
    with qtbot.waitSignal(model.loaded):
        model.set_query(query)


def test_model_passes_qtmodeltester(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    service: ContactService,
    worker: Worker,
    many: list[int],
) -> None:
    model = ContactListModel(service, worker)
    qtmodeltester.check(model)  # from here on the tester checks every change too
    shown: list[int] = []  # counted as the signal fires: the rest may be queued right behind
    model.first_rows.connect(lambda: shown.append(model.rowCount()))
    with qtbot.waitSignal(model.first_rows):
        model.set_query(ListQuery())
    assert shown == [BLOCK]  # the first rows come before the rest
    qtbot.waitUntil(lambda: model.complete)
    assert model.rowCount() == len(many)
    qtmodeltester.check(model)
    qtbot.waitUntil(lambda: worker.pending == 0)
    qtmodeltester.check(model)


def test_rows_page_in_from_the_worker(
    qtbot: QtBot, service: ContactService, worker: Worker, many: list[int]
) -> None:
    model = ContactListModel(service, worker)
    load(qtbot, model, ListQuery())
    first = model.index(0, Column.NAME).data()
    assert first not in ("", PLACEHOLDER)  # the first block comes with the ids
    far = model.index(BLOCK * 2 + 10, Column.NAME)
    assert far.data() == PLACEHOLDER
    with qtbot.waitSignal(model.dataChanged):
        pass
    name = far.data()
    assert name != PLACEHOLDER
    contact = service.get(far.data(Role.ID))
    assert contact is not None
    assert name == contact.display_name


def test_search_and_sort_run_in_sqlite(
    qtbot: QtBot, service: ContactService, worker: Worker
) -> None:
    for given, family, org in (
        ("Ann", "Zeller", "Beta"),
        ("Zoe", "Adams", "Alpha"),
        ("Bob", "Moor", ""),
    ):
        service.add(Contact(name=Name(given=given, family=family), org=org))
    model = ContactListModel(service, worker)
    names = lambda: [model.index(r, 0).data() for r in range(model.rowCount())]  # noqa: E731
    load(qtbot, model, ListQuery(sort=SortOrder.FIRST_LAST))
    assert names() == ["Ann Zeller", "Bob Moor", "Zoe Adams"]
    load(qtbot, model, ListQuery(sort=SortOrder.LAST_FIRST))
    assert names() == ["Zoe Adams", "Bob Moor", "Ann Zeller"]
    load(qtbot, model, ListQuery(sort=SortOrder.COMPANY))
    assert names()[:2] == ["Zoe Adams", "Ann Zeller"]
    load(qtbot, model, ListQuery(text="zel"))
    assert names() == ["Ann Zeller"]
    assert model.row_of(model.id_at(0)) == 0


def test_a_stale_search_result_is_dropped(
    qtbot: QtBot, service: ContactService, worker: Worker, many: list[int]
) -> None:
    model = ContactListModel(service, worker)
    model.set_query(ListQuery(text="a"))
    load(qtbot, model, ListQuery(text="no-such-contact-anywhere"))
    qtbot.waitUntil(lambda: worker.pending == 0)
    assert model.rowCount() == 0
