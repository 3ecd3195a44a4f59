"""How an imported record changes the stored contact it matches: update, or merge keeping all.

`merge_into` (on-match "update") lets the record's filled values win and joins the lists;
`merge_keeping` (on-match "merge", the window's default) is `MergePlan`'s merge, in which the
stored contact's values win and nothing of either is lost.
"""

from __future__ import annotations

import copy

from app.core.domain.contact import Contact
from app.core.domain.merge import MergePlan
from app.core.domain.normalise import normalise_email


def merge_into(existing: Contact, incoming: Contact) -> Contact:
    """`existing` updated from an imported record: its filled fields win, lists are joined."""
    merged = copy.deepcopy(existing)
    if not incoming.name.is_empty():
        merged.name = copy.deepcopy(incoming.name)
    for attr in ("nickname", "org", "department", "title", "notes", "photo_mime"):
        value = getattr(incoming, attr)
        if value:
            setattr(merged, attr, value)
    for attr in ("birthday", "anniversary", "photo", "stage"):
        value = getattr(incoming, attr)
        if value is not None:
            setattr(merged, attr, value)
    emails = {normalise_email(e.value) for e in merged.emails}
    merged.emails += [e for e in incoming.emails if normalise_email(e.value) not in emails]
    phones = {p.e164 or p.value for p in merged.phones}
    merged.phones += [p for p in incoming.phones if (p.e164 or p.value) not in phones]
    merged.addresses += [a for a in incoming.addresses if a not in merged.addresses]
    merged.urls += [u for u in incoming.urls if u.value not in {x.value for x in merged.urls}]
    merged.events += [e for e in incoming.events if e not in merged.events]
    known_tags = {t.casefold() for t in merged.tags}
    merged.tags += [t for t in incoming.tags if t.casefold() not in known_tags]
    merged.custom.update(incoming.custom)
    merged.extra_vcard += [x for x in incoming.extra_vcard if x not in merged.extra_vcard]
    return merged


def merge_keeping(existing: Contact, incoming: Contact) -> Contact:
    """`existing` merged with an imported record by `MergePlan`, losing nothing.

    The stored contact survives (its id, UID and filled single values win; an empty one takes
    the record's), and every email, phone, address, tag, note and custom field of both is kept.
    """
    assert existing.id is not None
    stand_in = copy.copy(incoming)
    stand_in.id = -1 if existing.id != -1 else -2  # MergePlan merges stored contacts by id
    merged = MergePlan.default([existing, stand_in], survivor_id=existing.id).result()
    merged.updated_at = existing.updated_at
    return merged
