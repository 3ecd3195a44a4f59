"""`kith import` through the real CLI: a shared switchboard or email is a reason, not a match."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import CliRunner
from tests.core.services.test_import_matching import ALICE_AGAIN, COLLEAGUE, HOME_EMAIL, PARTNER

SWITCHBOARD = "+44 20 7946 0000"


def _add_alice(kith: CliRunner) -> int:
    done = kith(
        "add", "--given", "Alice", "--family", "Walker", "--email", "alice.walker@work.example.org",
        "--email", HOME_EMAIL, "--phone", "+44 7911 123456", "--phone", SWITCHBOARD,
        "--birthday", "1984-03-04", "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return int(json.loads(done.stdout)["id"])


def _file(tmp_path: Path) -> Path:
    path = tmp_path / "incoming.vcf"
    path.write_text(COLLEAGUE + PARTNER + ALICE_AGAIN, encoding="utf-8")
    return path


def test_dry_run_json_names_the_contact_the_score_and_the_reasons(
    kith: CliRunner, tmp_path: Path
) -> None:
    alice = _add_alice(kith)
    done = kith("import", str(_file(tmp_path)), "--region", "GB", "--dry-run", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["new"], report["matched"]) == (2, 1)
    colleague, partner, again = report["records"]
    for near in (colleague, partner):
        assert near["status"] == "new" and near["match_id"] is None
        assert near["candidate_id"] == alice and near["candidate_name"] == "Alice Walker"
        assert 0 <= near["score"] < 0.5
    assert any("+44 20 7946 0000" in r for r in colleague["reasons"])
    assert f"same email {HOME_EMAIL}" in partner["reasons"]
    assert again["status"] == "match" and again["match_id"] == alice
    assert again["score"] >= 0.5 and "same name" in again["reasons"]
    assert again["file_match"] is None
    for key in ("line", "display_name", "status", "match_id", "detail"):  # the older shape
        assert key in again


def test_update_never_renames_alice_and_imports_her_colleague_and_partner(
    kith: CliRunner, tmp_path: Path
) -> None:
    alice = _add_alice(kith)
    done = kith("import", str(_file(tmp_path)), "--region", "GB", "--on-match", "update", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["created"], report["updated"], report["skipped"]) == (2, 1, 0)
    shown = json.loads(kith("show", str(alice), "--json").stdout)
    assert shown["display_name"] == "Alice Walker" and shown["title"] == "Architect"
    names = sorted(c["display_name"] for c in json.loads(kith("list", "--json").stdout))
    assert names == ["Alice Walker", "Bob Colleague", "Carol Partner"]


def test_skip_counts_only_the_real_match(kith: CliRunner, tmp_path: Path) -> None:
    _add_alice(kith)
    done = kith("import", str(_file(tmp_path)), "--region", "GB", "--json")
    report = json.loads(done.stdout)
    assert (report["created"], report["updated"], report["skipped"]) == (2, 0, 1)
