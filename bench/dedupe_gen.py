"""A labelled address book for the duplicate benchmark (Faker, seeded; never a real person).

People get names from several locales, mobiles, emails, addresses, employers and birthdays.
Some live in couples that share a family name, an address, a landline and sometimes an email;
colleagues share their employer's switchboard number; some distinct people share a full name.
About 5% of the contacts are extra copies of a person carrying the noise real address books
have: typos, nicknames, given and family names swapped, a phone written another way or missing,
an email in other case or missing, a missing field, an extra middle name, a birthday without
its year. `entity[i]` says which person contact i is, so pairs can be scored.
"""

from __future__ import annotations

import random
import string
from collections import Counter
from dataclasses import dataclass, replace

from faker import Faker

from app.core.domain.contact import Address, Contact, Email, Name, Phone
from app.core.domain.dates import PartialDate
from app.core.domain.normalise import fold

_DIMINUTIVES = {
    "robert": "Bob",
    "william": "Bill",
    "katherine": "Kate",
    "catherine": "Cathy",
    "elizabeth": "Liz",
    "michael": "Mike",
    "richard": "Dick",
    "james": "Jim",
    "thomas": "Tom",
    "christopher": "Chris",
    "margaret": "Maggie",
    "jennifer": "Jenny",
    "daniel": "Dan",
    "david": "Dave",
    "joseph": "Joe",
    "anthony": "Tony",
    "edward": "Ted",
    "alexander": "Alex",
    "samuel": "Sam",
    "stephen": "Steve",
    "patricia": "Pat",
    "susan": "Sue",
    "andrew": "Andy",
    "nicholas": "Nick",
    "matthew": "Matt",
    "peter": "Pete",
    "benjamin": "Ben",
    "deborah": "Debbie",
    "timothy": "Tim",
    "jonathan": "Jon",
}
_FORMALS = [name.title() for name in _DIMINUTIVES]


@dataclass(slots=True)
class AddressBook:
    """Generated contacts (ids 1..n) and the person each one is."""

    contacts: list[Contact]
    entity: list[int]

    def true_pairs(self) -> set[tuple[int, int]]:
        """Every pair of contact ids (low, high) that are the same person."""
        by_person: dict[int, list[int]] = {}
        for contact, person in zip(self.contacts, self.entity, strict=True):
            assert contact.id is not None
            by_person.setdefault(person, []).append(contact.id)
        pairs = set()
        for ids in by_person.values():
            for x in range(len(ids)):
                for y in range(x + 1, len(ids)):
                    pairs.add((min(ids[x], ids[y]), max(ids[x], ids[y])))
        return pairs


class _Pools:
    def __init__(self, seed: int) -> None:
        fake = Faker(["en_GB", "en_US", "de_DE", "fr_FR", "es_ES", "it_IT"])
        Faker.seed(seed)
        self.female = [fake.first_name_female() for _ in range(3000)] + _FORMALS[:8]
        self.male = [fake.first_name_male() for _ in range(3000)] + _FORMALS * 20
        self.family = [fake.last_name() for _ in range(6000)]
        self.streets = [fake.street_name() for _ in range(4000)]
        self.cities = [fake.city() for _ in range(1500)]
        self.postcodes = [fake.postcode() for _ in range(8000)]
        self.companies = [fake.company() for _ in range(1500)]
        # Names many people share (the most frequent draws), for distinct people of one name.
        self.common_given = [n for n, _ in Counter(self.male + self.female).most_common(40)]
        self.common_family = [n for n, _ in Counter(self.family).most_common(40)]
        self.domains = ["example.com", "example.org", "example.net", "mail.test", "post.test"]
        self.taken: set[str] = set()

    def mailbox(self, user: str, domain: str) -> str:
        """A new address: a provider gives no two people one mailbox (j.smith2@ when taken)."""
        address, n = f"{user}@{domain}", 1
        while address in self.taken:
            n += 1
            address = f"{user}{n}@{domain}"
        self.taken.add(address)
        return address


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 3:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    letter = rng.choice(string.ascii_lowercase)
    if kind == 0:
        return word[:i] + word[i + 1 :]
    if kind == 1:
        return word[:i] + letter + word[i:]
    if kind == 2:
        return word[:i] + letter + word[i + 1 :]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


def _mobile(rng: random.Random) -> tuple[str, str]:
    rest = f"{rng.randrange(10**9):09d}"
    if rng.random() < 0.8:
        e164 = f"+447{rest}"
        return f"+44 7{rest[:3]} {rest[3:]}", e164
    e164 = f"+4915{rest}"
    return f"+49 15{rest[:2]} {rest[2:]}", e164


def _national(value: str, e164: str) -> str:
    if e164.startswith("+44"):
        return "0" + e164[3:7] + "-" + e164[7:]
    return "0" + e164[3:6] + " " + e164[6:]


def _person(rng: random.Random, pools: _Pools, n: int) -> Contact:
    female = rng.random() < 0.5
    given = rng.choice(pools.female if female else pools.male)
    family = rng.choice(pools.family)
    middle = rng.choice(pools.male if rng.random() < 0.5 else pools.female)
    c = Contact(name=Name(given=given, family=family, middle=middle if rng.random() < 0.15 else ""))
    if rng.random() < 0.9:
        value, e164 = _mobile(rng)
        c.phones.append(Phone(value, e164, "mobile"))
    if rng.random() < 0.85:
        user = fold(rng.choice([f"{given}.{family}", f"{given[0]}{family}", f"{given}{n % 97}"]))
        user = user.replace(" ", "").replace("'", "")
        c.emails.append(Email(pools.mailbox(user, rng.choice(pools.domains)), "home"))
    if rng.random() < 0.6:
        c.addresses.append(
            Address(
                "home",
                f"{rng.randrange(1, 200)} {rng.choice(pools.streets)}",
                rng.choice(pools.cities),
                "",
                rng.choice(pools.postcodes),
                "",
            )
        )
    roll = rng.random()
    if roll < 0.5:
        c.birthday = PartialDate(
            rng.randrange(1940, 2005), rng.randrange(1, 13), rng.randrange(1, 29)
        )
    elif roll < 0.65:
        c.birthday = PartialDate(None, rng.randrange(1, 13), rng.randrange(1, 29))
    return c


def _employ(rng: random.Random, pools: _Pools, c: Contact, switchboards: dict[str, str]) -> None:
    if rng.random() >= 0.45:
        return
    org = rng.choice(pools.companies)
    c.org = org
    if rng.random() < 0.4:  # the switchboard, shared by everyone at the company
        number = switchboards.setdefault(org, f"+4420{rng.randrange(10**8):08d}")
        c.phones.append(Phone(f"+44 20 {number[5:9]} {number[9:]}", number, "work"))
    if rng.random() < 0.3:
        user = fold(f"{c.name.given}.{c.name.family}").replace(" ", "")
        domain = fold(org.split()[0]).strip(",.") or "work"
        c.emails.append(Email(pools.mailbox(user, f"{domain}.test"), "work"))


def _partner(rng: random.Random, pools: _Pools, c: Contact, n: int) -> Contact:
    p = _person(rng, pools, n)
    if rng.random() < 0.7:
        p.name.family = c.name.family
    p.addresses = [replace(a, label="home") for a in c.addresses] or p.addresses
    landline = f"+44{rng.choice(['1', '2'])}{rng.randrange(10**9):09d}"
    for person in (c, p):
        person.phones.append(Phone(landline, landline, "home"))
    if rng.random() < 0.2 and c.emails:  # one household address for both
        p.emails.append(Email(c.emails[0].value, "home"))
    return p


def _noisy_copy(rng: random.Random, c: Contact) -> Contact:
    d = Contact(
        name=replace(c.name),
        phones=[replace(p) for p in c.phones],
        emails=[replace(e) for e in c.emails],
        addresses=[replace(a) for a in c.addresses],
        org=c.org,
        birthday=c.birthday,
    )
    for _ in range(rng.choice((1, 1, 2, 2, 3))):
        kind = rng.randrange(10)
        name = d.name
        if kind == 0:
            name.family = _typo(rng, name.family)
        elif kind == 1:
            name.given = _typo(rng, name.given)
        elif kind == 2 and fold(name.given) in _DIMINUTIVES:
            name.given = _DIMINUTIVES[fold(name.given)]
        elif kind == 3:
            name.given, name.family = name.family, name.given
        elif kind == 4 and d.phones:
            p = d.phones[0]
            d.phones[0] = Phone(_national(p.value, p.e164), "", p.label)
        elif kind == 5 and d.phones and (d.emails or len(d.phones) > 1):
            del d.phones[0]
        elif kind == 6 and d.emails:
            d.emails[0] = replace(d.emails[0], value=d.emails[0].value.title())
        elif kind == 7 and d.emails and (d.phones or len(d.emails) > 1):
            del d.emails[0]
        elif kind == 8:
            if d.addresses:
                d.addresses = []
            elif d.org:
                d.org = ""
            elif d.birthday:
                d.birthday = None
        elif kind == 9:
            if not name.middle and rng.random() < 0.6:
                name.middle = rng.choice(_FORMALS)
            elif d.birthday and d.birthday.year:
                d.birthday = PartialDate(None, d.birthday.month, d.birthday.day)
    return d


def _date_typo(rng: random.Random, d: PartialDate) -> PartialDate:
    for _ in range(20):
        text = list(d.iso())
        k = rng.choice([2, 3, 5, 6, 8, 9])
        text[k] = str(rng.randrange(10))
        found = PartialDate.try_parse("".join(text))
        if found and found != d:
            return found
    return d


def _registry_copy(rng: random.Random, c: Contact) -> Contact:
    """A copy with the noise of a people register: typos in names, street, postcode, date."""
    d = Contact(name=replace(c.name), addresses=[replace(a) for a in c.addresses],
                birthday=c.birthday)  # fmt: skip
    for _ in range(rng.choice((1, 1, 2, 2, 3))):
        kind = rng.randrange(8)
        if kind == 0:
            d.name.family = _typo(rng, d.name.family)
        elif kind == 1:
            d.name.given = _typo(rng, d.name.given)
        elif kind == 2:
            d.name.given, d.name.family = d.name.family, d.name.given
        elif kind == 3 and d.birthday and d.birthday.year:
            d.birthday = _date_typo(rng, d.birthday)
        elif kind == 4 and d.addresses:
            a = d.addresses[0]
            d.addresses[0] = replace(a, street=_typo(rng, a.street))
        elif kind == 5 and d.addresses:
            a = d.addresses[0]
            d.addresses[0] = replace(a, postal_code=_typo(rng, a.postal_code))
        elif kind == 6:
            field = rng.choice(("given", "family", "address", "birthday"))
            if field == "address":
                d.addresses = []
            elif field == "birthday":
                d.birthday = None
            else:
                setattr(d.name, field, "")
        elif kind == 7 and fold(d.name.given) in _DIMINUTIVES:
            d.name.given = _DIMINUTIVES[fold(d.name.given)]
    return d


def _registry_person(rng: random.Random, pools: _Pools, n: int) -> Contact:
    c = _person(rng, pools, n)
    c.phones, c.emails = [], []
    if not c.addresses and rng.random() < 0.75:
        c.addresses = _person(rng, pools, n).addresses or c.addresses
    if c.birthday is None or c.birthday.year is None:
        c.birthday = PartialDate(
            rng.randrange(1930, 2005), rng.randrange(1, 13), rng.randrange(1, 29)
        )
    return c


def generate(
    count: int, seed: int = 11, duplicate_share: float = 0.05, style: str = "address book"
) -> AddressBook:
    """`count` contacts of which about `duplicate_share` are copies of another, with labels.

    `style` "register" makes records like those of public record-linkage benchmarks (FEBRL):
    names, an address and a date of birth only, copies with typos in all of them.
    """
    if style == "register":
        return _register(count, seed, duplicate_share)
    rng = random.Random(seed)
    pools = _Pools(seed)
    contacts: list[Contact] = []
    entity: list[int] = []
    switchboards: dict[str, str] = {}
    people: list[Contact] = []
    copies = int(count * duplicate_share)
    while len(people) < count - copies:
        c = _person(rng, pools, len(people))
        _employ(rng, pools, c, switchboards)
        if rng.random() < 0.03:  # a different person with a common name another person has
            c.name.given = rng.choice(pools.common_given)
            c.name.family = rng.choice(pools.common_family)
        people.append(c)
        if rng.random() < 0.08 and len(people) < count - copies:
            people.append(_partner(rng, pools, c, len(people)))
    for person, c in enumerate(people):
        contacts.append(c)
        entity.append(person)
    for _ in range(copies):
        person = rng.randrange(len(people))
        contacts.append(_noisy_copy(rng, people[person]))
        entity.append(person)
    return _shuffled(rng, contacts, entity)


def _shuffled(rng: random.Random, contacts: list[Contact], entity: list[int]) -> AddressBook:
    """The contacts in a random order, numbered from 1 in it, with each one's person."""
    order = list(range(len(contacts)))
    rng.shuffle(order)
    shuffled = [contacts[i] for i in order]
    for new_id, c in enumerate(shuffled, start=1):
        c.id = new_id
    return AddressBook(shuffled, [entity[i] for i in order])


def _register(count: int, seed: int, duplicate_share: float) -> AddressBook:
    rng = random.Random(seed)
    pools = _Pools(seed)
    copies = int(count * duplicate_share)
    people = [_registry_person(rng, pools, n) for n in range(count - copies)]
    contacts = list(people)
    entity = list(range(len(people)))
    for _ in range(copies):
        person = rng.randrange(len(people))
        contacts.append(_registry_copy(rng, people[person]))
        entity.append(person)
    return _shuffled(rng, contacts, entity)
