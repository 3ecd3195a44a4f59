"""How a CSV file is written: its encoding and delimiter, sniffed from its first bytes."""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from pathlib import Path

from charset_normalizer import from_bytes

from app.core.errors import UserFacingError
from app.core.formats.limits import Limits

SAMPLE = 64 * 1024
_CJK = ("cp932", "shift_jis", "euc_jp", "iso2022_jp", "gb2312", "gb18030", "big5", "cp949")


def _undecodable_as_cp1252(error: UnicodeError) -> tuple[str, int]:
    # A file that is UTF-8 at its start may hold a Windows-1252 byte further on: read that byte
    # as Windows-1252 (or Latin-1) rather than failing the whole file.
    if not isinstance(error, UnicodeDecodeError):
        raise error
    chunk = error.object[error.start : error.end]
    return chunk.decode("cp1252", errors="ignore") or chunk.decode("latin-1"), error.end


codecs.register_error("kith-cp1252", _undecodable_as_cp1252)


def sniff_encoding(sample: bytes) -> str:
    """The encoding of a file whose first bytes are `sample`."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if len(sample) >= 4 and sample[0] == 0 and sample[1] != 0:
        return "utf-16-be"
    if len(sample) >= 4 and sample[0] != 0 and sample[1] == 0:
        return "utf-16-le"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=len(sample) < SAMPLE)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        # Full-width kana mark Japanese; charset-normalizer takes short Shift_JIS for Korean.
        if any("\u3040" <= ch <= "\u30ff" for ch in sample[:16384].decode("cp932")):
            return "cp932"
    except UnicodeDecodeError:
        pass
    best = from_bytes(sample[:16384]).best()
    if best is not None and best.encoding in _CJK:
        return "cp932" if best.encoding == "shift_jis" else best.encoding
    return "cp1252"


def sniff_delimiter(first_line: str) -> str:
    """The delimiter the header line uses most, outside quotes: comma, semicolon or tab."""
    counts = dict.fromkeys(",;\t", 0)
    quoted = False
    for ch in first_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda k: (counts[k], k == ","))
    return best if counts[best] else ","


def open_text(path: Path, limits: Limits) -> tuple[io.TextIOWrapper, str]:
    """The file as decoded text (newlines untranslated, for the csv module) and its delimiter.

    Raises:
        UserFacingError: the file is too large, empty or not text.
    """
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise UserFacingError(
            f"{path.name} is larger than {limits.max_file_bytes // 2**20} MB; "
            "split it into smaller files."
        )
    raw = path.open("rb")
    sample = raw.read(SAMPLE)
    raw.seek(0)
    encoding = sniff_encoding(sample)
    if "utf-16" not in encoding and b"\0" in sample:
        raw.close()
        raise UserFacingError(f"{path.name} is not a text file, so not a CSV of contacts.")
    errors = "kith-cp1252" if encoding.startswith("utf-8") else "replace"
    text = io.TextIOWrapper(raw, encoding=encoding, errors=errors, newline="")
    first = text.readline(limits.max_line_bytes)
    text.seek(0)
    return text, sniff_delimiter(first)


def bounded_lines(text: io.TextIOWrapper, limit: int) -> Iterator[str]:
    """The lines of `text`, refusing one longer than `limit` (no CSV of contacts has one)."""
    while line := text.readline(limit + 1):
        if len(line) > limit:
            raise UserFacingError(
                f"A line of this file is longer than {limit:,} characters; "
                "it is not a CSV of contacts."
            )
        yield line
