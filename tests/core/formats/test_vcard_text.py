"""Text values keep what the user wrote: commas, backslashes, URLs, labels (issue 8)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.domain.contact import Contact, Email, Event, Name, Url
from app.core.domain.dates import PartialDate
from tests.core.formats.vcard_helpers import export, read_one, round_trip

FORMATS = ("vcard", "vcard4")


def _card(*lines: str, version: str = "3.0") -> str:
    return "\n".join(["BEGIN:VCARD", f"VERSION:{version}", *lines, "END:VCARD", ""])


def test_commas_in_single_text_values_are_kept(tmp_path: Path) -> None:
    c = read_one(
        tmp_path,
        _card(
            "N:Doe;Ann;;;",
            "NOTE:Met at the fair, wants a quote; call back in May",
            "TITLE:Owner, Lead Designer",
        ),
    )
    assert c.notes == "Met at the fair, wants a quote; call back in May"
    assert c.title == "Owner, Lead Designer"


def test_vcard_21_note_keeps_its_comma(tmp_path: Path) -> None:
    c = read_one(tmp_path, _card("N:Doe;Ann", "NOTE:Prefers email, not phone", version="2.1"))
    assert c.notes == "Prefers email, not phone"


def test_compound_values_keep_commas_in_every_component(tmp_path: Path) -> None:
    c = read_one(
        tmp_path,
        _card(
            "N:Doe, Jr;Ann, Marie;Lee,Kim;Dr., Prof.;PhD, MBA",
            "ORG:Acme, Inc.;Sales, EMEA",
            "ADR;TYPE=work:;;12 Main St, Suite 5;Leeds, West;Yorks, UK;LS1;United Kingdom, The",
        ),
    )
    assert c.name == Name("Dr., Prof.", "Ann, Marie", "Lee,Kim", "Doe, Jr", "PhD, MBA")
    assert (c.org, c.department) == ("Acme, Inc.", "Sales, EMEA")
    (a,) = c.addresses
    assert (a.street, a.city, a.region, a.country) == (
        "12 Main St, Suite 5",
        "Leeds, West",
        "Yorks, UK",
        "United Kingdom, The",
    )


def test_lists_are_split_only_where_the_property_is_a_list(tmp_path: Path) -> None:
    c = read_one(tmp_path, _card("FN:Bob", "NICKNAME:Bob,Bobby", "CATEGORIES:a\\,b,c"))
    assert c.nickname == "Bob, Bobby"
    assert c.tags == ["a,b", "c"]


def test_value_ending_in_a_backslash_is_kept(tmp_path: Path) -> None:
    c = read_one(tmp_path, _card("FN:Ann", "NOTE:Path C:\\temp\\"))
    assert c.notes == "Path C:\\temp\\"


def test_url_with_a_comma_is_kept_whole(tmp_path: Path) -> None:
    c = read_one(tmp_path, _card("FN:Ann", "URL:https://maps.example.com/?q=1,2"))
    assert [u.value for u in c.urls] == ["https://maps.example.com/?q=1,2"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_labels_with_commas_survive_round_trips(fmt: str, tmp_path: Path) -> None:
    contact = Contact(
        name=Name(given="Ann"),
        emails=[Email("a@example.org", "Met, at conf")],
        urls=[Url("https://maps.example.com/?q=1,2", "map, old\\new")],
        events=[Event("Met, at conf", PartialDate(2020, 1, 2))],
        custom={"Referred, by\\": "Bo, b; c\\"},
    )
    back = contact
    for _ in range(3):
        (back,) = round_trip([back], fmt, tmp_path)
    assert back.emails == contact.emails
    assert back.urls == contact.urls
    assert back.events == contact.events
    assert back.custom == contact.custom


@pytest.mark.parametrize("fmt", FORMATS)
def test_semicolons_are_escaped_only_inside_compound_values(fmt: str) -> None:
    c = Contact(
        name=Name(given="A;nn", family="D;oe"),
        org="Acme; Inc",
        department="R;D",
        title="Boss; owner",
        notes="one; two",
        nickname="Bo; b",
    )
    text = export([c], fmt).decode("utf-8")
    assert "NOTE:one; two\r\n" in text
    assert "TITLE:Boss; owner\r\n" in text
    assert "NICKNAME:Bo; b\r\n" in text
    assert "FN:A;nn D;oe\r\n" in text
    assert "N:D\\;oe;A\\;nn;;;\r\n" in text
    assert "ORG:Acme\\; Inc;R\\;D\r\n" in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_hostile_text_round_trips(fmt: str, tmp_path: Path) -> None:
    text = 'a, b; c\\d \\n e\\\\ "q"\n\tline two 😀 שלום\\'
    contact = Contact(
        name=Name(text, text, text, text, text),
        nickname=text,
        org=text,
        department=text,
        title=text,
        notes=text,
        tags=[text, "plain"],
        custom={"k": text},
    )
    (back,) = round_trip([contact], fmt, tmp_path)
    assert back.name == contact.name
    for attr in ("nickname", "org", "department", "title", "notes", "tags", "custom"):
        assert getattr(back, attr) == getattr(contact, attr), attr


@pytest.mark.parametrize("fmt", FORMATS)
def test_formatted_name_is_kept_and_written_back(fmt: str, tmp_path: Path) -> None:
    c = read_one(tmp_path, _card("FN:Dr. Ann (the boss), Acme", "N:Doe;Ann;;;"))
    assert c.name == Name(given="Ann", family="Doe")
    assert c.formatted_name == "Dr. Ann (the boss), Acme"
    (back,) = round_trip([c], fmt, tmp_path)
    assert back.formatted_name == c.formatted_name
    assert back.name == c.name


def test_fn_equal_to_the_built_name_is_not_stored(tmp_path: Path) -> None:
    c = read_one(tmp_path, _card("FN:Ann Doe", "N:Doe;Ann;;;"))
    assert c.formatted_name == ""


def test_empty_n_is_derived_from_a_person_fn(tmp_path: Path) -> None:
    c = read_one(tmp_path, _card("FN:Doe, Ann", "N:;;;;"))
    assert c.name == Name(given="Ann", family="Doe")
    assert c.formatted_name == "Doe, Ann"


@pytest.mark.parametrize(
    "fn", ["ann@example.org", "+44 20 7946 0958", "Acme, Inc.", "(020) 7946-0958"]
)
def test_email_phone_or_org_fn_never_becomes_a_given_name(fn: str, tmp_path: Path) -> None:
    c = read_one(
        tmp_path,
        _card(f"FN:{fn}", "N:;;;;", "ORG:Acme\\, Inc.", "EMAIL:ann@example.org", "TEL:+1 5"),
    )
    assert c.name.is_empty()
    assert c.display_name == fn


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "contact",
    [
        Contact(emails=[Email("only@example.org", "work")]),
        Contact(org="Acme, Inc."),
        Contact(nickname="Bobby"),
        Contact(formatted_name="ann@example.org", emails=[Email("x@example.org")]),
        Contact(name=Name(given="Ann"), formatted_name="Ann (school)"),
    ],
    ids=["email-only", "org-only", "nickname-only", "fn-email", "fn-differs"],
)
def test_own_exports_import_back_to_the_same_contact(
    fmt: str, contact: Contact, tmp_path: Path
) -> None:
    (back,) = round_trip([contact], fmt, tmp_path)
    assert back == contact


@pytest.mark.parametrize("fmt", FORMATS)
def test_folded_runs_of_blanks_are_kept(fmt: str, tmp_path: Path) -> None:
    contact = Contact(name=Name(given="Ann"), notes="a" + " " * 300 + "b" + "\t" * 200 + "c")
    (back,) = round_trip([contact], fmt, tmp_path)
    assert back.notes == contact.notes
