"""What each export format cannot carry: one table, read by the export report, tests and docs.

`docs/formats.md` shows this table (rendered by `render_table`, and a test checks the two are
the same) and the round-trip property tests read it, so that what the documentation promises and
what the tests prove cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, dataclass, fields, replace
from typing import Any

from app.core.domain.contact import Contact
from app.core.formats.csv_writer import outlook_addresses_back, outlook_phones_back

# Kept by the store, never by a file: which row it is and when it changed.
BOOKKEEPING = ("id", "created_at", "updated_at", "deleted_at")

FORMAT_NAMES = {
    "vcard": "vCard 3.0",
    "vcard4": "vCard 4.0",
    "outlook-csv": "Outlook CSV",
    "google-csv": "Google CSV",
}


@dataclass(frozen=True, slots=True)
class Loss:
    """One thing a format cannot carry.

    Attributes:
        field: the Contact field it concerns; "emails.label" names one part of each item.
        keeps: how many values of a list field survive (None: the field is not carried at all).
        why: one sentence for the documentation.
        what: what the export report counts, singular and plural ("email past the third",
            "emails past the third"); empty when the loss is not worth a word on its own (a
            photo's MIME type goes with the photo; every stored contact has a UID).
        reshape: for a list that comes back rearranged rather than cut (Outlook's fixed phone
            columns), what an import gives back; `keeps` is then None and ignored.
    """

    field: str
    keeps: int | None
    why: str
    what: tuple[str, str] = ("", "")
    reshape: Callable[[Any], Any] | None = None


_NOT_IN_ANY = (
    Loss(
        "interactions",
        None,
        "No contact file format has a place for Kith's log of calls, emails and meetings.",
        ("logged interaction", "logged interactions"),
    ),
    Loss(
        "keep_in_touch_every",
        None,
        "No contact file format has a place for a keep-in-touch reminder.",
        ("keep-in-touch reminder", "keep-in-touch reminders"),
    ),
    Loss("keep_in_touch_unit", None, "Goes with the keep-in-touch reminder."),
)

_NOT_IN_CSV = (
    *_NOT_IN_ANY,
    Loss("uid", None, "CSV has no column for the vCard UID."),
    Loss("photo", None, "CSV holds no pictures.", ("photo", "photos")),
    Loss("photo_mime", None, "The photo's type goes with the photo."),
    Loss("stage", None, "Neither CSV format has a column for Kith's stage.", ("stage", "stages")),
    Loss(
        "priority",
        None,
        "Neither CSV format has a column for Kith's priority.",
        ("priority", "priorities"),
    ),
    Loss(
        "extra_vcard",
        None,
        "vCard lines Kith keeps verbatim have no CSV column.",
        ("vCard line", "vCard lines"),
    ),
)

CANNOT_CARRY: dict[str, tuple[Loss, ...]] = {
    "vcard": _NOT_IN_ANY,
    "vcard4": _NOT_IN_ANY,
    "outlook-csv": (
        *_NOT_IN_CSV,
        Loss(
            "formatted_name",
            None,
            "Outlook has no display-name column.",
            ("display name", "display names"),
        ),
        Loss("nickname", None, "Outlook's CSV has no nickname column.", ("nickname", "nicknames")),
        Loss(
            "emails",
            3,
            "Outlook has three e-mail columns.",
            ("email past the third", "emails past the third"),
        ),
        Loss(
            "emails.label",
            None,
            "Outlook's e-mail columns have no label.",
            ("email label", "email labels"),
        ),
        Loss(
            "phones",
            None,
            "Outlook has one column per kind of phone (two for home and business): a phone "
            "goes to its label's column, else to a spare one, and comes back with that "
            "column's label, in Outlook's column order; phones past the free columns are lost.",
            ("phone past Outlook's phone columns", "phones past Outlook's phone columns"),
            outlook_phones_back,
        ),
        Loss(
            "addresses",
            None,
            "Outlook has a business, a home and an other address: labels become work, home or "
            "other, the extended line joins the street, and addresses past three are lost.",
            ("address past the third", "addresses past the third"),
            outlook_addresses_back,
        ),
        Loss(
            "urls",
            1,
            "Outlook has one web page column.",
            ("web page past the first", "web pages past the first"),
        ),
        Loss(
            "urls.label",
            None,
            "Outlook's web page column has no label.",
            ("web page label", "web page labels"),
        ),
        Loss(
            "events",
            None,
            "Outlook's CSV has no column for other dates.",
            ("event", "events"),
        ),
        Loss(
            "custom",
            None,
            "Outlook's CSV has no free custom fields.",
            ("custom field", "custom fields"),
        ),
        Loss("favourite", None, "Outlook's CSV has no star.", ("star", "stars")),
    ),
    "google-csv": _NOT_IN_CSV,
}


def carried(contact: Contact, fmt: str) -> Contact:
    """What of `contact` comes back from an export as `fmt` and an import of it."""
    changes: dict[str, Any] = dict.fromkeys(BOOKKEEPING)
    for loss in CANNOT_CARRY[fmt]:
        name, _, part = loss.field.partition(".")
        value = changes.get(name, getattr(contact, name))
        if part:
            changes[name] = [replace(item, **{part: ""}) for item in value]
        elif loss.reshape is not None:
            changes[name] = loss.reshape(value)
        elif loss.keeps is None:
            changes[name] = _empty(name)
        else:
            changes[name] = value[: loss.keeps]
    return replace(contact, **changes)


def losses(contact: Contact, fmt: str) -> dict[str, int]:
    """How many values of each field an export of `contact` as `fmt` leaves out."""
    found: dict[str, int] = {}
    for loss in CANNOT_CARRY[fmt]:
        name, _, part = loss.field.partition(".")
        value = getattr(contact, name)
        if part:
            lost = sum(1 for item in value if getattr(item, part))
        elif loss.reshape is not None:
            lost = len(value) - len(loss.reshape(value))
        elif loss.keeps is None:
            lost = (len(value) if isinstance(value, list | dict) else 1) if value else 0
        else:
            lost = max(0, len(value) - loss.keeps)
        if lost:
            found[loss.field] = lost
    return found


def what(fmt: str, field: str, count: int) -> str:
    """The export report's words for `count` losses of `field` in `fmt` ("" if not reported)."""
    words = next((loss.what for loss in CANNOT_CARRY[fmt] if loss.field == field), ("", ""))
    return words[0] if count == 1 else words[1]


def render_table() -> str:
    """The table as Markdown, one section per format, for docs/formats.md."""
    known = {f.name for f in fields(Contact)}
    out: list[str] = []
    for fmt, table in CANNOT_CARRY.items():
        out += [f"### {FORMAT_NAMES[fmt]} (`{fmt}`)", ""]
        if not table:
            out += ["Carries every field Kith has.", ""]
            continue
        out += ["| Field | Keeps | Why |", "| --- | --- | --- |"]
        for loss in table:
            assert loss.field.partition(".")[0] in known, loss.field
            if loss.reshape is not None:
                keeps = "rearranged"
            else:
                keeps = "none" if loss.keeps is None else f"the first {loss.keeps}"
            out.append(f"| `{loss.field}` | {keeps} | {loss.why} |")
        out.append("")
    return "\n".join(out)


def _empty(field: str) -> object:
    """The field's default: what a reader leaves in a field the file has no column for."""
    spec = next(f for f in fields(Contact) if f.name == field)
    if spec.default_factory is not MISSING:
        return spec.default_factory()
    return spec.default


if __name__ == "__main__":  # `python -m app.core.formats.carry` rewrites docs/formats.md's table
    import re
    import sys
    from pathlib import Path

    docs = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/formats.md")
    begin, end = "<!-- cannot-carry table: begin -->", "<!-- cannot-carry table: end -->"
    text = docs.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(begin) + r".*" + re.escape(end), re.S)
    table = f"{begin}\n{render_table().strip()}\n{end}"
    docs.write_text(pattern.sub(lambda _: table, text), encoding="utf-8")
