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

from app.core.dedupe.batch import Batch
from app.core.dedupe.levels import LEVELS, Field, compare_records
from app.core.dedupe.model import (
    DEFAULT_M,
    DEFAULT_U,
    DUPLICATE_SHARE,
    HOUSEHOLD,
    MatchModel,
    prior_for,
    value_counts,
)
from app.core.dedupe.record import Record

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


def _random_u(records: Sequence[Record], rng: random.Random) -> dict[Field, tuple[float, ...]]:
    n = len(records)
    seen: dict[Field, list[float]] = {f: [0.0] * len(LEVELS[f]) for f in Field}
    if n >= 2:
        for _ in range(min(_RANDOM_PAIRS, n * (n - 1) // 2)):
            i, j = rng.randrange(n), rng.randrange(n)
            if i == j:
                continue
            levels = compare_records(records[i], records[j]).levels
            for f in Field:
                if levels[f]:
                    seen[f][levels[f] - 1] += 1
    return {f: _smooth(seen[f], DEFAULT_U[f], _U_PSEUDO) for f in Field}


def _household_rate(records: Sequence[Record], rng: random.Random) -> float:
    """How often two different people of one family name share a phone, email or address.

    Pairs are drawn at random among records of the same family name (each pair equally
    likely), and only those with unrelated given names count: they are different people.
    """
    by_family: dict[str, list[int]] = {}
    for i, r in enumerate(records):
        if r.family:
            by_family.setdefault(r.family, []).append(i)
    families = [m for m in by_family.values() if len(m) >= 2]
    if not families:
        return HOUSEHOLD
    weights = [len(m) * (len(m) - 1) for m in families]
    seen = shared = 0
    for members in rng.choices(families, weights, k=_RANDOM_PAIRS // 3):
        i, j = rng.sample(members, 2)
        levels = compare_records(records[i], records[j]).levels
        if levels[Field.GIVEN] != len(LEVELS[Field.GIVEN]):
            continue
        seen += 1
        shared += any(levels[f] == 1 for f in (Field.PHONE, Field.EMAIL, Field.ADDRESS))
    return (shared + HOUSEHOLD * _U_PSEUDO) / (seen + _U_PSEUDO)


def _smooth(observed: Sequence[float], prior: Sequence[float], weight: float) -> tuple[float, ...]:
    total = sum(observed) + weight
    return tuple((o + weight * p) / total for o, p in zip(observed, prior, strict=True))


def _bound(f: Field, m: tuple[float, ...]) -> tuple[float, ...]:
    cap = MOST_DIFFERENT.get(f)
    if cap is None or m[-1] <= cap:
        return m
    rest = sum(m[:-1])
    return (*(x * (1 - cap) / rest for x in m[:-1]), cap)


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
    rows, counts = np.unique(batch.levels, axis=0, return_counts=True)
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


def train(
    records: Sequence[Record],
    batch: Batch,
    seed: int = 0,
) -> MatchModel:
    """Estimate a model from the user's records and their candidate pairs, compared.

    Args:
        records: every record that takes part (their values give the frequencies).
        batch: the candidate pairs that blocking found, compared.
        seed: the random pairs that estimate `u` are drawn with this seed.
    """
    n = len(records)
    counts, present = value_counts(records)
    rng = random.Random(seed)
    u = _random_u(records, rng)
    household = _household_rate(records, rng)
    expected = DUPLICATE_SHARE * n
    m = dict(DEFAULT_M)
    if len(batch):
        m, share = _em(batch, u)
        trust = len(batch) / (len(batch) + _TRUST_PAIRS)
        expected = trust * share * len(batch) + (1 - trust) * expected
    prior = prior_for(max(expected, 1.0), max(n, 2))
    return MatchModel(m, u, prior, household, counts, present)
