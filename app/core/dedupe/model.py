"""The Fellegi-Sunter model: how much each level of agreement says, learnt from the contacts.

For each field and level, `m` is the probability of that level when two records are the same
person and `u` when they are not; a level weighs log2(m/u) bits. `u` comes from random pairs of
the user's own contacts (nearly all of them are different people); `m` is estimated by
expectation-maximisation on the candidate pairs, starting from (and smoothed towards) defaults
that describe typical address books, so that a small or odd address book still gets sane
weights. An exact agreement is weighed by the frequency of the shared value (term-frequency
adjustment): sharing "Quigley" says more than sharing "Smith", and a switchboard number shared by
two hundred contacts says little. The prior is the probability that two contacts drawn at random
are the same person, so the score of a pair is a posterior probability, and the threshold that
makes a pair a match is chosen a priori (0.5: more likely than not), never fitted to labels.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from app.core.dedupe.levels import LEVELS, TF_FIELDS, Comparison, Field, compare_records
from app.core.dedupe.record import Record

MATCH_PROBABILITY = 0.5
"""A pair is a match when it is more likely than not the same person."""

_DEFAULT_M: dict[Field, tuple[float, ...]] = {
    Field.GIVEN: (0.82, 0.05, 0.06, 0.03, 0.02, 0.02),
    Field.FAMILY: (0.88, 0.06, 0.03, 0.03),
    Field.PHONE: (0.85, 0.15),
    Field.EMAIL: (0.8, 0.2),
    Field.BIRTHDAY: (0.85, 0.07, 0.05, 0.03),
    Field.ADDRESS: (0.6, 0.15, 0.1, 0.15),
    Field.ORG: (0.75, 0.25),
}
_DEFAULT_U: dict[Field, tuple[float, ...]] = {
    Field.GIVEN: (0.004, 0.0005, 0.002, 0.004, 0.02, 0.9695),
    Field.FAMILY: (0.003, 0.002, 0.02, 0.975),
    Field.PHONE: (1e-5, 1 - 1e-5),
    Field.EMAIL: (1e-5, 1 - 1e-5),
    Field.BIRTHDAY: (4e-5, 3e-3, 3e-4, 1 - 3.34e-3),
    Field.ADDRESS: (1e-5, 1e-4, 0.01, 1 - 0.01011),
    Field.ORG: (0.01, 0.99),
}
_HOUSEHOLD = 0.05
"""Before the data says otherwise: how often two people of one family name share a home."""
_DUPLICATE_SHARE = 0.02
"""Before the data says otherwise: about one contact in fifty has a duplicate."""
_U_PSEUDO = 200.0
_M_PSEUDO = 100.0
_RANDOM_PAIRS = 30_000
_EM_ROUNDS = 25
_CHANNELS = (Field.PHONE, Field.EMAIL, Field.ADDRESS, Field.ORG)
"""What a household or an office shares (a landline, an address, an email, an employer and its
switchboard): their agreements are not independent of each other, so only the strongest one
counts (see `log_odds`)."""
_MOST_DIFFERENT: dict[Field, float] = {Field.GIVEN: 0.05, Field.FAMILY: 0.10, Field.BIRTHDAY: 0.03}
"""The most often that two records of one person can have unrelated names or birthdays.

EM left alone finds the strongest structure in the candidate pairs, and in an address book that
is households and offices (shared phone, address, employer) as much as duplicates; bounding how
often a "duplicate" has someone else's name keeps its match class about people."""


@dataclass(slots=True)
class MatchModel:
    """Weights of evidence for every field and level, and what values are common.

    Build one with `train` (from the user's contacts) or `default_model` (no data yet).
    """

    m: dict[Field, tuple[float, ...]]
    u: dict[Field, tuple[float, ...]]
    prior: float
    household: float = 0.05
    counts: dict[Field, Counter[str]] = field(default_factory=dict)
    present: dict[Field, int] = field(default_factory=dict)

    def weight(self, f: Field, level: int, shared: str = "") -> float:
        """Bits of evidence for level `level` (1-based; 0 is no evidence) of field `f`."""
        if level == 0:
            return 0.0
        m = self.m[f][level - 1]
        u = self.u[f][level - 1]
        if shared and f in TF_FIELDS and level == 1:
            seen = self.present.get(f, 0)
            if seen > 1:
                # How often a contact that is someone else has this very value.
                count = max(self.counts[f].get(shared, 0), 1)
                u = max(count / seen, 1.0 / seen)
        return math.log2(m / u)

    def log_odds(self, c: Comparison) -> float:
        """The posterior log2-odds that the two compared records are one person."""
        total = math.log2(self.prior / (1 - self.prior))
        channel = 0.0
        for f in Field:
            w = self.weight(f, c.levels[f], c.shared[f])
            if f in _CHANNELS and w > 0:
                channel = max(channel, w)
            else:
                total += w
        if c.levels[Field.GIVEN] == len(LEVELS[Field.GIVEN]):
            # Unrelated given names: a shared landline, address or employer is what a partner
            # or a colleague has, so it is no evidence of one person.
            channel = 0.0
        elif c.levels[Field.FAMILY] in (1, 2):
            # Two people of one family name share a landline or an address this often (a
            # household) without being one person: that, not a random pair, is the baseline.
            channel = min(channel, -math.log2(self.household))
        return total + channel

    def probability(self, c: Comparison) -> float:
        """The posterior probability that the two compared records are one person."""
        x = self.log_odds(c)
        if x > 60:
            return 1.0
        return 1.0 / (1.0 + 2.0 ** (-x))


def default_model(size: int = 1000) -> MatchModel:
    """The model before any data: typical weights for an address book of `size` contacts."""
    size = max(size, 2)
    return MatchModel(dict(_DEFAULT_M), dict(_DEFAULT_U), _prior(_DUPLICATE_SHARE * size, size))


def _prior(matching_pairs: float, size: int) -> float:
    pairs = size * (size - 1) / 2
    return min(max(matching_pairs / pairs, 1e-12), 0.5)


def value_counts(records: Sequence[Record]) -> tuple[dict[Field, Counter[str]], dict[Field, int]]:
    """How many records hold each value of each term-frequency field, and how many hold any."""
    counts: dict[Field, Counter[str]] = {f: Counter() for f in TF_FIELDS}
    present = dict.fromkeys(TF_FIELDS, 0)
    for r in records:
        for f, values in _values(r):
            if values:
                present[f] += 1
                counts[f].update(values)
    return counts, present


def _values(r: Record) -> tuple[tuple[Field, Sequence[str]], ...]:
    return (
        (Field.GIVEN, (r.given,) if r.given else ()),
        (Field.FAMILY, (r.family,) if r.family else ()),
        (Field.PHONE, tuple(r.phones)),
        (Field.EMAIL, tuple(r.emails)),
        (Field.BIRTHDAY, (r.birthday.iso(),) if r.birthday else ()),
        (Field.ADDRESS, tuple(f"{a.street}|{a.postcode}" for a in r.addresses if a.street)),
        (Field.ORG, (r.org,) if r.org else ()),
    )


def add_counts(model: MatchModel, record: Record, sign: int) -> None:
    """Count `record`'s values in (sign 1) or out of (sign -1) the model's frequencies."""
    for f, values in _values(record):
        if values:
            model.present[f] = model.present.get(f, 0) + sign
            model.counts.setdefault(f, Counter()).update({v: sign for v in values})


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
    return {f: _smooth(seen[f], _DEFAULT_U[f], _U_PSEUDO) for f in Field}


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
        return _HOUSEHOLD
    weights = [len(m) * (len(m) - 1) for m in families]
    seen = shared = 0
    for members in rng.choices(families, weights, k=_RANDOM_PAIRS // 3):
        i, j = rng.sample(members, 2)
        levels = compare_records(records[i], records[j]).levels
        if levels[Field.GIVEN] != len(LEVELS[Field.GIVEN]):
            continue
        seen += 1
        shared += any(levels[f] == 1 for f in (Field.PHONE, Field.EMAIL, Field.ADDRESS))
    return (shared + _HOUSEHOLD * _U_PSEUDO) / (seen + _U_PSEUDO)


def _smooth(observed: Sequence[float], prior: Sequence[float], weight: float) -> tuple[float, ...]:
    total = sum(observed) + weight
    return tuple((o + weight * p) / total for o, p in zip(observed, prior, strict=True))


def _bound(f: Field, m: tuple[float, ...]) -> tuple[float, ...]:
    cap = _MOST_DIFFERENT.get(f)
    if cap is None or m[-1] <= cap:
        return m
    rest = sum(m[:-1])
    return (*(x * (1 - cap) / rest for x in m[:-1]), cap)


def _em(
    patterns: Counter[tuple[int, ...]], u: dict[Field, tuple[float, ...]]
) -> tuple[dict[Field, tuple[float, ...]], float]:
    """m for every level and the share of matches among the candidate pairs, by EM.

    The candidate pairs' own non-match distribution (`ub`) is estimated beside `m`: blocking
    made those pairs agree on names far more often than random pairs do.
    """
    m = dict(_DEFAULT_M)
    ub = dict(u)
    share = 0.1
    items = list(patterns.items())
    total = sum(patterns.values())
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
        m = {f: _bound(f, _smooth(m_seen[f], _DEFAULT_M[f], _M_PSEUDO)) for f in Field}
        ub = {f: _smooth(u_seen[f], u[f], _M_PSEUDO) for f in Field}
    return m, share


def train(
    records: Sequence[Record], comparisons: Sequence[Comparison], seed: int = 0
) -> MatchModel:
    """Estimate a model from the user's records and their candidate pairs' comparisons.

    Args:
        records: every record that takes part (their values give the frequencies).
        comparisons: the candidate pairs that blocking found, compared.
        seed: the random pairs that estimate `u` are drawn with this seed.
    """
    n = len(records)
    counts, present = value_counts(records)
    rng = random.Random(seed)
    u = _random_u(records, rng)
    household = _household_rate(records, rng)
    expected = _DUPLICATE_SHARE * n
    m = dict(_DEFAULT_M)
    if comparisons:
        m, share = _em(Counter(c.levels for c in comparisons), u)
        learnt = share * len(comparisons)
        trust = len(comparisons) / (len(comparisons) + 1000)
        expected = trust * learnt + (1 - trust) * expected
    prior = _prior(max(expected, 1.0), max(n, 2))
    return MatchModel(m, u, prior, household, counts, present)
