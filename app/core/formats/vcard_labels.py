"""Labels of emails, phones, addresses and URLs to and from vCard TYPE parameters."""

from __future__ import annotations

import re

_APPLE = re.compile(r"^_\$!<(.*)>!\$_$")
_TEL_TYPES = {
    "cell": "mobile",
    "mobile": "mobile",
    "iphone": "mobile",
    "home": "home",
    "work": "work",
    "fax": "fax",
    "pager": "pager",
    "main": "main",
    "other": "other",
    "car": "car",
    "isdn": "isdn",
    "video": "video",
    "text": "text",
    "textphone": "textphone",
    "msg": "message",
}
_IGNORED = {
    "pref",
    "voice",
    "internet",
    "email",
    "x400",
    "postal",
    "parcel",
    "dom",
    "intl",
    "x-",
    "",
}
_WRITE_TYPES = {"mobile": "CELL", "home": "HOME", "work": "WORK", "fax": "FAX", "pager": "PAGER"}
_WRITE_TYPES |= {"main": "MAIN", "other": "OTHER", "car": "CAR", "isdn": "ISDN"}


def apple_label(text: str) -> str:
    """An X-ABLabel value as the user sees it: `_$!<Mobile>!$_` becomes "mobile"."""
    if m := _APPLE.match(text.strip()):
        return m[1].lower()
    return text.strip()


def label_from_types(types: list[str]) -> str:
    """The label that TYPE values stand for, e.g. ["HOME", "FAX"] becomes "home fax"."""
    found: list[str] = []
    for raw in types:
        for part in raw.split(","):
            key = part.strip().strip('"').lower()
            if key in _IGNORED:
                continue
            label = _TEL_TYPES.get(key, key)
            if label not in found:
                found.append(label)
    if "fax" in found and len(found) > 1:  # "home fax", not "fax home"
        found.remove("fax")
        found.append("fax")
    return " ".join(found)


def types_for_label(label: str) -> list[str] | None:
    """TYPE values that carry `label`, or None when it needs an X-ABLabel."""
    if not label:
        return []
    words = label.lower().split()
    # Only labels the reader gives back in the same form go as TYPE values.
    if all(w in _WRITE_TYPES for w in words) and label == " ".join(words):
        types = [_WRITE_TYPES[w] for w in words]
        if label_from_types(types) == label:
            return types
    return None
