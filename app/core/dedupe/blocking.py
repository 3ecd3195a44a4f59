"""Candidate blocking: only contacts that share a normalised key are ever compared.

Each record gets a handful of keys (a phone, an email, its user name, its name's words in any
order, a phonetic key of its names, the start of its given name with its family name,
birthday, organisation + given name, street + postcode, postcode + family name's sound). Two
records are a candidate pair when they share a key. A key that too many records share (a
switchboard number, a common name's sound) is skipped: its pairs would be quadratic in number
and nearly all strangers, and the duplicates among them still share some rarer key. That keeps
a scan near-linear in the number of contacts.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence

import numpy as np
from numpy.typing import NDArray

from app.core.dedupe.names import soundex
from app.core.dedupe.record import GENERIC_LOCALS, Record

BLOCK_LIMIT = 60
"""A name, birthday or organisation key shared by more records than this makes no pairs."""
CONTACT_LIMIT = 12
"""A phone, email or address shared by more records than this (a switchboard, an office
building, "info@") makes no pairs: it belongs to a place, not a person."""
_CONTACT_KINDS = frozenset("pela")
_MIN_LOCAL = 5


def limit_of(key: str) -> int:
    """How many records may share `key` before it stops making pairs."""
    return CONTACT_LIMIT if key[0] in _CONTACT_KINDS else BLOCK_LIMIT


def _name_keys(given: str, family: str, groups: frozenset[str]) -> tuple[str, ...]:
    if not (given and family):
        full = f"{given} {family}".strip()
        return (f"n:{full}",) if full else ()
    keys = {"n:" + " ".join(sorted(f"{given} {family}".split()))}
    family_sound = soundex(family.replace(" ", ""))
    for name in groups:
        low, high = sorted((soundex(name), family_sound))  # either order: swapped names
        keys.add(f"s:{low}:{high}")
    # The start of the given name (a typo further on) with the family name.
    keys.add(f"i:{given[:2]}:{family}")
    return tuple(keys)


def blocking_keys(r: Record) -> set[str]:
    """The keys under which `r` is filed; records sharing one are compared."""
    keys = set(_name_keys(r.given, r.family, r.groups))
    keys.update(f"p:{p}" for p in r.phones)
    keys.update(f"e:{e}" for e in r.emails)
    keys.update(f"l:{x}" for x in r.locals if len(x) >= _MIN_LOCAL and x not in GENERIC_LOCALS)
    if r.birthday is not None:
        if r.birthday.year is not None:
            keys.add(f"b:{r.birthday.iso()}")
        # Either name with the birth year, or with the day: a typo in the rest of the date,
        # or in the other name, or the other name missing, still meets its duplicate here.
        for name in (r.given, r.family):
            if len(name) > 1:
                keys.add(f"d:{name}:{r.birthday.month}-{r.birthday.day}")
                if r.birthday.year is not None:
                    keys.add(f"y:{name}:{r.birthday.year}")
    if r.org and r.given:
        keys.add(f"o:{r.org}:{r.given}")
    for a in r.addresses:
        if a.street and a.postcode:
            keys.add(f"a:{a.street}|{a.postcode}")
        if a.postcode and r.family:
            keys.add(f"z:{a.postcode}:{soundex(r.family.replace(' ', ''))}")
    return keys


def candidate_pairs(records: Sequence[Record]) -> NDArray[np.int64]:
    """The distinct pairs of positions (i < j) that share a key not shared too widely.

    Keys are hashed to integers and sorted with numpy, which keeps a million of them in a few
    megabytes. Pairs come encoded as `i << 32 | j`, sorted.
    """
    hashes, owners, limits = array("q"), array("q"), array("q")
    for i, r in enumerate(records):
        for key in blocking_keys(r):
            hashes.append(hash(key))
            owners.append(i)
            limits.append(limit_of(key))
    if not hashes:
        return np.zeros(0, dtype=np.int64)
    h = np.frombuffer(hashes, dtype=np.int64)
    order = np.argsort(h, kind="stable")  # stable: owners stay ascending within a key
    h = h[order]
    owner = np.frombuffer(owners, dtype=np.int64)[order]
    limit = np.frombuffer(limits, dtype=np.int64)[order]
    starts = np.flatnonzero(np.concatenate(([True], h[1:] != h[:-1])))
    sizes = np.diff(np.concatenate((starts, [len(h)])))
    usable = (sizes >= 2) & (sizes <= limit[starts])
    found: set[int] = set()
    for start, size in zip(starts[usable].tolist(), sizes[usable].tolist(), strict=True):
        members = owner[start : start + size].tolist()
        for x in range(size):
            high = members[x] << 32
            for y in range(x + 1, size):
                found.add(high | members[y])
    return np.sort(np.fromiter(found, dtype=np.int64, count=len(found)))


def decode(pairs: NDArray[np.int64]) -> Iterator[tuple[int, int]]:
    """The (i, j) positions of encoded pairs."""
    mask = (1 << 32) - 1
    for p in pairs.tolist():
        yield p >> 32, p & mask
