"""The contact and its parts, as plain dataclasses.

These are what repositories return and what readers, writers and the window work with; no ORM
object ever leaves `app.core.storage`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

from app.core.domain.dates import PartialDate
from app.core.domain.interaction import Cadence, Interaction
from app.core.domain.interaction import last_contacted as _last_contacted

PHOTO_MAX_BYTES = 512 * 1024
"""Photos larger than this are refused (a phone's contact photo is rarely above 100 KB)."""


class Stage(enum.StrEnum):
    """Where a contact stands in the user's work and life."""

    LEAD = "lead"
    PROSPECT = "prospect"
    CLIENT = "client"
    FORMER_CLIENT = "former client"
    FRIEND = "friend"
    FAMILY = "family"
    OTHER = "other"


@dataclass(slots=True)
class Name:
    """A structured name, as vCard's N property has it."""

    prefix: str = ""
    given: str = ""
    middle: str = ""
    family: str = ""
    suffix: str = ""

    def is_empty(self) -> bool:
        """Whether no part of the name is filled."""
        return not any((self.prefix, self.given, self.middle, self.family, self.suffix))


@dataclass(slots=True)
class Email:
    """An email address with its label ("home", "work" or the user's own)."""

    value: str
    label: str = ""


@dataclass(slots=True)
class Phone:
    """A phone number as typed, with its E.164 form when it could be parsed."""

    value: str
    e164: str = ""
    label: str = ""


@dataclass(slots=True)
class Address:
    """A postal address."""

    label: str = ""
    street: str = ""
    city: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = ""
    po_box: str = ""
    extended: str = ""

    def is_empty(self) -> bool:
        """Whether no line of the address is filled."""
        return not any(
            (
                self.street,
                self.city,
                self.region,
                self.postal_code,
                self.country,
                self.po_box,
                self.extended,
            )
        )


@dataclass(slots=True)
class Url:
    """A web address with its label."""

    value: str
    label: str = ""


@dataclass(slots=True)
class Event:
    """A dated event other than birthday and anniversary (e.g. "met at", "contract ends")."""

    label: str
    date: PartialDate


@dataclass(slots=True)
class Contact:
    """A person or organisation in the address book.

    `id` is None until the contact is stored. `formatted_name` is what the user (or the card's
    FN) calls the contact when that differs from the name built from `name`; empty otherwise.
    `extra_vcard` holds, verbatim, the vCard content lines Kith does not model, so that they
    survive an import/export round trip. `interactions` is the timeline (the services in
    `app.core.services.interactions` change it); `keep_in_touch_every` with
    `keep_in_touch_unit` asks for a reminder when no interaction is that old (0: never).
    """

    id: int | None = None
    uid: str = ""
    name: Name = field(default_factory=Name)
    formatted_name: str = ""
    nickname: str = ""
    emails: list[Email] = field(default_factory=list)
    phones: list[Phone] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    urls: list[Url] = field(default_factory=list)
    org: str = ""
    department: str = ""
    title: str = ""
    birthday: PartialDate | None = None
    anniversary: PartialDate | None = None
    events: list[Event] = field(default_factory=list)
    notes: str = ""
    tags: list[str] = field(default_factory=list)
    custom: dict[str, str] = field(default_factory=dict)
    photo: bytes | None = None
    photo_mime: str = ""
    stage: Stage | None = None
    priority: int = 0
    favourite: bool = False
    created_at: datetime | None = None
    updated_at: datetime | None = None
    deleted_at: datetime | None = None
    interactions: list[Interaction] = field(default_factory=list)
    keep_in_touch_every: int = 0
    keep_in_touch_unit: Cadence | None = None
    extra_vcard: list[str] = field(default_factory=list)

    @property
    def last_contacted(self) -> datetime | None:
        """When the user was last in touch, derived from `interactions` (None: never)."""
        return _last_contacted(self.interactions)

    @property
    def display_name(self) -> str:
        """The name to show: the formatted name, else the person's name, organisation, email..."""
        if self.formatted_name.strip():
            return self.formatted_name
        return self.built_name

    @property
    def built_name(self) -> str:
        """The name built from `name`, else nickname, organisation, email or phone."""
        parts = [self.name.prefix, self.name.given, self.name.middle, self.name.family]
        text = " ".join(p for p in parts if p)
        if self.name.suffix:
            text = f"{text}, {self.name.suffix}" if text else self.name.suffix
        if text:
            return text
        for fallback in (
            self.nickname,
            self.org,
            self.emails[0].value if self.emails else "",
            self.phones[0].value if self.phones else "",
        ):
            if fallback:
                return fallback
        return ""
