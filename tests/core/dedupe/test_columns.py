"""The batch comparison gives exactly what the one-pair comparison gives."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from app.core.dedupe.blocking import candidate_pairs, decode
from app.core.dedupe.columns import Columns, compare_many
from app.core.dedupe.levels import compare_records
from app.core.dedupe.model import default_model, value_counts
from app.core.dedupe.scan import live_records
from app.core.domain.contact import Address, Contact, Email, Name, Phone
from app.core.domain.dates import PartialDate
from bench.dedupe_gen import AddressBook


def _street_typo(c: Contact) -> None:
    for a in c.addresses:
        a.street = a.street[:3] + "x" + a.street[3:]


def _second_address(c: Contact) -> None:
    c.addresses.append(Address("work", "1 Quay Street", "Hull", "", "HU1 1AA"))


def _many_phones(c: Contact) -> None:
    c.phones += [Phone(f"+44 7700 90{n:04d}", f"+4477009{n:05d}") for n in range(4)]


def _many_emails(c: Contact) -> None:
    c.emails += [Email(f"x{n}@example.org") for n in range(4)]


def _birthday_shuffle(c: Contact) -> None:
    b = c.birthday
    if b and b.year and b.day <= 12:
        c.birthday = PartialDate(b.year, b.day, b.month)
    elif b and b.year:
        c.birthday = PartialDate(b.year + 1, b.month, b.day)


def _double_barrel(c: Contact) -> None:
    c.name.family = f"{c.name.family}-Whitmore"


def _nickname(c: Contact) -> None:
    c.nickname, c.name.given = c.name.given, "Bob"


def _org_variant(c: Contact) -> None:
    c.org = f"The {c.org} Group" if c.org else "Acme"


def _postcode_change(c: Contact) -> None:
    for a in c.addresses:
        a.postal_code = "ZZ9 9ZZ"


def _initial(c: Contact) -> None:
    c.name.given = c.name.given[:1]


def _lone(c: Contact) -> None:
    c.name.family, c.name.given = "", c.name.family


def _swap(c: Contact) -> None:
    c.name.family, c.name.given = c.name.given, c.name.family


_VARIANTS: list[Callable[[Contact], None]] = [
    _street_typo, _second_address, _many_phones, _many_emails, _birthday_shuffle,
    _double_barrel, _nickname, _org_variant, _postcode_change, _initial, _lone, _swap,
]  # fmt: skip


def _variant(c: Contact, rng: random.Random) -> Contact:
    v = replace(
        c,
        name=replace(c.name),
        phones=list(c.phones),
        emails=list(c.emails),
        addresses=[replace(a) for a in c.addresses],
    )
    for change in rng.sample(_VARIANTS, 2):
        change(v)
    return v


def _edge(given: str, street: str, org: str) -> Contact:
    return Contact(
        name=Name(given=given, family="Edgeworth"),
        addresses=[Address("home", street, "York", "", "YO1 7HH")],
        org=org,
    )


# Values just either side of the similarity thresholds (street 85, organisation 90).
_EDGES = [
    _edge("Ann", "7 High St", "Initech"),
    _edge("Anne", "7 Hgh Sr", "Initeck"),
    _edge("Ana", "19 Mill Lane", "Hooli"),
    _edge("Anna", "91 Mil Lane", "Hoolie"),
    # A name and its feminine form (two people), beside a typo of it (one).
    _edge("Robert", "7 High St", "Initech"),
    _edge("Roberta", "7 High St", "Initech"),
    _edge("Robret", "7 High St", "Initech"),
    _edge("Louis", "19 Mill Lane", "Hooli"),
    _edge("Louise", "19 Mill Lane", "Hooli"),
]


def test_compare_many_equals_compare_records(book: AddressBook) -> None:
    rng = random.Random(4)
    originals = book.contacts[:600]
    contacts = list(book.contacts) + [_variant(c, rng) for c in originals] + _EDGES
    records = live_records(contacts)
    model = default_model(len(records))
    model.counts, model.present = value_counts(records)
    n = len(book.contacts)
    pairs = list(decode(candidate_pairs(records)))
    pairs += [(k, n + k) for k in range(len(originals))] + [(n + k, k) for k in range(50)]
    pairs += [(rng.randrange(len(records)), rng.randrange(len(records))) for _ in range(3000)]
    i = np.array([p[0] for p in pairs], dtype=np.int64)
    j = np.array([p[1] for p in pairs], dtype=np.int64)
    batch = compare_many(Columns(records, model), i, j)
    for k, (x, y) in enumerate(pairs):
        c = compare_records(records[x], records[y])
        assert tuple(batch.levels[k]) == c.levels, (records[x], records[y])
        expected = np.array(model.rarities(c), dtype=np.float32)
        assert np.array_equal(batch.rarity[k], expected, equal_nan=True), (records[x], records[y])
    # The pairs cover every level of every field.
    for f in range(batch.levels.shape[1]):
        assert len(set(batch.levels[:, f].tolist())) >= 3
