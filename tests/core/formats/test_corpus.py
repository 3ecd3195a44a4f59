"""Every real export in the corpus reads completely, without mojibake."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.core.domain.contact import Name
from app.core.domain.dates import PartialDate
from app.core.domain.serialise import contact_to_dict
from app.core.formats import ImportProblem, ImportRecord, read_records
from tests.core.formats.conftest import CORPUS, require_corpus, sources

require_corpus()

SOURCES = {s.path: s for s in sources()}
FILES = sorted(p for p in (CORPUS / "vcf").rglob("*") if p.suffix in (".vcf", ".csv")) + sorted(
    (CORPUS / "csv").rglob("*.csv")
)
# Files whose quirks (in SOURCES.tsv) justify a problem: a VLIST is a list, not a contact.
EXPECTED_PROBLEMS = {"vcf/cozy/sogo-connector-with-vlist.vcf": 1}
MOJIBAKE = ("Ã", "Â", "\ufffd", "=C3", "=E2", "=20")


def _read(rel: str) -> list[ImportRecord | ImportProblem]:
    return list(read_records(CORPUS / rel))


def _records(rel: str) -> list[ImportRecord]:
    items = _read(rel)
    assert all(isinstance(i, ImportRecord) for i in items), items
    return [i for i in items if isinstance(i, ImportRecord)]


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def test_every_corpus_file_is_listed() -> None:
    assert set(FILES) == set(SOURCES)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(CORPUS)))
def test_file_reads_completely_and_cleanly(path: Path) -> None:
    rel = str(path.relative_to(CORPUS))
    items = list(read_records(path))
    records = [i for i in items if isinstance(i, ImportRecord)]
    problems = [i for i in items if isinstance(i, ImportProblem)]
    assert len(records) == SOURCES[path].records
    assert len(problems) == EXPECTED_PROBLEMS.get(rel, 0), problems
    for record in records:
        assert record.contact.display_name.strip()
        assert record.line >= 1
        for text in _strings(contact_to_dict(record.contact, with_photo=False)):
            assert not any(bad in text for bad in MOJIBAKE), (rel, text)


def test_windows_1252_vcard_keeps_its_umlaut() -> None:
    (record,) = _records("vcf/roundcube/johndoe-cp1252.vcf")
    assert record.contact.name.family == "Doë"


def test_windows_1252_csv_with_semicolons() -> None:
    records = _records("csv/tine20/semicolon-win1252.csv")
    assert records[2].contact.name.given == "ÖzdemirÖ"
    assert records[2].contact.name.family == "Üglü"


def test_shift_jis_csv_without_bom() -> None:
    (record,) = _records("csv/thunderbird/tb-shiftjis.csv")
    assert record.contact.name.family == "名無し"
    assert record.contact.emails[0].value == "名無しの権兵衛@host.invalid"


def test_shift_jis_vcard_with_charset() -> None:
    records = _records("vcf/aosp/v21_multiple_entry.vcf")
    assert all(r.contact.display_name.startswith("安藤ロイド") for r in records)


def test_x_ablabel_becomes_the_label() -> None:
    (record,) = _records("vcf/cozy/google-full.vcf")
    labels = {p.value: p.label for p in record.contact.phones}
    assert labels["+1 212 555 4567"] == "GRAND_CENTRAL"
    assert record.contact.events[0].label == "Died"


def test_apple_labels_are_unwrapped() -> None:
    (record,) = _records("vcf/ez-vcard/John_Doe_IPHONE.vcf")
    assert ("905-222-1234", "assistantphone") in [(p.value, p.label) for p in record.contact.phones]
    (gmail,) = _records("vcf/ez-vcard/John_Doe_GMAIL.vcf")
    assert gmail.contact.anniversary == PartialDate(1975, 3, 1)


def test_utf16_google_vcard_emails() -> None:
    records = _records("vcf/folkerkinzel/google-contacts-utf16-bom.vcf")
    emails = [e.value for r in records for e in r.contact.emails]
    assert "email1@wumms.de" in emails
    assert "blablö@blub.com" in emails


def test_utf16be_without_bom() -> None:
    (record,) = _records("vcf/roundcube/utf-16_sample.vcf")
    assert record.contact.addresses[0].country == "Perú"


def test_quoted_printable_soft_breaks_in_notes() -> None:
    (record,) = _records("vcf/ez-vcard/outlook-2003.vcf")
    assert record.contact.notes == "This is the note field!!\nSecond line\n\nThird line is empty"
    android = _records("vcf/ez-vcard/John_Doe_ANDROID.vcf")
    assert android[3].contact.name.family == "Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ"


def test_photos_folded_unfolded_and_data_uri() -> None:
    for rel in (
        "vcf/ez-vcard/John_Doe_BLACK_BERRY.vcf",
        "vcf/folkerkinzel/unindented-base64-photo.vcf",
        "vcf/thunderbird/v3-datauri-png.vcf",
        "vcf/aosp/v30_ios_613_multiline.vcf",
    ):
        (record,) = _records(rel)
        assert record.contact.photo, rel
        assert record.contact.photo[:2] in (b"\xff\xd8", b"\x89P"), rel


def test_unknown_properties_are_kept_verbatim() -> None:
    (record,) = _records("vcf/tine20/bynari-webdav-collaborator-outlook.vcf")
    names = {line.split(":", 1)[0].split(";", 1)[0] for line in record.contact.extra_vcard}
    assert "AGENT" in names
    assert any(n.startswith("X-OUTLOOK") for n in names)


def test_google_birthday_without_year_and_multi_values() -> None:
    (record,) = _records("csv/bbdb-csv-import/gmail-test-data.csv")
    assert record.contact.birthday == PartialDate(None, 1, 1)
    assert [e.label for e in record.contact.emails] == ["home", "work", "Custom email"]
    tine = _records("csv/tine20/google-legacy-tine.csv")
    assert tine[3].contact.tags == ["kunden"]
    (legacy,) = _records("csv/roundcube/gmail-legacy.csv")
    assert legacy.contact.tags == ["Test"]


def test_mangled_german_outlook_headers_map() -> None:
    records = _records("csv/tine20/outlook2007-german-mangled.csv")
    assert records[1].contact.name.given == "Vorname"
    assert records[1].contact.emails[0].value == "email@example.org"


def test_thunderbird_quoted_cells_with_newlines() -> None:
    records = _records("csv/thunderbird/tb-export.csv")
    assert records[1].contact.custom["Custom 4"] == "custom\n4"
    assert records[1].contact.notes == "here's some unicode text…"


# Values, not counts: what each file says, as the user reads it in the file.


def _raw_value(rel: str, prefix: str) -> str:
    """The text after `prefix` on the one line of a corpus file that starts with it."""
    (line,) = [
        line for line in (CORPUS / rel).read_text("utf-8").splitlines() if line.startswith(prefix)
    ]
    return line.removeprefix(prefix)


def test_outlook_note_keeps_every_character() -> None:
    rel = "vcf/ez-vcard/John_Doe_MS_OUTLOOK.vcf"
    (record,) = _records(rel)
    c = record.contact
    assert c.notes == _raw_value(rel, "NOTE:")
    assert len(c.notes) == 731  # the whole NOTE line of the file (the issue counted 788)
    assert c.notes.endswith("SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.")
    assert (c.org, c.department, c.title, c.nickname) == (
        "IBM",
        "Accounting",
        "Money Counter",
        "Johny",
    )
    assert c.addresses[1].street == "Silicon Alley 5,"
    assert c.formatted_name == "Mr. John Richter James Doe Sr."


def test_outlook_2003_org_keeps_its_comma_and_fn() -> None:
    (record,) = _records("vcf/ez-vcard/outlook-2003.vcf")
    c = record.contact
    assert (c.org, c.department) == ("Company, The", "TheDepartment")
    assert (c.title, c.nickname, c.formatted_name) == ("The Job Title", "Joey", "John Doe III")
    assert c.addresses[0].extended == "TheOffice"


def test_evolution_escaped_commas_in_n_org_and_note() -> None:
    (record,) = _records("vcf/ez-vcard/John_Doe_EVOLUTION.vcf")
    c = record.contact
    assert c.name.middle == "Richter, James"
    assert c.formatted_name == "Mr. John Richter, James Doe Sr."
    assert (c.org, c.department) == ("IBM", "Accounting, Dungeon")
    assert c.notes.startswith(
        'THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS"'
    )
    assert "SOFTWARE, EVEN IF ADVISED" in c.notes and "\\" not in c.notes
    assert c.addresses[0].po_box == "ASB-123"


def test_latin1_fn_with_a_comma_is_the_formatted_name() -> None:
    (record,) = _records("vcf/tine20/label-comma-latin1.vcf")
    c = record.contact
    assert (c.name.given, c.name.family, c.formatted_name) == ("Falk", "München", "München, Falk")
    assert [a.city for a in c.addresses] == ["Bad Vilbel", "Düsseldorf"]


def test_vcard_21_escaped_semicolon_in_org_and_two_notes() -> None:
    (record,) = _records("vcf/aosp/v21_complicated.vcf")
    c = record.contact
    assert (c.formatted_name, c.name.family, c.name.given) == ("Joe Due", "Gump", "Forrest")
    assert (c.org, c.department) == ("Gump Shrimp Co.", "Sales Dept.;Manager, Fish keeper")
    assert c.notes.startswith("The following note is the example from RFC 2045.\n\nNow's the time")


def test_outlook_2003_extended_address_line() -> None:
    (record,) = _records("vcf/ical4j/outlook2003-antoni.vcf")
    c = record.contact
    assert c.name == Name("Herr", "Antoni", "Jozef", "Mylka", "jun.")
    work = c.addresses[0]
    assert (work.extended, work.street, work.city) == (
        "3.10",
        "Trippstadter Str. 122",
        "Kaiserslautern",
    )
    assert c.notes == "These are some notes about antoni."
