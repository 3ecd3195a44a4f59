from datetime import date

import pytest

from app.core.domain.dates import PartialDate


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1985-04-12", PartialDate(1985, 4, 12)),
        ("19850412", PartialDate(1985, 4, 12)),
        ("1985-04-12T00:00:00Z", PartialDate(1985, 4, 12)),
        ("--04-12", PartialDate(None, 4, 12)),
        ("--0412", PartialDate(None, 4, 12)),
        ("1604-04-12", PartialDate(None, 4, 12)),
        ("0001-01-01", PartialDate(None, 1, 1)),
        ("12.04.1985", PartialDate(1985, 4, 12)),
        ("04/12/1985", PartialDate(1985, 4, 12)),
    ],
)
def test_parse_reads_the_forms_exports_use(text: str, expected: PartialDate) -> None:
    assert PartialDate.parse(text) == expected


@pytest.mark.parametrize("text", ["", "yesterday", "2021-13-01", "2021-02-30", "--02-30"])
def test_parse_refuses_what_is_not_a_date(text: str) -> None:
    with pytest.raises(ValueError, match="not"):
        PartialDate.parse(text)
    assert PartialDate.try_parse(text) is None


def test_february_29_without_a_year_is_a_birthday_and_falls_on_28_in_common_years() -> None:
    leap = PartialDate.parse("--02-29")
    assert leap.iso() == "--02-29"
    assert leap.to_date(2027) == date(2027, 2, 28)
    assert leap.to_date(2028) == date(2028, 2, 29)


def test_iso_round_trips() -> None:
    for value in (PartialDate(2001, 1, 31), PartialDate(None, 12, 25)):
        assert PartialDate.parse(value.iso()) == value
