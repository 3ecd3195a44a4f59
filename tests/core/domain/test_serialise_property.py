"""contact -> JSON text -> contact is the identity, for any contact."""

from __future__ import annotations

import json

from hypothesis import given, settings

from app.core.domain.contact import Contact
from app.core.domain.serialise import contact_from_dict, contact_to_dict, fields_of
from tests.strategies import contacts


@settings(max_examples=300, deadline=None)
@given(contacts())
def test_json_round_trip_is_the_identity(contact: Contact) -> None:
    text = json.dumps(contact_to_dict(contact), ensure_ascii=False)
    assert contact_from_dict(json.loads(text)) == contact


def test_every_field_is_in_the_json_shape() -> None:
    data = contact_to_dict(Contact())
    assert {f.name for f in fields_of(Contact)} <= set(data)
    assert data["display_name"] == ""
