"""What Kith needs of a vCard value's grammar, which vobject's grammar does not give.

vobject splits every text value on unescaped commas and keeps the first item
(py-vobject/vobject#55): `NOTE:Met at the fair, call in May` becomes `Met at the fair`, and a
value ending in a backslash gains `eof`. Kith decodes values itself (`decode_value`); these tests
say what that decoding must give, and where vobject's grammar is not at fault (no unescaped
comma, no trailing backslash) that it still agrees with vobject over the whole corpus.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import vobject

from app.core.formats.limits import Limits
from app.core.formats.vcard_prepass import Prop, RawCard, card_props, open_cards
from app.core.formats.vcard_reader import DECODED_PROPS, decode_value
from tests import corpus
from tests.core.formats.conftest import require_corpus

NEEDED = [
    ("N", "O\\;Brien;Siobhán;Mary,Ann;Dr.;", ["O;Brien", "Siobhán", "Mary,Ann", "Dr.", ""]),
    ("N", "Family;;;;", ["Family", "", "", "", ""]),
    ("N", ";", ["", ""]),
    ("ADR", ";;1 High St\\nFlat 2;Leeds;;LS1 1AA;UK", ["", "", "1 High St\nFlat 2", "Leeds"]),
    ("ADR", ";;12 Main St, Suite 5;;;;", ["", "", "12 Main St, Suite 5", "", "", "", ""]),
    ("ADR", ";;a\\,b,c;;;;", ["", "", "a,b,c", "", "", "", ""]),
    ("ORG", "Acme, Inc.;Sales, EMEA", ["Acme, Inc.", "Sales, EMEA"]),
    ("ORG", "Acme\\, Inc.;R&D;Lab 3", ["Acme, Inc.", "R&D", "Lab 3"]),
    ("ORG", "", [""]),
    ("ORG", "a\\\\;b", ["a\\", "b"]),
    ("CATEGORIES", "clients,2024,a\\,b,", ["clients", "2024", "a,b", ""]),
    ("NICKNAME", "Bob,Bobby", ["Bob", "Bobby"]),
    ("NOTE", "line one\\nline two\\, with \\;escapes\\\\ and \\x unknown", None),
    ("NOTE", "Met at the fair, wants a quote; call back in May", None),
    ("NOTE", "Path C:\\temp\\", "Path C:\\temp\\"),
    ("NOTE", "ends with an escaped backslash\\\\", "ends with an escaped backslash\\"),
    ("TITLE", "Owner, Lead Designer", "Owner, Lead Designer"),
    ("FN", "Zoë, Ltd.", "Zoë, Ltd."),
    ("URL", "https://maps.example.com/?q=1,2", "https://maps.example.com/?q=1,2"),
    ("EMAIL", "a@example.org", "a@example.org"),
    ("TEL", "tel:+44-20-7946-0000", "tel:+44-20-7946-0000"),
    ("BDAY", "--0415", "--0415"),
]
_NOTE_1 = "line one\nline two, with ;escapes\\ and \\x unknown"
_NOTE_2 = "Met at the fair, wants a quote; call back in May"


@pytest.mark.parametrize(("name", "raw", "expected"), NEEDED, ids=lambda v: str(v)[:24])
def test_values_decode_as_the_user_wrote_them(name: str, raw: str, expected: object) -> None:
    if expected is None:
        expected = _NOTE_1 if "line one" in raw else _NOTE_2
    got = decode_value(name, raw, "3.0")
    if isinstance(expected, list) and len(expected) < len(got):
        got = got[: len(expected)]
    assert got == expected


def test_vcard_21_nickname_is_not_a_list() -> None:
    assert decode_value("NICKNAME", "Bob, the builder", "2.1") == "Bob, the builder"


def test_vobject_still_truncates_which_is_why_kith_decodes_itself() -> None:
    """If this fails, vobject fixed #55: its grammar could be used again (faster to keep ours)."""
    card = vobject.readOne("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:x\r\nNOTE:a, b\r\nEND:VCARD\r\n")
    assert card.note.value == "a"
    assert decode_value("NOTE", "a, b", "3.0") == "a, b"


_UNESCAPED_COMMA = re.compile(r"(?<!\\)(?:\\\\)*,")


def _cards(path: Path) -> list[list[Prop]]:
    return [
        card_props(card)
        for card in open_cards(path, Limits())
        if isinstance(card, RawCard) and not card.problem
    ]


def _vobject_value(prop: Prop) -> object:
    text = f"BEGIN:VCARD\r\nVERSION:3.0\r\nP.{prop.name}:{prop.value}\r\nEND:VCARD\r\n"
    (child,) = [c for c in vobject.readOne(text).getChildren() if c.group]
    return child.value


@pytest.mark.parametrize("path", corpus.files(".vcf", under="vcf"))
def test_corpus_values_keep_every_comma_and_agree_with_vobject_elsewhere(path: Path) -> None:
    require_corpus()
    for props in _cards(path):
        for prop in props:
            if prop.name not in DECODED_PROPS or prop.name in ("N", "ADR", "ORG"):
                continue
            ours = decode_value(prop.name, prop.value, "3.0")
            if prop.name in ("CATEGORIES", "NICKNAME"):
                assert isinstance(ours, list)
                continue
            assert isinstance(ours, str)
            assert ours.count(",") == prop.value.count(","), (prop.name, prop.value)
            # Apple's `http\://` is undone by Kith, kept by vobject.
            if "\\:" in prop.value or prop.value.endswith("\\"):
                continue
            if not _UNESCAPED_COMMA.search(prop.value):
                assert ours == _vobject_value(prop), (prop.name, prop.value)
