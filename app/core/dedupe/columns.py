"""Comparing many pairs at once: the records as numpy columns, rapidfuzz's batch scorers.

`compare_many` gives, for hundreds of thousands of pairs, exactly the levels and rarities that
`compare_records` and `MatchModel.rarities` give one pair at a time (a test holds them to it):
names through `rapidfuzz.process.cpdist`, everything else as integer codes compared by numpy.
The few pairs whose records do not fit the columns (more than three phones or emails, more than
one address, a nickname or a double-barrelled name to look into) are compared one by one.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray
from rapidfuzz.distance import JaroWinkler, Levenshtein
from rapidfuzz.fuzz import token_set_ratio
from rapidfuzz.process import cpdist

from app.core.dedupe.batch import WIDTH, Batch
from app.core.dedupe.levels import STRONG, WEAK, Field, compare_records, lone_name
from app.core.dedupe.model import MatchModel
from app.core.dedupe.names import gendered_ending
from app.core.dedupe.record import Record

_SLOTS = 3
"""Phones and emails per record kept in columns; a record with more is compared alone."""

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


class _Codes:
    """Strings to small integers (0 is "no value"), with the rarity of each code's value."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {"": 0}

    def code(self, value: str) -> int:
        found = self.index.get(value)
        if found is None:
            found = self.index[value] = len(self.index)
        return found

    def rarities(self, model: MatchModel, f: Field) -> NDArray[np.float64]:
        out = np.full(len(self.index), np.nan)
        for value, code in self.index.items():
            if value:
                out[code] = model.rarity(f, value)
        return out


def _slots(values: Sequence[str], codes: _Codes) -> list[int]:
    row = [codes.code(v) for v in values[:_SLOTS]]
    return row + [0] * (_SLOTS - len(row))


class Columns:
    """The records of a scan as columns, for `compare_many`.

    Args:
        records: the records; pairs are given as positions in this sequence.
        model: its value counts give the rarity of each shared value.
    """

    def __init__(self, records: Sequence[Record], model: MatchModel) -> None:
        self.records = records
        self.model = model
        names, iso, streets, orgs, keys = _Codes(), _Codes(), _Codes(), _Codes(), _Codes()
        phones, emails, locals_, places, cities = _Codes(), _Codes(), _Codes(), _Codes(), _Codes()
        self.given = [r.given for r in records]
        self.family = [r.family for r in records]
        self.street = [r.addresses[0].street if len(r.addresses) == 1 else "" for r in records]
        self.org_text = [r.org for r in records]
        self.iso = [r.birthday.iso() if r.birthday else "" for r in records]
        self.gcode = np.array([names.code(r.given) for r in records], dtype=np.int64)
        self.fcode = np.array([names.code(r.family) for r in records], dtype=np.int64)
        self.first = np.array([ord(r.given[0]) if r.given else 0 for r in records])
        self.short = np.array([len(r.given) == 1 for r in records])
        self.fshort = np.array([len(r.family) == 1 for r in records])
        self.ffirst = np.array([ord(r.family[0]) if r.family else 0 for r in records])
        self.nick = np.array([len(r.groups) > 1 for r in records])
        self.gendered = np.array([gendered_ending(r.given) for r in records])
        self.spaced = np.array([" " in r.family or " " in r.given for r in records])
        self.lone = np.array([lone_name(r) for r in records])
        self.phones = np.array([_slots(r.phones, phones) for r in records], dtype=np.int64)
        self.emails = np.array([_slots(r.emails, emails) for r in records], dtype=np.int64)
        self.locals = np.array([_slots(r.locals, locals_) for r in records], dtype=np.int64)
        self.overflow = np.array(
            [
                len(r.phones) > _SLOTS
                or len(r.emails) > _SLOTS
                or len(r.locals) > _SLOTS
                or len(r.addresses) > 1
                for r in records
            ]
        )
        b = [r.birthday for r in records]
        self.year = np.array([(d.year or 0) if d else 0 for d in b], dtype=np.int64)
        self.month = np.array([d.month if d else 0 for d in b], dtype=np.int64)
        self.day = np.array([d.day if d else 0 for d in b], dtype=np.int64)
        self.isocode = np.array([iso.code(x) for x in self.iso], dtype=np.int64)
        one = [r.addresses[0] if len(r.addresses) == 1 else None for r in records]
        self.has_address = np.array([a is not None for a in one])
        self.scode = np.array([streets.code(a.street if a else "") for a in one], dtype=np.int64)
        self.pcode = np.array([places.code(a.postcode if a else "") for a in one], dtype=np.int64)
        self.ccode = np.array([cities.code(a.city if a else "") for a in one], dtype=np.int64)
        self.akey = np.array(
            [keys.code(f"{a.street}|{a.postcode}") if a and a.street else 0 for a in one],
            dtype=np.int64,
        )
        self.ocode = np.array([orgs.code(r.org) for r in records], dtype=np.int64)
        self.rarity = {
            Field.GIVEN: names.rarities(model, Field.GIVEN),
            Field.FAMILY: names.rarities(model, Field.FAMILY),
            Field.PHONE: phones.rarities(model, Field.PHONE),
            Field.EMAIL: emails.rarities(model, Field.EMAIL),
            Field.BIRTHDAY: iso.rarities(model, Field.BIRTHDAY),
            Field.ADDRESS: keys.rarities(model, Field.ADDRESS),
            Field.ORG: orgs.rarities(model, Field.ORG),
        }


def _score(
    scorer: Callable[..., float], a: list[str], b: list[str], i: IntArray, j: IntArray
) -> NDArray[np.float64]:
    if len(i) == 0:
        return np.zeros(0)
    return np.asarray(
        cpdist([a[x] for x in i.tolist()], [b[x] for x in j.tolist()], scorer=scorer,
               dtype=np.float64),
        dtype=np.float64,
    )  # fmt: skip


def _shared_slot(a: IntArray, b: IntArray) -> tuple[BoolArray, IntArray]:
    """Whether row k of `a` and `b` share a code, and the first of `a`'s codes that `b` has."""
    value = np.zeros(len(a), dtype=np.int64)
    found = np.zeros(len(a), dtype=bool)
    for x in range(_SLOTS - 1, -1, -1):  # backwards, so that the first slot found wins
        hit = (a[:, x] > 0) & (a[:, [x]] == b).any(axis=1)
        value = np.where(hit, a[:, x], value)
        found |= hit
    return found, value


def _names(c: Columns, i: IntArray, j: IntArray) -> tuple[IntArray, IntArray, BoolArray]:
    gg = _score(JaroWinkler.normalized_similarity, c.given, c.given, i, j)
    ff = _score(JaroWinkler.normalized_similarity, c.family, c.family, i, j)
    gf = _score(JaroWinkler.normalized_similarity, c.given, c.family, i, j)
    fg = _score(JaroWinkler.normalized_similarity, c.family, c.given, i, j)
    ga, fa, gb, fb = c.gcode[i], c.fcode[i], c.gcode[j], c.fcode[j]
    full = (ga > 0) & (fa > 0) & (gb > 0) & (fb > 0)
    swap = full & (ga != gb) & (gf + fg > gg + ff) & (np.minimum(gf, fg) >= WEAK)
    b_given = np.where(swap, fb, gb)
    b_family = np.where(swap, gb, fb)
    g_sim = np.where(swap, gf, gg)
    f_sim = np.where(swap, fg, ff)
    b_short = np.where(swap, c.fshort[j], c.short[j])
    b_first = np.where(swap, c.ffirst[j], c.first[j])

    given = np.full(len(i), 6, dtype=np.int64)
    given[g_sim >= WEAK] = 5
    given[(c.short[i] | b_short) & (c.first[i] == b_first)] = 4
    given[g_sim >= STRONG] = 3
    given[ga == b_given] = 1
    given[(ga == 0) | (b_given == 0)] = 0

    family = np.full(len(i), 4, dtype=np.int64)
    family[f_sim >= WEAK] = 3
    family[f_sim >= STRONG] = 2
    family[fa == b_family] = 1
    family[(fa == 0) | (b_family == 0)] = 0

    # One by one: a nickname to look up (given names that differ, one in the nickname table),
    # a pair of names that may be one name's two forms (Robert, Roberta),
    # a double-barrelled name whose words may overlap, a single name to place.
    alone = (
        ((given > 1) & ~swap & (c.nick[i] | c.nick[j]))
        | ((given == 3) & ~swap & (c.gendered[i] != c.gendered[j]))
        | ((family == 4) & (c.spaced[i] | c.spaced[j]))
        | c.lone[i]
        | c.lone[j]
    )
    return given, family, alone


def _birthdays(c: Columns, i: IntArray, j: IntArray) -> IntArray:
    ya, ma, da, yb, mb, db = c.year[i], c.month[i], c.day[i], c.year[j], c.month[j], c.day[j]
    both = (ma > 0) & (mb > 0)
    same_day = (ma == mb) & (da == db)
    lev = _score(Levenshtein.distance, c.iso, c.iso, i, j)
    full = (ya > 0) & (yb > 0)
    typo = full & (
        ((ya == yb) & (ma == db) & (da == mb)) | (lev <= 1) | (same_day & (np.abs(ya - yb) == 1))
    )
    level = np.full(len(i), 4, dtype=np.int64)
    level[typo] = 3
    level[same_day & ((ya == 0) | (yb == 0))] = 2
    level[same_day & (ya == yb)] = 1
    level[~both] = 0
    return level


def _addresses(c: Columns, i: IntArray, j: IntArray) -> IntArray:
    sa, sb, pa, pb = c.scode[i], c.scode[j], c.pcode[i], c.pcode[j]
    same_place = (pa == 0) | (pb == 0) | (pa == pb)
    ratio = _score(token_set_ratio, c.street, c.street, i, j)
    level = np.full(len(i), 4, dtype=np.int64)
    area = ((pa > 0) & (pa == pb)) | (~((pa > 0) & (pb > 0)) & (c.ccode[i] > 0) & (
        c.ccode[i] == c.ccode[j]))  # fmt: skip
    level[area] = 3
    level[(sa > 0) & (sb > 0) & (ratio >= 85) & same_place] = 2
    level[(sa > 0) & (sa == sb) & same_place] = 1
    level[~(c.has_address[i] & c.has_address[j])] = 0
    return level


def compare_many(c: Columns, i: IntArray, j: IntArray) -> Batch:
    """The levels and rarities of pairs (i[k], j[k]), as `compare_records` would give them."""
    n = len(i)
    levels = np.zeros((n, WIDTH), dtype=np.int8)
    rarity = np.full((n, WIDTH), np.nan, dtype=np.float32)
    if n == 0:
        return Batch(levels, rarity)
    given, family, alone = _names(c, i, j)
    levels[:, Field.GIVEN] = given
    levels[:, Field.FAMILY] = family
    rarity[:, Field.GIVEN] = np.where(given == 1, c.rarity[Field.GIVEN][c.gcode[i]], np.nan)
    rarity[:, Field.FAMILY] = np.where(family == 1, c.rarity[Field.FAMILY][c.fcode[i]], np.nan)

    for f, codes in ((Field.PHONE, c.phones), (Field.EMAIL, c.emails)):
        a, b = codes[i], codes[j]
        both = (a[:, 0] > 0) & (b[:, 0] > 0)
        found, value = _shared_slot(a, b)
        level = np.where(found, 1, 2)
        if f == Field.EMAIL:
            same_user, _ = _shared_slot(c.locals[i], c.locals[j])
            level = np.where(~found & same_user, 0, level)
        levels[:, f] = np.where(both, level, 0)
        rarity[:, f] = np.where(both & found, c.rarity[f][value], np.nan)

    birthday = _birthdays(c, i, j)
    levels[:, Field.BIRTHDAY] = birthday
    rarity[:, Field.BIRTHDAY] = np.where(
        birthday == 1, c.rarity[Field.BIRTHDAY][c.isocode[i]], np.nan
    )
    address = _addresses(c, i, j)
    levels[:, Field.ADDRESS] = address
    rarity[:, Field.ADDRESS] = np.where(address == 1, c.rarity[Field.ADDRESS][c.akey[i]], np.nan)
    oa, ob = c.ocode[i], c.ocode[j]
    org_ratio = _score(token_set_ratio, c.org_text, c.org_text, i, j)
    org = np.where((oa == ob) | (org_ratio >= 90), 1, 2)
    org = np.where((oa > 0) & (ob > 0), org, 0)
    levels[:, Field.ORG] = org
    rarity[:, Field.ORG] = np.where(org == 1, c.rarity[Field.ORG][oa], np.nan)

    for k in np.flatnonzero(alone | c.overflow[i] | c.overflow[j]).tolist():
        cmp = compare_records(c.records[int(i[k])], c.records[int(j[k])])
        levels[k] = cmp.levels
        rarity[k] = [
            math.nan if not value else c.model.rarity(f, value)
            for f, value in zip(Field, cmp.shared, strict=True)
        ]
    return Batch(levels, rarity)
