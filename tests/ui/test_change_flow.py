"""A change flows from a service to the panes, and each pane reads only what it names."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from app.core.domain.contact import Stage
from app.core.services.contacts import ChangeSet
from app.core.services.queries import ListQuery
from app.ui.list_model import Column
from app.ui.main_window import MainWindow
from app.ui.segment_model import build_entries
from tests.ui.conftest import wait_idle


class Calls:
    """Records the arguments of each call to a service method (the real method still runs)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> None:
        self.args: list[tuple[Any, ...]] = []
        real: Callable[..., Any] = getattr(owner, name)

        def counted(*args: Any) -> Any:
            self.args.append(args)
            return real(*args)

        monkeypatch.setattr(owner, name, counted)


AS_RETURNED = "as returned"


def _run(
    qtbot: QtBot,
    window: MainWindow,
    job: Callable[[], ChangeSet],
    names: set[str] | str | None = AS_RETURNED,
) -> None:
    """Run a service call on the window's writer and publish its ChangeSet, as the card does.

    `names` stands for the segment keys the service names (the `bulk` branch fills them in
    for every service in contacts.py): a set of keys, None for "not known", or AS_RETURNED to
    keep what the service said.
    """

    def named() -> ChangeSet:
        change = job()
        if names == AS_RETURNED:
            return change
        keys = None if names is None else frozenset(names)
        return dataclasses.replace(change, segments=keys)

    window.ctx.worker.submit(named, window.ctx.hub.publish)
    wait_idle(qtbot, window)


def _shown(window: MainWindow) -> list[int]:
    return list(window.list_model.ids)


def _counts(window: MainWindow) -> dict[str, int]:
    return {e.key: e.count for e in window.segment_model.entries if not e.is_heading}


def _fresh_counts(window: MainWindow) -> dict[str, int]:
    entries = build_entries(window.ctx.contacts, window.ctx.segments)
    return {e.key: e.count for e in entries if not e.is_heading}


def test_an_edit_rereads_its_row_only(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    contacts = window.ctx.contacts
    model = window.list_model
    before = _shown(window)
    cid = before[5]
    ids = Calls(monkeypatch, contacts, "ids")
    rows = Calls(monkeypatch, contacts, "rows")
    contact = contacts.get(cid)
    assert contact is not None
    contact.org = "Renamed Ltd"  # not a sort key of the name order: the row stays where it is
    _run(qtbot, window, lambda: contacts.update(contact))
    assert all(query != model.query for query, *_ in ids.args)  # the ids were not read again
    assert rows.args == [([cid],)]  # one row re-read
    assert _shown(window) == before
    assert model.index(5, Column.COMPANY).data() == "Renamed Ltd"


def test_an_edit_that_moves_a_row_reads_the_ids_again(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    contacts = window.ctx.contacts
    model = window.list_model
    cid = _shown(window)[5]
    contact = contacts.get(cid)
    assert contact is not None
    contact.name.given = "Aaaron"  # now first in the name order
    ids = Calls(monkeypatch, contacts, "ids")
    _run(qtbot, window, lambda: contacts.update(contact))
    assert any(query == model.query for query, *_ in ids.args)
    assert _shown(window)[0] == cid
    assert _shown(window) == contacts.ids(model.query)


def test_a_contact_leaving_the_segment_leaves_the_list(qtbot: QtBot, window: MainWindow) -> None:
    contacts = window.ctx.contacts
    row = window.segment_model.row_of("tag:client")
    assert row is not None
    window.segments.view.setCurrentIndex(window.segment_model.index(row))
    wait_idle(qtbot, window)
    assert len(_shown(window)) == 20
    cid = _shown(window)[3]
    _run(qtbot, window, lambda: contacts.tag([cid], remove=["client"]), {"tag:client"})
    assert cid not in _shown(window) and len(_shown(window)) == 19
    # ...and one outside it that comes in, appears.
    outsider = next(i for i in contacts.ids(ListQuery()) if i not in _shown(window) and i != cid)
    _run(qtbot, window, lambda: contacts.tag([outsider], add=["client"]), {"tag:client"})
    assert outsider in _shown(window) and len(_shown(window)) == 20


def test_an_edit_recounts_only_the_segments_it_names(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    contacts, segments = window.ctx.contacts, window.ctx.segments
    cid = _shown(window)[0]
    counted = Calls(monkeypatch, segments, "counts")
    tags = Calls(monkeypatch, contacts, "tag_counts")
    lead = next(e for e in window.segment_model.entries if e.key == "stage:lead")
    assert lead.count == 0
    _run(
        qtbot,
        window,
        lambda: contacts.set_stage([cid], Stage.LEAD),
        {"stage:lead", "stage:client", "stage:friend"},
    )
    asked = [q for (queries,) in counted.args for q in queries]
    assert len(asked) == 3 and lead.query in asked  # not every segment
    assert tags.args == []  # no tag was named: tags are not read
    assert _counts(window) == _fresh_counts(window)
    assert _counts(window)["stage:lead"] == 1


def test_a_new_tag_adds_its_line_with_its_count(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    contacts, segments = window.ctx.contacts, window.ctx.segments
    picked = _shown(window)[:3]
    counted = Calls(monkeypatch, segments, "counts")
    _run(
        qtbot,
        window,
        lambda: contacts.tag(picked, add=["Met at the fair"]),
        {"tag:Met at the fair"},
    )
    assert _counts(window)["tag:Met at the fair"] == 3
    assert [q for (queries,) in counted.args for q in queries] == []  # tag counts come together
    assert _counts(window) == _fresh_counts(window)
    # Untagging them all takes the line away again.
    _run(
        qtbot,
        window,
        lambda: contacts.tag(picked, remove=["Met at the fair"]),
        {"tag:Met at the fair"},
    )
    assert "tag:Met at the fair" not in _counts(window)
    assert _counts(window) == _fresh_counts(window)


def test_a_change_that_names_nothing_recounts_everything(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    contacts, segments = window.ctx.contacts, window.ctx.segments
    counted = Calls(monkeypatch, segments, "counts")
    cid = _shown(window)[0]
    _run(qtbot, window, lambda: contacts.delete([cid]), None)  # segments=None: unknown
    counted_keys = sum(len(queries) for (queries,) in counted.args)
    non_tag = [e for e in window.segment_model.entries if e.query and not e.key.startswith("tag:")]
    assert counted_keys == len(non_tag)
    assert _counts(window) == _fresh_counts(window)
    assert cid not in _shown(window)


def test_changes_close_together_are_counted_once(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    contacts, segments = window.ctx.contacts, window.ctx.segments
    counted = Calls(monkeypatch, segments, "counts")
    first, second = _shown(window)[:2]
    window.ctx.worker.submit(
        lambda: dataclasses.replace(
            contacts.set_stage([first], Stage.LEAD), segments=frozenset({"stage:lead"})
        ),
        window.ctx.hub.publish,
    )
    window.ctx.worker.submit(
        lambda: dataclasses.replace(
            contacts.set_stage([second], Stage.LEAD), segments=frozenset({"stage:lead", "trash"})
        ),
        window.ctx.hub.publish,
    )
    wait_idle(qtbot, window)
    assert len(counted.args) == 1 and len(counted.args[0][0]) == 2
    assert _counts(window)["stage:lead"] == 2
