"""Generated contacts with hostile text, every field filled, for the CSV round-trip properties."""

from __future__ import annotations

from hypothesis import strategies as st

from app.core.domain.contact import Address, Contact, Email, Event, Name, Phone, Stage, Url
from app.core.domain.dates import PartialDate
from app.core.domain.normalise import to_e164

REGION = "GB"
# What a CSV cell must survive: separators, quotes, line breaks, emoji, right-to-left text and
# cells a spreadsheet would run as formulas.
_HOSTILE = [",", ";", '"', "'", "\n", "\t", "\\", "🙂", "👩‍💻", "שלום", "مرحبا", "=", "+", "-", "@"]
_LABEL_WORDS = {"home", "work", "mobile", "other", "main", "fax", "pager", "anniversary"}
_LABEL_WORDS |= {"birthday", "starred", "my contacts", "mycontacts", "other contacts"}


def _clean(text: str) -> str:
    # Surrounding blanks are not part of a value (every form and reader strips them), and
    # ' ::: ' is Google's value separator, which no CSV can escape (docs/formats.md).
    return text.replace(":::", ":").strip()


_chars = st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters=":")
_piece = st.one_of(_chars, _chars, st.sampled_from(_HOSTILE))
_short = st.lists(_piece, min_size=1, max_size=16).map("".join).map(_clean)
_long = st.builds(lambda t, n: t * n, _short, st.integers(200, 2000)).map(_clean)
_formula = st.sampled_from(["=1+1", "+44 20", "@sum(A1)", "-3", "'=quoted", "=HYPERLINK(x)"])
text = st.one_of(_short, _short, _short, _formula, _long)
filled = text.filter(bool)


def _plain_label(label: str) -> bool:
    return not label.startswith("*") and label.casefold() not in _LABEL_WORDS


labels = st.one_of(
    st.sampled_from(["", "home", "work", "mobile", "other", "work fax", "pager", "car"]),
    _short.filter(_plain_label),
)
tag = _short.filter(lambda t: t and _plain_label(t) and not set(t) & {",", ";"})
dates = st.builds(
    PartialDate,
    st.one_of(st.none(), st.integers(1920, 2030)),
    st.integers(1, 12),
    st.integers(1, 28),
)
_numbers = ["+44 20 7946 0958", "020 7946 0000", "+1 415 555 2671", "07700 900123", "+33 1 42 68"]
phones = st.builds(
    lambda value, label: Phone(value, to_e164(value, REGION), label),
    st.sampled_from(_numbers),
    labels,
)
emails = st.builds(
    lambda local, n, label: Email(f"{local}{n}@example.org", label),
    st.from_regex(r"[a-z][a-z0-9._+-]{0,12}", fullmatch=True),
    st.integers(0, 99),
    labels,
)
addresses = st.builds(Address, labels, filled, text, text, text, text, text, text)
urls = st.builds(
    lambda path, label: Url(f"https://example.org/{path}?q=1,2", label),
    st.from_regex(r"[a-z0-9/]{0,12}", fullmatch=True),
    labels,
)
events = st.builds(Event, labels.filter(_plain_label), dates)
custom = st.dictionaries(_short.filter(lambda k: bool(k) and _plain_label(k)), filled, max_size=5)

contacts = st.builds(
    Contact,
    uid=st.uuids().map(str),
    name=st.builds(Name, text, text, text, text, text),
    formatted_name=text,
    nickname=text,
    emails=st.lists(emails, min_size=1, max_size=6),
    phones=st.lists(phones, max_size=8),
    addresses=st.lists(addresses, max_size=5),
    urls=st.lists(urls, max_size=4),
    org=text,
    department=text,
    title=text,
    birthday=st.one_of(st.none(), dates),
    anniversary=st.one_of(st.none(), dates),
    events=st.lists(events, max_size=4),
    notes=text,
    tags=st.lists(tag, max_size=4, unique=True),
    custom=custom,
    photo=st.one_of(st.none(), st.binary(min_size=1, max_size=64)),
    photo_mime=st.just("image/png"),
    stage=st.one_of(st.none(), st.sampled_from(Stage)),
    priority=st.integers(0, 3),
    favourite=st.booleans(),
    extra_vcard=st.lists(st.sampled_from(["X-SKYPE:zoe.live", "item1.X-FOO;TYPE=x:bar"])),
)
