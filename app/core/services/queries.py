"""What the list pane and `kith list` ask for: the plain query and row types of the list.

They are defined beside the SQL that answers them (app.core.storage.search); callers outside
the core take them from here, so that the services stay the only way into the store.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from app.core.storage.search import Filter, ListQuery, ListRow, SortOrder

__all__ = ["Filter", "ListQuery", "ListRow", "SortOrder", "within"]


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
