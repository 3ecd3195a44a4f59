"""Printing contacts for people and for scripts."""

from __future__ import annotations

import json
import sys
from typing import Any

from app.core.domain.contact import Contact
from app.core.domain.normalise import CONTROLS
from app.core.domain.serialise import contact_to_dict


def printable(text: str) -> str:
    """`text` safe for a terminal: a control character (an escape sequence from an imported
    card could clear the screen or retitle the window) is shown as U+FFFD."""
    return CONTROLS.sub("\ufffd", text)


def contact_json(contact: Contact) -> dict[str, Any]:
    """The `--json` shape of a contact (the photo is left out; `has_photo` says if there is one)."""
    return contact_to_dict(contact, with_photo=False)


def print_json(data: Any) -> None:
    """Write `data` as JSON on stdout."""
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def card_lines(contact: Contact) -> list[str]:
    """A contact as lines of text, for `kith show`."""
    lines = [f"{contact.display_name}  (id {contact.id})"]
    if contact.deleted_at:
        lines.append(f"  in the trash since {contact.deleted_at:%Y-%m-%d %H:%M}")
    if contact.nickname:
        lines.append(f"  nickname: {contact.nickname}")
    org = ", ".join(x for x in (contact.title, contact.department, contact.org) if x)
    if org:
        lines.append(f"  {org}")
    lines += [f"  email{f' ({e.label})' if e.label else ''}: {e.value}" for e in contact.emails]
    for p in contact.phones:
        label = f" ({p.label})" if p.label else ""
        e164 = f"  [{p.e164}]" if p.e164 and p.e164 != p.value else ""
        lines.append(f"  phone{label}: {p.value}{e164}")
    for a in contact.addresses:
        parts = [a.street, a.postal_code, a.city, a.region, a.country]
        lines.append(
            f"  address{f' ({a.label})' if a.label else ''}: {', '.join(x for x in parts if x)}"
        )
    lines += [f"  url: {u.value}" for u in contact.urls]
    if contact.birthday:
        lines.append(f"  birthday: {contact.birthday.iso()}")
    if contact.anniversary:
        lines.append(f"  anniversary: {contact.anniversary.iso()}")
    lines += [f"  {e.label}: {e.date.iso()}" for e in contact.events]
    if contact.stage:
        lines.append(f"  stage: {contact.stage.value}")
    if contact.tags:
        lines.append(f"  tags: {', '.join(contact.tags)}")
    lines += [f"  {k}: {v}" for k, v in contact.custom.items()]
    if contact.notes:
        lines.append("  notes: " + contact.notes.replace("\n", "\n         "))
    return [printable(line) for line in lines]
