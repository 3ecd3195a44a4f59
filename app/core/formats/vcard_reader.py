"""vCard 2.1/3.0/4.0 to Contacts: the repaired values of each card are decoded by vobject.

Cards are parsed in worker processes when a file is large (about 150 µs a card, while the
importing process stores the previous chunks); results come back in file order, a chunk at a
time, so memory stays flat.
"""

from __future__ import annotations

import base64
import binascii
import gc
import itertools
import logging
import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path
from typing import Any

from vobject import vcard
from vobject.icalendar import stringToTextValues

from app.core.formats.limits import Limits
from app.core.formats.records import ImportProblem, ImportRecord
from app.core.formats.vcard_labels import apple_label
from app.core.formats.vcard_mapping import contact_from_props
from app.core.formats.vcard_prepass import Prop, RawCard, card_props, open_cards

_log = logging.getLogger(__name__)
CHUNK = 500
PARALLEL_FROM = 2000
Item = ImportRecord | ImportProblem

# What vobject parses; everything else is kept verbatim or read straight from the Prop.
VOBJECT_PROPS = frozenset(
    {"N", "FN", "NICKNAME", "EMAIL", "TEL", "ADR", "URL", "ORG", "TITLE", "BDAY", "NOTE"}
    | {"ANNIVERSARY", "X-ANNIVERSARY", "X-ABDATE", "CATEGORIES", "UID"}
)


def _text_values(value: str, separator: str = ",", escapable: str | None = None) -> list[str]:
    """vobject's `stringToTextValues`, skipped when there is nothing to unescape or split.

    It walks the value a character at a time; most values have neither a backslash nor a
    separator, and for those its answer is the value itself.
    """
    if "\\" not in value and separator not in value:
        return [value]
    return list(stringToTextValues(value, listSeparator=separator, charList=escapable))


def _split_fields(value: str) -> list[str | list[str]]:
    """vobject's `vcard.splitFields`: the `;` fields of N, ADR or ORG, each a text or a list."""
    fields = []
    for field in _text_values(value, ";", ";"):
        items = _text_values(field)
        fields.append(items[0] if len(items) == 1 else items)
    return fields


def _vobject_value(name: str, value: str) -> Any:
    """vobject's native value of one property, as its vCard behaviours decode it.

    The pre-pass has already split and repaired the content line, so only vobject's value
    grammar is needed (structured N/ADR/ORG fields, lists, backslash escapes); building a
    vobject Component around every card tripled the cost of an import and gave the same values
    (tests/core/formats/test_vobject_values.py compares the two over the corpus).
    """
    if name == "N":
        return vcard.Name(**dict(zip(vcard.NAME_ORDER, _split_fields(value), strict=False)))
    if name == "ADR":
        fields = _split_fields(value)
        return vcard.Address(**dict(zip(vcard.ADDRESS_ORDER, fields, strict=False)))
    if name == "ORG":
        return _split_fields(value)
    if name == "CATEGORIES":
        return _text_values(value)
    return _text_values(value)[0]


def _vobject_values(props: list[Prop], warnings: list[str]) -> dict[int, Any]:
    """vobject's native value of each prop it parses, keyed by the prop's index."""
    values: dict[int, Any] = {}
    for i, prop in enumerate(props):
        if prop.name not in VOBJECT_PROPS:
            continue
        try:
            values[i] = _vobject_value(prop.name, prop.value)
        except Exception:  # vobject raises many types; a bad line must not cost the whole card
            warnings.append(f"A {prop.name} line could not be read and was left out.")
    return values


def _photo(prop: Prop, limits: Limits, warnings: list[str]) -> tuple[bytes, str] | None:
    value = prop.value
    mime = ""
    if value.startswith("data:"):
        header, _, value = value.partition(",")
        mime = header[5:].split(";", 1)[0]
    elif "://" in value[:16] or prop.params.get("VALUE", [""])[0].lower() == "uri":
        return None  # a URL: kept as it is
    types = [t.lower() for t in prop.params.get("TYPE", [])]
    if not mime and types:
        mime = types[0] if "/" in types[0] else f"image/{types[0]}"
    if len(value) * 3 // 4 > limits.max_photo_bytes:
        warnings.append(
            f"The photo was larger than {limits.max_photo_bytes:,} bytes and was left out."
        )
        return b"", ""
    try:
        data = base64.b64decode(value.replace("\\n", ""), validate=False)
    except (binascii.Error, ValueError):
        warnings.append("The photo was damaged and was left out.")
        return b"", ""
    if not data:
        return b"", ""
    return data, mime or "image/jpeg"


def parse_card(card: RawCard, region: str, limits: Limits) -> Item:
    """One card as an ImportRecord, or an ImportProblem with the reason."""
    try:
        return _parse_card(card, region, limits)
    except Exception:  # a bug must cost one record, not the import; it is logged as a bug
        _log.exception("card at line %d could not be read", card.line)
        return ImportProblem(card.line, "This card could not be read (an error in Kith).")


def _parse_card(card: RawCard, region: str, limits: Limits) -> Item:
    if card.problem:
        return ImportProblem(card.line, card.problem)
    warnings = list(card.warnings)
    props = card_props(card)
    labels = {p.group.upper(): apple_label(p.value) for p in props if p.name == "X-ABLABEL"}
    values = _vobject_values(props, warnings)
    photo: tuple[bytes, str] | None = None
    photo_index = -1
    for i, prop in enumerate(props):
        if prop.name == "PHOTO" and photo is None:
            photo = _photo(prop, limits, warnings)
            photo_index = i if photo is not None else -1
    return contact_from_props(
        card.line, props, values, labels, photo, photo_index, region, warnings
    )


def parse_chunk(cards: list[RawCard | ImportProblem], region: str, limits: Limits) -> list[Item]:
    """`parse_card` over a chunk, with the garbage collector paused (many small objects)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return [c if isinstance(c, ImportProblem) else parse_card(c, region, limits) for c in cards]
    finally:
        if enabled:
            gc.enable()


def _worker_init(parent: int) -> None:
    gc.freeze()  # modules imported so far are never garbage: keep the collector off them
    # A killed importer (kill -9) cannot shut its pool down, and a worker holds its own queue's
    # write end, so it would wait for work for ever: it watches the importer instead.
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()


def _exit_with(parent: int) -> None:
    while True:
        time.sleep(0.5)
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:
            pass  # alive, though no longer ours to signal


def read_vcards(path: Path, region: str, limits: Limits, workers: int | None) -> Iterator[Item]:
    """The records of a vCard file in file order.

    Args:
        path: the file.
        region: the phone region for numbers without a country code.
        limits: the bounds on the file.
        workers: processes to parse with; None picks 2 for files over 2,000 cards, 1 runs inline.
    """
    cards = open_cards(path, limits)
    first = list(itertools.islice(cards, PARALLEL_FROM))
    nworkers = 2 if workers is None else max(1, workers)
    if nworkers == 1 or len(first) < PARALLEL_FROM:
        for start in range(0, len(first), CHUNK):
            yield from parse_chunk(first[start : start + CHUNK], region, limits)
        for chunk in _chunks(cards):
            yield from parse_chunk(chunk, region, limits)
        return
    chunks = itertools.chain(_chunks(iter(first)), _chunks(cards))
    context = get_context("forkserver" if "forkserver" in get_all_start_methods() else "spawn")
    with ProcessPoolExecutor(
        nworkers, mp_context=context, initializer=_worker_init, initargs=(os.getpid(),)
    ) as pool:
        pending: list[Future[list[Item]]] = []
        for chunk in chunks:
            pending.append(pool.submit(parse_chunk, chunk, region, limits))
            if len(pending) > nworkers * 2:  # bound what waits in memory
                yield from pending.pop(0).result()
        for future in pending:
            yield from future.result()


def _chunks(cards: Iterator[RawCard | ImportProblem]) -> Iterator[list[RawCard | ImportProblem]]:
    while chunk := list(itertools.islice(cards, CHUNK)):
        yield chunk
