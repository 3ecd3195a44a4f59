"""What the list pane and `kith list` ask for: the plain query and row types of the list.

They are defined beside the SQL that answers them (app.core.storage.search); callers outside
the core take them from here, so that the services stay the only way into the store.
"""

from __future__ import annotations

from app.core.storage.search import Filter, ListQuery, ListRow, SortOrder

__all__ = ["Filter", "ListQuery", "ListRow", "SortOrder"]
