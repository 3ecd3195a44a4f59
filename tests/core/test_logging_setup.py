"""The private log: what an exception may leave in it (types and code locations only)."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest

from app.core.logging_setup import describe_exception, log_bug


def _raised(exc: BaseException) -> BaseException:
    try:
        raise exc
    except BaseException as caught:
        return caught


def test_messages_that_quote_values_are_withheld() -> None:
    text = describe_exception(_raised(KeyError("ann.lee@example.org")))
    assert "KeyError" in text and "test_logging_setup.py" in text
    assert "ann.lee" not in text


def test_os_errors_keep_their_reason_but_not_the_file_name() -> None:
    exc = OSError(errno.ENOSPC, "No space left on device", "/home/u/Ann Lee.vcf")
    text = describe_exception(_raised(exc))
    assert "ENOSPC" in text and "No space left" in text and "Ann Lee" not in text


def test_sqlite_messages_are_kept_without_their_quoted_parts() -> None:
    def chained() -> None:
        try:
            raise sqlite3.OperationalError('near "Zelda": syntax error')
        except sqlite3.Error as inner:
            raise RuntimeError("while storing Zelda Quux") from inner

    with pytest.raises(RuntimeError) as info:
        chained()
    text = describe_exception(info.value)
    assert "syntax error" in text and "which led to:" in text and "RuntimeError" in text
    assert "Zelda" not in text and "Quux" not in text


def test_a_bug_is_logged_where_the_sentence_says_after_the_log_folder_moves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process that logged once, then was pointed elsewhere, logs (and says) the new place."""
    for name in ("first", "second"):
        folder = tmp_path / name
        monkeypatch.setenv("KITH_LOG_DIR", str(folder))
        sentence = log_bug(_raised(ValueError("x")), "a test")
        assert str(folder) in sentence
        assert "ValueError" in (folder / "kith.log").read_text(encoding="utf-8")
