"""`kith merge`, `kith undo` of a merge, `kith dedupe` and `kith not-duplicates`: the real CLI."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from faker import Faker

from app.core.domain.contact import Email
from app.core.formats import write_contacts
from tests.conftest import CliRunner, make_contact


def _add(kith: CliRunner, *args: str) -> dict[str, Any]:
    result = kith("add", *args, "--json")
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _show(kith: CliRunner, cid: int) -> dict[str, Any]:
    result = kith("show", str(cid), "--json")
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_merge_prints_the_merged_contact_and_undo_takes_it_back(kith: CliRunner) -> None:
    bob = _add(kith, "--given", "Bob", "--family", "Smith", "--email", "bob@example.org",
               "--phone", "+44 7911 123456", "--tag", "client", "--region", "GB")  # fmt: skip
    robert = _add(kith, "--given", "Robert", "--family", "Smith", "--email", "BOB@example.org",
                  "--email", "rob@home.example", "--phone", "07911 123456", "--org", "Smith & Co",
                  "--note", "Met at the fair, call in May", "--region", "GB")  # fmt: skip
    result = kith("merge", str(robert["id"]), str(bob["id"]), "--json")
    assert result.returncode == 0, result.stderr
    merged = json.loads(result.stdout)
    assert merged == _show(kith, bob["id"])  # the shape of `kith show --json`
    assert merged["id"] == bob["id"] and merged["name"]["given"] == "Bob"
    assert [e["value"] for e in merged["emails"]] == ["bob@example.org", "rob@home.example"]
    assert [p["e164"] for p in merged["phones"]] == ["+447911123456"]
    assert merged["org"] == "Smith & Co" and merged["notes"] == "Met at the fair, call in May"
    assert kith("show", str(robert["id"])).returncode == 1

    undone = kith("undo")
    assert undone.returncode == 0 and undone.stdout.startswith("Undo Merge 2 contacts into Bob")
    assert _show(kith, bob["id"]) == bob and _show(kith, robert["id"]) == robert
    again = kith("redo")
    assert again.returncode == 0 and kith("show", str(robert["id"])).returncode == 1


def test_merge_keeps_the_chosen_contact_and_says_so(kith: CliRunner) -> None:
    ann = _add(kith, "--given", "Ann")
    anne = _add(kith, "--given", "Anne", "--family", "Lee")
    result = kith("merge", str(ann["id"]), str(anne["id"]), "--keep", str(anne["id"]))
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout
        == f"Merge 2 contacts into Anne Lee (id {anne['id']}); `kith undo` takes it back.\n"
    )
    assert _show(kith, anne["id"])["name"]["given"] == "Anne"


def test_merges_that_cannot_be_done_fail_with_a_sentence(kith: CliRunner) -> None:
    ann = _add(kith, "--given", "Ann")
    for args, message in [
        ((str(ann["id"]),), "two or more"),
        ((str(ann["id"]), str(ann["id"])), "two or more"),
        ((str(ann["id"]), "999"), "No contact with id 999"),
        ((str(ann["id"]), "x"), "not a contact id"),
    ]:
        result = kith("merge", *args)
        assert result.returncode == 1 and message in result.stderr, result.stderr
        assert result.stdout == ""
    assert kith("dedupe", "--min-score", "nan").returncode == 1


def test_dedupe_lists_groups_and_forgets_nobody_marked_apart(
    kith: CliRunner, tmp_path: Path, fake: Faker
) -> None:
    people = [make_contact(fake, n) for n in range(60)]
    twin = replace(
        people[3],
        name=replace(people[3].name),
        emails=[Email(people[3].emails[0].value.upper())],
        addresses=[],
        notes="",
    )
    book, more = tmp_path / "book.vcf", tmp_path / "phone.vcf"
    with book.open("wb") as out:
        write_contacts(people, "vcard", out)
    with more.open("wb") as out:
        write_contacts([twin], "vcard", out)
    assert kith("import", str(book), "--region", "GB").returncode == 0
    assert kith("import", str(more), "--region", "GB", "--on-match", "create").returncode == 0

    result = kith("dedupe", "--json")
    assert result.returncode == 0, result.stderr
    groups = json.loads(result.stdout)
    assert [g["ids"] for g in groups] == [[4, 61]]
    (group,) = groups
    assert set(group) == {"ids", "score", "reasons"}
    assert 0.5 <= group["score"] <= 1 and all(isinstance(r, str) for r in group["reasons"])
    assert any(people[3].emails[0].value in r for r in group["reasons"]), group["reasons"]
    text = kith("dedupe").stdout
    assert people[3].name.given in text and "61" in text
    assert json.loads(kith("dedupe", "--json", "--min-score", "1.01").stdout) == []

    apart = kith("not-duplicates", "61", "4")
    assert apart.returncode == 0 and "will not group them again" in apart.stdout
    assert json.loads(kith("dedupe", "--json").stdout) == []
    assert kith("dedupe").stdout == "No likely duplicates.\n"
