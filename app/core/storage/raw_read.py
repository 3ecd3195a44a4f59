"""Reading without SQLAlchemy: keyed connections in a small pool, and a read-only adapter.

Importing SQLAlchemy and building its engine cost `kith list` more than the query and the key
derivation together, yet every read in storage is plain SQL (`exec_driver_sql`). Reads
therefore go through `RawConnection`, which offers what that code uses of a SQLAlchemy
`Connection` and `Result`; SQLAlchemy (and Alembic) are imported only to write or migrate.

Both kinds of connection come from one `ConnectionPool` of keyed DBAPI connections, so a
process that reads and then writes derives the key (SQLCipher's PBKDF2) once, not once per
kind.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any

POOL_TIMEOUT_S = 30.0
"""How long a capped pool (exclusive mode) waits for its one connection, as SQLAlchemy did."""


class PoolTimeoutError(Exception):
    """A capped pool's connection stayed in use for `POOL_TIMEOUT_S` seconds."""


class ConnectionPool:
    """Keyed DBAPI connections kept for reuse: each new one pays the key derivation.

    Thread-safe. `limit` caps the connections open at once (1 in exclusive locking mode, where
    a second connection could not read); None leaves them uncapped. Once `dispose`d, the pool
    keeps nothing: what is given back to it is closed.
    """

    def __init__(self, connect: Callable[[], Any], *, keep: int = 2, limit: int | None = None):
        self._connect = connect
        self._keep = keep
        self._limit = limit
        self._idle: list[Any] = []
        self._open = 0
        self._disposed = False
        self._cond = threading.Condition()

    def take(self) -> Any:
        """An idle connection, or a new one (waiting while a capped pool's are all in use).

        Raises:
            PoolTimeoutError: a capped pool's connections stayed in use too long.
        """
        with self._cond:
            limit = self._limit
            if limit is not None:
                ready = self._cond.wait_for(
                    lambda: bool(self._idle) or self._open < limit, POOL_TIMEOUT_S
                )
                if not ready:
                    raise PoolTimeoutError("the database connection stayed in use")
            if self._idle:
                return self._idle.pop()
            self._open += 1
        try:
            return self._connect()
        except BaseException:
            with self._cond:
                self._open -= 1
                self._cond.notify()
            raise

    def give(self, conn: Any) -> None:
        """Take back a connection from `take`: kept idle (outside any transaction) or closed."""
        with self._cond:
            keep = not self._disposed and len(self._idle) < self._keep
            if keep and not _in_transaction(conn):
                self._idle.append(conn)
                self._cond.notify()
                return
            self._open -= 1
            self._cond.notify()
        conn.close()

    def dispose(self) -> None:
        """Close the idle connections; those in use are closed as they are given back."""
        with self._cond:
            idle, self._idle = self._idle, []
            self._open -= len(idle)
            self._disposed = True
        for conn in idle:
            conn.close()


def _in_transaction(conn: Any) -> bool:
    try:
        return bool(conn.in_transaction)
    except Exception:  # a closed or broken connection is not kept
        return True


class LentConnection:
    """A pooled DBAPI connection lent to SQLAlchemy: its `close` gives it back to the pool.

    SQLAlchemy's own pool is a NullPool, which closes each connection it is done with; this
    turns that close into a return, so writes reuse the connection (and the key derivation)
    that reads opened. Everything else is the DBAPI connection's own.
    """

    def __init__(self, conn: Any, pool: ConnectionPool) -> None:
        self._conn: Any = conn
        self._pool = pool

    def close(self) -> None:
        """Give the connection back (once) instead of closing it."""
        conn, self._conn = self._conn, None
        if conn is not None:
            self._pool.give(conn)

    def __getattr__(self, name: str) -> Any:
        if self._conn is None:
            raise AttributeError(f"{name}: the connection was given back")
        return getattr(self._conn, name)


class RawResult:
    """The rows of one statement, with the methods of SQLAlchemy's `Result` storage uses."""

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    @property
    def lastrowid(self) -> int | None:
        """The rowid of the last row inserted."""
        return self._cursor.lastrowid  # type: ignore[no-any-return]

    @property
    def rowcount(self) -> int:
        """The rows an UPDATE or DELETE changed."""
        return int(self._cursor.rowcount)

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self._cursor)

    def all(self) -> list[tuple[Any, ...]]:
        """Every row."""
        return list(self._cursor.fetchall())

    def first(self) -> tuple[Any, ...] | None:
        """The first row, or None (the rest are discarded)."""
        row = self._cursor.fetchone()
        self._cursor.close()
        return row  # type: ignore[no-any-return]

    def one(self) -> tuple[Any, ...]:
        """The only row.

        Raises:
            LookupError: no row, or more than one.
        """
        rows = self._cursor.fetchmany(2)
        if len(rows) != 1:
            raise LookupError(f"expected one row, found {len(rows)}")
        return rows[0]  # type: ignore[no-any-return]

    def scalar(self) -> Any:
        """The first column of the first row, or None when there is no row."""
        row = self.first()
        return None if row is None else row[0]

    def scalar_one(self) -> Any:
        """The first column of the only row."""
        return self.one()[0]

    def scalars(self) -> RawScalars:
        """The first column of each row."""
        return RawScalars(self)


class RawScalars:
    """The first column of each row (SQLAlchemy's `ScalarResult`, as far as storage uses it)."""

    def __init__(self, result: RawResult) -> None:
        self._result = result

    def __iter__(self) -> Iterator[Any]:
        return (row[0] for row in self._result)

    def all(self) -> list[Any]:
        """Every row's first column."""
        return [row[0] for row in self._result]


class RawConnection:
    """A read transaction on a pooled DBAPI connection, used where a SQLAlchemy read was.

    The first statement begins a deferred transaction (as SQLAlchemy's `begin` listener did),
    so every query of one `Database.read()` sees one snapshot; `end` rolls it back.
    """

    def __init__(self, conn: Any) -> None:
        self._conn = conn
        self._begun = False

    def exec_driver_sql(
        self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None
    ) -> RawResult:
        """Run `sql` with DBAPI parameters (a list of parameter tuples runs it for each)."""
        if not self._begun:
            self._conn.execute("BEGIN")
            self._begun = True
        if isinstance(params, list) and params and isinstance(params[0], tuple | list | dict):
            return RawResult(self._conn.executemany(sql, params))
        return RawResult(self._conn.execute(sql, () if params is None else params))

    def end(self) -> None:
        """Roll back what was begun (a read changes nothing)."""
        if self._begun and self._conn.in_transaction:
            self._conn.execute("ROLLBACK")
        self._begun = False
