"""kill -9 at random points of import, undo, backup, restore and change-passphrase.

Each kill lands on the real `kith` at a seeded random moment of its run (KITH_FAULT_SEED picks
another seed; the seed is in the failure message). After each one: the database passes
`integrity_check` and `cipher_integrity_check`, the operation happened wholly or not at all, no
process of the killed command is left, and no half-written file is left once Kith opens the
database again.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.core.errors import WrongKeyError
from app.core.storage.backup import backup, check_backup
from app.core.storage.database import Database
from app.core.storage.engine import DatabaseKey
from tests.conftest import REPO
from tests.integration.store_helpers import KEY, fill, kith_env, sound_count, write_vcards

SEED = int(os.environ.get("KITH_FAULT_SEED", "20261201"))
KILLS_PER_KIND = 7  # five kinds: 35 kills a run
BASE = 300  # contacts in the database before each operation
CARDS = 4000  # cards each killed import brings
NEW_PASSPHRASE = "a different passphrase"


@dataclass
class World:
    """A fresh database for one kill, and what the operation may leave it as."""

    folder: Path
    db: Path
    cards: Path
    seed_backup: Path


def _session_processes(sid: int) -> list[str]:
    """Live (not zombie) processes of the killed command's session."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2 :].split()
        if int(fields[3]) == sid and fields[0] != "Z":
            found.append(f"{stat.parent.name}: {text[: text.rindex(')') + 1]}")
    return found


def _half_written(folder: Path) -> list[str]:
    return sorted(
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if p.name.endswith((".partial", ".restoring")) or ".partial-" in p.name
    )


def _count_under_either_key(path: Path) -> tuple[str, int]:
    try:
        return "old", sound_count(path, KEY)
    except WrongKeyError:
        return "new", sound_count(path, DatabaseKey(passphrase=NEW_PASSPHRASE))


def _backups(world: World) -> list[Path]:
    """The backups under their final names (glob skips the hidden half-written ones)."""
    return sorted((world.db.parent / "backups").glob("kith.db.*"))


Check = Callable[[World], None]


def _import(world: World) -> tuple[list[str], Check]:
    def check(w: World) -> None:
        assert sound_count(w.db) in (BASE, BASE + CARDS)

    return ["import", str(world.cards)], check


def _undo(world: World) -> tuple[list[str], Check]:
    def check(w: World) -> None:
        assert sound_count(w.db) in (BASE, 0)  # the base is one import: undo takes it all

    return ["undo"], check


def _backup(world: World) -> tuple[list[str], Check]:
    def check(w: World) -> None:
        assert sound_count(w.db) == BASE
        for made in _backups(w):  # none, or one that is complete and restorable
            check_backup(made, KEY)

    return ["backup"], check


def _restore(world: World) -> tuple[list[str], Check]:
    def check(w: World) -> None:
        assert sound_count(w.db) in (BASE, 10)
        for made in _backups(w):  # the "before-restore" copy, if made, is whole
            check_backup(made, KEY)

    return ["restore", str(world.seed_backup)], check


def _change_passphrase(world: World) -> tuple[list[str], Check]:
    def check(w: World) -> None:
        assert _count_under_either_key(w.db)[1] == BASE

    return ["change-passphrase"], check


KINDS = {
    "import": _import,
    "undo": _undo,
    "backup": _backup,
    "restore": _restore,
    "change-passphrase": _change_passphrase,
}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> World:
    """A database of BASE contacts (one import), cards to import, a backup of 10 contacts."""
    folder = tmp_path_factory.mktemp("kills")
    (folder / "data").mkdir(mode=0o700)
    db = folder / "data" / "kith.db"
    Database.create(db, KEY).close()
    small = folder / "small.db"
    Database.create(small, KEY).close()
    fill(small, 10)
    seed_backup = folder / "seed.bak"
    opened = Database.open(small, KEY)
    backup(opened, seed_backup)
    opened.close()
    fill(db, BASE)
    cards = folder / "cards.vcf"
    write_vcards(cards, CARDS, prefix="Killed")
    return World(folder, db, cards, seed_backup)


def _fresh(template: World, where: Path) -> World:
    (where / "data").mkdir(mode=0o700, parents=True)
    db = where / "data" / "kith.db"
    shutil.copy2(template.db, db)
    return World(where, db, template.cards, template.seed_backup)


def _run(world: World, args: list[str]) -> subprocess.Popen[str]:
    env = kith_env(KITH_NEW_PASSPHRASE=NEW_PASSPHRASE)
    return subprocess.Popen(
        [sys.executable, "-m", "app", "--db", str(world.db), *args],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        text=True, env=env, cwd=REPO, start_new_session=True,
    )  # fmt: skip


def _duration(template: World, tmp_path: Path, kind: str) -> float:
    """How long the whole command takes here, so that kills spread over its run."""
    world = _fresh(template, tmp_path / f"time-{kind}")
    args, check = KINDS[kind](world)
    start = time.monotonic()
    child = _run(world, args)
    _, err = child.communicate(timeout=300)
    assert child.returncode == 0, err
    check(world)
    return time.monotonic() - start


@pytest.mark.slow
def test_kill_minus_nine_anywhere_leaves_a_sound_database(template: World, tmp_path: Path) -> None:
    rnd = random.Random(SEED)
    durations = {kind: _duration(template, tmp_path, kind) for kind in KINDS}
    landed = dict.fromkeys(KINDS, 0)
    attempts = 0
    while min(landed.values()) < KILLS_PER_KIND:
        attempts += 1
        assert attempts < KILLS_PER_KIND * len(KINDS) * 3, f"too few kills landed: {landed}"
        kind = min(landed, key=lambda k: landed[k])
        world = _fresh(template, tmp_path / f"kill-{attempts}")
        args, check = KINDS[kind](world)
        delay = rnd.uniform(0.15, 1.0) * durations[kind]
        where = f"seed {SEED}, kill {attempts}: {kind} killed at {delay:.2f} s"
        child = _run(world, args)
        try:
            child.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGKILL)
            landed[kind] += 1
        child.wait(timeout=60)
        assert child.stderr is not None
        err = child.stderr.read()
        child.stderr.close()
        assert "Traceback" not in err, (where, err)
        deadline = time.monotonic() + 10
        while _session_processes(child.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _session_processes(child.pid) == [], where
        try:
            check(world)  # opening the database also sweeps what the kill left half-written
        except AssertionError as exc:
            raise AssertionError(f"{where}: {exc}") from exc
        assert _half_written(world.folder) == [], where
        shutil.rmtree(world.folder)
    assert sum(landed.values()) >= 30
