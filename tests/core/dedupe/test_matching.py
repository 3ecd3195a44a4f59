"""The hard cases: who must match, who must not, and the reasons in words."""

from __future__ import annotations

import pytest

from app.core.dedupe import DuplicateIndex, MatchModel, compare, default_model
from app.core.dedupe.levels import Field
from app.core.domain.contact import Contact
from bench.dedupe_gen import AddressBook
from tests.core.dedupe.conftest import person

MOBILE_NATIONAL = ("07700 900123", "", "mobile")
MOBILE_E164 = ("+44 7700 900123", "+447700900123", "mobile")
LANDLINE = ("0113 496 0000", "+441134960000", "home")
SWITCHBOARD = ("+44 20 7946 0000", "+442079460000", "work")


@pytest.fixture(scope="module", params=["learnt", "default"])
def model(request: pytest.FixtureRequest, book: AddressBook) -> MatchModel:
    """The model learnt from a generated address book, and the one used before any data."""
    if request.param == "default":
        return default_model()
    return DuplicateIndex(book.contacts).model


SAME_PERSON = {
    "Bob and Robert Smith, one mobile written two ways": (
        person("Bob", "Smith", phones=(MOBILE_NATIONAL,)),
        person("Robert", "Smith", phones=(MOBILE_E164,)),
        {"same mobile +44 7700 900123", "Bob is short for Robert"},
    ),
    "given and family names swapped": (
        person("Smith", "Jonathan", emails=("jon.smith@example.org",)),
        person("Jonathan", "Smith", emails=("jon.smith@example.org",)),
        {"given and family names swapped", "same email jon.smith@example.org"},
    ),
    "an email in other case": (
        person("Alice", "Jones", emails=("Alice.Jones@Example.COM",), birthday="1980-02-03"),
        person("Alice", "Jones", emails=("alice.jones@example.com",)),
        {"same email alice.jones@example.com", "same name"},
    ),
    "a typo and a birthday without its year": (
        person("Katherine", "Oyelaran", birthday="1975-06-14", street="12 Mill Lane"),
        person("Katharine", "Oyelaran", birthday="--06-14", street="12 Mill Ln"),
        {"same birthday", "same address"},
    ),
}

DIFFERENT_PEOPLE = {
    "two John Smiths with different phones and birthdays": (
        person("John", "Smith", phones=(MOBILE_E164,), birthday="1970-01-05"),
        person(
            "John", "Smith", phones=(("07700 900456", "+447700900456", ""),), birthday="1988-11-30"
        ),
    ),
    "a couple sharing a landline and an address": (  # and a family name
        person("Tom", "Ashworth", phones=(LANDLINE,), street="4 Park Road", postcode="LS1 4AB"),
        person("Mary", "Ashworth", phones=(LANDLINE,), street="4 Park Road", postcode="LS1 4AB"),
    ),
    "a colleague sharing the switchboard": (
        person("Priya", "Raman", phones=(SWITCHBOARD,), org="Acme Ltd"),
        person("Carol", "Baker", phones=(SWITCHBOARD,), org="Acme"),
    ),
    "a partner sharing an email": (
        person("Dana", "Whitlock", emails=("home@whitlock.example",)),
        person("Carol", "Partner", emails=("home@whitlock.example",)),
    ),
}


@pytest.mark.parametrize(("a", "b", "words"), SAME_PERSON.values(), ids=SAME_PERSON.keys())
def test_the_same_person_matches_and_says_why(
    a: Contact, b: Contact, words: set[str], model: MatchModel
) -> None:
    match = compare(a, b, model)
    assert match.is_match, match
    assert match.score > 0.5
    assert words <= set(match.reasons)
    assert compare(b, a, model).is_match  # either way round


@pytest.mark.parametrize(("a", "b"), DIFFERENT_PEOPLE.values(), ids=DIFFERENT_PEOPLE.keys())
def test_different_people_do_not_match(a: Contact, b: Contact, model: MatchModel) -> None:
    assert not compare(a, b, model).is_match
    assert not compare(b, a, model).is_match


def test_a_shared_number_is_a_reason_not_a_verdict(model: MatchModel) -> None:
    a, b = DIFFERENT_PEOPLE["a colleague sharing the switchboard"]
    match = compare(a, b, model)
    assert "same work phone +44 20 7946 0000" in match.reasons
    assert match.score < 0.1


def test_conflicts_count_against() -> None:
    model = default_model()
    base = person("Imogen", "Ashdown", phones=(MOBILE_E164,), birthday="1990-04-01")
    same = person("Imogen", "Ashdown", phones=(MOBILE_E164,), birthday="1990-04-01")
    other_birthday = person("Imogen", "Ashdown", phones=(MOBILE_E164,), birthday="1961-12-25")
    assert compare(base, other_birthday, model).score < compare(base, same, model).score
    assert "different birthdays" in compare(base, other_birthday, model).reasons


def test_a_rare_shared_surname_counts_more_than_a_common_one(book: AddressBook) -> None:
    model = DuplicateIndex(book.contacts).model
    common = max(model.counts[Field.FAMILY], key=lambda v: model.counts[Field.FAMILY][v])
    rare = "quennell-abernethy"
    assert model.counts[Field.FAMILY][common] > 5
    a, b = person("Lee", common.title()), person("Lee", common.title())
    c, d = person("Lee", rare.title()), person("Lee", rare.title())
    assert compare(c, d, model).score > compare(a, b, model).score
