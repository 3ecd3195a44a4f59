"""Bounds that keep a hostile or broken file from costing unbounded time or memory."""

from __future__ import annotations

from dataclasses import dataclass

from app.core.domain.contact import PHOTO_MAX_BYTES


@dataclass(frozen=True, slots=True)
class Limits:
    """The largest file, line, card, photo, nesting and record count a reader accepts.

    Attributes:
        max_file_bytes: files above this are refused as a whole. 1 GiB: well above what
            Kith's own exports of `max_records` contacts take (about 220 MB for 1,000,000
            generated cards), so that Kith re-imports what it writes; readers stream, so the
            cap bounds time, not memory (except for pipes, read once into memory).
        max_line_bytes: a longer physical line is left out of its record (with a warning).
        max_card_bytes: a vCard (or CSV row) larger than this becomes an ImportProblem.
        max_photo_bytes: a decoded photo larger than this is dropped with a warning.
        max_depth: how deep BEGIN blocks may nest (AGENT inside AGENT).
        max_records: records (cards or rows) after which the reader stops with an error.
    """

    max_file_bytes: int = 1024 * 1024 * 1024
    max_line_bytes: int = 4 * 1024 * 1024
    max_card_bytes: int = 8 * 1024 * 1024
    max_photo_bytes: int = PHOTO_MAX_BYTES
    max_depth: int = 3
    max_records: int = 1_000_000


DEFAULT_LIMITS = Limits()
