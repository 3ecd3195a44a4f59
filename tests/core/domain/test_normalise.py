import pytest

from app.core.domain.contact import Contact, Email, Name, Phone
from app.core.domain.normalise import (
    default_region,
    fold,
    is_valid_email,
    parse_region,
    phone_problem,
    sort_key,
    text_problem,
    to_e164,
)
from app.core.errors import UserFacingError


def test_fold_ignores_case_and_accents() -> None:
    assert fold("  Élodie  DUPRÉ ") == "elodie dupre"
    assert fold("Straße") == "strasse"
    assert fold("Ørsted") != ""


def test_sort_keys_follow_the_chosen_order() -> None:
    c = Contact(name=Name(given="Zoë", family="Adams"))
    assert sort_key(c, family_first=False) == "zoe adams"
    assert sort_key(c, family_first=True) == "adams zoe"
    assert sort_key(Contact(org="ÄCME"), family_first=True) == "acme"


@pytest.mark.parametrize(
    ("typed", "region", "e164"),
    [
        ("030 1234567", "DE", "+49301234567"),
        ("+44 20 7946 0958", "US", "+442079460958"),
        ("(212) 555-0100", "US", "+12125550100"),
        ("tel:+33-1-23-45-67-89", "DE", "+33123456789"),
        ("not a number", "US", ""),
        ("12", "US", ""),
    ],
)
def test_phones_are_stored_in_e164_against_the_default_region(
    typed: str, region: str, e164: str
) -> None:
    assert to_e164(typed, region) == e164


def test_phone_problem_says_what_is_wrong() -> None:
    assert phone_problem("+44 20 7946 0958", "US") == ""
    assert "digits" in phone_problem("12", "US")
    assert phone_problem("hello", "US") != ""


def test_emails_are_validated() -> None:
    assert is_valid_email("ann.o'neil+tag@example.co.uk")
    for bad in ("ann", "ann@", "@x.org", "ann@x", "a b@x.org", "a@@x.org"):
        assert not is_valid_email(bad), bad


def test_display_name_falls_back_to_org_email_phone() -> None:
    assert Contact(name=Name("Dr", "Ann", "", "Lee", "PhD")).display_name == "Dr Ann Lee, PhD"
    assert Contact(org="ACME").display_name == "ACME"
    assert Contact(emails=[Email("a@x.org")]).display_name == "a@x.org"
    assert Contact(phones=[Phone("+1 212 555 0100")]).display_name == "+1 212 555 0100"


def test_default_region_comes_from_the_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("locale.getlocale", lambda *a: (None, None))
    monkeypatch.setenv("LC_ALL", "de_DE.UTF-8")
    assert default_region() == "DE"
    monkeypatch.setenv("LC_ALL", "C")
    monkeypatch.setenv("LC_CTYPE", "C")
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert default_region() == "US"


def test_control_characters_never_pass_in_emails() -> None:
    for bad in ("n\x00@example.com", "n@exa\x01mple.com", "n@example.com\x7f", "a\u2028@x.org"):
        assert not is_valid_email(bad), repr(bad)


def test_text_problem_names_the_field_and_allows_lines_only_where_asked() -> None:
    assert text_problem("Ann\tLee", "given name") == ""
    assert "given name" in text_problem("Ann\x00", "given name")
    assert "title" in text_problem("Boss\nInjected", "title")
    assert "notes" in text_problem("one\rtwo", "notes", multiline=True)
    assert text_problem("one\ntwo\tthree", "notes", multiline=True) == ""
    assert "notes" in text_problem("one\x00two", "notes", multiline=True)


@pytest.mark.parametrize(
    ("typed", "region", "note"),
    [("de", "DE", ""), (" us ", "US", ""), ("UK", "GB", "UK"), ("uk", "GB", "UK")],
)
def test_regions_are_read_and_uk_is_gb(typed: str, region: str, note: str) -> None:
    found, said = parse_region(typed)
    assert found == region
    assert note in said and (said == "") == (note == "")


@pytest.mark.parametrize("typed", ["XX", "ZZ", "", "GER", "1", "U K"])
def test_unknown_regions_are_refused_with_an_example(typed: str) -> None:
    with pytest.raises(UserFacingError, match="such as"):
        parse_region(typed)


@pytest.mark.parametrize(
    ("typed", "region", "readable"),
    [
        ("+44 20 7946 0958", "US", True),
        ("020 7946 0958", "GB", True),
        ("020 7946 0958", "UK", False),  # what a bad stored region used to do
        ("12", "GB", False),  # too short
        ("+44 20 7946 09581234", "GB", False),  # too long
        ("call me", "GB", False),  # not a number at all
        ("+44 7700 900123", "GB", False),  # the right length, but no number has this form
        ("(212) 555-0100", "US", True),
    ],
)
def test_stored_e164_is_empty_exactly_when_the_number_has_a_problem(
    typed: str, region: str, readable: bool
) -> None:
    assert (phone_problem(typed, region) == "") is readable
    assert (to_e164(typed, region) != "") is readable
