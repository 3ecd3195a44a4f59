"""`mailto:` and `tel:` links built from stored values, safe to hand to the desktop.

A stored email or phone came from an import, so it is untrusted text: `a@b.example?attach=
/etc/passwd` must not become a link whose query attaches a file, nor `+1 555?x` a `tel:` with
parameters. An email is percent-encoded so that nothing in it can start a query, a fragment or a
second address; a phone keeps only what a dialler dials, and is refused if anything else is in it.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from app.core.domain.normalise import is_valid_email

# RFC 6068: in a mailto addr-spec, these may stand unencoded; everything else is encoded,
# which turns "?", "&", "#", "%", "," and spaces into text instead of syntax.
_MAILTO_SAFE = "@.!$'*+-=^_`{|}~"
_VISUAL = re.compile(r"[\s\-.()/\u00a0]")  # RFC 3966's visual separators, and spaces
_DIALLABLE = re.compile(r"\+?[0-9*#]+")


def mailto_url(email: str) -> str | None:
    """A `mailto:` link that can only write to this one address, or None if it is not one."""
    address = email.strip()
    if not is_valid_email(address) or any(ord(ch) < 0x20 for ch in address):
        return None
    return "mailto:" + quote(address, safe=_MAILTO_SAFE)


def tel_url(phone: str) -> str | None:
    """A `tel:` link with the number's digits only, or None when it holds more than a number."""
    number = _VISUAL.sub("", phone)
    if not _DIALLABLE.fullmatch(number):
        return None
    return "tel:" + number
