"""The segments Kith shows, defined once: their keys, titles, queries and headings.

The window's segment pane lists them, `kith export --segment NAME` finds one by its title or
key, and the contact service names in each ChangeSet the keys ("all", "tag:Clients",
"stage:lead", "smart:3", ...) whose members or counts a change may have moved.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.core.services.segments import Attention, RuleKind, SmartSegment
from app.core.storage.bulk_journal import Touched

ALL = "all"
FAVOURITES = "favourites"
TRASH = "trash"
DUPLICATES = "duplicates"
"""Duplicate groups (issue 11's segment): any change to a contact's fields may move them."""
DUE = "due"
"""Reminders due (issue 12's segment): dates and liveness move them."""


def tag_key(name: str) -> str:
    """The key of a tag's segment, by the tag's stored name."""
    return f"tag:{name}"


def stage_key(value: str) -> str:
    """The key of a stage's segment ("stage:lead")."""
    return f"stage:{value}"


def smart_key(segment_id: int | None) -> str:
    """The key of a saved smart segment."""
    return f"smart:{segment_id}"


def import_key(operation_id: int) -> str:
    """The key of an import's segment."""
    return f"import:{operation_id}"


def attention_key(reason: Attention) -> str:
    """The key of a needs-attention segment ("attention:invalid phone")."""
    return f"attention:{reason.value}"


def touched_keys(touched: Touched, smart: Iterable[SmartSegment]) -> frozenset[str]:
    """The keys of the segments whose members or counts a change may have moved.

    A change that only moved tags touches those tags' segments and the smart segments with a
    tag rule; one that only moved stages, likewise; a contact that appeared, disappeared or
    changed other fields may have moved any smart, attention, duplicate or due segment.
    """
    keys = {tag_key(t) for t in touched.tags}
    keys |= {stage_key(s) for s in touched.stages if s}
    if touched.favourite:
        keys.add(FAVOURITES)
    if touched.trash:
        keys.add(TRASH)
    if touched.lifecycle:
        keys.add(ALL)
        keys |= {import_key(i) for i in touched.imports}
    if touched.lifecycle or touched.fields:
        keys |= {attention_key(a) for a in Attention} | {DUPLICATES, DUE}
        keys |= {smart_key(s.id) for s in smart}
        return frozenset(keys)
    kinds = ({RuleKind.TAG_IS} if touched.tags else set()) | (
        {RuleKind.STAGE_IS} if touched.stages else set()
    )
    keys |= {smart_key(s.id) for s in smart if any(r.kind in kinds for r in s.rules)}
    return frozenset(keys)
