"""Learning the model from the user's own contacts: u from random pairs, m by EM.

Nothing here sees a label: `u` is how often random pairs (nearly all different people) agree at
each level; `m` and the share of matches among the candidate pairs come from
expectation-maximisation over the candidate pairs' patterns of agreement, smoothed towards
typical values so that a small address book still gets sane weights.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from app.core.dedupe.batch import Batch
from app.core.dedupe.columns import Columns, compare_many
from app.core.dedupe.levels import LEVELS, Field
from app.core.dedupe.model import (
    DEFAULT_M,
    DEFAULT_U,
    DUPLICATE_SHARE,
    HOUSEHOLD,
    MatchModel,
    prior_for,
)

_U_PSEUDO = 200.0
_M_PSEUDO = 100.0
_RANDOM_PAIRS = 30_000
_EM_ROUNDS = 25
_TRUST_PAIRS = 1000
"""Below about this many candidate pairs, the prior share of duplicates outweighs EM's."""


MOST_DIFFERENT: dict[Field, float] = {Field.GIVEN: 0.05, Field.FAMILY: 0.10, Field.BIRTHDAY: 0.03}
"""The most often that two records of one person can have unrelated names or birthdays.

EM left alone finds the strongest structure in the candidate pairs, and in an address book that
is households and offices (shared phone, address, employer) as much as duplicates; bounding how
often a "duplicate" has someone else's name keeps its match class about people."""


def _random_u(columns: Columns, rng: random.Random) -> dict[Field, tuple[float, ...]]:
    n = len(columns.records)
    seen: dict[Field, list[float]] = {f: [0.0] * len(LEVELS[f]) for f in Field}
    if n >= 2:
        draws = min(_RANDOM_PAIRS, n * (n - 1) // 2)
        i = np.array([rng.randrange(n) for _ in range(draws)], dtype=np.int64)
        j = np.array([rng.randrange(n) for _ in range(draws)], dtype=np.int64)
        levels = compare_many(columns, i[i != j], j[i != j]).levels
        for f in Field:
            counted = np.bincount(levels[:, f], minlength=len(LEVELS[f]) + 1)
            seen[f] = [float(x) for x in counted[1:]]
    return {f: _smooth(seen[f], DEFAULT_U[f], _U_PSEUDO) for f in Field}


def _household_rate(columns: Columns, rng: random.Random) -> float:
    """How often two different people of one family name share a phone, email or address.

    Pairs are drawn at random among records of the same family name (each pair equally
    likely), and only those with unrelated given names count: they are different people.
    """
    by_family: dict[str, list[int]] = {}
    for position, r in enumerate(columns.records):
        if r.family:
            by_family.setdefault(r.family, []).append(position)
    families = [m for m in by_family.values() if len(m) >= 2]
    if not families:
        return HOUSEHOLD
    weights = [len(m) * (len(m) - 1) for m in families]
    # No more draws than there are pairs: the same few pairs drawn ten thousand times would
    # outweigh the typical rate as if they were ten thousand households.
    draws = min(_RANDOM_PAIRS // 3, sum(weights) // 2)
    drawn = [rng.sample(m, 2) for m in rng.choices(families, weights, k=draws)]
    i = np.array([d[0] for d in drawn], dtype=np.int64)
    j = np.array([d[1] for d in drawn], dtype=np.int64)
    levels = compare_many(columns, i, j).levels
    different = levels[:, Field.GIVEN] == len(LEVELS[Field.GIVEN])
    channels = levels[:, [Field.PHONE, Field.EMAIL, Field.ADDRESS]]
    shared = int(((channels == 1).any(axis=1) & different).sum())
    return (shared + HOUSEHOLD * _U_PSEUDO) / (int(different.sum()) + _U_PSEUDO)


def _smooth(observed: Sequence[float], prior: Sequence[float], weight: float) -> tuple[float, ...]:
    total = sum(observed) + weight
    return tuple((o + weight * p) / total for o, p in zip(observed, prior, strict=True))


def _bound(f: Field, m: tuple[float, ...]) -> tuple[float, ...]:
    cap = MOST_DIFFERENT.get(f)
    if cap is None or m[-1] <= cap:
        return m
    rest = sum(m[:-1])
    return (*(x * (1 - cap) / rest for x in m[:-1]), cap)


def _unique_rows(levels: NDArray[np.int8]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """`np.unique(levels, axis=0, return_counts=True)`, with each row packed into one integer.

    Unique rows sort as records while holding the interpreter (seconds at a million pairs, the
    window's event loop stalled all along); one integer per row sorts fast and without it.
    Levels are small and not negative, so 4 bits each keep the rows' order.
    """
    packed = np.zeros(len(levels), dtype=np.int64)
    for column in range(levels.shape[1]):
        packed = (packed << 4) | levels[:, column].astype(np.int64)
    keys, counts = np.unique(packed, return_counts=True)
    shifts = np.arange(levels.shape[1] - 1, -1, -1, dtype=np.int64) * 4
    return (keys[:, None] >> shifts) & 0xF, counts


def _em(
    batch: Batch, u: dict[Field, tuple[float, ...]]
) -> tuple[dict[Field, tuple[float, ...]], float]:
    """m for every level and the share of matches among the candidate pairs, by EM.

    The candidate pairs' own non-match distribution (`ub`) is estimated beside `m`: blocking
    made those pairs agree on names far more often than random pairs do.
    """
    m = dict(DEFAULT_M)
    ub = dict(u)
    share = 0.1
    rows, counts = _unique_rows(batch.levels)
    items = [(tuple(int(x) for x in row), int(n)) for row, n in zip(rows, counts, strict=True)]
    total = len(batch)
    for _ in range(_EM_ROUNDS):
        m_seen = {f: [0.0] * len(LEVELS[f]) for f in Field}
        u_seen = {f: [0.0] * len(LEVELS[f]) for f in Field}
        matched = 0.0
        for levels, count in items:
            pm, pu = share, 1 - share
            for f in Field:
                if levels[f]:
                    pm *= m[f][levels[f] - 1]
                    pu *= ub[f][levels[f] - 1]
            w = pm / (pm + pu) if pm + pu > 0 else 0.0
            matched += w * count
            for f in Field:
                if levels[f]:
                    m_seen[f][levels[f] - 1] += w * count
                    u_seen[f][levels[f] - 1] += (1 - w) * count
        share = min(max(matched / total, 1e-6), 0.999)
        m = {f: _bound(f, _smooth(m_seen[f], DEFAULT_M[f], _M_PSEUDO)) for f in Field}
        ub = {f: _smooth(u_seen[f], u[f], _M_PSEUDO) for f in Field}
    return m, share


def train(columns: Columns, batch: Batch, seed: int = 0) -> MatchModel:
    """Estimate a model from the user's records and their candidate pairs, compared.

    Args:
        columns: every record that takes part, with the frequencies of their values.
        batch: the candidate pairs that blocking found, compared.
        seed: the random pairs that estimate `u` are drawn with this seed.
    """
    n = len(columns.records)
    counts, present = columns.model.counts, columns.model.present
    rng = random.Random(seed)
    u = _random_u(columns, rng)
    household = _household_rate(columns, rng)
    expected = DUPLICATE_SHARE * n
    m = dict(DEFAULT_M)
    if len(batch):
        m, share = _em(batch, u)
        trust = len(batch) / (len(batch) + _TRUST_PAIRS)
        expected = trust * share * len(batch) + (1 - trust) * expected
    # No floor of one expected duplicate: in a book of three it made every pair a 1-in-3
    # match before any evidence (small books are weighed right by `MatchModel.rarity`).
    prior = prior_for(expected, max(n, 2))
    return MatchModel(m, u, prior, household, counts, present)
