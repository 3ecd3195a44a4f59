"""`kith dedupe | merge | not-duplicates`: finding duplicates and merging them from a terminal."""

from __future__ import annotations

import argparse
import math
from typing import Any

from app.cli.arguments import contact_id
from app.cli.output import contact_json, print_json, printable
from app.core.errors import UserFacingError
from app.core.services.contacts import ContactService
from app.core.services.dedupe import DedupeService
from app.core.services.merge import MergeService
from app.core.services.session import Database


def register(sub: Any) -> None:
    """Add these subcommands to the parser."""
    dedupe = sub.add_parser("dedupe", help="list groups of likely duplicates, best first")
    dedupe.add_argument("--min-score", type=score, metavar="S", help="leave out groups below S")
    dedupe.add_argument("--json", action="store_true")
    dedupe.set_defaults(run=run_dedupe)

    merge = sub.add_parser("merge", help="merge contacts into one (undo with `kith undo`)")
    merge.add_argument("ids", type=contact_id, nargs="+", metavar="ID")
    merge.add_argument(
        "--keep", type=contact_id, metavar="ID", help="the contact that stays (default: lowest id)"
    )
    merge.add_argument("--json", action="store_true")
    merge.set_defaults(run=run_merge)

    apart = sub.add_parser(
        "not-duplicates", help="remember that contacts are different people (dedupe skips them)"
    )
    apart.add_argument("ids", type=contact_id, nargs="+", metavar="ID")
    apart.set_defaults(run=run_not_duplicates)


def score(text: str) -> float:
    """A `--min-score` as typed (an argparse `type`).

    Raises:
        UserFacingError: `text` is not a finite number.
    """
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise UserFacingError(f"{text!r} is not a score; give a number such as 0.9.")
    return value


def run_dedupe(db: Database, args: argparse.Namespace) -> int:
    """Print the groups of likely duplicates (as JSON: ids, score and reasons)."""
    service = DedupeService(db)
    groups = service.groups(args.min_score)
    service.remember_weights()  # later checks (the window's) weigh as this scan did
    if args.json:
        print_json(
            [{"ids": list(g.ids), "score": g.score, "reasons": list(g.reasons)} for g in groups]
        )
        return 0
    if not groups:
        print("No likely duplicates.")
        return 0
    shown = ContactService(db).get_many([i for g in groups for i in g.ids])
    names = {c.id: c.display_name for c in shown}
    for g in groups:
        people = ", ".join(f"{names.get(i, '?')} ({i})" for i in g.ids)
        print(printable(f"{g.score:.2f}  {people}"))
        for reason in g.reasons:
            print(printable(f"      {reason}"))
    return 0


def run_merge(db: Database, args: argparse.Namespace) -> int:
    """Merge the contacts with the default choices; print the merged contact."""
    ids = list(dict.fromkeys(args.ids))
    change = MergeService(db).merge(ids, survivor_id=args.keep)
    merged = ContactService(db).get(change.changed[0])
    assert merged is not None
    if args.json:
        print_json(contact_json(merged))
    else:
        print(printable(f"{change.label} (id {merged.id}); `kith undo` takes it back."))
    return 0


def run_not_duplicates(db: Database, args: argparse.Namespace) -> int:
    """Remember that these contacts are different people."""
    change = DedupeService(db).mark_not_duplicates(args.ids)
    if change.segments is None:
        print("These contacts were marked as not duplicates already.")
    else:
        print(printable(f"{change.label}; `kith dedupe` will not group them again."))
    return 0
