"""The reader's values are vobject's: the same as a vobject Component built around each card."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import vobject

from app.core.formats.limits import Limits
from app.core.formats.vcard_prepass import Prop, RawCard, card_props, open_cards
from app.core.formats.vcard_reader import VOBJECT_PROPS, _vobject_values
from tests.core.formats.conftest import CORPUS, require_corpus

HARD_VALUES = [
    ("N", "O\\;Brien;Siobhán;Mary,Ann;Dr.;"),
    ("N", "Family;;;;"),
    ("N", ";"),
    ("ADR", ";;1 High St\\nFlat 2;Leeds;;LS1 1AA;UK"),
    ("ADR", ";;a\\,b,c;;;;"),
    ("ORG", "Acme\\, Inc.;R&D;Lab 3"),
    ("ORG", ""),
    ("CATEGORIES", "clients,2024,a\\,b,"),
    ("CATEGORIES", ""),
    ("NOTE", "line one\\nline two\\, with \\;escapes\\\\ and \\x unknown"),
    ("NOTE", "ends with a backslash\\"),
    ("FN", "Zoë, Ltd."),
    ("EMAIL", "a@example.org"),
    ("TEL", "tel:+44-20-7946-0000"),
    ("BDAY", "--0415"),
]


def _as_vobject(props: list[Prop]) -> dict[int, Any]:
    """The values vobject gives when it parses the props as the lines of one vCard 3.0."""
    lines = [f"P{i}.{p.name}:{p.value}" for i, p in enumerate(props) if p.name in VOBJECT_PROPS]
    text = "BEGIN:VCARD\r\nVERSION:3.0\r\n" + "\r\n".join(lines) + "\r\nEND:VCARD\r\n"
    return {int(c.group[1:]): c.value for c in vobject.readOne(text).getChildren() if c.group}


def _comparable(values: dict[int, Any]) -> dict[int, Any]:
    """Name and Address objects as their fields, so that the two sides compare."""
    return {
        i: (type(v).__name__, vars(v)) if hasattr(v, "__dict__") else v for i, v in values.items()
    }


def test_hard_values_decode_as_vobject_decodes_them() -> None:
    props = [Prop("", name, {}, value) for name, value in HARD_VALUES]
    warnings: list[str] = []
    assert _comparable(_vobject_values(props, warnings)) == _comparable(_as_vobject(props))
    assert warnings == []


def _cards(path: Path) -> list[list[Prop]]:
    return [
        card_props(card)
        for card in open_cards(path, Limits())
        if isinstance(card, RawCard) and not card.problem
    ]


@pytest.mark.parametrize(
    "path",
    sorted(p for p in (CORPUS / "vcf").rglob("*") if p.suffix == ".vcf"),
    ids=lambda p: str(p.relative_to(CORPUS)),
)
def test_corpus_values_decode_as_vobject_decodes_them(path: Path) -> None:
    require_corpus()
    for props in _cards(path):
        assert _comparable(_vobject_values(props, [])) == _comparable(_as_vobject(props))
