"""Search finds a row by whatever the row shows: a phone as written, its last digits, a piece of
an email."""

from __future__ import annotations

import pytest

from app.core.domain.contact import Contact, Email, Name, Phone
from app.core.services.contacts import ContactService
from app.core.storage.database import Database
from app.core.storage.search import ListQuery


def found(service: ContactService, text: str) -> list[str]:
    return [r.display_name for r in service.rows(service.ids(ListQuery(text)))]


@pytest.fixture
def service(db: Database) -> ContactService:
    service = ContactService(db, "GB")
    service.add(
        Contact(
            name=Name(given="Ada", family="Lovelace"),
            emails=[Email("ada.smith36380@example.org")],
            phones=[Phone("+44 20 7102 6676")],
        )
    )
    service.add(Contact(name=Name(given="Bo", family="Other"), phones=[Phone("+44 161 496 0000")]))
    service.add(
        Contact(name=Name(given="Cy", family="Typed"), phones=[Phone("0049 (0)30 9876-543")])
    )
    return service


@pytest.mark.parametrize(
    "text",
    [
        "+44 20 7102 6676",
        "020 7102 6676",
        "7102 6676",
        "71026676",
        "6676",
        "+44 (0)20 7102 6676",
        "(020) 7102-6676",
        "442071026676",
    ],
)
def test_a_phone_is_found_as_shown_or_by_its_last_digits(
    service: ContactService, text: str
) -> None:
    assert found(service, text) == ["Ada Lovelace"]


def test_a_number_that_is_not_there_finds_nothing(service: ContactService) -> None:
    assert found(service, "7102 6677") == []
    assert found(service, "+44 20 7102 66765") == []


def test_an_unparsed_phone_is_found_as_typed(service: ContactService) -> None:
    assert found(service, "9876-543") == ["Cy Typed"]
    assert found(service, "30 9876") == ["Cy Typed"]


@pytest.mark.parametrize("text", ["36380@", "smith36380", "36380@example", "ada.smith", "mith3638"])
def test_a_piece_of_an_email_finds_it(service: ContactService, text: str) -> None:
    assert found(service, text) == ["Ada Lovelace"]


def test_names_still_match_by_prefix(service: ContactService) -> None:
    assert found(service, "lov") == ["Ada Lovelace"]
    assert found(service, "ada lov") == ["Ada Lovelace"]
