"""The segment model: built-in segments, tags, stages, smart segments, imports, with counts."""

from __future__ import annotations

from pytestqt.modeltest import ModelTester

from app.core.domain.contact import Contact, Email, Name, Phone, Stage
from app.core.services.contacts import ContactService
from app.core.services.segments import Rule, RuleKind, SegmentService, SmartSegment
from app.core.storage.database import Database
from app.ui.segment_model import SegmentModel, SegmentRole, build_entries


def counts(db: Database, service: ContactService) -> dict[str, int]:
    return {e.key: e.count for e in build_entries(service, SegmentService(db)) if not e.is_heading}


def test_counts_follow_the_store(db: Database, service: ContactService) -> None:
    a = service.add(Contact(name=Name("", "Ann"), tags=["client"], stage=Stage.CLIENT)).added[0]
    service.add(Contact(name=Name("", "Bob"), tags=["client", "berlin"], favourite=True))
    service.add(Contact(name=Name("", "Cy"), phones=[Phone("12")]))
    SegmentService(db).save(SmartSegment("Clients", [Rule(RuleKind.TAG_IS, "client")]))
    found = counts(db, service)
    assert found["all"] == 3
    assert found["favourites"] == 1
    assert found["tag:client"] == 2
    assert found["tag:berlin"] == 1
    assert found["stage:client"] == 1
    assert found["attention:invalid phone"] == 1
    assert found["attention:no way to reach"] == 2
    assert next(v for k, v in found.items() if k.startswith("smart:")) == 2
    service.delete([a])
    found = counts(db, service)
    assert (found["all"], found["trash"], found["tag:client"]) == (2, 1, 1)


def test_probable_duplicates_share_an_email_or_a_name(
    db: Database, service: ContactService
) -> None:
    service.add(Contact(name=Name("", "Ann", "", "Lee"), emails=[Email("ann@example.org")]))
    service.add(Contact(name=Name("", "Annie"), emails=[Email("ann@example.org")]))
    service.add(Contact(name=Name("", "Bob", "", "Ray")))
    service.add(Contact(name=Name("", "Bob", "", "Ray")))
    service.add(Contact(name=Name("", "Solo")))
    assert counts(db, service)["attention:probable duplicate"] == 4


def test_model_passes_qtmodeltester(
    qtmodeltester: ModelTester, db: Database, service: ContactService, filled: list[int]
) -> None:
    model = SegmentModel()
    model.set_entries(build_entries(service, SegmentService(db)))
    qtmodeltester.check(model)
    row = model.row_of("tag:client")
    assert row is not None
    assert model.index(row).data(SegmentRole.COUNT) == 20
    heading = model.row_of("h:stages")
    assert heading is not None
    assert model.index(heading).data(SegmentRole.COUNT) is None
    model.set_entries(build_entries(service, SegmentService(db)))  # same keys: counts only
    qtmodeltester.check(model)
