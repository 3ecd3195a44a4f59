"""Hostile and broken files give records or UserFacingError: no crash, hang or memory blow-up."""

from __future__ import annotations

import resource
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.errors import UserFacingError
from app.core.formats import ImportProblem, ImportRecord, Limits, read_records

SMALL = Limits(max_line_bytes=64 * 1024, max_card_bytes=256 * 1024, max_records=5000)


def _read_all(path: Path, limits: Limits = SMALL) -> list[ImportRecord | ImportProblem]:
    try:
        return list(read_records(path, limits=limits, workers=1))
    except UserFacingError:
        return []


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


CARD = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nEND:VCARD\r\n"
HOSTILE = {
    "huge-line": b"BEGIN:VCARD\r\nNOTE:" + b"x" * 300_000 + b"\r\nFN:A\r\nEND:VCARD\r\n",
    "deep-agent": b"BEGIN:VCARD\r\nFN:A\r\n"
    + b"AGENT:\r\nBEGIN:VCARD\r\n" * 200
    + b"END:VCARD\r\n",
    "many-tiny": b"BEGIN:VCARD\r\nEND:VCARD\r\n" * 20_000,
    "qp-chain": b"BEGIN:VCARD\r\nNOTE;ENCODING=QUOTED-PRINTABLE:"
    + b"=\r\n" * 50_000
    + b"END:VCARD\r\n",
    "bad-base64": b"BEGIN:VCARD\r\nFN:A\r\nPHOTO;ENCODING=b:@@@===!!\r\n ***\r\nEND:VCARD\r\n",
    "no-end": b"BEGIN:VCARD\r\nFN:A\r\n" * 3 + b"N:;;;;\r\n",
    "unbalanced-quote-csv": b'First Name,Last Name\r\n"Ann,' + b"x" * 200_000,
    "nul-bytes": b"\x00\x01\x02" * 1000,
    "empty": b"",
    "vlist-only": b"BEGIN:VLIST\r\nFN:x\r\nEND:VLIST\r\n",
    "utf16-garbage": b"\xff\xfe" + b"\x00\xd8" * 1000,
}


@pytest.mark.timeout(60)
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_is_bounded(name: str, tmp_path: Path) -> None:
    path = tmp_path / "hostile.vcf"
    path.write_bytes(HOSTILE[name])
    before = _maxrss_mb()
    items = _read_all(path)
    assert _maxrss_mb() - before < 200
    for item in items:
        assert isinstance(item, ImportRecord | ImportProblem)


def test_deep_agent_becomes_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "deep.vcf"
    path.write_bytes(HOSTILE["deep-agent"])
    items = _read_all(path)
    assert any(isinstance(i, ImportProblem) and "nests" in i.reason for i in items)


def test_too_many_cards_is_a_user_facing_error(tmp_path: Path) -> None:
    path = tmp_path / "many.vcf"
    path.write_bytes(CARD * 20)
    with pytest.raises(UserFacingError):
        list(read_records(path, limits=Limits(max_records=10), workers=1))


def test_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.vcf"
    path.write_bytes(CARD * 100)
    with pytest.raises(UserFacingError, match="larger than"):
        list(read_records(path, limits=Limits(max_file_bytes=1000)))


def test_oversized_photo_is_dropped_with_a_warning(tmp_path: Path) -> None:
    photo = b"QUFB" * 200_000  # 600 KB once decoded
    path = tmp_path / "photo.vcf"
    path.write_bytes(b"BEGIN:VCARD\r\nFN:A\r\nPHOTO;ENCODING=b:" + photo + b"\r\nEND:VCARD\r\n")
    (record,) = list(read_records(path, workers=1))
    assert isinstance(record, ImportRecord)
    assert record.contact.photo is None
    assert any("photo" in w for w in record.warnings)


_LINES = st.sampled_from(
    [b"BEGIN:VCARD", b"END:VCARD", b"VERSION:2.1", b"N:;;;;", b"FN:\xff\xfe", b"AGENT:",
     b"NOTE;ENCODING=QUOTED-PRINTABLE:=C3=", b"=", b" folded", b"TEL;;;:", b"EMAIL:@",
     b"PHOTO;ENCODING=b:", b"BDAY:--13-45", b"item1.X-ABLabel:_$!<>!$_", b"ADR:;;;;;;;;;;",
     b"BEGIN:VLIST", b"END:", b'X-A;"q=:x', b"CATEGORIES:,,,"]
)  # fmt: skip


@pytest.mark.timeout(60)
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.one_of(
        st.binary(max_size=2000),
        st.lists(st.one_of(_LINES, st.binary(max_size=40)), max_size=60).map(b"\r\n".join),
    )
)
def test_random_bytes_never_crash(data: bytes, tmp_path: Path) -> None:
    for suffix in (".vcf", ".csv"):
        path = tmp_path / f"fuzz{suffix}"
        path.write_bytes(data)
        for fmt in ("auto", "vcard", "csv"):
            try:
                for item in read_records(path, format=fmt, workers=1):
                    assert isinstance(item, ImportRecord | ImportProblem)
            except UserFacingError:
                pass
