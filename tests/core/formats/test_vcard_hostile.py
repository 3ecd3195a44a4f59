"""Control characters and junk never reach the store or an export (issue 9)."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
import vobject

from app.core.domain.contact import Contact, Email, Name
from app.core.formats import ImportProblem, ImportRecord
from tests.conftest import CliRunner
from tests.core.formats.vcard_helpers import export, read_text

# C0 but TAB, DEL and C1: what no stored value and no exported line may hold.
CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")
INJECTED = "\rEND:VCARD\rBEGIN:VCARD\rVERSION:3.0\rFN:Injected <evil@attacker.example>\r"
HOSTILE_CARD = (
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Doe;Ann\x00;;;\r\nFN:Ann\x01 Doe\r\n"
    b"EMAIL:n\x00@example.com\r\n"
    b"X-BLOB;ENCODING=b:QUJD" + INJECTED.encode() + b"QUJD\r\n"
    b'X-PARAM;X-P="a' + INJECTED.encode() + b'":value\r\n'
    b"X-TEXT:one" + INJECTED.encode() + b"two\x1b[31m\r\n"
    b"NOTE:bell\x07 and nul\x00 and esc\x1b\r\n"
    b"END:VCARD\r\n"
)


def _stored_strings(c: Contact) -> list[str]:
    values = [c.name.given, c.name.family, c.formatted_name, c.notes, *c.extra_vcard]
    return values + [e.value for e in c.emails]


def _exported_lines(data: bytes) -> list[bytes]:
    assert data.endswith(b"\r\n")
    return data[:-2].split(b"\r\n")


def test_controls_from_a_file_never_reach_a_stored_value(tmp_path: Path) -> None:
    (item,) = read_text(tmp_path, HOSTILE_CARD)
    assert isinstance(item, ImportRecord), item
    c = item.contact
    for text in _stored_strings(c):
        assert not CONTROL.search(text), repr(text)
    assert c.emails == [Email("n@example.com")]
    assert c.name == Name(given="Ann", family="Doe")
    assert c.notes == "bell and nul and esc"


@pytest.mark.parametrize("fmt", ["vcard", "vcard4"])
def test_export_of_a_hostile_import_holds_one_card_for_any_reader(fmt: str, tmp_path: Path) -> None:
    (item,) = read_text(tmp_path, HOSTILE_CARD)
    assert isinstance(item, ImportRecord)
    data = export([item.contact], fmt)
    for line in _exported_lines(data):
        assert not CONTROL.search(line.decode("utf-8")), line
    # A reader that ends lines at a bare CR (or any newline) sees one card, not two.
    text = data.decode("utf-8")
    assert len(re.findall(r"(?m)^BEGIN:VCARD", text.replace("\r", "\n"))) == 1
    assert len(list(vobject.readComponents(text))) == 1


@pytest.mark.parametrize("fmt", ["vcard", "vcard4"])
def test_writer_escapes_controls_in_every_value_and_kept_line(fmt: str) -> None:
    c = Contact(
        name=Name(given="A\x00nn", family="D\roe"),
        emails=[Email("n\x00@example.com", "wo\x1brk, x")],
        notes="one\r\ntwo\rthree\x00\x1b",
        custom={"k\r\x00": "v\rBEGIN:VCARD"},
        extra_vcard=["X-FOO;X-P=a:b" + INJECTED, "X-BAR:\x00\x7f\x85"],
    )
    data = export([c], fmt)
    for line in _exported_lines(data):
        assert not CONTROL.search(line.decode("utf-8")), line
    assert data.count(b"BEGIN:VCARD") == 1 + data.count(b"\\nBEGIN:VCARD")


def test_junk_between_begin_and_end_is_a_problem(tmp_path: Path) -> None:
    junk = random.Random(9).randbytes(1024 * 1024)
    data = b"BEGIN:VCARD\r\n" + junk + b"\r\nEND:VCARD\r\n"
    data += b"BEGIN:VCARD\r\nFN:Ok\r\nEND:VCARD\r\n"
    items = read_text(tmp_path, data)
    assert isinstance(items[0], ImportProblem), items[0]
    assert "readable" in items[0].reason
    assert isinstance(items[-1], ImportRecord)
    assert items[-1].contact.formatted_name == "" and items[-1].contact.name.given == "Ok"
    assert len(items) == 2


def test_kith_import_reports_junk_and_stores_nothing_of_it(kith: CliRunner, tmp_path: Path) -> None:
    junk = random.Random(11).randbytes(1024 * 1024)
    path = tmp_path / "junk.vcf"
    path.write_bytes(b"BEGIN:VCARD\r\n" + junk + b"\r\nEND:VCARD\r\n" + HOSTILE_CARD)
    done = kith("import", str(path), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert [p["line"] for p in report["problems"]] == [1]
    assert "readable" in report["problems"][0]["reason"]
    listed = json.loads(kith("list", "--json").stdout)
    assert [c["display_name"] for c in listed] == ["Ann Doe"]
    shown = json.loads(kith("show", str(listed[0]["id"]), "--json").stdout)
    assert shown["emails"][0]["value"] == "n@example.com"
    texts = [shown["display_name"], shown["notes"], *shown["name"].values()]
    assert not any(CONTROL.search(t) for t in texts), texts
