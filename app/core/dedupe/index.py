"""Checking one contact against the address book without scanning it all again."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace

from app.core.dedupe.batch import Batch
from app.core.dedupe.blocking import blocking_keys, limit_of
from app.core.dedupe.levels import compare_records
from app.core.dedupe.model import MATCH_PROBABILITY, MatchModel, add_counts, value_counts
from app.core.dedupe.reasons import reasons
from app.core.dedupe.record import Record, to_record
from app.core.dedupe.scan import Match, learn, live_records
from app.core.domain.contact import Contact
from app.core.tasks import TaskControl


class DuplicateIndex:
    """The blocking keys of every live contact, kept up to date, with a learnt model.

    Building it costs about what a scan costs (it learns the model the same way); after that,
    `check` compares a contact only with those that share a key with it, which takes
    milliseconds at 100,000 contacts. Contacts must have ids.

    Args:
        contacts: the address book; contacts in the trash are left out.
        model: weights to use; learnt from `contacts` when None.
        control: progress and cancel while the model is learnt.
    """

    def __init__(
        self,
        contacts: Iterable[Contact],
        model: MatchModel | None = None,
        control: TaskControl | None = None,
    ) -> None:
        records = live_records(contacts)
        if model is None:
            self.model = learn(records, control)
        else:  # the given weights, with the frequencies of these contacts' values
            counts, present = value_counts(records)
            self.model = replace(model, counts=counts, present=present)
        self._records: dict[int, Record] = {}
        self._keys: dict[int, set[str]] = {}
        self._blocks: dict[str, set[int]] = defaultdict(set)
        for r in records:
            self._file(r)

    def __len__(self) -> int:
        return len(self._records)

    def _file(self, r: Record) -> None:
        keys = blocking_keys(r)
        self._records[r.id] = r
        self._keys[r.id] = keys
        for key in keys:
            self._blocks[key].add(r.id)

    def check(self, contact: Contact, min_score: float = MATCH_PROBABILITY) -> list[Match]:
        """The indexed contacts that `contact` probably is, most likely first.

        `contact` itself (same id) is never its own match, so an edited contact can be checked
        before or after `add` records the edit.
        """
        r = to_record(contact, -1)
        candidates: set[int] = set()
        for key in blocking_keys(r):
            members = self._blocks.get(key)
            if members and len(members) < limit_of(key):
                candidates |= members
        candidates.discard(r.id)
        others = [self._records[cid] for cid in sorted(candidates)]
        compared = [compare_records(r, other) for other in others]
        if not compared:
            return []
        # One numpy call scores every candidate: a contact in a few busy blocks has hundreds.
        scores = self.model.probabilities(
            Batch.of([c.levels for c in compared], [self.model.rarities(c) for c in compared])
        ).tolist()
        found = [
            Match(p, reasons(r, other, c), other.id)
            for p, other, c in zip(scores, others, compared, strict=True)
            if p >= min_score
        ]
        return sorted(found, key=lambda m: (-m.score, m.id))

    def add(self, contact: Contact) -> None:
        """Index a new or edited contact (an edit replaces what was indexed for its id)."""
        if contact.id is None:
            raise ValueError("only stored contacts (with an id) can be indexed")
        self.remove(contact.id)
        if contact.deleted_at is not None:
            return
        r = to_record(contact, contact.id)
        add_counts(self.model, r, 1)
        self._file(r)

    def remove(self, contact_id: int) -> None:
        """Forget a contact (deleted, or merged into another); unknown ids are ignored."""
        r = self._records.pop(contact_id, None)
        if r is None:
            return
        add_counts(self.model, r, -1)
        for key in self._keys.pop(contact_id):
            members = self._blocks[key]
            members.discard(contact_id)
            if not members:
                del self._blocks[key]
