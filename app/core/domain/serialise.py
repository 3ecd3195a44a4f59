"""Contacts to and from plain dicts: the `--json` shape of the CLI and the journal's snapshots."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

from app.core.domain.contact import Address, Contact, Email, Event, Name, Phone, Stage, Url
from app.core.domain.dates import PartialDate


def _date(value: PartialDate | None) -> str | None:
    return value.iso() if value else None


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def contact_to_dict(contact: Contact, *, with_photo: bool = True) -> dict[str, Any]:
    """Every field of `contact`, in the shape DESIGN.md gives for `--json`."""
    data: dict[str, Any] = {
        "id": contact.id,
        "uid": contact.uid,
        "display_name": contact.display_name,
        "name": {
            "prefix": contact.name.prefix,
            "given": contact.name.given,
            "middle": contact.name.middle,
            "family": contact.name.family,
            "suffix": contact.name.suffix,
        },
        "nickname": contact.nickname,
        "emails": [{"value": e.value, "label": e.label} for e in contact.emails],
        "phones": [{"value": p.value, "e164": p.e164, "label": p.label} for p in contact.phones],
        "addresses": [
            {
                "label": a.label,
                "street": a.street,
                "city": a.city,
                "region": a.region,
                "postal_code": a.postal_code,
                "country": a.country,
                "po_box": a.po_box,
                "extended": a.extended,
            }
            for a in contact.addresses
        ],
        "urls": [{"value": u.value, "label": u.label} for u in contact.urls],
        "org": contact.org,
        "department": contact.department,
        "title": contact.title,
        "birthday": _date(contact.birthday),
        "anniversary": _date(contact.anniversary),
        "events": [{"label": e.label, "date": e.date.iso()} for e in contact.events],
        "notes": contact.notes,
        "tags": list(contact.tags),
        "custom": dict(contact.custom),
        "stage": contact.stage.value if contact.stage else None,
        "priority": contact.priority,
        "favourite": contact.favourite,
        "created_at": _time(contact.created_at),
        "updated_at": _time(contact.updated_at),
        "deleted_at": _time(contact.deleted_at),
        "last_contacted": _time(contact.last_contacted),
        "extra_vcard": list(contact.extra_vcard),
        "photo_mime": contact.photo_mime,
    }
    if with_photo:
        data["photo"] = base64.b64encode(contact.photo).decode("ascii") if contact.photo else None
    else:
        data["has_photo"] = contact.photo is not None
    return data


def _opt_date(value: Any) -> PartialDate | None:
    return PartialDate.parse(value) if value else None


def _opt_time(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def contact_from_dict(data: dict[str, Any]) -> Contact:
    """The inverse of `contact_to_dict` (with the photo)."""
    name = data.get("name") or {}
    photo = data.get("photo")
    return Contact(
        id=data.get("id"),
        uid=data.get("uid") or "",
        name=Name(
            **{k: name.get(k) or "" for k in ("prefix", "given", "middle", "family", "suffix")}
        ),
        nickname=data.get("nickname") or "",
        emails=[Email(e["value"], e.get("label") or "") for e in data.get("emails") or []],
        phones=[
            Phone(p["value"], p.get("e164") or "", p.get("label") or "")
            for p in data.get("phones") or []
        ],
        addresses=[Address(**a) for a in data.get("addresses") or []],
        urls=[Url(u["value"], u.get("label") or "") for u in data.get("urls") or []],
        org=data.get("org") or "",
        department=data.get("department") or "",
        title=data.get("title") or "",
        birthday=_opt_date(data.get("birthday")),
        anniversary=_opt_date(data.get("anniversary")),
        events=[Event(e["label"], PartialDate.parse(e["date"])) for e in data.get("events") or []],
        notes=data.get("notes") or "",
        tags=list(data.get("tags") or []),
        custom=dict(data.get("custom") or {}),
        photo=base64.b64decode(photo) if photo else None,
        photo_mime=data.get("photo_mime") or "",
        stage=Stage(data["stage"]) if data.get("stage") else None,
        priority=int(data.get("priority") or 0),
        favourite=bool(data.get("favourite")),
        created_at=_opt_time(data.get("created_at")),
        updated_at=_opt_time(data.get("updated_at")),
        deleted_at=_opt_time(data.get("deleted_at")),
        last_contacted=_opt_time(data.get("last_contacted")),
        extra_vcard=list(data.get("extra_vcard") or []),
    )
