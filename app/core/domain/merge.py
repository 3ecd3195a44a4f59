"""Merging contacts: which value of each field wins, and the union of everything else.

Pure: no storage, no clock. A `MergePlan` names the contacts, the survivor (whose id and UID
the result keeps) and, for each single-valued field, the contact whose value wins; `result()`
is the merged contact, which is both the preview and what the merge service stores.

The fields are derived from `Contact`'s dataclass fields and their types, never listed by hand:
a list or dict field is multi-valued and becomes the union of every contact's items
(de-duplicated by a normalised key); any other field is single-valued and is chosen. The few
fields that follow other rules (bookkeeping, notes, the photo's type) are named below, each
with why.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import typing
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.core.domain.contact import Address, Contact
from app.core.domain.normalise import digits, fold, normalise_email
from app.core.domain.serialise import encoder, fields_of

BOOKKEEPING = frozenset({"id", "uid", "created_at", "updated_at", "deleted_at"})
"""Fields the store keeps, not the user: the survivor's id and UID, the earliest creation;
never offered as a choice. (Last contacted follows from the union of the interactions.)"""
JOINED_TEXT = frozenset({"notes"})
"""Text fields that hold many things (a note per contact): every distinct text is kept."""
FOLLOWS = {"photo_mime": "photo"}
"""Fields that go with another field's choice (a photo's type belongs to that photo)."""
NOTE_SEPARATOR = "\n\n"


def _is_multi(tp: Any) -> bool:
    return typing.get_origin(tp) in (list, dict)


SINGLE_FIELDS: tuple[str, ...] = tuple(
    f.name
    for f in fields_of(Contact)
    if not _is_multi(f.type) and f.name not in BOOKKEEPING | JOINED_TEXT and f.name not in FOLLOWS
)
"""The fields a merge chooses one value of (name, nickname, org, birthday, photo, ...)."""
MULTI_FIELDS: tuple[str, ...] = tuple(f.name for f in fields_of(Contact) if _is_multi(f.type))
"""The fields whose items are all kept (emails, phones, addresses, tags, custom, ...)."""

_ADDRESS_LINES = tuple(f.name for f in fields_of(Address) if f.name != "label")


def _generic_key(tp: Any) -> Callable[[Any], Hashable]:
    out = encoder(tp)
    return lambda item: json.dumps(out(item), sort_keys=True, ensure_ascii=False)


# How two items of a list field are recognised as the same, by the value a person would
# compare; a list field not named here is de-duplicated by exact equality of its JSON.
_ITEM_KEYS: dict[str, Callable[[Any], Hashable]] = {
    "emails": lambda e: normalise_email(e.value),
    "phones": lambda p: p.e164 or digits(p.value) or fold(p.value),
    "addresses": lambda a: tuple(fold(getattr(a, n)) for n in _ADDRESS_LINES),
    "urls": lambda u: fold(u.value).rstrip("/"),
    "events": lambda e: (fold(e.label), e.date.iso()),
    "tags": fold,
}


def _item_key(name: str) -> Callable[[Any], Hashable]:
    if name in _ITEM_KEYS:
        return _ITEM_KEYS[name]
    (item_type,) = typing.get_args(next(f.type for f in fields_of(Contact) if f.name == name))
    return _generic_key(item_type)


def _fresh(value: Any) -> Any:
    """A copy of a value that the merged contact may change without touching its source.

    Shallow is enough, and much faster than deepcopy (a bulk merge spent most of its time
    there): the parts of a contact (Name, Email, Address, ...) hold only text and frozen values.
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        params = getattr(value, "__dataclass_params__", None)
        return value if params is not None and params.frozen else copy.copy(value)
    return value


def is_empty(value: Any) -> bool:
    """Whether a field's value counts as not filled (so another contact's value wins)."""
    if value is None or value == "" or value is False or value == 0:
        return True
    check = getattr(value, "is_empty", None)
    return bool(check()) if callable(check) else False


def union_items(name: str, lists: Sequence[Sequence[Any]]) -> list[Any]:
    """Every item of the lists in order, each once by its normalised key.

    The first spelling wins; a label it lacks is taken from a later duplicate.
    """
    key = _item_key(name)
    kept: dict[Hashable, Any] = {}
    for items in lists:
        for item in items:
            k = key(item)
            if k not in kept:
                kept[k] = _fresh(item)
            elif getattr(kept[k], "label", None) == "" and getattr(item, "label", ""):
                kept[k].label = item.label
    return list(kept.values())


def union_custom(dicts: Sequence[Mapping[str, str]]) -> dict[str, str]:
    """Every custom field; a name that carries different values keeps each, numbered."""
    merged: dict[str, str] = {}
    for fields in dicts:
        for name, value in fields.items():
            same_name = [k for k in merged if k == name or k.startswith(f"{name} (")]
            if any(merged[k] == value for k in same_name):
                continue
            key, n = name, 2
            while key in merged:
                key, n = f"{name} ({n})", n + 1
            merged[key] = value
    return merged


def join_text(texts: Sequence[str]) -> str:
    """Each distinct non-empty text once, in order, separated by a blank line."""
    seen = dict.fromkeys(t.strip() for t in texts if t.strip())
    if len(seen) == 1:  # one text (or the same one twice): keep it exactly as it was
        return next(t for t in texts if t.strip())
    return NOTE_SEPARATOR.join(seen)


@dataclass(frozen=True, slots=True)
class MergePlan:
    """What a merge will do: the contacts, the survivor and the winner of each field.

    Build one with `MergePlan.default(...)`; `choose(field, contact_id)` gives a plan with
    another winner. `choices` maps each single-valued field to the id of the contact whose
    value wins.
    """

    contacts: tuple[Contact, ...]
    survivor_id: int
    choices: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def default(cls, contacts: Sequence[Contact], survivor_id: int | None = None) -> MergePlan:
        """The plan with default choices: the survivor's value, else the first filled one.

        Args:
            contacts: two or more stored contacts (with ids).
            survivor_id: the contact that stays; by default the lowest id.

        Raises:
            ValueError: fewer than two distinct contacts, a contact without an id, or a
                survivor that is not among them.
        """
        ids = [c.id for c in contacts]
        if any(i is None for i in ids):
            raise ValueError("only stored contacts can be merged")
        if len(set(ids)) < 2 or len(set(ids)) != len(ids):
            raise ValueError("a merge needs two or more different contacts")
        survivor = min(i for i in ids if i is not None) if survivor_id is None else survivor_id
        if survivor not in ids:
            raise ValueError(f"the survivor {survivor} is not one of the contacts merged")
        ordered = sorted(contacts, key=lambda c: c.id != survivor)  # survivor first, stable
        plan = cls(tuple(ordered), survivor, {})
        choices = {}
        for name in SINGLE_FIELDS:
            filled = [c for c in ordered if not is_empty(getattr(c, name))]
            winner = filled[0] if filled else ordered[0]
            assert winner.id is not None
            choices[name] = winner.id
        return dataclasses.replace(plan, choices=choices)

    @property
    def ids(self) -> tuple[int, ...]:
        """The ids of the contacts merged, the survivor first."""
        return tuple(c.id for c in self.contacts if c.id is not None)

    @property
    def absorbed_ids(self) -> tuple[int, ...]:
        """The ids of the contacts that the merge removes."""
        return self.ids[1:]

    def contact(self, contact_id: int) -> Contact:
        """The input contact with this id."""
        return next(c for c in self.contacts if c.id == contact_id)

    def choose(self, name: str, contact_id: int) -> MergePlan:
        """This plan with contact `contact_id`'s value of field `name`.

        Raises:
            ValueError: `name` is not a single-valued field, or the contact is not merged.
        """
        if name not in SINGLE_FIELDS:
            raise ValueError(f"{name} is not a field a merge chooses")
        if contact_id not in self.ids:
            raise ValueError(f"contact {contact_id} is not part of this merge")
        return dataclasses.replace(self, choices={**self.choices, name: contact_id})

    def options(self, name: str) -> list[tuple[int, Any]]:
        """The (contact id, value) of each contact for a single-valued field."""
        return [(c.id, getattr(c, name)) for c in self.contacts if c.id is not None]

    def conflicts(self) -> list[str]:
        """The single-valued fields where two contacts hold different filled values."""
        found = []
        for name in SINGLE_FIELDS:
            values = [v for _, v in self.options(name) if not is_empty(v)]
            if any(v != values[0] for v in values[1:]):
                found.append(name)
        return found

    def result(self) -> Contact:
        """The merged contact: the survivor's id and UID, the chosen values, every item."""
        survivor = self.contact(self.survivor_id)
        # Shallow: every field that holds something mutable is given a new value below.
        merged = dataclasses.replace(survivor)
        for name in SINGLE_FIELDS:
            source = self.contact(self.choices.get(name, self.survivor_id))
            setattr(merged, name, _fresh(getattr(source, name)))
        for follower, leader in FOLLOWS.items():
            source = self.contact(self.choices.get(leader, self.survivor_id))
            setattr(merged, follower, getattr(source, follower))
        for name in MULTI_FIELDS:
            values = [getattr(c, name) for c in self.contacts]
            if isinstance(getattr(merged, name), dict):
                setattr(merged, name, union_custom(values))
            else:
                setattr(merged, name, union_items(name, values))
        for name in JOINED_TEXT:
            setattr(merged, name, join_text([getattr(c, name) for c in self.contacts]))
        created = [c.created_at for c in self.contacts if c.created_at is not None]
        merged.created_at = min(created) if created else survivor.created_at
        merged.deleted_at = None
        return merged
