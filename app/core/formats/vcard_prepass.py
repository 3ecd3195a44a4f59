"""Bytes-level repair of real vCard files before their values are decoded.

Real exports break the standard in ways a strict parser does not expect: QUOTED-PRINTABLE
with soft line breaks (also inside a multibyte character), a CHARSET that is wrong or missing,
UTF-16, BOMs, CR CR LF, folds that split a UTF-8 sequence, lower-case names, bare 2.1
parameters, stray lines, base64 blocks that are not indented. The pass works on bytes so that
a fold or a soft break is joined before anything is decoded, and it is cheap when a line needs
no repair. Control characters are dropped here, so that none reaches a stored value.
"""

from __future__ import annotations

import binascii
import codecs
import contextlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from app.core.domain.normalise import CONTROL_CHARACTERS, clean_text
from app.core.errors import UserFacingError
from app.core.formats.limits import Limits
from app.core.formats.records import ImportProblem

_PROP_START = re.compile(rb"^[A-Za-z][A-Za-z0-9_\-/.]*[;:,]")
_BARE_ENCODINGS = {"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"}
_CONTROL_TEXT = re.compile(f"[\t\n{CONTROL_CHARACTERS}]")
_NOT_BASE64 = re.compile(r"[^A-Za-z0-9+/=]")
_BAD_NAME = re.compile(r"[^A-Za-z0-9_\-/]")
# Bytes that text never holds (C0 but TAB, LF, CR; and DEL): many of them mean binary junk.
_BINARY_BYTES = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_MAX_BINARY_SHARE = 0.02
_CJK_MULTIBYTE = ("shift", "sjis", "932", "euc", "gb", "big5", "iso-2022", "ks_c", "cp949")


@dataclass(slots=True)
class RawCard:
    """The physical lines of one BEGIN:VCARD ... END:VCARD block, before any decoding."""

    line: int
    lines: list[bytes] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    size: int = 0
    problem: str = ""


@dataclass(slots=True)
class Prop:
    """One content line after repair: name upper-cased, parameters and value decoded.

    `value` is in vCard 3.0 escaped form (newlines as \\n), ready for `decode_value`.
    """

    group: str
    name: str
    params: dict[str, list[str]]
    value: str

    def content_line(self) -> str:
        """The unfolded content line, for `Contact.extra_vcard`."""
        head = f"{self.group}.{self.name}" if self.group else self.name
        for key, values in self.params.items():
            head += f";{key}=" + ",".join(_param_text(v) for v in values)
        return f"{head}:{self.value}"


def _param_text(value: str) -> str:
    # RFC 6868: a parameter value cannot hold a newline or a double quote, so caret-escape them.
    text = value.replace("^", "^^").replace("\n", "^n").replace('"', "^'")
    return f'"{text}"' if any(c in text for c in ";:,") else text


def detect_text_encoding(head: bytes) -> str:
    """ "utf-16-le"/"utf-16-be" when the first bytes say so (BOM or NUL pattern), else "utf-8"."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if len(head) >= 4 and head[0] == 0 and head[1] != 0 and head[2] == 0:
        return "utf-16-be"
    if len(head) >= 4 and head[0] != 0 and head[1] == 0 and head[3] == 0:
        return "utf-16-le"
    return "utf-8"


def iter_lines(stream: BinaryIO, limits: Limits) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line without its end) for each line; None for a line over the limit.

    UTF-16 files are transcoded to UTF-8 line by line; a UTF-8 BOM is dropped. Lines split on
    LF only, and every trailing CR is stripped, which also mends CR CR LF.
    """
    head = stream.peek(4)[:4] if hasattr(stream, "peek") else b""
    encoding = detect_text_encoding(head)
    if encoding == "utf-8":
        yield from _numbered(iter(lambda: stream.readline(limits.max_line_bytes + 1), b""), limits)
        return
    # newline="\n": split on LF only, as for UTF-8, not on U+2028 and friends.
    text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="\n")
    try:
        chunks = iter(lambda: text.readline(limits.max_line_bytes // 2 + 1), "")
        yield from _numbered((chunk.encode("utf-8") for chunk in chunks), limits)
    finally:
        text.detach()  # the caller owns and closes the binary stream


def _numbered(source: Iterator[bytes], limits: Limits) -> Iterator[tuple[int, bytes | None]]:
    limit = limits.max_line_bytes
    number = 0
    oversized = False
    for raw in source:
        if oversized:  # the rest of a line already reported as too long
            oversized = not raw.endswith(b"\n")
            continue
        number += 1
        if len(raw) > limit and not raw.endswith(b"\n"):
            oversized = True
            yield number, None
            continue
        line = raw.rstrip(b"\r\n")
        if number == 1 and line.startswith(codecs.BOM_UTF8):
            line = line[3:]
        yield number, line


def _block_kind(line: bytes) -> bytes:
    return line.split(b":", 1)[1].strip().upper()


def split_cards(
    lines: Iterator[tuple[int, bytes | None]], limits: Limits
) -> Iterator[RawCard | ImportProblem]:
    """The cards of a file, skipping stray lines between them.

    A VLIST (a mailing list) becomes an ImportProblem; a card missing its END line is closed
    by the next BEGIN; nesting past `limits.max_depth` makes the card a problem.
    """
    card: RawCard | None = None
    depth = 0
    in_list = 0
    count = 0
    skip_folds = False
    for number, line in lines:
        if line is None:
            if card is not None:
                card.warnings.append(
                    f"Line {number} was longer than {limits.max_line_bytes:,} bytes "
                    "and was left out."
                )
            skip_folds = True
            continue
        if skip_folds and line[:1] in (b" ", b"\t"):
            continue
        skip_folds = False
        upper = line[:6].upper()
        if upper == b"BEGIN:":
            kind = _block_kind(line)
            if card is None:
                if kind == b"VCARD":
                    card, depth = RawCard(number), 1
                    count += 1
                    if count > limits.max_records:
                        raise UserFacingError(
                            f"This file holds more than {limits.max_records:,} contacts; "
                            "split it into smaller files and import them one by one."
                        )
                elif kind == b"VLIST":
                    in_list = number
                continue
            prev = card.lines[-1].upper() if card.lines else b""
            if kind == b"VCARD" and not (prev.startswith(b"AGENT") and prev.endswith(b":")):
                card.warnings.append("The card had no END:VCARD line.")
                yield card
                card, depth = RawCard(number), 1
                count += 1
                continue
            depth += 1
            if depth > limits.max_depth and not card.problem:
                card.problem = f"This card nests more than {limits.max_depth} cards inside it."
        elif upper[:4] == b"END:":
            kind = _block_kind(line)
            if card is None:
                if in_list and kind == b"VLIST":
                    yield ImportProblem(
                        in_list, "This is a contact list (VLIST), not a contact; it was skipped."
                    )
                    in_list = 0
                continue
            if depth > 1:
                depth -= 1
            elif kind == b"VCARD":
                yield card
                card = None
                continue
            else:
                continue  # a stray "END:" inside a card (DAVdroid)
        elif card is None:
            continue
        card.size += len(line) + 1
        if card.size > limits.max_card_bytes:
            if not card.problem:
                card.problem = f"This card is larger than {limits.max_card_bytes:,} bytes."
            continue
        if not card.problem:
            card.lines.append(line)
    if card is not None:
        card.warnings.append("The file ended inside this card.")
        yield card


def open_cards(path: Path, limits: Limits) -> Iterator[RawCard | ImportProblem]:
    """The cards of the vCard file at `path`, streamed."""
    with path.open("rb") as stream:
        yield from split_cards(iter_lines(stream, limits), limits)


def _escape_nested(line: bytes) -> bytes:
    return line.replace(b"\\", b"\\\\").replace(b",", b"\\,").replace(b";", b"\\;")


def unfold(lines: list[bytes]) -> list[bytes]:
    """Join folded lines, QUOTED-PRINTABLE soft breaks and unindented continuations.

    A nested BEGIN:VCARD block (a 2.1 AGENT) becomes the escaped value of its AGENT line.
    """
    out: list[list[bytes]] = []
    qp_open = False
    nest = 0
    for line in lines:
        if nest:
            upper = line[:6].upper()
            if upper == b"BEGIN:":
                nest += 1
            elif upper[:4] == b"END:":
                nest -= 1
            out[-1].append(b"\\n" + _escape_nested(line))
            continue
        if qp_open:
            parts = out[-1]
            parts[-1] = parts[-1][:-1]  # the soft break's "="
            parts.append(line)
            qp_open = line.endswith(b"=")
            continue
        first = line[:1]
        if out and (first in (b" ", b"\t")):
            out[-1].append(line[1:])  # a fold, even one of blanks only (a run of spaces)
        elif not line or line.startswith(b"#"):
            continue  # empty lines end 2.1 base64 blocks; '#' lines are comments
        elif line[:6].upper() == b"BEGIN:" and out:
            nest = 1
            out[-1].append(_escape_nested(line))
        elif out and not _PROP_START.match(line):
            parts = out[-1]
            if parts[-1].endswith(b"\\") and not parts[-1].endswith(b"\\\\"):
                parts[-1] = parts[-1][:-1] + b"\\n"  # a 2.1 line continued by a backslash
            parts.append(line)
        else:
            out.append([line])
        if line.endswith(b"="):
            joined = b"".join(out[-1])
            out[-1] = [joined]
            head = joined.split(b":", 1)[0].upper()
            qp_open = b"QUOTED-PRINTABLE" in head
    return [b"".join(parts) for parts in out]


def _split_outside_quotes(text: str, sep: str) -> list[str]:
    if '"' not in text:
        return text.split(sep)
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch == sep and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def _rfc6868(value: str) -> str:
    if "^" not in value:
        return value
    return re.sub(r"\^([n'^])", lambda m: {"n": "\n", "'": '"', "^": "^"}[m[1]], value)


def decode_text(data: bytes, charset: str) -> str:
    """Text from bytes of unknown encoding: UTF-8, else the declared charset, else a guess.

    Valid UTF-8 is tried first even when another charset is declared (exporters often declare
    one and write UTF-8), except for CJK multibyte charsets whose bytes can look like UTF-8.
    """
    if data.isascii():
        return data.decode("ascii")
    cjk = charset and any(key in charset.lower() for key in _CJK_MULTIBYTE)
    tries = [charset, "utf-8"] if cjk else ["utf-8", charset]
    for name in tries:
        if not name:
            continue
        try:
            return data.decode(name)
        except UnicodeDecodeError as error:
            # A UTF-8 value cut inside its last character (a truncated QP line): drop the stub.
            if name == "utf-8" and error.start >= len(data) - 3 and error.end == len(data):
                with contextlib.suppress(UnicodeDecodeError):
                    return data[: error.start].decode("utf-8")
        except LookupError:
            pass
    try:
        text = data.decode("cp932")
        # Full-width kana mark Japanese; a European text decoded as Shift_JIS rarely has any.
        if any("\u3040" <= ch <= "\u30ff" for ch in text):
            return text
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def parse_line(raw: bytes) -> Prop | None:
    """One unfolded content line as a Prop, or None when it is not a content line."""
    colon = raw.find(b":")
    if colon <= 0:
        return None
    if b'"' in raw[:colon]:
        quoted = False
        for i, byte in enumerate(raw):
            if byte == 0x22:
                quoted = not quoted
            elif byte == 0x3A and not quoted:
                colon = i
                break
    head = decode_text(raw[:colon], "")
    if _CONTROL_TEXT.search(head):
        head = clean_text(head)
    value = raw[colon + 1 :]
    semi = head.find(";")
    name, rest = (head, "") if semi < 0 else (head[:semi], head[semi + 1 :])
    if "," in name:  # "LABEL,TYPE=HOME:" (a comma where a semicolon belongs)
        name, _, extra = name.partition(",")
        rest = f"{extra};{rest}" if rest else extra
    group, _, name = name.rpartition(".")
    name, group = name.strip().upper(), group.strip()
    if _BAD_NAME.search(name) or not name or (group and _BAD_NAME.search(group.replace(".", ""))):
        return None  # not a property name: binary junk or a broken line
    params: dict[str, list[str]] = {}
    for item in _split_outside_quotes(rest, ";") if rest else ():
        key, eq, val = item.partition("=")
        key = key.strip().upper()
        if not eq:
            if not key:
                continue
            key, val = ("ENCODING" if key in _BARE_ENCODINGS else "TYPE"), key
        values = [
            clean_text(_rfc6868(v.strip().strip('"'))) for v in _split_outside_quotes(val, ",")
        ]
        params.setdefault(key, []).extend(v for v in values if v)
    encoding = params.pop("ENCODING", [""])[0].upper()
    charset = params.pop("CHARSET", [""])[0]
    if encoding in ("QUOTED-PRINTABLE", "QP"):
        text = clean_text(decode_text(binascii.a2b_qp(value), charset), "\\n")
    elif encoding in ("B", "BASE64"):
        params["ENCODING"] = ["b"]
        # Only the base64 alphabet: folding blanks go, and so does anything a reader could
        # take for a line end (a bare CR here once smuggled a second card into an export).
        text = _NOT_BASE64.sub("", value.decode("ascii", "replace"))
    else:
        # A bare CR inside a value (Thunderbird) is a newline; other controls are dropped.
        text = clean_text(decode_text(value, charset), "\\n")
    return Prop(group, name, params, text)


def is_binary(card: RawCard) -> bool:
    """Whether the card's bytes are mostly not text (binary junk between BEGIN and END)."""
    size = sum(len(line) for line in card.lines)
    if not size:
        return False
    controls = sum(len(line) - len(line.translate(None, _BINARY_BYTES)) for line in card.lines)
    return controls > size * _MAX_BINARY_SHARE


def card_props(card: RawCard) -> list[Prop]:
    """The repaired content lines of `card`, in order."""
    props = []
    for raw in unfold(card.lines):
        prop = parse_line(raw)
        if prop is not None and prop.name not in ("BEGIN", "END"):
            props.append(prop)
    return props
