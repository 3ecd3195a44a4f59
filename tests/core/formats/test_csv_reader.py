"""The CSV reader: large cells, broken quotes and bounded rows, each reported, never swallowed."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from app.core.domain.contact import Contact, Email, Name
from app.core.formats import ImportProblem, ImportRecord, Limits, read_records, write_contacts

HEADER = "First Name,Last Name,E-mail Address,Business Phone,Notes\r\n"


def _read(path: Path, limits: Limits | None = None) -> list[ImportRecord | ImportProblem]:
    if limits is None:
        return list(read_records(path, region="GB"))
    return list(read_records(path, region="GB", limits=limits))


@pytest.mark.parametrize("fmt", ["outlook-csv", "google-csv"])
def test_kith_reimports_its_own_export_of_a_one_megabyte_note(fmt: str, tmp_path: Path) -> None:
    note = ('Line of a long note, with commas; and "quotes".\n' * 22_000)[: 2**20]
    contact = Contact(name=Name(given="Ann", family="Lee"), emails=[Email("a@example.org")])
    contact.notes = note.strip()
    out = io.BytesIO()
    write_contacts([contact, Contact(name=Name(given="Bob"))], fmt, out)
    path = tmp_path / "export.csv"
    path.write_bytes(out.getvalue())
    before = csv.field_size_limit()
    items = _read(path)
    assert csv.field_size_limit() == before  # no global side effect left behind
    assert [type(i) for i in items] == [ImportRecord, ImportRecord]
    assert isinstance(items[0], ImportRecord)
    assert items[0].contact.notes == contact.notes


def test_a_long_note_with_a_newline_is_one_contact_not_a_phantom(tmp_path: Path) -> None:
    note = "a" * 100_000 + "\n" + "tail, of the note" + "b" * 40_000
    path = tmp_path / "outlook.csv"
    path.write_text(
        HEADER + f'Ann,Lee,ann@example.org,,"{note}"\r\nBob,Ray,bob@example.org,,short\r\n',
        encoding="utf-8",
    )
    items = _read(path)
    records = [i for i in items if isinstance(i, ImportRecord)]
    assert [r.contact.name.given for r in records] == ["Ann", "Bob"]
    assert records[0].contact.notes == note
    assert [r.line for r in records] == [2, 4]


def test_an_unclosed_quote_is_a_problem_and_the_next_rows_are_read(tmp_path: Path) -> None:
    path = tmp_path / "outlook.csv"
    path.write_text(
        HEADER
        + 'Ann,Lee,ann@example.org,,"never closed\r\n'
        + "Bob,Ray,bob@example.org,,hello\r\n"
        + "Cy,Doe,cy@example.org,,bye\r\n",
        encoding="utf-8",
    )
    items = _read(path)
    problems = [i for i in items if isinstance(i, ImportProblem)]
    records = [i for i in items if isinstance(i, ImportRecord)]
    assert [p.line for p in problems] == [2]
    assert "quote" in problems[0].reason
    assert [(r.contact.name.given, r.line) for r in records] == [("Bob", 3), ("Cy", 4)]
    assert records[0].contact.notes == "hello"


def test_text_after_a_closing_quote_is_a_problem_for_that_row_only(tmp_path: Path) -> None:
    path = tmp_path / "outlook.csv"
    path.write_text(
        HEADER + 'Ann,Lee,ann@example.org,,"quoted"tail\r\n' + "Bob,Ray,bob@example.org,,hello\r\n",
        encoding="utf-8",
    )
    items = _read(path)
    assert isinstance(items[0], ImportProblem)
    assert items[0].line == 2
    assert isinstance(items[1], ImportRecord)
    assert items[1].contact.name.given == "Bob"


def test_a_row_over_the_card_limit_is_a_problem_and_reading_goes_on(tmp_path: Path) -> None:
    limits = Limits(max_card_bytes=10_000, max_line_bytes=4_000)
    path = tmp_path / "outlook.csv"
    big = "\n".join(["x" * 3_000] * 5)
    path.write_text(
        HEADER + f'Ann,Lee,ann@example.org,,"{big}"\r\n' + "Bob,Ray,bob@example.org,,hello\r\n",
        encoding="utf-8",
    )
    items = _read(path, limits)
    assert isinstance(items[0], ImportProblem)
    assert items[0].line == 2
    assert "larger than" in items[0].reason
    records = [i for i in items if isinstance(i, ImportRecord)]
    assert [r.contact.name.given for r in records] == ["Bob"]


def test_quoted_newlines_keep_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "outlook.csv"
    path.write_text(
        HEADER + 'Ann,Lee,,,"one\ntwo\nthree"\r\n' + "Bob,Ray,,,x\r\n", encoding="utf-8"
    )
    items = _read(path)
    assert [(i.line, type(i)) for i in items] == [(2, ImportRecord), (5, ImportRecord)]
