"""vCard 2.1/3.0/4.0 to Contacts: the repaired lines of each card, decoded by Kith's own grammar.

Cards are parsed in worker processes when a file is large (about 150 µs a card, while the
importing process stores the previous chunks); results come back in file order, a chunk at a
time, so memory stays flat.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import ctypes
import gc
import itertools
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path

from app.core.formats.limits import Limits
from app.core.formats.records import ImportProblem, ImportRecord
from app.core.formats.vcard_labels import apple_label
from app.core.formats.vcard_mapping import contact_from_props
from app.core.formats.vcard_prepass import Prop, RawCard, card_props, is_binary, open_cards
from app.core.formats.vcard_text import split, unescape

_log = logging.getLogger(__name__)
CHUNK = 500
PARALLEL_FROM = 2000
_PR_SET_PDEATHSIG = 1  # linux/prctl.h
_WATCH_SECONDS = 0.5
Item = ImportRecord | ImportProblem

# What `decode_value` decodes; everything else is kept verbatim or read straight from the Prop.
DECODED_PROPS = frozenset(
    {"N", "FN", "NICKNAME", "EMAIL", "TEL", "ADR", "URL", "ORG", "TITLE", "BDAY", "NOTE"}
    | {"ANNIVERSARY", "X-ANNIVERSARY", "X-ABDATE", "CATEGORIES", "UID"}
)
_COMPOUND = frozenset({"N", "ADR", "ORG"})


def decode_value(name: str, value: str, version: str) -> str | list[str]:
    """The value of one property as the user wrote it.

    A text, or a list for N, ADR, ORG, CATEGORIES and (3.0/4.0) NICKNAME. Only list
    properties are split on commas, and only compound ones on semicolons; vobject's grammar
    split every value on commas and kept the first item (tests/core/formats/
    test_vobject_values.py states what Kith needs instead).
    """
    if name in _COMPOUND:
        return split(value, ";")
    if name == "CATEGORIES" or (name == "NICKNAME" and version != "2.1"):
        return split(value, ",")
    return unescape(value)


def _decoded_values(props: list[Prop]) -> dict[int, str | list[str]]:
    """The decoded value of each prop `decode_value` knows, keyed by the prop's index."""
    version = next((p.value.strip() for p in props if p.name == "VERSION"), "")
    return {
        i: decode_value(prop.name, prop.value, version)
        for i, prop in enumerate(props)
        if prop.name in DECODED_PROPS
    }


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
    if is_binary(card):
        return ImportProblem(
            card.line, "This card holds no readable text (binary data); it was skipped."
        )
    warnings = list(card.warnings)
    props = card_props(card)
    labels = {
        p.group.upper(): apple_label(unescape(p.value)) for p in props if p.name == "X-ABLABEL"
    }
    values = _decoded_values(props)
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
    _die_with(parent)


def _die_with(parent: int) -> None:
    """End this worker when the importing process `parent` ends, even by kill -9.

    A killed parent cannot shut its pool down; left alone, its workers (about 76 MB each)
    would wait forever for work. On Linux the kernel sends SIGKILL when the worker's own parent
    dies; a thread also watches `parent` itself, on every platform and for the case where the
    worker's parent is a forkserver rather than the importing process.
    """
    if sys.platform == "linux":
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    threading.Thread(target=_watch, args=(parent,), name="kith-parent-watch", daemon=True).start()


def _watch(parent: int) -> None:
    while _alive(parent):
        time.sleep(_WATCH_SECONDS)
    os._exit(1)


def _alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie, killed but not yet reaped, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc (macOS): os.kill said it exists
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


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
