"""Smart segment rules as SQL, and saving segments (core code; no Qt in these tests)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from app.core.clock import FixedClock
from app.core.domain.contact import Address, Contact, Email, Name, Phone, Stage
from app.core.domain.dates import PartialDate
from app.core.errors import UserFacingError
from app.core.services.contacts import ContactService
from app.core.services.segments import (
    Rule,
    RuleKind,
    SegmentService,
    SmartSegment,
    rules_from_json,
    rules_to_json,
)
from app.core.storage.database import Database
from app.core.storage.search import ListQuery

TODAY = date(2026, 3, 15)


@pytest.fixture
def service(db: Database) -> ContactService:
    """The contact service over the test database."""
    return ContactService(db, "GB")


@pytest.fixture
def segments(db: Database) -> SegmentService:
    return SegmentService(db, FixedClock(datetime(TODAY.year, TODAY.month, TODAY.day, 12), TODAY))


def names(service: ContactService, segments: SegmentService, *rules: Rule) -> list[str]:
    query = ListQuery(filter=segments.filter_for(SmartSegment("t", list(rules))))
    return [c.display_name for c in service.get_many(service.ids(query))]


def test_each_rule_selects_what_it_says(
    db: Database, service: ContactService, segments: SegmentService
) -> None:
    service.add(
        Contact(
            name=Name("", "Ann"),
            org="Acme Widgets",
            tags=["vip"],
            stage=Stage.CLIENT,
            birthday=PartialDate(None, 3, 2),
            emails=[Email("ann@example.org")],
            addresses=[Address(city="Berlin")],
        )
    )
    bob = service.add(
        Contact(
            name=Name("", "Bob"),
            phones=[Phone("+44 20 7946 0000")],
            birthday=PartialDate(1980, 4, 1),
        )
    ).added[0]
    with db.write() as conn:
        recent = datetime.now(UTC).replace(microsecond=0) - timedelta(days=3)
        conn.exec_driver_sql(
            "UPDATE contacts SET last_contacted = ? WHERE id = ?", (recent.isoformat(), bob)
        )
    assert names(service, segments, Rule(RuleKind.TAG_IS, "vip")) == ["Ann"]
    assert names(service, segments, Rule(RuleKind.STAGE_IS, "Client")) == ["Ann"]
    assert names(service, segments, Rule(RuleKind.COMPANY_CONTAINS, "widget")) == ["Ann"]
    assert names(service, segments, Rule(RuleKind.CITY_IS, "berlin")) == ["Ann"]
    assert names(service, segments, Rule(RuleKind.BIRTHDAY_THIS_MONTH)) == ["Ann"]
    assert names(service, segments, Rule(RuleKind.MISSING_EMAIL)) == ["Bob"]
    assert names(service, segments, Rule(RuleKind.MISSING_PHONE)) == ["Ann"]
    not_recent = names(service, segments, Rule(RuleKind.NOT_CONTACTED_DAYS, "30"))
    assert "Ann" in not_recent
    both = names(service, segments, Rule(RuleKind.TAG_IS, "vip"), Rule(RuleKind.MISSING_PHONE))
    assert both == ["Ann"]


def test_added_by_import(db: Database, service: ContactService, segments: SegmentService) -> None:
    cid = service.add(Contact(name=Name("", "Imported"))).added[0]
    service.add(Contact(name=Name("", "Typed")))
    with db.write() as conn:
        conn.exec_driver_sql("UPDATE contacts SET import_op = 7 WHERE id = ?", (cid,))
    assert names(service, segments, Rule(RuleKind.ADDED_BY_IMPORT, "7")) == ["Imported"]


@pytest.mark.parametrize(
    "rule",
    [
        Rule(RuleKind.STAGE_IS, "boss"),
        Rule(RuleKind.NOT_CONTACTED_DAYS, "soon"),
        Rule(RuleKind.TAG_IS, ""),
    ],
)
def test_bad_rules_are_refused_with_a_sentence(segments: SegmentService, rule: Rule) -> None:
    with pytest.raises(UserFacingError):
        segments.save(SmartSegment("x", [rule]))


def test_segments_are_saved_edited_and_deleted(segments: SegmentService) -> None:
    saved = segments.save(SmartSegment("VIPs", [Rule(RuleKind.TAG_IS, "vip")]))
    assert saved.id is not None
    segments.save(SmartSegment("Big VIPs", [Rule(RuleKind.MISSING_EMAIL)], saved.id))
    (stored,) = segments.smart_segments()
    assert (stored.name, stored.rules) == ("Big VIPs", [Rule(RuleKind.MISSING_EMAIL)])
    segments.delete(saved.id)
    assert segments.smart_segments() == []
    with pytest.raises(UserFacingError):
        segments.save(SmartSegment("  ", []))


def test_rules_round_trip_and_unknown_kinds_are_dropped() -> None:
    rules = [Rule(RuleKind.CITY_IS, "Köln"), Rule(RuleKind.MISSING_PHONE)]
    assert rules_from_json(rules_to_json(rules)) == rules
    assert rules_from_json('[{"kind": "zodiac is", "value": "leo"}]') == []
