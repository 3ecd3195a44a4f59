"""Finding duplicates to review, and the user's "Not duplicates" decisions.

`groups()` runs the matcher (`app.core.dedupe.scan`) over the live contacts and drops what the
user has decided: two contacts marked "Not duplicates" are never shown in one group again. A
decision is undone with `forget_decision` (its own undo, not the contact journal's: a decision
changes no contact, and the journal records contacts).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from app.core.clock import SYSTEM_CLOCK, Clock
from app.core.collector import collector_paused
from app.core.domain.contact import Contact
from app.core.errors import UserFacingError
from app.core.services.contacts import ChangeSet
from app.core.services.merge import MergeService
from app.core.storage import contacts_repo, decisions_repo, settings_repo
from app.core.storage.database import Database
from app.core.storage.decisions_repo import Decision
from app.core.tasks import TaskControl

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from app.core.dedupe.model import MatchModel

__all__ = ["DUPLICATES", "Decision", "DedupeService", "DuplicateGroup"]

DUPLICATES = "duplicates"
"""The segment key of the duplicates review ("Needs attention > Duplicates")."""
_LOAD_CHUNK = 2000


class _MatchedGroup(Protocol):
    """What the matcher returns for a group (`app.core.dedupe.Group`)."""

    @property
    def ids(self) -> Sequence[int]: ...  # pragma: no cover - a protocol
    @property
    def score(self) -> float: ...  # pragma: no cover
    @property
    def reasons(self) -> Sequence[str]: ...  # pragma: no cover


Scan = Callable[[Iterable[Contact], TaskControl], Sequence[_MatchedGroup]]
"""The matcher's signature: contacts in (streamed: each is read once), groups out."""


@dataclass(frozen=True, slots=True)
class DuplicateGroup:
    """Contacts that are probably one person: their ids, a score and the reasons in words."""

    ids: tuple[int, ...]
    score: float
    reasons: tuple[str, ...]


class DedupeService:
    """Review of duplicates: groups to show, decisions to remember, bulk merges.

    Args:
        db: the open database.
        clock: when decisions and merges are recorded.
        scan: the matcher (by default `app.core.dedupe.scan`).
    """

    def __init__(self, db: Database, clock: Clock = SYSTEM_CLOCK, scan: Scan | None = None) -> None:
        self._db = db
        self._clock = clock
        self._scan = scan or self._learning_scan
        self._learnt: MatchModel | None = None
        """The model the last full scan learnt: the check weighs with it (None: none yet)."""
        self._stored = False
        """Whether `_learnt` is the one stored in the database (read, or written)."""

    def _learning_scan(
        self, contacts: Iterable[Contact], control: TaskControl
    ) -> Sequence[_MatchedGroup]:
        # Imported here: the matcher loads rapidfuzz and numpy, which only a scan needs.
        from app.core.dedupe import scan_and_learn  # noqa: PLC0415

        groups, self._learnt = scan_and_learn(contacts, control)
        self._stored = False
        return groups

    def remember_weights(self) -> None:
        """Store the weights the last scan learnt, so that checks use them after a restart.

        A write: the window runs it on its writer after a scan; nothing happens without a scan.
        """
        from app.core.dedupe.model import weights_to_json  # noqa: PLC0415 - numpy

        if self._learnt is None or self._stored:
            return
        with self._db.write() as conn:
            settings_repo.put(conn, settings_repo.DEDUPE_WEIGHTS, weights_to_json(self._learnt))
        self._stored = True

    def _weights(self, conn: Connection) -> MatchModel | None:
        """The last scan's weights: this session's, else those stored by an earlier one."""
        from app.core.dedupe.model import weights_from_json  # noqa: PLC0415 - numpy

        if self._learnt is None and not self._stored:
            stored = settings_repo.get(conn, settings_repo.DEDUPE_WEIGHTS)
            self._learnt = weights_from_json(stored) if stored else None
            self._stored = True
        return self._learnt

    def groups(
        self, min_score: float | None = None, control: TaskControl | None = None
    ) -> list[DuplicateGroup]:
        """Groups of likely duplicates among live contacts, best first, decisions respected.

        A group holding a pair the user marked "Not duplicates" is split so that no group
        holds such a pair; what is left of it alone is dropped.

        Args:
            min_score: leave out groups scored below this.
            control: progress and cancel (loading, then the matcher's own steps).

        Raises:
            Cancelled: `control` was cancelled.
        """
        control = control or TaskControl()
        with collector_paused():
            found = self._scan(self._live_contacts(control), control)
        with self._db.read() as conn:
            decided = decisions_repo.decided_pairs(conn)
        result = []
        for group in found:
            if min_score is not None and group.score < min_score:
                continue
            for part in _split(list(group.ids), decided):
                result.append(DuplicateGroup(tuple(part), float(group.score), tuple(group.reasons)))
        result.sort(key=lambda g: (-g.score, g.ids))
        return result

    def _live_contacts(self, control: TaskControl) -> Iterator[Contact]:
        """The live contacts, read a chunk at a time as the matcher takes them.

        Streamed, so that the matcher keeps only its compact records: holding 100,000 whole
        contacts (notes, photos, history) at once took 280 MB more at the scan's peak.
        """
        with self._db.read() as conn:
            ids = [
                int(r[0])
                for r in conn.exec_driver_sql(
                    "SELECT id FROM contacts WHERE deleted_at IS NULL ORDER BY id"
                )
            ]
            for start in range(0, len(ids), _LOAD_CHUNK):
                control.step(start, len(ids))
                yield from contacts_repo.get_many(conn, ids[start : start + _LOAD_CHUNK])

    def check(self, ids: Sequence[int], min_score: float | None = None) -> list[DuplicateGroup]:
        """The likely duplicates of just these contacts (new or edited), best first.

        Candidates come from a few indexed queries, not a scan: contacts sharing an E.164
        phone or an email (unless too many share it), and those whose name holds the family
        name, with the start of the given name when the family name is common. Each pair is
        weighed as a scan weighs it (`services.dedupe_check`): the last scan's model, and how
        many contacts share the checked contact's names, phones and emails. Pairs the user
        marked "Not duplicates" are dropped. Each group is one pair: the contact and one
        candidate.

        Args:
            ids: the contacts to check; unknown ids and contacts in the trash are ignored.
            min_score: leave out pairs scored below this (default: the match probability).
        """
        # Imported here, as for a scan: the matcher loads rapidfuzz and numpy.
        from app.core.dedupe import MATCH_PROBABILITY  # noqa: PLC0415
        from app.core.dedupe.record import to_record  # noqa: PLC0415
        from app.core.services import dedupe_check  # noqa: PLC0415

        floor = MATCH_PROBABILITY if min_score is None else min_score
        wanted = sorted(set(ids))
        if not wanted:
            return []
        with self._db.read() as conn:
            checked = [c for c in contacts_repo.get_many(conn, wanted) if c.deleted_at is None]
            candidates = {c.id: dedupe_check.candidates(conn, c) for c in checked if c.id}
            others = {
                c.id: c
                for c in contacts_repo.get_many(conn, sorted(set().union(*candidates.values())))
                if c.id is not None and c.deleted_at is None
            }
            everyone = {i for found in candidates.values() for i in found} | set(candidates)
            decided = decisions_repo.decided_pairs(conn, everyone)
            model, live = dedupe_check.weights(conn, self._weights(conn))
            for contact in checked:
                if contact.id is not None and candidates.get(contact.id):
                    dedupe_check.count_values(conn, model, to_record(contact, -1), live)
        found: dict[tuple[int, int], DuplicateGroup] = {}
        for contact in checked:
            assert contact.id is not None  # stored contacts have ids
            fresh = [
                others[i]
                for i in sorted(candidates[contact.id])
                if i in others
                and (min(contact.id, i), max(contact.id, i)) not in decided
                and (min(contact.id, i), max(contact.id, i)) not in found
            ]
            for other_id, score, why in dedupe_check.score(model, contact, fresh, floor):
                pair = (min(contact.id, other_id), max(contact.id, other_id))
                found[pair] = DuplicateGroup(pair, round(score, 4), why)
        return sorted(found.values(), key=lambda g: (-g.score, g.ids))

    def mark_not_duplicates(self, ids: Sequence[int]) -> ChangeSet:
        """Remember that these contacts are different people (every pair of them).

        Raises:
            UserFacingError: fewer than two different contacts, or an id names no contact.
        """
        unique = sorted(set(ids))
        if len(unique) < 2:
            raise UserFacingError("Choose two or more different contacts.")
        with self._db.write() as conn:
            missing = set(unique) - contacts_repo.stored_ids(conn, unique)
            if missing:
                raise UserFacingError(f"No contact with id {min(missing)}.")
            decision = decisions_repo.add(conn, unique, self._clock.now())
        label = f"Not duplicates: {len(unique)} contacts"
        if decision is None:
            return ChangeSet(label)
        return ChangeSet(label, segments=frozenset({DUPLICATES}))

    def forget_decision(self, decision_id: int | None = None) -> ChangeSet:
        """Undo a "Not duplicates" decision (by default the newest), so its pairs show again."""
        with self._db.write() as conn:
            if decision_id is None:
                newest = decisions_repo.all_decisions(conn)
                if not newest:
                    return ChangeSet("Nothing to forget")
                decision_id = newest[0].id
            pairs = decisions_repo.remove(conn, decision_id)
        if not pairs:
            return ChangeSet("Nothing to forget")
        count = len({i for pair in pairs for i in pair})
        return ChangeSet(
            f"Forget not duplicates: {count} contacts", segments=frozenset({DUPLICATES})
        )

    def decisions(self) -> list[Decision]:
        """Every "Not duplicates" decision, the newest first."""
        with self._db.read() as conn:
            return decisions_repo.all_decisions(conn)

    def merge_above(self, min_score: float, control: TaskControl | None = None) -> ChangeSet:
        """Merge every group scored `min_score` or more, as one undoable operation.

        Each group keeps its lowest id and the default choices. A cancel writes nothing.
        """
        control = control or TaskControl()
        groups = self.groups(min_score, control)
        return MergeService(self._db, self._clock).merge_groups(
            [g.ids for g in groups], control=control
        )


def _split(ids: list[int], decided: set[tuple[int, int]]) -> list[list[int]]:
    """The group in parts that hold no decided pair, in order; parts of one are dropped."""
    parts: list[list[int]] = []
    for contact_id in ids:
        for part in parts:
            if not any((min(contact_id, o), max(contact_id, o)) in decided for o in part):
                part.append(contact_id)
                break
        else:
            parts.append([contact_id])
    return [p for p in parts if len(p) > 1]
