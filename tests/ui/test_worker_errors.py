"""A bug in a background job is logged privately, and the user is told where."""

from __future__ import annotations

import os
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.ui.worker import Worker


def test_a_failing_job_says_where_it_was_logged_and_logs_no_contact_data(qtbot: QtBot) -> None:
    worker = Worker("kith-test")
    log_dir = Path(os.environ["KITH_LOG_DIR"])

    def job() -> None:
        raise ValueError("Ann Lee <ann@example.org>")  # a bug whose message holds contact data

    try:
        with qtbot.waitSignal(worker.failed) as told:
            worker.submit(job)
    finally:
        worker.shutdown()
    (sentence,) = told.args
    assert str(log_dir) in sentence and "Ann Lee" not in sentence
    logged = (log_dir / "kith.log").read_text(encoding="utf-8")
    assert "ValueError" in logged and "Ann Lee" not in logged and "ann@example" not in logged
