"""A second, independent parser reads Kith's vCard exports as Kith stored them (issue 8).

ical.js is the vCard parser Thunderbird uses. `.ci/install_icaljs.sh` installs it (with npm)
into tests/.node; without node or ical.js these tests skip, unless KITH_REQUIRE_ICALJS=1.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from app.core.domain.contact import Address, Contact, Name
from app.core.formats import ImportRecord, read_records
from tests.conftest import REPO
from tests.core.formats.conftest import CORPUS, require_corpus
from tests.core.formats.test_vcard_property import contacts
from tests.core.formats.vcard_helpers import export

ICALJS = REPO / "tests" / ".node" / "node_modules" / "ical.js" / "dist" / "ical.js"
READER = Path(__file__).with_name("icaljs_read.mjs")
REQUIRE = os.environ.get("KITH_REQUIRE_ICALJS") == "1"
FORMATS = ("vcard", "vcard4")


def _node() -> str:
    """The node executable, after checking ical.js is installed; skips (or fails) if not."""
    node = shutil.which("node")
    missing = "node is not on PATH" if node is None else ""
    if not missing and not ICALJS.exists():
        missing = f"ical.js is not installed at {ICALJS}"
    if missing:
        reason = f"{missing}: run .ci/install_icaljs.sh to check exports with ical.js"
        if REQUIRE:
            pytest.fail(f"KITH_REQUIRE_ICALJS=1 but {reason}")
        pytest.skip(reason)
    assert node is not None
    return node


def read_with_icaljs(path: Path) -> list[dict[str, Any]]:
    """What ical.js reads from the vCard file at `path`, card by card."""
    done = subprocess.run(
        [_node(), str(READER), str(ICALJS), str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    cards: list[dict[str, Any]] = json.loads(done.stdout)
    return cards


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def as_icaljs_sees_it(card: dict[str, Any]) -> dict[str, Any]:
    """The fields compared, from one card as ical.js reads it."""
    # A second N, ORG or TITLE in a file is kept verbatim (extra_vcard) and written again:
    # what Kith shows is the first.
    return {
        "fn": card["fn"],
        "n": [_as_list(v) for v in card["n"][:1]],
        "email": card["email"],
        "tel": card["tel"],
        "note": card["note"],
        "org": [_as_list(v) for v in card["org"][:1]],
        "title": card["title"][:1],
        "adr": [_as_list(v) for v in card["adr"]],
        "categories": card["categories"],
    }


def as_kith_stored_it(c: Contact) -> dict[str, Any]:
    """The same fields, from the contact Kith stored."""
    n = c.name
    org = [[c.org, c.department] if c.department else [c.org]] if c.org or c.department else []
    return {
        "fn": [c.display_name],
        "n": [[n.family, n.given, n.middle, n.prefix, n.suffix]],
        "email": [e.value for e in c.emails],
        "tel": [p.value for p in c.phones],
        "note": [c.notes] if c.notes else [],
        "org": org,
        "title": [c.title] if c.title else [],
        "adr": [
            [a.po_box, a.extended, a.street, a.city, a.region, a.postal_code, a.country]
            for a in c.addresses
        ],
        "categories": list(c.tags),
    }


def _compare(stored: list[Contact], fmt: str, tmp: Path) -> None:
    path = tmp / f"export-{fmt}.vcf"
    path.write_bytes(export(stored, fmt))
    seen = read_with_icaljs(path)
    assert len(seen) == len(stored)
    for contact, card in zip(stored, seen, strict=True):
        assert as_icaljs_sees_it(card) == as_kith_stored_it(contact)


def _icaljs_can_read(c: Contact) -> Contact:
    """`c` without the two things ical.js 2.2 misreads in values that RFC 6350 allows.

    ical.js takes any backslash before a separator for an escape, so a component or list item
    that ends in a backslash (written `\\\\;`) swallows the next one; and it does not unescape a
    vCard 3.0 TEL (a backslash or newline in a phone number; no number has one).
    """

    def safe(text: str) -> str:
        return text + "." if text.endswith("\\") else text

    c.name = Name(*(safe(getattr(c.name, f.name)) for f in dataclasses.fields(Name)))
    c.org, c.department = safe(c.org), safe(c.department)
    c.addresses = [
        Address(a.label, *(safe(getattr(a, f.name)) for f in dataclasses.fields(Address)[1:]))
        for a in c.addresses
    ]
    c.tags = list(dict.fromkeys(safe(t) for t in c.tags))
    c.phones = [p for p in c.phones if not any(ch in p.value for ch in "\\\n")]
    return c


@pytest.mark.parametrize("fmt", FORMATS)
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # shrinking big batches is slow
)
@given(batch=st.lists(contacts().map(_icaljs_can_read), min_size=1, max_size=4))
def test_icaljs_reads_generated_hostile_contacts_as_stored(
    fmt: str, batch: list[Contact], tmp_path: Path
) -> None:
    _compare(batch, fmt, tmp_path)


@pytest.mark.parametrize("fmt", FORMATS)
def test_icaljs_reads_the_corpus_export_as_stored(fmt: str, tmp_path: Path) -> None:
    require_corpus()
    _node()
    stored = [
        item.contact
        for path in sorted((CORPUS / "vcf").rglob("*.vcf"))
        for item in read_records(path, workers=1)
        if isinstance(item, ImportRecord)
    ]
    assert len(stored) > 50
    _compare(stored, fmt, tmp_path)
