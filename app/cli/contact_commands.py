"""`kith add | list | show | delete | restore-deleted | undo | redo`."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from app.cli.arguments import contact_id, whole_number
from app.cli.output import card_lines, contact_json, print_json, printable
from app.core.domain.contact import Contact, Email, Name, Phone, Stage
from app.core.domain.dates import PartialDate
from app.core.errors import UserFacingError
from app.core.services.queries import ContactReader, ListQuery, SortOrder
from app.core.services.session import Database

if TYPE_CHECKING:
    from app.core.services.contacts import ChangeSet, ContactService


def register(sub: Any) -> None:
    """Add these subcommands to the parser."""
    add = sub.add_parser("add", help="add a contact")
    add.add_argument("--given", default="")
    add.add_argument("--family", default="")
    add.add_argument("--middle", default="")
    add.add_argument("--prefix", default="")
    add.add_argument("--suffix", default="")
    add.add_argument("--nickname", default="")
    add.add_argument("--email", action="append", default=[])
    add.add_argument("--phone", action="append", default=[])
    add.add_argument("--org", default="")
    add.add_argument("--title", default="")
    add.add_argument("--birthday", help="YYYY-MM-DD, or --MM-DD without a year")
    add.add_argument("--tag", action="append", default=[])
    add.add_argument("--note", default="")
    add.add_argument("--stage", choices=[s.value for s in Stage])
    add.add_argument("--region", help="phone region for numbers without a country code")
    add.add_argument("--json", action="store_true")
    add.set_defaults(run=run_add)

    lst = sub.add_parser("list", help="list contacts")
    lst.add_argument("--search", default="", metavar="QUERY")
    lst.add_argument("--tag")
    lst.add_argument("--trash", action="store_true", help="list the trash instead")
    lst.add_argument(
        "--sort", choices=[s.value for s in SortOrder], default=SortOrder.FIRST_LAST.value
    )
    lst.add_argument("--limit", type=whole_number, metavar="N")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(run=run_list)

    show = sub.add_parser("show", help="show one contact")
    show.add_argument("id", type=contact_id)
    show.add_argument("--json", action="store_true")
    show.set_defaults(run=run_show)

    delete = sub.add_parser("delete", help="move contacts to the trash")
    delete.add_argument("ids", type=contact_id, nargs="+", metavar="ID")
    delete.set_defaults(run=run_delete)

    restore = sub.add_parser("restore-deleted", help="take contacts out of the trash")
    restore.add_argument("ids", type=contact_id, nargs="+", metavar="ID")
    restore.set_defaults(run=run_restore_deleted)

    undo = sub.add_parser("undo", help="undo the last operation (edit, import, merge, delete)")
    undo.set_defaults(run=run_undo)
    redo = sub.add_parser("redo", help="redo the last undone operation")
    redo.set_defaults(run=run_redo)


def _date(text: str | None) -> PartialDate | None:
    if not text:
        return None
    try:
        return PartialDate.parse(text)
    except ValueError as exc:
        raise UserFacingError(f"{exc}; write dates as YYYY-MM-DD or --MM-DD.") from None


def run_add(db: Database, args: argparse.Namespace) -> int:
    """Add one contact and print its id (or the contact as JSON)."""
    service = _changing(db, args.region)
    contact = Contact(
        name=Name(args.prefix, args.given, args.middle, args.family, args.suffix),
        nickname=args.nickname,
        emails=[Email(e) for e in args.email],
        phones=[Phone(p) for p in args.phone],
        org=args.org,
        title=args.title,
        birthday=_date(args.birthday),
        tags=args.tag,
        notes=args.note,
        stage=Stage(args.stage) if args.stage else None,
    )
    change = service.add(contact)
    for warning in service.phone_warnings(contact):
        # Stored as typed, but never matched or called until it is corrected.
        print(f"kith: warning: Kith cannot read the phone number {warning}", file=sys.stderr)
    stored = service.get(change.added[0])
    assert stored is not None
    if args.json:
        print_json(contact_json(stored))
    else:
        print(printable(f"Added {stored.display_name} (id {stored.id})."))
    return 0


def run_list(db: Database, args: argparse.Namespace) -> int:
    """List contacts, one a line (or as a JSON array)."""
    service = ContactReader(db)
    query = ListQuery(text=args.search, tag=args.tag, trash=args.trash, sort=SortOrder(args.sort))
    ids = service.ids(query, args.limit)
    if args.json:
        print_json([contact_json(c) for c in service.get_many(ids)])
        return 0
    for row in service.rows(ids):
        extra = "  ".join(x for x in (row.org, row.email, row.phone) if x)
        print(printable(f"{row.id:>6}  {row.display_name}{'  ' + extra if extra else ''}"))
    return 0


def run_show(db: Database, args: argparse.Namespace) -> int:
    """Show one contact."""
    contact = ContactReader(db).get(args.id)
    if contact is None:
        raise UserFacingError(f"No contact with id {args.id}; `kith list` shows the ids.")
    if args.json:
        print_json(contact_json(contact))
    else:
        print("\n".join(card_lines(contact)))
    return 0


def _changing(db: Database, region: str | None = None) -> ContactService:
    """The service that changes contacts, imported when a command changes one: `kith list`
    and `kith show` read through `ContactReader` alone (`bench/bench_cli.py` weighs the start)."""
    from app.core.services.contacts import ContactService  # noqa: PLC0415

    return ContactService(db, region)


def _report(change: ChangeSet | None, nothing: str) -> int:
    # A change that recorded no operation and touched nothing did not happen.
    happened = change is not None and (change.operation_id is not None or change.ids)
    print(change.label + "." if change is not None and happened else nothing)
    return 0


def run_delete(db: Database, args: argparse.Namespace) -> int:
    """Move contacts to the trash."""
    return _report(_changing(db).delete(args.ids), "Nothing to delete.")


def run_restore_deleted(db: Database, args: argparse.Namespace) -> int:
    """Take contacts out of the trash."""
    return _report(_changing(db).restore_deleted(args.ids), "Nothing to restore.")


def run_undo(db: Database, args: argparse.Namespace) -> int:
    """Undo the last operation."""
    return _report(_changing(db).undo(), "Nothing to undo.")


def run_redo(db: Database, args: argparse.Namespace) -> int:
    """Redo the last undone operation."""
    return _report(_changing(db).redo(), "Nothing to redo.")
