"""Name folding, nicknames and the phonetic key."""

from __future__ import annotations

import pytest

from app.core.dedupe.names import given_group, name_tokens, short_form_of, soundex


@pytest.mark.parametrize(
    ("word", "code"),
    [
        ("robert", "r163"),
        ("rupert", "r163"),
        ("ashcraft", "a261"),
        ("tymczak", "t522"),
        ("pfister", "p236"),
        ("smith", "s530"),
        ("smyth", "s530"),
        ("lee", "l000"),
        ("", ""),
    ],
)
def test_soundex_is_american_soundex(word: str, code: str) -> None:
    assert soundex(word) == code


def test_name_tokens_fold_accents_case_titles_and_apostrophes() -> None:
    assert name_tokens("Dr. Élodie  O'Brien-Müller") == ("elodie", "obrien", "muller")


def test_short_forms_are_found_either_way_and_through_a_shared_formal_name() -> None:
    assert short_form_of("bob", "robert") == ("bob", "robert")
    assert short_form_of("robert", "bob") == ("bob", "robert")
    assert short_form_of("kate", "katherine") == ("kate", "katherine")
    assert short_form_of("bill", "will") is not None  # both William
    assert short_form_of("bob", "william") is None
    assert "katherine" in given_group("kate")
