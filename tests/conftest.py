"""Fixtures shared by every test: real encrypted databases, generated contacts, the real CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from faker import Faker

from app.core.domain.contact import Address, Contact, Email, Name, Phone, Stage, Url
from app.core.domain.dates import PartialDate
from app.core.storage.database import Database
from app.core.storage.engine import DatabaseKey
from tests.corpus import CORPUS  # noqa: F401  (where older tests look for it)

REPO = Path(__file__).resolve().parents[1]
WINDOW_DATA = REPO / "tests" / "data" / "window"
PASSPHRASE = "correct horse battery staple"
NULL_KEYRING = "keyring.backends.null.Keyring"


@pytest.fixture(autouse=True)
def _no_real_keyring(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Keep every test away from the developer's own keyring and log, unless it sets one up."""
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", NULL_KEYRING)
    monkeypatch.setenv("KITH_LOG_DIR", str(tmp_path / "log"))
    monkeypatch.delenv("KITH_PASSPHRASE", raising=False)
    monkeypatch.delenv("KITH_DB", raising=False)


def make_contact(fake: Faker, n: int = 0) -> Contact:
    """A realistic generated contact (Faker; never a real person)."""
    given, family = fake.first_name(), fake.last_name()
    return Contact(
        name=Name(given=given, family=family),
        emails=[Email(f"{given}.{family}{n}@{fake.free_email_domain()}".lower(), "work")],
        phones=[Phone(fake.numerify("+44 20 7### ####"), label="mobile")],
        addresses=[Address("home", fake.street_address(), fake.city(), "", fake.postcode(), "UK")],
        urls=[Url(fake.url(), "web")],
        org=fake.company(),
        title=fake.job(),
        birthday=PartialDate(None if n % 3 == 0 else 1970 + n % 40, 1 + n % 12, 1 + n % 28),
        notes=fake.sentence(),
        tags=["client"] if n % 2 else ["friend", "met-2024"],
        custom={"Referred by": fake.name()},
        stage=Stage.CLIENT if n % 2 else Stage.FRIEND,
    )


@pytest.fixture
def fake() -> Faker:
    """A seeded Faker, so a failing test fails the same way again."""
    Faker.seed(1234)
    return Faker("en_GB")


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty, migrated database, created once per session and copied for each test."""
    path = tmp_path_factory.mktemp("template") / "kith.db"
    Database.create(path, DatabaseKey(passphrase=PASSPHRASE)).close()
    return path


@pytest.fixture
def db_path(tmp_path: Path, _template_db: Path) -> Path:
    """The path of a fresh copy of the empty database (passphrase: PASSPHRASE)."""
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    path = folder / "kith.db"
    shutil.copy2(_template_db, path)
    return path


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    """An open, empty, real encrypted database."""
    database = Database.open(db_path, DatabaseKey(passphrase=PASSPHRASE))
    yield database
    database.close()


CliRunner = Callable[..., subprocess.CompletedProcess[str]]


def run_python(
    *argv: str, env: Mapping[str, str] | None = None, **kwargs: Any
) -> subprocess.CompletedProcess[str]:
    """`python ARGV...` in a subprocess, as from a shell: none of this machine's KITH_
    variables, a null keyring, `env` on top; output captured, no stdin, two minutes at most."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("KITH_")}
    environ["PYTHON_KEYRING_BACKEND"] = NULL_KEYRING
    environ.update(env or {})
    return subprocess.run(
        [sys.executable, *argv],
        capture_output=True,
        text=True,
        env=environ,
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
        **kwargs,
    )


@pytest.fixture
def kith(db_path: Path) -> CliRunner:
    """Run the real `kith` CLI in a subprocess on the test database."""

    def run(
        *args: str, passphrase: str | None = PASSPHRASE, **env: str
    ) -> subprocess.CompletedProcess[str]:
        environ = {"KITH_LOG_DIR": str(db_path.parent.parent / "log")}  # never the user's log
        if passphrase is not None:
            environ["KITH_PASSPHRASE"] = passphrase
        environ.update(env)
        return run_python("-m", "app", "--db", str(db_path), *args, env=environ)

    return run
