"""Real exports from other programs: the same sample people, written by different programs."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.dedupe import Group, scan
from app.core.domain.contact import Contact
from app.core.formats import ImportRecord, read_records
from tests.corpus import CORPUS, require


@pytest.fixture(scope="module")
def corpus_groups() -> tuple[list[Group], dict[int, str]]:
    """A scan of every record of every corpus file; each id's file and name."""
    require()
    contacts: list[Contact] = []
    where: dict[int, str] = {}
    for path in sorted(CORPUS.rglob("*")):
        if path.suffix.lower() not in (".vcf", ".csv"):
            continue
        for item in read_records(path, region="GB", workers=1):
            if isinstance(item, ImportRecord):
                item.contact.id = len(contacts) + 1
                contacts.append(item.contact)
                where[len(contacts)] = f"{Path(path).name}: {item.contact.display_name}"
    return scan(contacts), where


def _named(groups: list[Group], where: dict[int, str]) -> list[set[str]]:
    return [{where[i] for i in g.ids} for g in groups]


def test_one_person_exported_by_several_programs_is_grouped(
    corpus_groups: tuple[list[Group], dict[int, str]],
) -> None:
    groups, where = corpus_groups
    named = _named(groups, where)
    files = [{n.split(":")[0] for n in g} for g in named]
    # The CardMe "John Doe" as Gmail, Evolution and Outlook wrote him (same mobile, birthday).
    assert any(
        {"John_Doe_GMAIL.vcf", "John_Doe_EVOLUTION.vcf", "John_Doe_MS_OUTLOOK.vcf"} <= f
        for f in files
    )
    # Thunderbird's "contact one" in its CSV and its two vCard exports.
    assert any(
        {"tb-export.csv", "export-tb-legacy-2.1.vcf", "export-tb102-v4.vcf"} <= f
        and all("one" in n for n in g)
        for f, g in zip(files, named, strict=True)
    )


def test_groups_never_mix_two_sample_people(
    corpus_groups: tuple[list[Group], dict[int, str]],
) -> None:
    groups, where = corpus_groups
    for g in _named(groups, where):
        names = " ".join(g).lower()
        assert not ("contact number one" in names and "two" in names), g
        assert not ("jane" in names and "john" in names), g
    for group in groups:
        assert group.reasons
