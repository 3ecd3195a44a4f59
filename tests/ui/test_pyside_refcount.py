"""PySide6 6.12.0 on CPython 3.11 drops a reference to None on proxied fetchMore()/data() calls.

After about a thousand calls the interpreter aborts (`none_dealloc`). This test makes an
upgrade that brings the bug back fail here instead of crashing a user's window.
"""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QIdentityProxyModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

CALLS = 1000


class _Lazy(QAbstractListModel):
    def __init__(self) -> None:
        super().__init__()
        self.fetched = 0

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else 10

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802
        return True

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        self.fetched += 1

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        return None


def test_proxied_fetch_more_and_none_data_keep_none_alive(qapp: object) -> None:
    model = _Lazy()
    proxy = QIdentityProxyModel()
    proxy.setSourceModel(model)
    index = proxy.index(0, 0)
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        proxy.fetchMore(QModelIndex())
        proxy.data(index, Qt.ItemDataRole.DisplayRole)
    after = sys.getrefcount(None)
    assert model.fetched == CALLS
    # A handful of references come and go with the interpreter; the bug loses one per call.
    assert abs(after - before) < CALLS // 10, (before, after)
