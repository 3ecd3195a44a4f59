"""The whole-address-book scan, and the comparison of two contacts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

import numpy as np
from numpy.typing import NDArray

from app.core.collector import collector_paused
from app.core.dedupe.batch import Batch
from app.core.dedupe.blocking import candidate_pairs
from app.core.dedupe.cluster import cluster
from app.core.dedupe.columns import Columns, compare_many
from app.core.dedupe.levels import Comparison, compare_records
from app.core.dedupe.model import MATCH_PROBABILITY, MatchModel, default_model, value_counts
from app.core.dedupe.reasons import reasons
from app.core.dedupe.record import Record, forget_normalised, to_record
from app.core.dedupe.training import train
from app.core.domain.contact import Contact
from app.core.tasks import TaskControl

_CHUNK = 50_000
_LOW = (1 << 32) - 1
_MAX_REASONS = 6
_RELEASE_CHUNK = 2000


@dataclass(frozen=True, slots=True)
class Group:
    """Contacts that are probably one person.

    Attributes:
        ids: the contacts' ids, ascending.
        score: the mean probability (0-1) that two of them are the same person.
        reasons: why, in words, strongest first ("same mobile +44 7700 900123").
    """

    ids: tuple[int, ...]
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Match:
    """How likely two contacts are one person, and why.

    Attributes:
        score: the probability (0-1) that they are the same person.
        reasons: the agreements and conflicts, in words.
        id: the other contact's id (`b`'s for `compare`; the indexed one's for a check).
    """

    score: float
    reasons: tuple[str, ...]
    id: int | None = None

    @property
    def is_match(self) -> bool:
        """Whether the pair is more likely than not one person."""
        return self.score >= MATCH_PROBABILITY


def compare(a: Contact, b: Contact, model: MatchModel | None = None) -> Match:
    """How likely `a` and `b` are one person, weighed by `model` (else typical weights)."""
    ra, rb = to_record(a, -1), to_record(b, -2)
    c = compare_records(ra, rb)
    return Match((model or default_model()).probability(c), reasons(ra, rb, c), b.id)


def live_records(contacts: Iterable[Contact]) -> list[Record]:
    """Records of the contacts not in the trash; one without an id gets its position."""
    return [to_record(c, i) for i, c in enumerate(contacts) if c.deleted_at is None]


def _compare_candidates(
    records: list[Record], control: TaskControl | None
) -> tuple[NDArray[np.int64], Batch, Columns]:
    pairs = candidate_pairs(records)
    _step(control, 15)
    frequencies = default_model(len(records))
    frequencies.counts, frequencies.present = value_counts(records)
    columns = Columns(records, frequencies)
    _step(control, 25)
    parts = []
    for start in range(0, len(pairs), _CHUNK):
        chunk = pairs[start : start + _CHUNK]
        parts.append(compare_many(columns, chunk >> 32, chunk & _LOW))
        _step(control, 25 + 50 * (start + len(chunk)) // len(pairs))
    return pairs, Batch.concat(parts), columns


def learn(records: list[Record], control: TaskControl | None = None) -> MatchModel:
    """A model learnt from `records` (their candidate pairs and their values' frequencies)."""
    with collector_paused():
        _, batch, columns = _compare_candidates(records, control)
        return train(columns, batch)


def _step(control: TaskControl | None, done: int) -> None:
    if control is not None:
        control.step(done, 100)


def scan(
    contacts: Iterable[Contact],
    control: TaskControl | None = None,
    *,
    min_score: float = MATCH_PROBABILITY,
) -> list[Group]:
    """Find the groups of contacts that are probably the same person, best first.

    Contacts in the trash take no part. The model is learnt from these contacts themselves.

    Args:
        contacts: the address book.
        control: receives progress (in percent) and can cancel the scan.
        min_score: the probability from which a pair, and a group's mean, is a match.

    Raises:
        Cancelled: `control` was cancelled.
    """
    return scan_and_learn(contacts, control, min_score=min_score)[0]


def scan_and_learn(
    contacts: Iterable[Contact],
    control: TaskControl | None = None,
    *,
    min_score: float = MATCH_PROBABILITY,
) -> tuple[list[Group], MatchModel]:
    """`scan`, and the model it learnt: its weights and prior, without the value counts.

    The incremental check weighs a new contact with these weights (counting the few values
    it needs itself), so that it scores a pair as the last scan would.
    """
    with collector_paused():
        records = live_records(contacts)
        _step(control, 5)
        pairs, batch, columns = _compare_candidates(records, control)
        model = train(columns, batch)
        _step(control, 80)
        probabilities = model.probabilities(batch)
        del batch, columns
        chosen = probabilities >= min_score
        edges = {
            (p >> 32, p & _LOW): score
            for p, score in zip(pairs[chosen].tolist(), probabilities[chosen].tolist(), strict=True)
        }
        del pairs
        _step(control, 90)

        def score(i: int, j: int) -> float:
            return model.probability(compare_records(records[i], records[j]))

        found = cluster(edges, min_score, score)
        groups = [_group(records, members, mean, edges) for members, mean in found]
        del edges
        _release(records)
        forget_normalised()
        model.counts, model.present = {}, {}  # 100,000 values: the check counts its own
        _step(control, 100)
    return sorted(groups, key=lambda g: (-g.score, g.ids)), model


def _release(records: list[Record]) -> None:
    """Free the records a chunk at a time, not in one go.

    Freeing 100,000 records (a million small objects) at once holds the interpreter for 70 ms
    or more, and the window's event loop with it; between chunks other threads run.
    """
    while records:
        del records[-_RELEASE_CHUNK:]


def _group(
    records: list[Record], members: list[int], mean: float, edges: dict[tuple[int, int], float]
) -> Group:
    links = sorted(
        ((edges[(x, y)], x, y) for x, y in combinations(members, 2) if (x, y) in edges),
        reverse=True,
    )
    words: dict[str, None] = {}
    for _, i, j in links:
        words.update(dict.fromkeys(reasons(records[i], records[j], _cmp(records, i, j))))
    ids = tuple(sorted(records[x].id for x in members))
    return Group(ids, round(mean, 4), tuple(words)[:_MAX_REASONS])


def _cmp(records: list[Record], i: int, j: int) -> Comparison:
    return compare_records(records[i], records[j])
