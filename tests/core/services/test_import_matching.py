"""Import matching weighs candidates with the duplicate scan's model: a shared number is a reason.

A colleague who shares Alice's switchboard, or a partner who shares her email, is a new contact
(shown with the shared value as a reason); a second card of Alice herself is a match; records
of one file that look like one person are marked, not merged.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.domain.contact import Contact, Email, Name, Phone
from app.core.domain.dates import PartialDate
from app.core.services import importer
from app.core.services.contacts import ContactService
from app.core.storage import contacts_repo
from app.core.storage.database import Database
from app.core.storage.search import ListQuery, ids

REGION = "GB"
SWITCHBOARD = "+44 20 7946 0000"
HOME_EMAIL = "walkers@home.example.org"


def alice() -> Contact:
    """The stored contact: a mobile of her own, the office switchboard, the household email."""
    return Contact(
        name=Name(given="Alice", family="Walker"),
        emails=[Email("alice.walker@work.example.org", "work"), Email(HOME_EMAIL, "home")],
        phones=[Phone("+44 7911 123456", label="mobile"), Phone(SWITCHBOARD, label="work")],
        birthday=PartialDate(1984, 3, 4),
        notes="Met at the fair, call in May",
        tags=["client"],
    )


def card(fn: str, n: str, *lines: str) -> str:
    """One vCard 3.0 (generated test data; no real person)."""
    body = "".join(f"{line}\r\n" for line in lines)
    return f"BEGIN:VCARD\r\nVERSION:3.0\r\nN:{n}\r\nFN:{fn}\r\n{body}END:VCARD\r\n"


COLLEAGUE = card("Bob Colleague", "Colleague;Bob;;;", f"TEL;TYPE=WORK:{SWITCHBOARD}")
PARTNER = card("Carol Partner", "Partner;Carol;;;", f"EMAIL:{HOME_EMAIL}")
ALICE_AGAIN = card(
    "Alice Walker", "Walker;Alice;;;", "TEL;TYPE=CELL:07911 123456", "TITLE:Architect"
)


@pytest.fixture
def stored(db: Database) -> int:
    """Alice's id, stored in the real encrypted database."""
    change = ContactService(db, REGION).add(alice())
    (alice_id,) = change.added
    return alice_id


def _file(tmp_path: Path, *cards: str) -> Path:
    path = tmp_path / "incoming.vcf"
    path.write_text("".join(cards), encoding="utf-8")
    return path


def _rows(db: Database, path: Path) -> list[importer.PreviewRow]:
    plan, _ = importer.import_file(db, path, region=REGION, dry_run=True, rows=importer.EVERY_ROW)
    return plan.rows


def test_a_shared_switchboard_or_email_is_a_reason_not_a_match(
    db: Database, stored: int, tmp_path: Path
) -> None:
    colleague, partner = _rows(db, _file(tmp_path, COLLEAGUE, PARTNER))
    for row in (colleague, partner):
        assert row.status is importer.Status.NEW
        assert row.match_id is None
        assert row.candidate_id == stored
        assert row.candidate_name == "Alice Walker"
        assert row.score is not None and row.score < 0.5
    assert any("+44 20 7946 0000" in r for r in colleague.reasons), colleague.reasons
    assert any(HOME_EMAIL in r for r in partner.reasons), partner.reasons


def test_a_second_card_of_the_same_person_is_a_match_with_its_reasons(
    db: Database, stored: int, tmp_path: Path
) -> None:
    (row,) = _rows(db, _file(tmp_path, ALICE_AGAIN))
    assert row.status is importer.Status.MATCH
    assert row.match_id == stored
    assert row.candidate_name == "Alice Walker"
    assert row.score is not None and row.score >= 0.5
    assert "same mobile +44 7911 123456" in row.reasons
    assert "same name" in row.reasons


def test_update_changes_only_real_matches_and_never_renames_alice(
    db: Database, stored: int, tmp_path: Path
) -> None:
    path = _file(tmp_path, COLLEAGUE, PARTNER, ALICE_AGAIN)
    _, result = importer.import_file(db, path, region=REGION, on_match=importer.OnMatch.UPDATE)
    assert result is not None
    assert (result.created, result.updated, result.skipped) == (2, 1, 0)
    with db.read() as conn:
        kept = contacts_repo.get(conn, stored)
        everyone = contacts_repo.get_many(conn, ids(conn, ListQuery()))
    assert kept is not None
    assert kept.display_name == "Alice Walker"
    assert kept.title == "Architect"
    assert sorted(c.display_name for c in everyone) == [
        "Alice Walker",
        "Bob Colleague",
        "Carol Partner",
    ]


def test_skip_skips_only_real_matches(db: Database, stored: int, tmp_path: Path) -> None:
    path = _file(tmp_path, COLLEAGUE, PARTNER, ALICE_AGAIN)
    _, result = importer.import_file(db, path, region=REGION)
    assert result is not None
    assert (result.created, result.updated, result.skipped) == (2, 0, 1)


def test_merge_keeps_every_value_of_both(db: Database, stored: int, tmp_path: Path) -> None:
    again = card(
        "Alice Walker", "Walker;Alice;;;", "TEL;TYPE=CELL:07911 123456",
        "EMAIL:alice@new.example.org", "NOTE:Prefers email", "TITLE:Architect",
    )  # fmt: skip
    path = _file(tmp_path, again)
    _, result = importer.import_file(db, path, region=REGION, on_match=importer.OnMatch.MERGE)
    assert result is not None and result.updated == 1
    with db.read() as conn:
        kept = contacts_repo.get(conn, stored)
    assert kept is not None
    before = alice()
    assert kept.name.given == "Alice" and kept.birthday == before.birthday
    assert {e.value for e in kept.emails} == {e.value for e in before.emails} | {
        "alice@new.example.org"
    }
    assert len(kept.phones) == 2
    assert "Met at the fair, call in May" in kept.notes and "Prefers email" in kept.notes
    assert kept.tags == ["client"] and kept.title == "Architect"


def test_per_record_choices_override_the_default(db: Database, stored: int, tmp_path: Path) -> None:
    path = _file(tmp_path, COLLEAGUE, ALICE_AGAIN)
    colleague, again = _rows(db, path)
    choices = {colleague.line: importer.OnMatch.SKIP, again.line: importer.OnMatch.CREATE}
    _, result = importer.import_file(db, path, region=REGION, choices=choices)
    assert result is not None
    assert (result.created, result.updated, result.skipped) == (1, 0, 1)


def test_a_uid_match_stays_a_match(db: Database, stored: int, tmp_path: Path) -> None:
    with db.read() as conn:
        stored_alice = contacts_repo.get(conn, stored)
    assert stored_alice is not None
    renamed = card("Someone Else", "Else;Someone;;;", f"UID:{stored_alice.uid}")
    (row,) = _rows(db, _file(tmp_path, renamed))
    assert row.status is importer.Status.MATCH and row.match_id == stored
    assert row.reasons == ("same card (UID)",)


def test_records_of_one_file_that_match_each_other_are_marked_not_merged(
    db: Database, tmp_path: Path
) -> None:
    robert = card("Robert Quigley", "Quigley;Robert;;;", "EMAIL:rq@example.org")
    bob = card("Bob Quigley", "Quigley;Bob;;;", "EMAIL:RQ@example.org")
    stranger = card("Dana Stone", "Stone;Dana;;;", "EMAIL:dana@example.org")
    path = _file(tmp_path, robert, stranger, bob)
    first, other, second = _rows(db, path)
    assert first.file_match is None and other.file_match is None
    assert second.file_match is not None
    assert second.file_match.line == first.line
    assert second.file_match.score >= 0.5
    assert "same email rq@example.org" in second.file_match.reasons
    assert second.status is importer.Status.NEW
    _, result = importer.import_file(db, path, region=REGION)
    assert result is not None and result.created == 3
