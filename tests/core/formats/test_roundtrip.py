"""Read, write in each export format, read back: what the user entered survives."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.domain.contact import Address, Contact, Email, Name, Phone
from app.core.domain.dates import PartialDate
from app.core.domain.normalise import to_e164
from app.core.formats import EXPORT_FORMATS, ImportRecord, read_records, write_contacts

SUFFIX = {"vcard": ".vcf", "vcard4": ".vcf", "outlook-csv": ".csv", "google-csv": ".csv"}


def roundtrip(contacts: list[Contact], fmt: str, tmp: Path) -> list[Contact]:
    out = io.BytesIO()
    assert write_contacts(contacts, fmt, out) == len(contacts)
    path = tmp / f"out{SUFFIX[fmt]}"
    path.write_bytes(out.getvalue())
    items = list(read_records(path, region="GB", workers=1))
    assert all(isinstance(i, ImportRecord) for i in items), items
    return [i.contact for i in items if isinstance(i, ImportRecord)]


def _view(c: Contact, fmt: str) -> dict[str, object]:
    """The fields every format keeps."""
    view: dict[str, object] = {
        "name": (c.name.given, c.name.family),
        "emails": [e.value for e in c.emails],
        "phones": sorted((p.value, p.e164) for p in c.phones),
        "addresses": sorted(
            (a.street, a.city, a.region, a.postal_code, a.country) for a in c.addresses
        ),
        "birthday": c.birthday,
        "anniversary": c.anniversary,
        "notes": c.notes,
        "tags": c.tags,
        "org": c.org,
    }
    if fmt.startswith("vcard"):
        view["extra"] = c.extra_vcard
        view["labels"] = [e.label for e in c.emails]
    return view


def sample() -> Contact:
    return Contact(
        name=Name(given="Zoë", family="O'Brien-Łukasz"),
        emails=[Email("zoe@example.org", "work"), Email("z@example.com", "skype line")],
        phones=[Phone("+44 20 7946 0958", to_e164("+44 20 7946 0958", "GB"), "mobile")],
        addresses=[Address("home", "1 Rue de l'Église\nBât. B", "Paris", "", "75001", "France")],
        birthday=PartialDate(None, 2, 29),
        anniversary=PartialDate(2001, 6, 30),
        notes="=1+1 is not a formula; line two\n@mention, -minus; 'quoted",
        tags=["clients", "=evil"],
        org="+Org, Inc.",
        extra_vcard=["X-SKYPE:zoe.live", "item9.X-FOO;TYPE=x:bar"],
    )


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_sample_round_trips(fmt: str, tmp_path: Path) -> None:
    original = sample()
    (back,) = roundtrip([original], fmt, tmp_path)
    assert _view(back, fmt) == _view(original, fmt)


def test_csv_cells_are_neutralised(tmp_path: Path) -> None:
    out = io.BytesIO()
    write_contacts([sample()], "outlook-csv", out)
    text = out.getvalue().decode("utf-8-sig")
    assert "'+44 20 7946 0958" in text
    assert "'=1+1" in text
    assert out.getvalue().startswith(b"\xef\xbb\xbf")


def test_vcard_lines_fold_at_75_octets() -> None:
    out = io.BytesIO()
    long = Contact(name=Name(given="Ä" * 100), notes="€" * 200)
    write_contacts([long], "vcard", out)
    for line in out.getvalue().split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # no character split across a fold


_text = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\\"
    ),
    max_size=20,
).map(str.strip)
_word = st.from_regex(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ' -]{0,12}[A-Za-zÀ-ÿ]", fullmatch=True)
_formulas = st.sampled_from(["=1+1", "+44 20 7946 0958", "@x", "-3", "'=quoted", "plain"])
_dates = st.builds(
    PartialDate,
    st.one_of(st.none(), st.integers(1920, 2020)),
    st.integers(1, 12),
    st.integers(1, 28),
)
_phones = st.sampled_from(["+44 20 7946 0958", "020 7946 0000", "+1 415 555 2671", "07700 900123"])
_contacts = st.builds(
    lambda given, family, emails, phones, note, org, tags, bday, city: Contact(
        name=Name(given=given, family=family),
        emails=[Email(f"{e}@example.org") for e in emails],
        phones=[Phone(p, to_e164(p, "GB"), "") for p in phones],
        addresses=[Address("home", "1 High St", city, "", "N1 9GU", "UK")] if city else [],
        notes=note,
        org=org,
        tags=tags,
        birthday=bday,
    ),
    _word,
    _word,
    st.lists(st.from_regex(r"[a-z]{1,8}", fullmatch=True), max_size=3, unique=True),
    st.lists(_phones, max_size=3, unique=True),
    st.one_of(_text, _formulas),
    st.one_of(_word, _formulas),
    st.lists(st.from_regex(r"[a-z][a-z ]{0,8}[a-z]", fullmatch=True), max_size=3, unique=True),
    st.one_of(st.none(), _dates),
    st.one_of(st.just(""), _word),
)


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(contact=_contacts)
def test_generated_contacts_round_trip(fmt: str, contact: Contact, tmp_path: Path) -> None:
    (back,) = roundtrip([contact], fmt, tmp_path)
    assert _view(back, fmt) == _view(contact, fmt)
