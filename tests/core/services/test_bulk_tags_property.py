"""Bulk tagging over any tag names (case, accents, folding, scripts) matches the contact model.

One database for all examples: each example tags, undoes, redoes and undoes again, so the next
one starts from the same contacts.
"""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.core.domain.contact import Contact, Name
from app.core.services.contacts import ContactService
from app.core.storage.database import Database
from app.core.storage.search import ListQuery
from tests.core.services.test_bulk import START, Ticking, everyone, expected_tags

TRICKY = ["vip", "VIP", "Vip", "é", "É", "e\u0301", "ß", "SS", "ss", "İ", "i", "ı", "ǅ", "Ǆ",
          "ǆ", "😀", "中文", "שלום", "a b", " padded ", "Straße", "STRASSE", "Ω", "ω",
          "ς"]  # fmt: skip
_TEXT = st.characters(blacklist_categories=("Cs", "Cc"))
STARTING_TAGS = [["VIP", "é"], ["ß", "Straße"], [], ["ǅ", "ω"], ["Ω", "e\u0301"]]
names = st.sampled_from(TRICKY) | st.text(_TEXT, min_size=1, max_size=6)


def _stored(db: Database) -> tuple[ContactService, list[int]]:
    """The five contacts of every example, added by the first."""
    service = ContactService(db, "GB", clock=Ticking(START))
    ids = sorted(service.ids(ListQuery()))
    if not ids:
        for n, tags in enumerate(STARTING_TAGS):
            ids.append(service.add(Contact(name=Name(given=f"P{n}"), tags=tags)).added[0])
    return service, ids


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    add=st.lists(names, max_size=4),
    remove=st.lists(names, max_size=3),
    pick=st.sets(st.integers(0, 4), min_size=1),
)
@example(add=["SS"], remove=[], pick={1})  # "ß" casefolds to "ss": the contact has it already
@example(add=["vip", "É"], remove=["E\u0301"], pick={0, 4})  # NOCASE folds ASCII only
@example(add=["ǆ"], remove=["straße"], pick={1, 3})  # a title-case letter; a fold to "ss"
@example(add=["Straße"], remove=["straße"], pick={1})  # off and on again: no change at all
def test_bulk_tags_match_the_model_and_undo_exactly(
    db: Database, add: list[str], remove: list[str], pick: set[int]
) -> None:
    service, ids = _stored(db)
    chosen = {ids[i] for i in pick}
    before = everyone(service, ids)
    clean_add = [t.strip() for t in add if t.strip()]
    clean_remove = [t.strip() for t in remove if t.strip()]
    change = service.tag(sorted(chosen), add=add, remove=remove)
    after = everyone(service, ids)
    at = next((a.updated_at for a in after if a.id in change.ids), START)
    assert after == expected_tags(before, chosen, clean_add, clean_remove, at or START)
    _index_is_whole(db)
    if change.operation_id is None:
        assert after == before and change.ids == ()
        return
    assert set(change.ids) == {a.id for a, b in zip(after, before, strict=True) if a != b}
    service.undo()
    assert everyone(service, ids) == before
    service.redo()
    assert everyone(service, ids) == after
    service.undo()
    assert everyone(service, ids) == before
    _index_is_whole(db)


def _index_is_whole(db: Database) -> None:
    """The index of tag names agrees with the tags table (FTS5 checks it, or raises)."""
    with db.write() as conn:
        conn.exec_driver_sql(
            "INSERT INTO contact_fts_tags (contact_fts_tags) VALUES ('integrity-check')"
        )
        names = conn.exec_driver_sql("SELECT count(*) FROM tags").scalar()
        indexed = conn.exec_driver_sql("SELECT count(*) FROM contact_fts_tags_docsize").scalar()
        assert names == indexed
