"""`kith reminders | log | follow-up | done | snooze | keep-in-touch` as scripts use them.

A real subprocess on a real encrypted database, on the machine's own clock: the dates are
computed from today (the test may read the time; the program's core may not).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tests.conftest import CliRunner


def ok(kith: CliRunner, *args: str) -> str:
    result = kith(*args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def reminders(kith: CliRunner, *args: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(ok(kith, "reminders", "--json", *args))
    return data


def add(kith: CliRunner, *args: str) -> int:
    return int(json.loads(ok(kith, "add", *args, "--json"))["id"])


def test_reminders_json_shape_and_done(kith: CliRunner) -> None:
    today = date.today()
    ann = add(kith, "--given", "Ann", f"--birthday=1990-{today:%m-%d}")
    add(kith, "--given", "Bo", f"--birthday=--{today + timedelta(days=40):%m-%d}")
    (item,) = reminders(kith, "--days", "3")
    expected_id = f"birthday:{ann}:{today.isoformat()}"
    assert {k: item[k] for k in ("contact_id", "kind", "due", "id")} == {
        "contact_id": ann,
        "kind": "birthday",
        "due": today.isoformat(),
        "id": expected_id,
    }
    assert item["label"].startswith("Ann's birthday")
    assert expected_id in ok(kith, "reminders")
    assert ok(kith, "done", expected_id, "--log", "call", "--summary", "Sang").startswith("Done:")
    assert reminders(kith, "--days", "3") == []
    shown = json.loads(ok(kith, "show", str(ann), "--json"))
    assert [(i["kind"], i["summary"]) for i in shown["interactions"]] == [("call", "Sang")]
    assert shown["last_contacted"] == shown["interactions"][0]["at"]


def test_log_sets_last_contacted_and_undo_takes_it_back(kith: CliRunner) -> None:
    ann, bo = add(kith, "--given", "Ann"), add(kith, "--given", "Bo")
    at = "2026-01-10T09:30+01:00"
    out = json.loads(ok(kith, "log", str(ann), str(bo), "--kind", "Meeting", "--summary",
                        "Kick-off, with coffee", "--at", at, "--json"))  # fmt: skip
    assert sorted(out["ids"]) == sorted([ann, bo]) and out["operation_id"]
    (first, _) = out["interactions"]
    assert (first["kind"], first["at"], first["summary"]) == (
        "meeting",
        "2026-01-10T08:30:00+00:00",
        "Kick-off, with coffee",
    )
    listed = json.loads(ok(kith, "list", "--sort", "last_contacted", "--json"))
    assert all(c["last_contacted"] == "2026-01-10T08:30:00+00:00" for c in listed)
    ok(kith, "log", str(bo), "--kind", "call")
    listed = json.loads(ok(kith, "list", "--sort", "last_contacted", "--json"))
    assert [c["id"] for c in listed] == [bo, ann]
    assert ok(kith, "undo").startswith("Undo Log call")
    ok(kith, "undo")
    shown = json.loads(ok(kith, "show", str(ann), "--json"))
    assert shown["interactions"] == [] and shown["last_contacted"] is None


def test_follow_up_then_done(kith: CliRunner) -> None:
    ann = add(kith, "--given", "Ann")
    due = date.today() + timedelta(days=2)
    made = json.loads(ok(kith, "follow-up", str(ann), "--due", due.isoformat(), "--note",
                         "send the quote", "--json"))  # fmt: skip
    assert made["kind"] == "follow-up" and made["due"] == due.isoformat()
    assert [r["id"] for r in reminders(kith, "--days", "2")] == [made["id"]]
    assert reminders(kith, "--days", "1") == []
    ok(kith, "snooze", made["id"], "--until", (due + timedelta(days=5)).isoformat())
    assert reminders(kith, "--days", "6") == []
    assert [r["due"] for r in reminders(kith, "--days", "7")] == [
        (due + timedelta(days=5)).isoformat()
    ]
    ok(kith, "done", made["id"])
    assert reminders(kith, "--days", "30") == []


def test_keep_in_touch_from_the_command_line(kith: CliRunner) -> None:
    ann = add(kith, "--given", "Ann")
    long_ago = (datetime.now(UTC) - timedelta(days=20)).replace(microsecond=0).isoformat()
    ok(kith, "log", str(ann), "--kind", "email", "--at", long_ago)
    ok(kith, "keep-in-touch", str(ann), "--every", "2", "--unit", "weeks")
    (item,) = reminders(kith, "--days", "0")
    assert item["kind"] == "keep-in-touch" and item["due"] < date.today().isoformat()


def test_mistakes_are_sentences_with_exit_code_1(kith: CliRunner) -> None:
    ann = add(kith, "--given", "Ann")
    for args, words in [
        (("log", str(ann), "--kind", "fax"), "not a kind of interaction"),
        (("log", str(ann), "--kind", "call", "--at", "yesterday"), "not a date and time"),
        (("log", "999", "--kind", "call"), "No contact with id 999"),
        (("follow-up", str(ann), "--due", "soon"), "not a date"),
        (("done", "birthday:1:2026-02-30"), "no open reminder"),
        (("done", "hello"), "not a reminder id"),
        (("reminders", "--days", "9999"), "Look ahead"),
    ]:
        result = kith(*args)
        assert result.returncode == 1, (args, result.stdout)
        assert words in result.stderr and "Traceback" not in result.stderr, result.stderr
