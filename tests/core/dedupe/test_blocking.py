"""Candidate blocking: who gets compared with whom."""

from __future__ import annotations

from app.core.dedupe.blocking import CONTACT_LIMIT, blocking_keys, candidate_pairs, decode
from app.core.dedupe.record import to_record
from tests.core.dedupe.conftest import person


def _pairs(*contacts: object) -> set[tuple[int, int]]:
    records = [to_record(c, i) for i, c in enumerate(contacts)]  # type: ignore[arg-type]
    return set(decode(candidate_pairs(records)))


def test_a_phone_written_two_ways_makes_one_key() -> None:
    a = to_record(person("Bob", "Smith", phones=(("07700 900123", "", "mobile"),)), 1)
    b = to_record(person("Robert", "Smith", phones=(("+44 7700 900123", "+447700900123", ""),)), 2)
    assert {k for k in blocking_keys(a) if k.startswith("p:")} == {
        k for k in blocking_keys(b) if k.startswith("p:")
    }


def test_swapped_names_and_nicknames_share_a_phonetic_key() -> None:
    straight = blocking_keys(to_record(person("William", "Jones"), 1))
    swapped = blocking_keys(to_record(person("Jones", "William"), 2))
    nickname = blocking_keys(to_record(person("Bill", "Jones"), 3))
    assert straight & swapped
    assert straight & nickname


def test_email_case_does_not_split_a_key() -> None:
    a = blocking_keys(to_record(person("A", "B", emails=("Alice.Jones@Example.COM",)), 1))
    b = blocking_keys(to_record(person("C", "D", emails=("alice.jones@example.com",)), 2))
    assert "e:alice.jones@example.com" in a & b


def test_pairs_come_from_shared_keys_only() -> None:
    pairs = _pairs(
        person("Bob", "Smith", phones=(("07700 900123", "", "mobile"),)),
        person("Robert", "Smith", phones=(("+44 7700 900123", "+447700900123", ""),)),
        person("Zed", "Quorn", emails=("zq@example.org",)),
    )
    assert pairs == {(0, 1)}


def test_a_switchboard_shared_by_many_makes_no_pairs() -> None:
    board = ("+44 20 7946 0000", "+442079460000", "work")
    names = [
        ("Ada", "Byron"), ("Ben", "Okafor"), ("Cleo", "Vance"), ("Dev", "Patel"),
        ("Eve", "Marsh"), ("Femi", "Adeyemi"), ("Gus", "Lindqvist"), ("Hana", "Kato"),
        ("Ivo", "Rossi"), ("Jude", "Fairweather"), ("Kit", "Nakamura"), ("Lux", "Quint"),
        ("Mo", "Zielinski"), ("Ned", "Holloway"),
    ]  # fmt: skip
    staff = [person(g, f, phones=(board,), org="Acme") for g, f in names[: CONTACT_LIMIT + 1]]
    assert _pairs(*staff) == set()
    assert len(_pairs(*staff[:3])) == 3  # a small household's landline still pairs
