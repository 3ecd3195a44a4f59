"""Candidate blocking: only contacts that share a normalised key are ever compared.

Each record gets a handful of keys (a phone, an email, its user name, its name's words in any
order, a phonetic key of its names, initial + family name, birthday, organisation + given
name, street + postcode). Two records are a candidate pair when they share a key. A key that
too many records share (a switchboard number, "info@", a common name's sound) is skipped: its
pairs would be quadratic in number and nearly all strangers, and the duplicates among them
still share some rarer key. That keeps a scan near-linear in the number of contacts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence

from app.core.dedupe.names import soundex
from app.core.dedupe.record import GENERIC_LOCALS, Record

BLOCK_LIMIT = 60
"""A key shared by more records than this makes no pairs."""
_MIN_LOCAL = 5


def blocking_keys(r: Record) -> set[str]:
    """The keys under which `r` is filed; records sharing one are compared."""
    keys: set[str] = set()
    keys.update(f"p:{p}" for p in r.phones)
    keys.update(f"e:{e}" for e in r.emails)
    keys.update(f"l:{x}" for x in r.locals if len(x) >= _MIN_LOCAL and x not in GENERIC_LOCALS)
    if r.given and r.family:
        keys.add("n:" + " ".join(sorted(f"{r.given} {r.family}".split())))
        family_sound = soundex(r.family.replace(" ", ""))
        for name in r.groups:
            pair = sorted((soundex(name), family_sound))
            keys.add(f"s:{pair[0]}:{pair[1]}")
        keys.add(f"i:{r.given[0]}:{r.family}")
        keys.add(f"i:{r.family[0]}:{r.given}")  # the same, with given and family swapped
    elif r.full:
        keys.add("n:" + r.full)
    if r.birthday is not None and r.birthday.year is not None:
        keys.add(f"b:{r.birthday.iso()}")
    if r.org and r.given:
        keys.add(f"o:{r.org}:{r.given}")
    for a in r.addresses:
        if a.street and a.postcode:
            keys.add(f"a:{a.street}|{a.postcode}")
        if a.postcode and r.family:
            keys.add(f"z:{a.postcode}:{soundex(r.family.replace(' ', ''))}")
    return keys


def build_blocks(records: Sequence[Record]) -> dict[str, list[int]]:
    """Every key and the positions (in `records`) of the records filed under it."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        for key in blocking_keys(r):
            blocks[key].append(i)
    return blocks


def candidate_pairs(blocks: Iterable[list[int]], limit: int = BLOCK_LIMIT) -> list[int]:
    """The distinct pairs (i < j) that share a block of at most `limit` records.

    Pairs come encoded as `i << 32 | j`, sorted, to keep a few million of them small.
    """
    found: set[int] = set()
    for members in blocks:
        size = len(members)
        if size < 2 or size > limit:
            continue
        for x in range(size):
            i = members[x]
            for y in range(x + 1, size):
                j = members[y]
                found.add(i << 32 | j if i < j else j << 32 | i)
    return sorted(found)


def decode(pairs: Iterable[int]) -> Iterator[tuple[int, int]]:
    """The (i, j) positions of encoded pairs."""
    mask = (1 << 32) - 1
    for p in pairs:
        yield p >> 32, p & mask
