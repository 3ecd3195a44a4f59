"""Command-line start benchmark: whole `kith` processes, beside khard on the same contacts.

Times, as whole processes on this machine (median of --runs, the commands interleaved so that
the machine's noise falls on all of them alike):
  kith --help, kith --version,
  kith list --search NAME [--json] on N generated contacts (KITH_PASSPHRASE, --db),
  khard list NAME with `search_in_source_files = yes`, over the same contacts as a vdir of
  .vcf files (one card a file, written by Kith's vCard writer), when khard is installed
  (--khard PATH, else `khard` on PATH, else /work/khard-venv/bin/khard);
  python -c pass, the interpreter's own start, as the floor.
Then where the time of `kith list --search` goes, measured in one process: imports, opening
(SQLCipher's key derivation from the passphrase, tried before the keyring, which is then never
imported), the query and the printing.

Run: .venv/bin/python bench/bench_cli.py [--size 10000] [--runs 9] [--khard PATH]
Figures are printed, never asserted; quote medians, the machine is noisy.
"""

from __future__ import annotations

import argparse
import collections
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core.domain.contact import Contact
from app.core.formats.vcard_writer import write_vcards
from app.core.storage.database import Database
from app.core.storage.engine import DatabaseKey
from bench.bench_store import fill, generate

PASSPHRASE = "bench passphrase"
KHARD_VENV = Path("/work/khard-venv/bin/khard")
KHARD_CONFIG = """\
[addressbooks]
[[bench]]
path = {vdir}

[general]
debug = no
default_action = list
editor = true
merge_editor = true

[contact table]
display = first_name
group_by_addressbook = no
reverse = no
show_nicknames = no
show_uids = yes
sort = last_name
localize_dates = yes

[vcard]
search_in_source_files = yes
skip_unparsable = yes
"""


def write_vdir(contacts: Sequence[Contact], folder: Path) -> None:
    """One .vcf file a contact, as vdirsyncer keeps them and khard reads them."""
    folder.mkdir()
    for n, contact in enumerate(contacts):
        contact.uid = contact.uid or f"kith-bench-{n}"
        with (folder / f"{contact.uid}.vcf").open("wb") as out:
            write_vcards([contact], out, v4=False)


def find_khard(given: str | None) -> str | None:
    """The khard to compare with, or None."""
    if given:
        return given if Path(given).exists() else None
    return shutil.which("khard") or (str(KHARD_VENV) if KHARD_VENV.exists() else None)


def common_family_name(contacts: Sequence[Contact]) -> str:
    """A family name of middling frequency: a search that finds a screenful, not everyone."""
    counts = collections.Counter(c.name.family for c in contacts if c.name.family.isalpha())
    ranked = [name for name, _ in counts.most_common()]
    return ranked[len(ranked) // 10]


def timed(command: list[str], env: dict[str, str]) -> tuple[float, bytes]:
    """Seconds one whole process took, and its standard output."""
    start = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{command} failed: {result.stderr.decode(errors='replace')[-500:]}")
    return elapsed, result.stdout


def run(size: int, runs: int, khard: str | None) -> None:
    """Build the database and the vdir, then time every command `runs` times, interleaved."""
    # As an installed Kith would be: compiled. (This environment sets PYTHONDONTWRITEBYTECODE,
    # which would otherwise have every run compile Kith's modules again; the libraries' own
    # bytecode was written when pip installed them.)
    compileall.compile_dir(Path(__file__).resolve().parents[1] / "app", quiet=1)
    contacts = generate(size)
    name = common_family_name(contacts)
    kith = str(Path(sys.executable).with_name("kith"))
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        db_path = tmp / "kith.db"
        db = Database.create(db_path, DatabaseKey(passphrase=PASSPHRASE))
        fill(db, contacts)
        db.close()
        write_vdir(contacts, tmp / "vdir")
        (tmp / "khard.conf").write_text(KHARD_CONFIG.format(vdir=tmp / "vdir"))
        env = {k: v for k, v in os.environ.items() if not k.startswith("KITH_")}
        env.update(
            KITH_PASSPHRASE=PASSPHRASE,
            KITH_LOG_DIR=str(tmp / "log"),
            # No desktop keyring here: what a script on a server, or CI, has.
            PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
            COLUMNS="100",
        )
        commands: dict[str, list[str]] = {
            "python -c pass (the floor)": [sys.executable, "-c", "pass"],
            "kith --help": [kith, "--help"],
            "kith --version": [kith, "--version"],
            f"kith list --search {name}": [kith, "--db", str(db_path), "list", "--search", name],
            f"kith list --search {name} --json": [
                kith, "--db", str(db_path), "list", "--search", name, "--json",
            ],
        }  # fmt: skip
        if khard:
            commands[f"khard list {name} (search_in_source_files)"] = [
                khard, "-c", str(tmp / "khard.conf"), "list", name,
            ]  # fmt: skip
        times: dict[str, list[float]] = {label: [] for label in commands}
        found: dict[str, int] = {}
        for label, command in commands.items():  # once to warm the page cache
            _, out = timed(command, env)
            found[label] = len(out.splitlines())
        for _ in range(runs):
            for label, command in commands.items():
                times[label].append(timed(command, env)[0])
        print(f"\n== {size:,} contacts; median of {runs} whole processes ==")
        for label, values in times.items():
            print(
                f"{label:<52} {statistics.median(values) * 1000:7.0f} ms "
                f"(min {min(values) * 1000:.0f}, {found[label]} lines of output)"
            )
        if not khard:
            print("khard: not installed (pip install khard into /work/khard-venv): line skipped")
        breakdown(db_path, name, env, runs)


BREAKDOWN = """
import sys, time, io, contextlib
marks = [("", time.perf_counter())]
def mark(label): marks.append((label, time.perf_counter()))
import app.cli.main, argparse; mark("argparse, app.cli.main")
import sqlcipher3.dbapi2; mark("import sqlcipher3")
import app.cli.contact_commands; mark("import the rest of Kith's storage and services")
from pathlib import Path
from app.core.services.session import KeyStore, unlock
# KITH_PASSPHRASE is tried before the keyring (storage/unlock.py), so a listing opened with a
# passphrase never imports keyring; nor phonenumbers, since a name is searched as text.
db = unlock(Path(DB), KeyStore(), passphrase=PASS)
mark("open: lock, key derivation, version")
from app.core.services.queries import ContactReader, ListQuery
from app.cli.output import printable
service = ContactReader(db)
ids = service.ids(ListQuery(text=NAME)); mark("search (FTS5)")
with contextlib.redirect_stdout(io.StringIO()):
    for row in service.rows(ids):
        print(printable(f"{row.id:>6}  {row.display_name}  {row.org}  {row.email}"))
mark("rows and printing")
db.close(); mark("close")
# Reads are raw (storage/raw_read.py): a listing no longer imports SQLAlchemy at all.
for module in ("sqlalchemy", "keyring", "phonenumbers"):
    assert module not in sys.modules, f"the listing imported {module}"
for (_, before), (label, after) in zip(marks, marks[1:]):
    print(f"{label}\\t{(after - before) * 1000:.1f}")
"""


def breakdown(db_path: Path, name: str, env: dict[str, str], runs: int) -> None:
    """Where the time of `kith list --search` goes: medians of `runs` fresh processes."""
    code = (
        BREAKDOWN.replace("DB", repr(str(db_path)))
        .replace("PASS", repr(PASSPHRASE))
        .replace("NAME", repr(name))
    )
    parts: dict[str, list[float]] = collections.defaultdict(list)
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        ).stdout
        for line in out.splitlines():
            label, ms = line.split("\t")
            parts[label].append(float(ms))
    print(f"\nwhere `kith list --search {name}` spends its time (median of {runs} processes):")
    for label, values in parts.items():
        print(f"  {label:<50} {statistics.median(values):7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--khard", help="the khard executable (default: on PATH, or the venv)")
    args = parser.parse_args()
    run(args.size, args.runs, find_khard(args.khard))


if __name__ == "__main__":
    main()
