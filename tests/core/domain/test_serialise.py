from faker import Faker

from app.core.domain.contact import Contact
from app.core.domain.serialise import contact_from_dict, contact_to_dict
from tests.conftest import make_contact


def test_dict_round_trip_keeps_every_field(fake: Faker) -> None:
    for n in range(20):
        contact = make_contact(fake, n)
        contact.photo = bytes(range(256))
        contact.extra_vcard = ["X-SKYPE:ann.lee", "item1.X-ABLabel:Assistant"]
        assert contact_from_dict(contact_to_dict(contact)) == contact


def test_json_shape_has_the_fields_the_cli_contract_names(fake: Faker) -> None:
    data = contact_to_dict(make_contact(fake, 1))
    for key in (
        "id",
        "display_name",
        "name",
        "nickname",
        "emails",
        "phones",
        "addresses",
        "org",
        "title",
        "birthday",
        "anniversary",
        "urls",
        "tags",
        "notes",
        "custom",
    ):
        assert key in data, key
    assert set(data["name"]) == {"prefix", "given", "middle", "family", "suffix"}
    assert set(data["phones"][0]) == {"value", "e164", "label"}
    assert set(data["emails"][0]) == {"value", "label"}
    assert {"label", "street", "city", "region", "postal_code", "country"} <= set(
        data["addresses"][0]
    )


def test_empty_contact_round_trips() -> None:
    assert contact_from_dict(contact_to_dict(Contact())) == Contact()
