"""What the list pane and `kith list` ask for: the reads, and the query and row types of the list.

The types are defined beside the SQL that answers them (app.core.storage.search); callers
outside the core take them from here, so that the services stay the only way into the store.
`ContactReader` is the reading half of `ContactService`, on its own so that `kith list` and
`kith show` import no code that changes contacts (bulk changes, the journal, segments).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING

from app.core.storage import contacts_repo, search
from app.core.storage.search import Filter, ListQuery, ListRow, SortOrder

if TYPE_CHECKING:
    from app.core.domain.contact import Contact
    from app.core.storage.database import Database

__all__ = ["ContactReader", "Filter", "ListQuery", "ListRow", "SortOrder", "within"]


class ContactReader:
    """Contacts and list lines as the list, the card and `kith list`/`show` read them.

    Args:
        db: the open database.
    """

    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, contact_id: int) -> Contact | None:
        """One contact (also from the trash), or None."""
        with self._db.read() as conn:
            return contacts_repo.get(conn, contact_id)

    def get_many(self, ids: Sequence[int]) -> list[Contact]:
        """These contacts, in this order."""
        with self._db.read() as conn:
            return contacts_repo.get_many(conn, ids)

    def ids(self, query: ListQuery, limit: int | None = None) -> list[int]:
        """Ids `query` selects, in its order."""
        with self._db.read() as conn:
            return search.ids(conn, query, limit)

    def rows(self, ids: Sequence[int]) -> list[ListRow]:
        """List lines for these ids."""
        with self._db.read() as conn:
            return search.rows(conn, ids)

    def count(self, query: ListQuery) -> int:
        """How many contacts `query` selects."""
        with self._db.read() as conn:
            return search.count(conn, query)

    def tag_counts(self) -> list[tuple[str, int]]:
        """Tags with their numbers of live contacts."""
        with self._db.read() as conn:
            return search.tag_counts(conn)


def within(query: ListQuery, ids: Sequence[int]) -> ListQuery:
    """`query` narrowed to these ids, in the same order.

    The list asks it after a change of a few contacts: which of them the query still selects,
    and in what order beside their neighbours, without reading every id again.
    """
    marks = ",".join("?" * len(ids))
    sql = f"c.id IN ({marks})"
    params: tuple[object, ...] = tuple(int(i) for i in ids)
    if query.filter is not None:
        sql = f"({query.filter.sql}) AND {sql}"
        params = tuple(query.filter.params) + params
    return dataclasses.replace(query, filter=Filter(sql, params))
