"""Store benchmark: bulk insert rate, open-to-first-page, prefix search (median and p90).

Run: .venv/bin/python bench/bench_store.py [--sizes 10000 100000] [--repeat 50]
Figures are printed, never asserted; quote medians, the machine is noisy.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import tempfile
import time
from pathlib import Path

from faker import Faker

from app.core.clock import SYSTEM_CLOCK
from app.core.domain.contact import Address, Contact, Email, Name, Phone, Stage
from app.core.domain.normalise import fold, to_e164
from app.core.storage import contacts_repo, journal
from app.core.storage.database import Database
from app.core.storage.engine import DatabaseKey
from app.core.storage.search import ListQuery, SortOrder, ids, rows

BATCH = 2000


def generate(count: int, seed: int = 7) -> list[Contact]:
    """`count` realistic contacts, built from pools of Faker values (quick to make)."""
    fake = Faker(["en_GB", "de_DE", "fr_FR", "es_ES"])
    Faker.seed(seed)
    rnd = random.Random(seed)
    given = [fake.first_name() for _ in range(3000)]
    family = [fake.last_name() for _ in range(5000)]
    orgs = [fake.company() for _ in range(2000)]
    cities = [fake.city() for _ in range(500)]
    streets = [fake.street_address() for _ in range(2000)]
    notes = [fake.sentence() for _ in range(1000)]
    tags = ["client", "friend", "lead", "supplier", "conference", "family", "newsletter"]
    contacts = []
    for n in range(count):
        g, f = rnd.choice(given), rnd.choice(family)
        phone = f"+44 20 7{rnd.randrange(100, 999)} {rnd.randrange(1000, 9999)}"
        contacts.append(
            Contact(
                name=Name(given=g, family=f),
                emails=[Email(f"{fold(g + '.' + f)}{n}@example.org".replace(" ", ""), "work")],
                phones=[Phone(phone, to_e164(phone, "GB"), "mobile")],
                addresses=[Address("home", rnd.choice(streets), rnd.choice(cities))],
                org=rnd.choice(orgs),
                notes=rnd.choice(notes) if n % 3 == 0 else "",
                tags=rnd.sample(tags, rnd.randrange(0, 3)),
                stage=rnd.choice(list(Stage)),
            )
        )
    return contacts


def fill(db: Database, contacts: list[Contact]) -> float:
    """Insert as an import does (one transaction, one journal operation); contacts/s."""
    gc.collect()
    gc.freeze()
    start = time.perf_counter()
    with db.write() as conn:
        now = SYSTEM_CLOCK.now()
        op = journal.begin_operation(conn, "import", "Benchmark import", now)
        new_ids = contacts_repo.next_ids(conn, len(contacts))
        for contact, cid in zip(contacts, new_ids, strict=True):
            contacts_repo.prepare_new(contact, cid, now)
        chunks = (contacts[o : o + BATCH] for o in range(0, len(contacts), BATCH))
        contacts_repo.insert_stream(conn, chunks, import_op=op)
        journal.record_created(conn, op, new_ids)
    elapsed = time.perf_counter() - start
    gc.unfreeze()
    return len(contacts) / elapsed


def first_page_ms(path: Path, key: DatabaseKey) -> float:
    """Open the database and read the first page of 200 rows of the list."""
    start = time.perf_counter()
    db = Database.open(path, key)
    with db.read() as conn:
        page = rows(conn, ids(conn, ListQuery(sort=SortOrder.FIRST_LAST), limit=200))
    elapsed = (time.perf_counter() - start) * 1000
    assert len(page) == 200
    db.close()
    return elapsed


def search_ms(
    db: Database, words: list[str], length: int, repeat: int, rnd: random.Random
) -> list[float]:
    """Times of prefix searches of `length` letters, returning the first 200 sorted rows.

    Prefixes are cut from the stored names, so they are as common as a user's typing is.
    """
    times = []
    with db.read() as conn:
        for _ in range(repeat):
            prefix = rnd.choice(words)[:length]
            start = time.perf_counter()
            rows(conn, ids(conn, ListQuery(text=prefix), limit=200))
            times.append((time.perf_counter() - start) * 1000)
    return times


def fragment_search_ms(
    db: Database, contacts: list[Contact], repeat: int, rnd: random.Random
) -> dict[str, list[float]]:
    """Times of searches for what a row shows: a phone as shown, its last digits, an email part."""
    kinds: dict[str, list[float]] = {"phone as shown": [], "last 8 digits": [], "email part": []}
    with db.read() as conn:
        for _ in range(repeat):
            c = rnd.choice(contacts)
            phone = c.phones[0].value
            local = c.emails[0].value.split("@")[0]
            texts = {
                "phone as shown": phone,
                "last 8 digits": phone[-9:],
                "email part": local[-6:] + "@",
            }
            for kind, text in texts.items():
                start = time.perf_counter()
                found = ids(conn, ListQuery(text=text), limit=200)
                kinds[kind].append((time.perf_counter() - start) * 1000)
                rows(conn, found)
    return kinds


def p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1]


def run(size: int, repeat: int) -> None:
    print(f"\n== {size:,} contacts ==")
    contacts = generate(size)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        key = DatabaseKey(raw=bytes(range(32)))  # what the keyring holds: no key derivation
        db = Database.create(path, key)
        rate = fill(db, contacts)
        print(f"bulk insert:          {rate:>10,.0f} contacts/s")
        db.close()
        opens = [first_page_ms(path, key) for _ in range(7)]
        print(f"open + first page:    {statistics.median(opens):>10.1f} ms median of 7")
        db = Database.open(path, key)
        rnd = random.Random(3)
        words = [w for c in contacts for w in (c.name.given, c.name.family) if len(w) >= 3]
        search_ms(db, words, 2, 5, rnd)  # warm the page cache as a running app would have it
        for length in (1, 2, 3):
            times = search_ms(db, words, length, repeat, rnd)
            print(
                f"prefix search {length} letter{'s' if length > 1 else ' '}: "
                f"{statistics.median(times):>7.1f} ms median, {p90(times):.1f} ms p90"
            )
        for kind, times in fragment_search_ms(db, contacts, repeat, rnd).items():
            print(
                f"search {kind:<15}: {statistics.median(times):>7.1f} ms median, "
                f"{p90(times):.1f} ms p90"
            )
        db.close()
        print(f"file size:            {path.stat().st_size / 1e6:>10.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    for size in args.sizes:
        run(size, args.repeat)


if __name__ == "__main__":
    main()
