"""Which stored contact an imported record is, weighed as the duplicate scan weighs a pair.

Candidates are found by what a record shares with the address book (its UID, an email, an
E.164 phone, its folded given and family name), then scored by `app.core.dedupe`'s model: a
shared switchboard or household email with an unrelated name is a reason, not a verdict, so
such a record stays new (its reasons say what it shares, and with whom). Only a probable match
(score at least `MATCH_PROBABILITY`), or the same UID (the same card again), is a match.

Records of one file are also checked against the records before them, so that two cards of one
person in a file are marked (never merged silently).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection

from app.core.dedupe import MATCH_PROBABILITY, MatchModel, default_model
from app.core.dedupe.batch import Batch
from app.core.dedupe.levels import Comparison, compare_records
from app.core.dedupe.reasons import reasons
from app.core.dedupe.record import Record, to_record
from app.core.domain.contact import Contact
from app.core.domain.normalise import fold, normalise_email
from app.core.storage import contacts_repo

SAME_UID = "same card (UID)"
FILE_RECORDS = 50_000
"""Records of a file kept to check later ones against: bounds the memory of a huge import."""
PER_KEY = 8
"""Candidates taken per shared value: a switchboard shared by two hundred contacts is weak
evidence, and comparing each of them would make an import quadratic."""


@dataclass(frozen=True, slots=True)
class FileMatch:
    """An earlier record of the same file that is probably the same person."""

    line: int
    display_name: str
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Verdict:
    """What matching says of one record.

    Attributes:
        match_id: the stored contact it matches (a probable match or the same UID), else None.
        candidate_id: the best-scoring stored contact it shares something with (the match,
            or a near match that stays new), else None.
        candidate_name: that contact's display name.
        score: the probability (0-1) that the record is that contact; None without one.
        reasons: what they share and where they differ, in words.
        file_match: an earlier record of the file that is probably the same person.
    """

    match_id: int | None = None
    candidate_id: int | None = None
    candidate_name: str = ""
    score: float | None = None
    reasons: tuple[str, ...] = ()
    file_match: FileMatch | None = None


def _name_key(given: str, family: str) -> str:
    return f"{fold(given)}|{fold(family)}" if given.strip() and family.strip() else ""


def _add(index: dict[str, list[int]], key: str, value: int) -> None:
    if key:
        found = index.setdefault(key, [])
        if len(found) < PER_KEY:
            found.append(value)


class ImportMatcher:
    """Matches records against the contacts stored when it was made, and each other.

    `prefetch` loads the candidates of a chunk of records in one query; `match` then weighs
    each record against them.
    """

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        live = "JOIN contacts c ON c.id = x.contact_id AND c.deleted_at IS NULL"
        query = conn.exec_driver_sql
        self._uids: dict[str, int] = {}
        self._keys: dict[str, list[int]] = {}
        rows = query("SELECT uid, id, given, family FROM contacts WHERE deleted_at IS NULL")
        count = 0
        for uid, cid, given, family in rows:
            count += 1
            self._uids[uid] = int(cid)
            _add(self._keys, "n:" + _name_key(given, family), int(cid))
        for email, cid in query(f"SELECT x.email, x.contact_id FROM contact_emails x {live}"):
            _add(self._keys, "e:" + email, int(cid))
        for e164, cid in query(f"SELECT x.e164, x.contact_id FROM contact_phones x {live}"):
            if e164:
                _add(self._keys, "p:" + e164, int(cid))
        self._model: MatchModel = default_model(max(count, 2))
        self._stored: dict[int, tuple[Record, str]] = {}
        self._file: dict[str, list[int]] = {}
        self._file_records: dict[int, tuple[Record, str]] = {}

    @staticmethod
    def _record_keys(contact: Contact) -> list[str]:
        keys = [f"e:{normalise_email(e.value)}" for e in contact.emails if e.value.strip()]
        keys += [f"p:{p.e164}" for p in contact.phones if p.e164]
        name = _name_key(contact.name.given, contact.name.family)
        return [*keys, f"n:{name}"] if name else keys

    def _candidates(self, contact: Contact) -> list[int]:
        found: dict[int, None] = {}
        if contact.uid and contact.uid in self._uids:
            found[self._uids[contact.uid]] = None
        for key in self._record_keys(contact):
            found.update(dict.fromkeys(self._keys.get(key, ())))
        return list(found)

    def prefetch(self, contacts: Iterable[Contact]) -> None:
        """Load the stored candidates of these records (and forget the previous chunk's)."""
        wanted = {cid for c in contacts for cid in self._candidates(c)}
        self._stored = {
            c.id: (to_record(c, c.id), c.display_name)
            for c in contacts_repo.get_many(self._conn, sorted(wanted))
            if c.id is not None
        }

    def match(self, contact: Contact, line: int) -> Verdict:
        """Weigh the record at `line` against its stored candidates and the file before it."""
        record = to_record(contact, -line - 1)
        file_match = self._match_in_file(contact, record, line)
        if contact.uid and contact.uid in self._uids:
            cid = self._uids[contact.uid]
            name = self._stored[cid][1] if cid in self._stored else ""
            return Verdict(cid, cid, name, 1.0, (SAME_UID,), file_match)
        ids = [cid for cid in self._candidates(contact) if cid in self._stored]
        if not ids:
            return Verdict(file_match=file_match)
        others = [self._stored[cid][0] for cid in ids]
        comparisons, scores = self._weigh(record, others)
        # The best score wins; among equals, the first candidate found (the same UID, email...).
        best = max(range(len(ids)), key=lambda n: (scores[n], -n))
        cid, score = ids[best], scores[best]
        words = reasons(record, others[best], comparisons[best])
        match_id = cid if score >= MATCH_PROBABILITY else None
        return Verdict(match_id, cid, self._stored[cid][1], score, words, file_match)

    def _weigh(self, a: Record, others: list[Record]) -> tuple[list[Comparison], list[float]]:
        """`a` compared with each of `others`, and the probabilities, in one model call."""
        comparisons = [compare_records(a, b) for b in others]
        batch = Batch.of(
            [c.levels for c in comparisons], [self._model.rarities(c) for c in comparisons]
        )
        scores = [round(float(p), 4) for p in self._model.probabilities(batch)]
        return comparisons, scores

    def _match_in_file(self, contact: Contact, record: Record, line: int) -> FileMatch | None:
        keys = self._record_keys(contact)
        best: FileMatch | None = None
        lines = list(dict.fromkeys(n for k in keys for n in self._file.get(k, ())))
        if lines:
            others = [self._file_records[n][0] for n in lines]
            comparisons, scores = self._weigh(record, others)
            top = max(range(len(lines)), key=lambda n: (scores[n], -n))
            if scores[top] >= MATCH_PROBABILITY:  # the words only for a pair worth showing
                words = reasons(record, others[top], comparisons[top])
                name = self._file_records[lines[top]][1]
                best = FileMatch(lines[top], name, scores[top], words)
        if len(self._file_records) < FILE_RECORDS:
            for key in keys:
                _add(self._file, key, line)
        if keys and len(self._file_records) < FILE_RECORDS:
            self._file_records[line] = (record, contact.display_name)
        return best
