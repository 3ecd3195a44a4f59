"""Small helpers the vCard tests share: read a card from text, export contacts and read back."""

from __future__ import annotations

import io
from pathlib import Path

from app.core.domain.contact import Contact
from app.core.formats import ImportProblem, ImportRecord, read_records, write_contacts


def read_text(
    tmp: Path, text: str | bytes, region: str = "GB"
) -> list[ImportRecord | ImportProblem]:
    """The records of a vCard file holding `text` (str is written as UTF-8 with CR LF)."""
    data = text if isinstance(text, bytes) else text.replace("\n", "\r\n").encode("utf-8")
    path = tmp / "in.vcf"
    path.write_bytes(data)
    return list(read_records(path, format="vcard", region=region, workers=1))


def read_one(tmp: Path, text: str | bytes) -> Contact:
    """The one contact of a one-card file."""
    (item,) = read_text(tmp, text)
    assert isinstance(item, ImportRecord), item
    return item.contact


def export(contacts: list[Contact], fmt: str) -> bytes:
    """`contacts` written as `fmt` ("vcard" or "vcard4")."""
    out = io.BytesIO()
    write_contacts(contacts, fmt, out)
    return out.getvalue()


def round_trip(contacts: list[Contact], fmt: str, tmp: Path) -> list[Contact]:
    """`contacts` exported as `fmt` and imported again."""
    items = read_text(tmp, export(contacts, fmt))
    assert all(isinstance(i, ImportRecord) for i in items), items
    return [i.contact for i in items if isinstance(i, ImportRecord)]
