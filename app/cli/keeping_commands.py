"""`kith reminders | log | follow-up | done | snooze | keep-in-touch`: keeping in touch.

The services are imported when a command runs, so that `kith --help` stays quick.
"""

from __future__ import annotations

import argparse
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from app.cli.arguments import contact_id, whole_number
from app.cli.output import print_json, printable
from app.core.domain.interaction import Cadence, InteractionKind
from app.core.errors import UserFacingError

if TYPE_CHECKING:
    from app.core.services.reminders import Reminder
    from app.core.services.session import Database


def register(sub: Any) -> None:
    """Add these subcommands to the parser."""
    reminders = sub.add_parser("reminders", help="list due and overdue reminders")
    reminders.add_argument(
        "--days", type=whole_number, metavar="N", help="look N days ahead (default: the setting)"
    )
    reminders.add_argument("--json", action="store_true")
    reminders.set_defaults(run=run_reminders)

    log = sub.add_parser("log", help="log a call, email, meeting, message or note")
    log.add_argument("ids", type=contact_id, nargs="+", metavar="ID")
    log.add_argument("--kind", required=True, type=_kind, metavar="|".join(InteractionKind))
    log.add_argument("--summary", default="", metavar="TEXT")
    log.add_argument(
        "--at", type=_moment, metavar="DATETIME", help="when (ISO 8601; local time unless it "
        "gives an offset; default: now)"
    )  # fmt: skip
    log.add_argument("--json", action="store_true")
    log.set_defaults(run=run_log)

    follow = sub.add_parser("follow-up", help="remind me to follow up with a contact on a day")
    follow.add_argument("id", type=contact_id, metavar="ID")
    follow.add_argument("--due", required=True, type=_day, metavar="DATE")
    follow.add_argument("--note", default="", metavar="TEXT")
    follow.add_argument("--json", action="store_true")
    follow.set_defaults(run=run_follow_up)

    done = sub.add_parser("done", help="mark a reminder done (`kith reminders` shows the ids)")
    done.add_argument("reminder_id", metavar="REMINDER_ID")
    done.add_argument("--log", type=_kind, metavar="KIND", help="also log this interaction")
    done.add_argument("--summary", default="", metavar="TEXT")
    done.set_defaults(run=run_done)

    snooze = sub.add_parser("snooze", help="hide a reminder until a later day")
    snooze.add_argument("reminder_id", metavar="REMINDER_ID")
    snooze.add_argument("--until", required=True, type=_day, metavar="DATE")
    snooze.set_defaults(run=run_snooze)

    keep = sub.add_parser("keep-in-touch", help="be reminded when no contact is this old")
    keep.add_argument("ids", type=contact_id, nargs="+", metavar="ID")
    keep.add_argument("--every", required=True, type=whole_number, metavar="N", help="0: stop")
    keep.add_argument("--unit", choices=[c.value for c in Cadence], default=Cadence.DAYS.value)
    keep.set_defaults(run=run_keep_in_touch)


def _kind(text: str) -> InteractionKind:
    from app.core.services.interactions import parse_kind  # noqa: PLC0415

    return parse_kind(text)


def _moment(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise UserFacingError(
            f"{text!r} is not a date and time; write it as 2026-03-01T14:30 (local time) or "
            "with an offset, 2026-03-01T14:30+01:00."
        ) from None


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UserFacingError(f"{text!r} is not a date; write it as YYYY-MM-DD.") from None


def reminder_json(reminder: Reminder) -> dict[str, Any]:
    """The `--json` shape of a reminder (docs/json.md)."""
    return {
        "id": reminder.id,
        "contact_id": reminder.contact_id,
        "kind": reminder.kind.value,
        "due": reminder.due.isoformat(),
        "label": reminder.label,
        "occurs": reminder.occurs.isoformat(),
        "years": reminder.years,
    }


def run_reminders(db: Database, args: argparse.Namespace) -> int:
    """Print what is due (and overdue), one a line, or as a JSON list."""
    from app.core.services.reminders import ReminderService  # noqa: PLC0415

    service = ReminderService(db)
    found = service.due(args.days)
    if args.json:
        print_json([reminder_json(r) for r in found])
        return 0
    today = service.today()
    for item in found:
        when = "overdue" if item.due < today else "today" if item.due == today else ""
        print(printable(f"{item.due.isoformat()}  {when:<7}  {item.label}  [{item.id}]"))
    if not found:
        print("Nothing is due.")
    return 0


def run_log(db: Database, args: argparse.Namespace) -> int:
    """Log an interaction on one or more contacts."""
    from app.core.services.interactions import InteractionService  # noqa: PLC0415

    service = InteractionService(db)
    change = service.log(args.ids, args.kind, args.summary, args.at)
    if args.json:
        print_json(
            {
                "operation_id": change.operation_id,
                "ids": list(change.changed),
                "interactions": [
                    _interaction_json(service, cid, args.kind) for cid in change.changed
                ],
            }
        )
    else:
        print(printable(f"{change.label}."))
    return 0


def _interaction_json(service: Any, contact: int, kind: InteractionKind) -> dict[str, Any]:
    # The newest of this kind is the one just logged (a log refuses future times).
    latest = next(i for i in service.timeline(contact) if i.kind is kind)
    return {
        "contact_id": contact,
        "id": latest.id,
        "kind": latest.kind.value,
        "at": latest.at.isoformat(),
        "summary": latest.summary,
    }


def run_follow_up(db: Database, args: argparse.Namespace) -> int:
    """Add a follow-up and print its reminder id."""
    from app.core.services.reminders import ReminderService  # noqa: PLC0415

    reminder, change = ReminderService(db).follow_up(args.id, args.due, args.note)
    if args.json:
        print_json(reminder_json(reminder))
    else:
        print(printable(f"{change.label} (reminder {reminder.id})."))
    return 0


def run_done(db: Database, args: argparse.Namespace) -> int:
    """Mark a reminder done, optionally logging an interaction."""
    from app.core.services.reminders import ReminderService  # noqa: PLC0415

    change = ReminderService(db).done(args.reminder_id, args.log, args.summary)
    print(printable(f"{change.label}."))
    return 0


def run_snooze(db: Database, args: argparse.Namespace) -> int:
    """Snooze a reminder until a later day."""
    from app.core.services.reminders import ReminderService  # noqa: PLC0415

    change = ReminderService(db).snooze(args.reminder_id, args.until)
    print(printable(f"{change.label}."))
    return 0


def run_keep_in_touch(db: Database, args: argparse.Namespace) -> int:
    """Set how often to keep in touch with contacts."""
    from app.core.services.reminders import ReminderService  # noqa: PLC0415

    unit = Cadence(args.unit)
    change = ReminderService(db).set_keep_in_touch(args.ids, args.every, unit)
    print(printable(f"{change.label}."))
    return 0
