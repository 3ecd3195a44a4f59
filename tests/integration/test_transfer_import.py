"""CSV imports through the real CLI: a broken row is counted and named, never swallowed."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import CliRunner


def test_an_unclosed_quote_is_one_unreadable_row_and_the_rest_import(
    kith: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "outlook.csv"
    path.write_text(
        "First Name,Last Name,E-mail Address,Mobile Phone,Notes\r\n"
        'Ann,Lee,ann@example.org,,"never closed\r\n'
        "Bob,Ray,bob@example.org,,hello\r\n"
        "Cy,Doe,cy@example.org,,bye\r\n",
        encoding="utf-8",
    )
    result = kith("import", str(path))
    assert result.returncode == 0, result.stderr
    assert "2 added, 0 updated, 0 skipped, 1 unreadable." in result.stdout
    assert "line 2: A quote in this row is never closed" in result.stderr
    listed = json.loads(kith("list", "--json").stdout)
    assert sorted((c["display_name"], c["notes"]) for c in listed) == [
        ("Bob Ray", "hello"),
        ("Cy Doe", "bye"),
    ]


def test_a_note_of_140000_characters_and_a_line_break_is_one_contact(
    kith: CliRunner, tmp_path: Path
) -> None:
    note = "x" * 100_000 + "\n" + "y" * 40_000
    path = tmp_path / "outlook.csv"
    path.write_text(
        "First Name,Last Name,E-mail Address,Mobile Phone,Notes\r\n"
        f'Ann,Lee,ann@example.org,,"{note}"\r\n'
        "Bob,Ray,bob@example.org,,hello\r\n",
        encoding="utf-8",
    )
    result = kith("import", str(path), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["created"], report["problems"]) == (2, [])
    listed = json.loads(kith("list", "--json").stdout)
    notes = {c["display_name"]: c["notes"] for c in listed}
    assert notes == {"Ann Lee": note, "Bob Ray": "hello"}
