"""Which keyrings count as secure, and how passphrases are taken."""

import os
import subprocess
import sys

import pytest
from keyring.backends import chainer, fail, null

from app.core.storage.engine import DatabaseKey
from app.core.storage.keys import KeyStore, is_secure_backend, passphrase_from_env


class FakeSecure:
    """Stands for a secure backend: any non-keyring module with a positive priority."""

    priority = 5


def test_fail_and_null_backends_are_not_secure() -> None:
    assert not is_secure_backend(fail.Keyring())
    assert not is_secure_backend(null.Keyring())
    assert not KeyStore(null.Keyring()).available()
    assert KeyStore(null.Keyring()).load(__import__("pathlib").Path("/x.db")) is None


def test_plaintext_keyrings_alt_is_not_secure() -> None:
    alt = pytest.importorskip("keyrings.alt.file")
    assert not is_secure_backend(alt.PlaintextKeyring())


class Unreachable:
    """A backend whose service is down: asking its priority raises, as SecretService's does."""

    @property
    def priority(self) -> float:
        raise RuntimeError("Unable to initialize SecretService: no D-Bus")


def test_a_working_backend_and_a_chainer_holding_one_are_secure() -> None:
    assert is_secure_backend(FakeSecure())
    assert not is_secure_backend(Unreachable())

    class Chain(chainer.ChainerBackend):
        backends = (null.Keyring(), FakeSecure())  # type: ignore[assignment]

    assert is_secure_backend(Chain())
    Chain.backends = (null.Keyring(), Unreachable())  # type: ignore[assignment]
    assert not is_secure_backend(Chain())


def test_passphrase_leaves_the_environment_so_children_never_see_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KITH_PASSPHRASE", "s3cret-in-env")
    assert passphrase_from_env() == "s3cret-in-env"
    assert "KITH_PASSPHRASE" not in os.environ
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(dict(os.environ))"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "s3cret-in-env" not in child.stdout


def test_key_repr_hides_the_secret() -> None:
    assert "hunter2" not in repr(DatabaseKey(passphrase="hunter2"))
    assert bytes(32).hex() not in repr(DatabaseKey(raw=bytes(32)))
    with pytest.raises(ValueError):
        DatabaseKey(raw=b"short")
