"""`kith import | export`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from app.cli.output import print_json
from app.core.errors import UserFacingError
from app.core.formats import EXPORT_FORMATS, FORMATS, readable
from app.core.services import exporter, importer
from app.core.services.contacts import ContactService
from app.core.services.import_preview import ImportPreview
from app.core.services.queries import ListQuery
from app.core.services.segment_catalogue import SegmentCatalogue
from app.core.services.session import Database


def register(sub: Any) -> None:
    """Add these subcommands to the parser."""
    imp = sub.add_parser("import", help="import vCard or CSV files (one undoable operation each)")
    imp.add_argument("files", nargs="+", metavar="FILE")
    imp.add_argument("--format", choices=["auto", *FORMATS], default="auto")
    imp.add_argument("--region", help="phone region for numbers without a country code")
    imp.add_argument(
        "--on-match", choices=[m.value for m in importer.OnMatch], default="skip",
        help="what to do with a record that probably is a stored contact (same UID, or "
        "scored as the duplicate scan scores): merge keeps every value of both",
    )  # fmt: skip
    imp.add_argument("--dry-run", action="store_true", help="say what would happen; store nothing")
    imp.add_argument("--json", action="store_true")
    imp.set_defaults(run=run_import)

    exp = sub.add_parser("export", help="export contacts as vCard or CSV")
    exp.add_argument("--format", choices=EXPORT_FORMATS, default="vcard")
    exp.add_argument("-o", "--output", metavar="FILE", help="default: standard output")
    exp.add_argument(
        "--segment", metavar="NAME",
        help="only this segment's contacts: a tag, or any segment the window shows, by its title "
        "(\"Favourites\", \"Lead\", \"Invalid phone\", a smart segment) or key (\"stage:lead\")",
    )  # fmt: skip
    exp.set_defaults(run=run_export)


def _report(
    plan: ImportPreview, result: importer.ImportResult | None, *, per_record: bool = True
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "file": str(plan.path),
        "format": plan.format,
        "new": plan.new,
        "matched": plan.matches,
        "problems": [
            {"line": r.line, "reason": r.detail} for r in plan.rows if r.status == "problem"
        ],
        "warnings": [
            {"line": r.line, "name": r.display_name, "message": "; ".join(r.warnings)}
            for r in plan.rows
            if r.warnings
        ],
    }
    if result is None and per_record:
        data["records"] = [
            {"line": r.line, "display_name": r.display_name, "status": r.status.value,
             "match_id": r.match_id, "detail": r.detail, **importer.match_json(r)}
            for r in plan.rows
        ]  # fmt: skip
    elif result is not None:
        data.update(
            created=result.created,
            updated=result.updated,
            skipped=result.skipped,
            operation_id=result.operation_id,
            ids=list(result.change.added),
        )
    return data


def run_import(db: Database, args: argparse.Namespace) -> int:
    """Import each file as its own operation and report what happened."""
    region = ContactService(db, args.region).region  # checked: "UK" is GB, "XX" is refused
    reports = []
    for name in args.files:
        # A pipe (/dev/stdin, <(...)) is read once, up to the size cap, and then parsed.
        with readable(Path(name).expanduser()) as path:
            result: importer.ImportResult | None = None
            if args.dry_run:
                plan = importer.preview(
                    db, path, format=args.format, region=region, keep_records=False,
                    all_rows=args.json,
                )  # fmt: skip
            else:
                on_match = importer.OnMatch(args.on_match)
                plan, result = importer.run(
                    db, path, format=args.format, region=region, on_match=on_match,
                    all_rows=False,
                )  # fmt: skip
        report = _report(plan, result, per_record=args.json)
        report["file"] = str(Path(name).expanduser())
        reports.append(report)
        if not args.json:
            _print_report(report, dry_run=args.dry_run)
    if args.json:
        print_json(reports[0] if len(reports) == 1 else reports)
    return 0


def _print_report(report: dict[str, Any], *, dry_run: bool) -> None:
    head = f"{report['file']} ({report['format']}): "
    if dry_run:
        print(head + f"{report['new']} new, {report['matched']} matching, "
              f"{len(report['problems'])} unreadable (nothing stored).")  # fmt: skip
    else:
        print(head + f"{report['created']} added, {report['updated']} updated, "
              f"{report['skipped']} skipped, {len(report['problems'])} unreadable.")  # fmt: skip
    for problem in report["problems"]:
        print(f"  line {problem['line']}: {problem['reason']}", file=sys.stderr)
    for warning in report["warnings"]:
        print(
            f"  line {warning['line']} ({warning['name']}): {warning['message']}", file=sys.stderr
        )


def run_export(db: Database, args: argparse.Namespace) -> int:
    """Export all contacts, or one segment's (any the window shows), to a file or stdout."""
    service = ContactService(db)
    query = ListQuery()
    if args.segment is not None:
        found = SegmentCatalogue(db).find(args.segment)
        assert found.query is not None
        query = found.query
    ids = service.ids(query)
    report = exporter.carry_report(db, ids, args.format)
    if report:  # said before anything is written, so that a script can see it in time
        print(f"kith: {report}", file=sys.stderr)
    if args.output:
        warnings: list[str] = []
        path = Path(args.output).expanduser()
        count = exporter.export(db, ids, args.format, path, warnings)
        print(f"Exported {count} contact{'s' if count != 1 else ''} to {args.output}.")
    else:
        out = exporter.CountingStream(sys.stdout.buffer)
        try:
            count = exporter.export_to_stream(db, ids, args.format, out)  # type: ignore[arg-type]
        except UserFacingError:
            # What is still buffered for stdout would fail again as Python exits.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise
        warnings = [w] if (w := exporter.reimport_warning(count, out.size)) else []
    for warning in warnings:
        print(f"kith: {warning}", file=sys.stderr)
    return 0
