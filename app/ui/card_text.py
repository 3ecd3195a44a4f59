"""What the read card says about a contact, as text and links, with no Qt.

The rows are derived from `form_mapping.FORM_FIELDS` (every field the card edits), so a field
added to the model shows on the read card as it shows on the form; only the header (name,
company, photo, stage, favourite) is placed by hand. A row is shown only when its field is
filled. Links are built by `app.ui.links`, so an imported value can never become a link that
does more than write to one address, dial one number or open one web page.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol
from urllib.parse import urlsplit

from app.core.domain.contact import Contact
from app.core.domain.dates import PartialDate
from app.ui.contact_form import FIELD_ORDER, PART_LINES, field_title
from app.ui.form_mapping import FORM_FIELDS, Kind, row_parts, row_type, tags_text, to_values
from app.ui.links import mailto_url, tel_url

HEADER = frozenset(
    {"name", "formatted_name", "nickname", "org", "department", "title", "photo", "stage"}
    | {"favourite"}
)
"""Fields the card's header shows; every other field of FORM_FIELDS is a row."""

ROW_TITLES = {"emails": "email", "phones": "phone", "addresses": "address", "urls": "website"}
"""What a row of a list field is called when it has no label of its own."""


@dataclass(frozen=True, slots=True)
class CardRow:
    """One line of the read card: a small label and a value, maybe a link.

    Attributes:
        field: the Contact field it comes from ("emails", "birthday", ...).
        label: what the value is ("work", "Birthday").
        text: the value as shown (several lines for an address or notes).
        url: where clicking it goes (mailto:, tel:, http(s):), or None for plain text.
    """

    field: str
    label: str
    text: str
    url: str | None = None


class InteractionLike(Protocol):
    """What the timeline reads of an interaction (`app.core.domain.interaction.Interaction`)."""

    @property
    def id(self) -> str: ...

    @property
    def at(self) -> datetime: ...

    @property
    def kind(self) -> Any: ...

    @property
    def summary(self) -> str: ...


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One interaction as the timeline shows it."""

    when: datetime
    kind: str
    summary: str
    id: str = ""
    """The interaction's id within its contact (what Edit… and Delete name)."""


class Upcoming(Protocol):
    """A reminder the card lists under "Coming up" (the reminder service's Reminder)."""

    @property
    def due(self) -> date: ...

    @property
    def label(self) -> str: ...

    @property
    def id(self) -> str: ...


def long_date(value: PartialDate) -> str:
    """ "23 April 1985", or "23 April" without a year."""
    text = f"{value.day} {calendar.month_name[value.month]}"
    return f"{text} {value.year}" if value.year else text


def years_since(value: PartialDate, today: date) -> int | None:
    """Whole years from the date to today (an age), or None without a year or in the future."""
    if value.year is None:
        return None
    years = today.year - value.year - ((today.month, today.day) < value.month_day)
    return years if years >= 0 else None


def _date_text(name: str, value: PartialDate, today: date) -> str:
    text = long_date(value)
    years = years_since(value, today)
    if years is None:
        return text
    if name == "birthday":
        return f"{text} (age {years})"
    return f"{text} ({years} year{'s' if years != 1 else ''})"


def web_url(text: str) -> str | None:
    """The web address as a link when it is http(s) with a host; None for anything else."""
    value = text.strip()
    if "://" not in value and "." in value and " " not in value:
        value = "https://" + value
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in value):
        return None
    return value


def _row_text(field: str, values: dict[str, str], parts: Sequence[str]) -> str:
    lines = [list(group) for group in PART_LINES.get(field, ())]
    placed = {p for group in lines for p in group}
    lines += [[p] for p in parts if p not in placed]
    shown = [" ".join(values[p] for p in line if values.get(p, "").strip()) for line in lines]
    return "\n".join(line for line in shown if line)


def _rows_of(field: str, items: Iterable[Any]) -> list[CardRow]:
    item_type = row_type(field)
    parts = row_parts(item_type)
    rows = []
    for item in items:
        values = to_values(item)
        text = _row_text(field, values, parts)
        if not text:
            continue
        url = None
        if field == "emails":
            url = mailto_url(text)
        elif field == "phones":
            url = tel_url(text)
        elif field == "urls":
            url = web_url(text)
        label = values.get("label", "") or ROW_TITLES.get(field, field_title(field).lower())
        rows.append(CardRow(field, label, text, url))
    return rows


def card_rows(contact: Contact, today: date) -> list[CardRow]:
    """The filled fields of a contact, in the card's order, outside the header."""
    order = [*FIELD_ORDER, *(n for n in FORM_FIELDS if n not in FIELD_ORDER)]
    rows: list[CardRow] = []
    for name in order:
        kind = FORM_FIELDS.get(name)
        if kind is None or name in HEADER:
            continue
        value = getattr(contact, name)
        if kind is Kind.TEXT or kind is Kind.LONG_TEXT:
            if value.strip():
                rows.append(CardRow(name, field_title(name), value.strip()))
        elif kind is Kind.DATE:
            if value is not None:
                rows.append(CardRow(name, field_title(name), _date_text(name, value, today)))
        elif kind is Kind.TAGS:
            if value:
                rows.append(CardRow(name, field_title(name), tags_text(value)))
        elif kind is Kind.CUSTOM:
            rows += [CardRow(name, k, v) for k, v in value.items() if v.strip()]
        elif kind is Kind.ROWS:
            rows += _rows_of(name, value)
    return rows


def subtitle(contact: Contact) -> str:
    """Job title, department and company on one line ("Editor, Books · Acme")."""
    role = ", ".join(p for p in (contact.title, contact.department) if p.strip())
    org = contact.org if contact.org.strip() and contact.org != contact.display_name else ""
    return " · ".join(p for p in (role, org) if p)


def timeline_of(contact: Contact) -> list[TimelineEntry]:
    """The contact's interactions, newest first (none until interactions are recorded)."""
    items: Sequence[InteractionLike] = getattr(contact, "interactions", ())
    entries = [
        TimelineEntry(i.at, str(getattr(i.kind, "value", i.kind)), i.summary, str(i.id))
        for i in items
    ]
    return sorted(entries, key=lambda e: e.when, reverse=True)


def ago(when: datetime, now: datetime) -> str:
    """ "today", "yesterday", "12 days ago", "3 months ago", "2 years ago"."""
    days = (now.date() - when.date()).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 45:
        return f"{days} days ago"
    if days < 365:
        return f"{round(days / 30.4)} months ago"
    years = days // 365
    return f"{years} year{'s' if years != 1 else ''} ago"


def last_contacted_text(contact: Contact, now: datetime) -> str:
    """The card's "Last contacted" line."""
    if contact.last_contacted is None:
        return "Not contacted yet"
    return f"Last contacted {ago(contact.last_contacted, now)}"
