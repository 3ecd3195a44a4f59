"""Contact and its parts as plain dataclasses, and their normalisation."""

from app.core.domain.contact import (
    PHOTO_MAX_BYTES,
    Address,
    Contact,
    Email,
    Event,
    Name,
    Phone,
    Stage,
    Url,
)
from app.core.domain.dates import PartialDate

__all__ = [
    "PHOTO_MAX_BYTES",
    "Address",
    "Contact",
    "Email",
    "Event",
    "Name",
    "PartialDate",
    "Phone",
    "Stage",
    "Url",
]
