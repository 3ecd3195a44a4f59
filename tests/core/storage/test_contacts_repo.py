"""The rows written for a contact: the hand-written `data` JSON is what json.dumps would write."""

import json

import pytest

from app.core.domain.contact import Address, Contact, Email, Event, Phone, Url
from app.core.domain.dates import PartialDate
from app.core.storage import contacts_repo

AWKWARD = ["", 'say "hi"', "back\\slash", "tab\tnul\x00\x1f\x7f", "Élodie 中文 😀", "\u2028"]


@pytest.mark.parametrize("text", AWKWARD)
def test_data_json_is_what_json_dumps_writes(text: str) -> None:
    contact = Contact(
        emails=[Email(text, text)],
        phones=[Phone(text, "+442071234567", text)],
        addresses=[Address(text, text, text, text, text, text, text, text)],
        urls=[Url(text, text)],
        events=[Event(text, PartialDate(None, 2, 29))],
        custom={text: text},
        extra_vcard=[text],
    )
    expected = {
        "emails": [{"value": text, "label": text}],
        "phones": [{"value": text, "e164": "+442071234567", "label": text}],
        "addresses": [
            {
                "label": text,
                "street": text,
                "city": text,
                "region": text,
                "postal_code": text,
                "country": text,
                "po_box": text,
                "extended": text,
            }
        ],
        "urls": [{"value": text, "label": text}],
        "events": [{"label": text, "date": "--02-29"}],
        "custom": {text: text},
        "extra_vcard": [text],
    }
    written = contacts_repo._data_json(contact)
    assert written == json.dumps(expected, ensure_ascii=False, separators=(",", ":"))
    assert json.loads(written) == expected


def test_empty_parts_are_left_out() -> None:
    assert contacts_repo._data_json(Contact(emails=[Email("a@example.org")])) == (
        '{"emails":[{"value":"a@example.org","label":""}]}'
    )
    assert contacts_repo._data_json(Contact()) == "{}"
