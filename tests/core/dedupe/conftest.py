"""Contacts for the matcher's tests: hand-made hard cases and a generated address book."""

from __future__ import annotations

import pytest

from app.core.domain.contact import Address, Contact, Email, Name, Phone
from app.core.domain.dates import PartialDate
from bench.dedupe_gen import AddressBook, generate


def person(
    given: str,
    family: str,
    *,
    phones: tuple[tuple[str, str, str], ...] = (),
    emails: tuple[str, ...] = (),
    birthday: str = "",
    street: str = "",
    postcode: str = "",
    org: str = "",
    contact_id: int | None = None,
) -> Contact:
    """A contact from a few fields; phones are (as typed, E.164 or "", label)."""
    return Contact(
        id=contact_id,
        name=Name(given=given, family=family),
        phones=[Phone(v, e, label) for v, e, label in phones],
        emails=[Email(e) for e in emails],
        birthday=PartialDate.parse(birthday) if birthday else None,
        addresses=[Address("home", street, "Leeds", "", postcode, "UK")] if street else [],
        org=org,
    )


@pytest.fixture(scope="session")
def book() -> AddressBook:
    """A generated, labelled address book of 3,000 contacts (seeded: the same every run)."""
    return generate(3000, seed=3)
