"""The whole-book scan: quality on a labelled book, planted hard cases, trash, progress."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from itertools import combinations

import pytest
from faker import Faker

from app.core.dedupe import Group, scan
from app.core.domain.contact import Contact
from app.core.tasks import Cancelled, TaskControl
from bench.dedupe_gen import AddressBook
from tests.core.dedupe.conftest import person
from tests.core.dedupe.test_matching import DIFFERENT_PEOPLE, SAME_PERSON

PLANTED = 1_000_000


def _with_ids(contacts: list[Contact], first: int) -> list[Contact]:
    return [replace(c, id=first + n) for n, c in enumerate(contacts)]


def _pairs(groups: list[Group]) -> set[tuple[int, int]]:
    return {pair for g in groups for pair in combinations(g.ids, 2)}


def test_scan_finds_the_generated_duplicates_and_little_else(book: AddressBook) -> None:
    found = _pairs(scan(list(book.contacts)))
    truth = book.true_pairs()
    hits = len(found & truth)
    assert hits / len(found) >= 0.97
    assert hits / len(truth) >= 0.97


@pytest.fixture(scope="module")
def planted(book: AddressBook) -> tuple[list[Group], list[list[int]], list[list[int]]]:
    """A scan of the book with the hard cases planted in it, and the planted ids."""
    same, different, extra = [], [], []
    next_id = PLANTED
    for a, b, _ in SAME_PERSON.values():
        extra += _with_ids([a, b], next_id)
        same.append([next_id, next_id + 1])
        next_id += 2
    for a, b in DIFFERENT_PEOPLE.values():
        extra += _with_ids([a, b], next_id)
        different.append([next_id, next_id + 1])
        next_id += 2
    return scan(list(book.contacts) + extra), same, different


def test_planted_duplicates_are_grouped_with_reasons(
    planted: tuple[list[Group], list[list[int]], list[list[int]]],
) -> None:
    groups, same, _ = planted
    by_ids = {g.ids: g for g in groups}
    for ids in same:
        group = by_ids[tuple(ids)]
        assert 0.5 <= group.score <= 1.0
        assert group.reasons and all(isinstance(r, str) and r for r in group.reasons)


def test_planted_different_people_are_not_grouped(
    planted: tuple[list[Group], list[list[int]], list[list[int]]],
) -> None:
    groups, _, different = planted
    found = _pairs(groups)
    for a, b in different:
        assert (a, b) not in found


def test_groups_come_best_first(
    planted: tuple[list[Group], list[list[int]], list[list[int]]],
) -> None:
    scores = [g.score for g in planted[0]]
    assert scores == sorted(scores, reverse=True)


def test_a_weak_link_does_not_chain_two_people_into_one_group() -> None:
    mobile = ("+44 7700 900123", "+447700900123", "mobile")
    landline = ("0113 496 0000", "+441134960000", "home")
    bob = person("Bob", "Whitcombe", phones=(mobile,), contact_id=1)
    robert = person("Robert", "Whitcombe", phones=(mobile, landline), contact_id=2)
    roberta = person("Roberta", "Whitcombe", phones=(landline,), birthday="1990-01-01",
                     contact_id=3)  # fmt: skip
    groups = scan([bob, robert, roberta])
    assert [g.ids for g in groups] == [(1, 2)]


def test_contacts_in_the_trash_are_not_matched() -> None:
    mobile = ("+44 7700 900123", "+447700900123", "mobile")
    live = person("Bob", "Whitcombe", phones=(mobile,), contact_id=1)
    trashed = person("Robert", "Whitcombe", phones=(mobile,), contact_id=2)
    trashed.deleted_at = datetime(2026, 1, 1, tzinfo=UTC)
    assert scan([live, trashed]) == []
    trashed.deleted_at = None
    assert [g.ids for g in scan([live, trashed])] == [(1, 2)]


def test_scan_reports_progress_and_can_be_cancelled(book: AddressBook) -> None:
    seen: list[tuple[int, int]] = []
    scan(book.contacts[:300], TaskControl(on_progress=lambda d, t: seen.append((d, t))))
    assert seen[-1] == (100, 100)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    control = TaskControl()
    control.cancel()
    with pytest.raises(Cancelled):
        scan(book.contacts[:300], control)


def test_an_empty_or_tiny_book_scans_to_nothing() -> None:
    assert scan([]) == []
    assert scan([person("Ann", "Lee", contact_id=1)]) == []


@pytest.mark.parametrize("strangers", [0, 1, 8, 40])
def test_two_copies_of_one_contact_are_found_however_small_the_book(strangers: int) -> None:
    """A new user's first import of a few cards: a card written twice is a duplicate.

    (A value's frequency among a few records once weighed almost nothing: two identical
    contacts in a book of ten scored 9%.)
    """
    fake = Faker("en_GB")
    fake.seed_instance(11)
    others = [
        person(fake.first_name(), fake.last_name(), emails=(f"p{n}@example.net",),
               contact_id=100 + n)
        for n in range(strangers)
    ]  # fmt: skip
    copies = [person("Maren", "Vashti", emails=("maren@x.org",), contact_id=i) for i in (1, 2)]
    assert [g.ids for g in scan([*copies, *others])] == [(1, 2)]


def test_a_name_and_its_feminine_form_in_one_home_are_two_people() -> None:
    """Robert and Roberta Whitcombe share a landline; Robret is Robert with a typo."""
    landline = ("0113 496 0000", "+441134960000", "home")
    fake = Faker("en_GB")
    fake.seed_instance(12)
    others = [
        person(fake.first_name(), fake.last_name(), emails=(f"p{n}@example.net",),
               contact_id=100 + n)
        for n in range(60)
    ]  # fmt: skip
    robert = person("Robert", "Whitcombe", phones=(landline,), contact_id=1)
    roberta = person("Roberta", "Whitcombe", phones=(landline,), contact_id=2)
    assert scan([robert, roberta, *others]) == []
    robret = person("Robret", "Whitcombe", phones=(landline,), contact_id=3)
    assert [g.ids for g in scan([robert, robret, *others])] == [(1, 3)]
