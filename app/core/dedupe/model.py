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

import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from app.core.dedupe.batch import Batch
from app.core.dedupe.levels import LEVELS, TF_FIELDS, Comparison, Field
from app.core.dedupe.record import Record

MATCH_PROBABILITY = 0.5
"""A pair is a match when it is more likely than not the same person."""

DEFAULT_M: dict[Field, tuple[float, ...]] = {
    Field.GIVEN: (0.82, 0.05, 0.06, 0.03, 0.02, 0.02),
    Field.FAMILY: (0.88, 0.06, 0.03, 0.03),
    Field.PHONE: (0.85, 0.15),
    Field.EMAIL: (0.8, 0.2),
    Field.BIRTHDAY: (0.85, 0.07, 0.05, 0.03),
    Field.ADDRESS: (0.6, 0.15, 0.1, 0.15),
    Field.ORG: (0.75, 0.25),
}
DEFAULT_U: dict[Field, tuple[float, ...]] = {
    Field.GIVEN: (0.004, 0.0005, 0.002, 0.004, 0.02, 0.9695),
    Field.FAMILY: (0.003, 0.002, 0.02, 0.975),
    Field.PHONE: (1e-5, 1 - 1e-5),
    Field.EMAIL: (1e-5, 1 - 1e-5),
    Field.BIRTHDAY: (4e-5, 3e-3, 3e-4, 1 - 3.34e-3),
    Field.ADDRESS: (1e-5, 1e-4, 0.01, 1 - 0.01011),
    Field.ORG: (0.01, 0.99),
}
HOUSEHOLD = 0.05
"""Before the data says otherwise: how often two people of one family name share a home."""
DUPLICATE_SHARE = 0.02
"""Before the data says otherwise: about one contact in fifty has a duplicate."""
RARITY_PSEUDO = 200.0
"""How many typical records a value's frequency is smoothed with (see `MatchModel.rarity`)."""
_CHANNELS = (Field.PHONE, Field.EMAIL, Field.ADDRESS, Field.ORG)
"""What a household or an office shares (a landline, an address, an email, an employer and its
switchboard): their agreements are not independent of each other, so only the strongest one
counts (see `log_odds_many`)."""
_FIELDS = tuple(int(f) for f in Field)
_GIVEN_DIFFERENT = len(LEVELS[Field.GIVEN])
_GIVEN_TYPO = LEVELS[Field.GIVEN].index("typo") + 1


@dataclass(slots=True)
class MatchModel:
    """Weights of evidence for every field and level, and what values are common.

    Build one with `train` (from the user's contacts) or `default_model` (no data yet).

    Attributes:
        m: per field, the probability of each non-null level for two records of one person.
        u: the same for two different people (random pairs).
        prior: the probability that two contacts drawn at random are one person.
        household: how often two different people of one family name share a phone, email
            or address (a household): the baseline such a shared channel is weighed against.
        counts: per field, how many records hold each value (for term frequencies).
        present: per field, how many records hold any value.
    """

    m: dict[Field, tuple[float, ...]]
    u: dict[Field, tuple[float, ...]]
    prior: float
    household: float = HOUSEHOLD
    counts: dict[Field, Counter[str]] = field(default_factory=dict)
    present: dict[Field, int] = field(default_factory=dict)

    _table: list[NDArray[np.float64]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def _weights(self) -> list[NDArray[np.float64]]:
        if self._table is None:
            self._table = [
                np.array(
                    [0.0, *(math.log2(m / u) for m, u in zip(self.m[f], self.u[f], strict=True))]
                )
                for f in Field
            ]
        return self._table

    def rarity(self, f: Field, value: str) -> float:
        """-log2 of how often a record holds this value: how rare a shared value is.

        The frequency is the value's count among the records holding field `f`, smoothed
        towards the field's typical agreement rate (`DEFAULT_U` of its exact level: the same
        for a scan, whose counts are taken before its u is learnt, and for a check) as if
        `RARITY_PSEUDO` more records had been seen. A large address book is its own evidence
        ("Quigley" is rare, "Smith" is not); in a small one every value is a large share of
        a few records, and without the smoothing two identical contacts in a book of ten
        would weigh almost nothing.

        NaN when the field or the value was not counted (then the level's own u applies).
        """
        seen = self.present.get(f, 0)
        counted = self.counts.get(f, Counter()).get(value, 0)
        if not value or counted < 1:
            return math.nan  # a value nobody counted: the level's own weight applies
        frequency = (counted + RARITY_PSEUDO * DEFAULT_U[f][0]) / (seen + RARITY_PSEUDO)
        return -math.log2(frequency)

    def rarities(self, c: Comparison) -> tuple[float, ...]:
        """`rarity` of each exactly shared value of a comparison (NaN where none)."""
        return tuple(
            self.rarity(f, value) if value else math.nan
            for f, value in zip(Field, c.shared, strict=True)
        )

    def log_odds_many(self, batch: Batch) -> NDArray[np.float64]:
        """The posterior log2-odds that each pair of `batch` is one person."""
        levels, rarity = batch.levels, batch.rarity
        table = self._weights()
        total = np.full(len(levels), math.log2(self.prior / (1 - self.prior)))
        channel = np.zeros(len(levels))
        for f in _FIELDS:
            level = levels[:, f]
            w = table[f][level]
            # An exact agreement weighs m over the frequency of the very value shared: a rare
            # surname or a private number says more than "Smith" or a switchboard.
            tf = (level == 1) & ~np.isnan(rarity[:, f])
            w = np.where(tf, math.log2(self.m[Field(f)][0]) + np.nan_to_num(rarity[:, f]), w)
            if f in _CHANNELS:
                channel = np.maximum(channel, w)
                total += np.minimum(w, 0.0)
            else:
                total += w
        given = levels[:, Field.GIVEN]
        # Unrelated given names: a shared landline, address or employer is what a partner or a
        # colleague has, so it is no evidence of one person.
        channel[given == _GIVEN_DIFFERENT] = 0.0
        # Merely similar given names (Gabriel, Gabrielle) of one family name: a household shares
        # a landline or an address this often without being one person, so that, not a random
        # pair, is the baseline.
        family = (levels[:, Field.FAMILY] == 1) | (levels[:, Field.FAMILY] == 2)
        cap = -math.log2(self.household)
        near = (given >= _GIVEN_TYPO) & (given < _GIVEN_DIFFERENT)
        channel = np.where(family & near, np.minimum(channel, cap), channel)
        return total + channel

    def probabilities(self, batch: Batch) -> NDArray[np.float64]:
        """The posterior probability that each pair of `batch` is one person."""
        x = np.clip(self.log_odds_many(batch), -200.0, 200.0)
        return 1.0 / (1.0 + np.exp2(-x))

    def probability(self, c: Comparison) -> float:
        """The posterior probability that the two compared records are one person."""
        return float(self.probabilities(Batch.of([c.levels], [self.rarities(c)]))[0])


def default_model(size: int = 1000) -> MatchModel:
    """The model before any data: typical weights for an address book of `size` contacts."""
    size = max(size, 2)
    return MatchModel(dict(DEFAULT_M), dict(DEFAULT_U), prior_for(DUPLICATE_SHARE * size, size))


def weights_to_json(model: MatchModel) -> str:
    """The model's weights (m, u, prior, household) as JSON: what a check needs of a scan.

    No value counts: they are the address book's own names and numbers, and a check counts
    the few it needs itself.
    """
    return json.dumps(
        {
            "m": {f.name.lower(): list(model.m[f]) for f in Field},
            "u": {f.name.lower(): list(model.u[f]) for f in Field},
            "prior": model.prior,
            "household": model.household,
        }
    )


def weights_from_json(text: str) -> MatchModel | None:
    """The model `weights_to_json` wrote, or None when `text` is not one (another version's)."""
    try:
        data = json.loads(text)
        m, u = {}, {}
        for f in Field:
            m[f] = _probabilities(data["m"][f.name.lower()], len(LEVELS[f]))
            u[f] = _probabilities(data["u"][f.name.lower()], len(LEVELS[f]))
        prior, household = float(data["prior"]), float(data["household"])
    except (ValueError, KeyError, TypeError):
        return None
    if not (0.0 < prior <= 0.5 and 0.0 < household < 1.0):
        return None
    return MatchModel(m, u, prior, household)


def _probabilities(values: object, size: int) -> tuple[float, ...]:
    if not isinstance(values, list) or len(values) != size:
        raise ValueError("not one probability for each level")
    found = tuple(float(v) for v in values)
    if not all(0.0 < v <= 1.0 for v in found):
        raise ValueError("a probability out of range")
    return found


def prior_for(matching_pairs: float, size: int) -> float:
    """The chance that two random contacts are one person, given the expected matching pairs."""
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
        (Field.PHONE, r.phones),
        (Field.EMAIL, r.emails),
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
