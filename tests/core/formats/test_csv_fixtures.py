"""Kith's own small CSV files, one per quirk class real exports taught us, read value by value.

They stand in for the corpus in a clone without it; tests/data/csv/ holds only
generated, made-up people.
"""

from __future__ import annotations

from pathlib import Path

from app.core.domain.contact import Address, Contact, Event
from app.core.domain.dates import PartialDate
from app.core.formats import ImportRecord, detect_format, read_records

DATA = Path(__file__).resolve().parents[2] / "data" / "csv"


def _contacts(name: str) -> list[Contact]:
    items = list(read_records(DATA / name, region="GB"))
    assert all(isinstance(i, ImportRecord) and not i.warnings for i in items), items
    return [i.contact for i in items if isinstance(i, ImportRecord)]


def _emails(c: Contact) -> list[tuple[str, str]]:
    return [(e.value, e.label) for e in c.emails]


def _phones(c: Contact) -> list[tuple[str, str]]:
    return [(p.value, p.label) for p in c.phones]


def test_windows_1252_outlook() -> None:
    assert detect_format(DATA / "outlook-windows-1252.csv") == "outlook-csv"
    zoe, asa = _contacts("outlook-windows-1252.csv")
    assert (zoe.name.given, zoe.name.family) == ("Zoë", "Müller")
    assert (zoe.org, zoe.department, zoe.title) == ("Café Crème GmbH", "Küche", "Chef")
    assert zoe.notes == "Spezialität: Crème brûlée – 5 € pro Stück"
    assert zoe.addresses == [
        Address("work", "Hauptstraße 5", "München", "BY", "80331", "Deutschland")
    ]
    assert zoe.birthday == PartialDate(1975, 4, 30)
    assert zoe.tags == ["Kunden", "Freunde"]
    assert [u.value for u in zoe.urls] == ["https://example.de/küche"]
    assert _phones(zoe) == [("+49 89 123456", "work")]
    assert zoe.phones[0].e164 == "+4989123456"
    assert (asa.name.prefix, asa.name.given, asa.name.family) == ("Dr.", "Åsa", "Ødegård")
    assert asa.birthday is None  # Outlook's 0/0/00 is "no date"
    assert asa.notes == "«Hei» – ½ price"
    assert _phones(asa) == [("+47 22 00 00 00", "home")]


def test_utf16_outlook() -> None:
    kenji, leila = _contacts("outlook-utf16.csv")
    assert (kenji.name.given, kenji.name.family) == ("Kenji", "Satō")
    assert kenji.notes == "東京, 日本"
    assert _emails(kenji) == [("kenji@example.jp", "")]
    assert _phones(kenji) == [("+81 3 1234 5678", "mobile")]
    assert (leila.name.given, leila.notes) == ("Leïla", "مرحبا")


def test_german_outlook_headers_and_dates() -> None:
    (c,) = _contacts("outlook-german.csv")
    assert (c.name.prefix, c.name.given, c.name.family) == ("Herr", "Jürgen", "Groß")
    assert (c.org, c.department, c.title) == ("Beispiel AG", "Vertrieb", "Leiter")
    assert c.addresses == [
        Address("work", "Königsallee 1", "Düsseldorf", "", "40212", "Deutschland")
    ]
    assert _phones(c) == [("+49 211 1234", "work"), ("+49 170 1234567", "mobile")]
    assert c.birthday == PartialDate(1980, 3, 15)
    assert (c.tags, c.notes) == (["Kunden"], "Rückruf, bitte")
    assert _emails(c) == [("juergen.gross@example.de", "")]


def test_french_outlook_headers_and_day_first_dates() -> None:
    (c,) = _contacts("outlook-french.csv")
    assert (c.name.prefix, c.name.given, c.name.family) == ("Mme", "Hélène", "Lefèvre")
    assert (c.org, c.department) == ("Exemple SARL", "Ventes")
    assert c.title == "Directrice"  # French Outlook's "Profession" is the job title
    assert c.custom == {}
    assert c.birthday == PartialDate(1982, 12, 25)
    assert c.addresses == [Address("work", "12 rue de l'Église", "Paris", "", "75004", "France")]
    assert _phones(c) == [("+33 1 42 00 00 00", "work"), ("+33 6 12 34 56 78", "mobile")]
    assert c.notes == "Préfère le courriel; pas le téléphone"


def test_google_old_headers_with_multi_value_cells() -> None:
    assert detect_format(DATA / "google-old.csv") == "google-csv"
    (c,) = _contacts("google-old.csv")
    assert (c.name.given, c.name.family, c.nickname) == ("Maria", "Silva", "Mari")
    assert _emails(c) == [
        ("maria@example.pt", "home"),
        ("maria.silva@example.pt", "home"),
        ("msilva@example.com", "work"),
    ]
    assert _phones(c) == [("+351 912 345 678", "mobile")]
    assert c.addresses == [Address("home", "Rua Augusta 10", "Lisboa", "", "1100-048", "Portugal")]
    assert (c.org, c.title) == ("Silva, Lda.", "Owner")
    assert c.tags == ["Clients", "Lisbon"]  # "* myContacts" is Google's own group
    assert c.birthday == PartialDate(1985, 7, 9)
    assert c.notes == "Met at the fair, call in May"
    assert [(u.value, u.label) for u in c.urls] == [("https://example.pt/?q=1,2", "Profile")]


def test_google_new_headers_with_multi_value_cells() -> None:
    (c,) = _contacts("google-new.csv")
    assert (c.name.given, c.name.family, c.formatted_name) == ("Tomás", "Ferreira", "Tom (gym)")
    assert c.display_name == "Tom (gym)"
    assert _emails(c) == [("tomas@example.pt", "home"), ("t.ferreira@example.com", "work")]
    assert _phones(c) == [("+351 913 000 111", "mobile"), ("+351 21 000 0000", "work")]
    assert c.addresses == [
        Address("home", "Rua A 1", "Porto", "", "4000-001", "Portugal"),
        Address("work", "Avenida B 2", "Braga", "", "4700-001", "Portugal"),
    ]
    assert c.birthday == PartialDate(None, 2, 29)
    assert c.anniversary == PartialDate(2010, 6, 1)
    assert c.events == [Event("Met", PartialDate(2015, 9, 20))]
    assert c.custom == {"Shoe size": "42"}
    assert (c.tags, c.favourite) == (["Gym"], True)
    assert c.notes == "Line one\nLine two"


def test_semicolon_delimited() -> None:
    piet, sanne = _contacts("semicolon.csv")
    assert (piet.name.given, piet.name.family) == ("Piet", "de Vries")
    assert piet.notes == 'Let op; komma, en "aanhalingstekens"'
    assert _phones(piet) == [("+31 20 123 4567", "work")]
    assert _emails(sanne) == [("sanne@example.nl", "")]


def test_thunderbird() -> None:
    (c,) = _contacts("thunderbird.csv")
    assert (c.name.given, c.name.family, c.nickname) == ("Erik", "Lind", "Ekke")
    assert [e.value for e in c.emails] == ["erik@example.se", "erik.lind@example.com"]
    assert _phones(c) == [("+46 8 123 456", "work"), ("+46 70 123 45 67", "mobile")]
    assert c.addresses == [
        Address("home", "Drottninggatan 1\nLgh 1101", "Stockholm", "", "111 51", "Sweden")
    ]
    assert (c.title, c.department, c.org) == ("Engineer", "R&D", "Exempel AB")
    assert c.birthday == PartialDate(1979, 11, 3)
    assert c.custom == {"Custom 1": "blue"}
    assert c.notes == "Bor i Stockholm, gillar kaffe"


def test_quoted_line_breaks_become_lf_and_keep_line_numbers() -> None:
    items = list(read_records(DATA / "quoted-newlines.csv", region="GB"))
    assert [i.line for i in items] == [2, 6]
    ines, luis = (i.contact for i in items if isinstance(i, ImportRecord))
    assert ines.notes == 'First line\nSecond, with a comma\nThird with "quotes"'
    assert ines.addresses[0].street == "Calle Mayor 1\nPiso 2"
    assert (luis.name.given, luis.notes, luis.addresses[0].city) == ("Luis", "One line", "Sevilla")
