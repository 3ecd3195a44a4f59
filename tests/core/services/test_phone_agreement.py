"""One definition of an invalid phone: the card's check, the segment and the import agree."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.domain.contact import Contact, Name, Phone
from app.core.domain.normalise import phone_problem
from app.core.services import importer
from app.core.services.contacts import ContactService
from app.core.services.segments import Attention, attention_filter
from app.core.storage.database import Database
from app.core.storage.search import ListQuery

REGION = "GB"
NUMBERS = {
    "valid, national": "020 7946 0958",
    "valid, international": "+49 30 1234567",
    "valid, tel: URI": "tel:+33-1-23-45-67-89",
    "too short": "12",
    "too long": "+44 20 7946 09581234",
    "not a number": "ask reception",
    "possible but no such number": "+44 7700 900123",
    "possible but no such number, national": "07700 900123",
}


def _card(given: str, phone: str) -> str:
    return (
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nN:;{given};;;\r\nFN:{given}\r\nTEL:{phone}\r\nEND:VCARD\r\n"
    )


@pytest.fixture
def service(db: Database) -> ContactService:
    return ContactService(db, REGION)


def test_card_segment_and_import_preview_agree_on_invalid_phones(
    db: Database, service: ContactService, tmp_path: Path
) -> None:
    names = {}
    for n, (kind, number) in enumerate(NUMBERS.items()):
        given = f"Person{n}"
        names[given] = kind
        service.add(Contact(name=Name(given=given), phones=[Phone(number)]))
    card_says = {kind for kind, number in NUMBERS.items() if phone_problem(number, REGION)}

    segment = ListQuery(filter=attention_filter(Attention.INVALID_PHONE))
    in_segment = {names[c.name.given] for c in service.get_many(service.ids(segment))}

    cards = tmp_path / "numbers.vcf"
    cards.write_text(
        "".join(_card(f"Card{n}", number) for n, number in enumerate(NUMBERS.values()))
    )
    kinds = list(NUMBERS)
    plan = importer.preview(db, cards, region=REGION)
    preview_warns = {kinds[int(r.display_name[4:])] for r in plan.rows if r.warnings}

    assert card_says == {
        "too short",
        "too long",
        "not a number",
        "possible but no such number",
        "possible but no such number, national",
    }
    assert in_segment == card_says
    assert preview_warns == card_says
    assert plan.problems == len(card_says)  # the preview's "with problems" counts them


def test_add_reports_numbers_it_cannot_read_and_still_adds(service: ContactService) -> None:
    contact = Contact(name=Name(given="Ann"), phones=[Phone("020 7946 0958"), Phone("12")])
    warnings = service.phone_warnings(contact)
    assert len(warnings) == 1 and "'12'" in warnings[0]
    assert service.add(contact).added
