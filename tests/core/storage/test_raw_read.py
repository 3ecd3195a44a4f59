"""Raw reads: the pool of keyed connections and the read adapter, on a real encrypted file."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from app.core.storage.database import Database
from app.core.storage.engine import DatabaseKey, connect_raw
from app.core.storage.raw_read import ConnectionPool, RawConnection
from tests.conftest import PASSPHRASE

KEY = DatabaseKey(passphrase=PASSPHRASE)


def counting_pool(db_path: Path, **kwargs: int) -> tuple[ConnectionPool, list[object]]:
    opened: list[object] = []

    def connect() -> object:
        opened.append(conn := connect_raw(db_path, KEY))
        return conn

    return ConnectionPool(connect, **kwargs), opened


def test_a_connection_given_back_is_reused_and_dispose_closes_it(db_path: Path) -> None:
    pool, opened = counting_pool(db_path)
    first = pool.take()
    pool.give(first)
    assert pool.take() is first and len(opened) == 1
    second = pool.take()  # the first is in use: a new one
    assert len(opened) == 2
    pool.give(second)
    pool.dispose()
    with pytest.raises(Exception, match="closed"):
        second.execute("SELECT 1")
    pool.give(first)  # given back after dispose: closed, not kept
    with pytest.raises(Exception, match="closed"):
        first.execute("SELECT 1")


def test_a_connection_left_in_a_transaction_is_not_kept(db_path: Path) -> None:
    pool, opened = counting_pool(db_path)
    conn = pool.take()
    conn.execute("BEGIN")
    pool.give(conn)
    pool.take()
    assert len(opened) == 2


def test_a_capped_pool_waits_for_its_one_connection(db_path: Path) -> None:
    pool, opened = counting_pool(db_path, limit=1)
    conn = pool.take()
    taken: list[object] = []
    waiter = threading.Thread(target=lambda: taken.append(pool.take()))
    waiter.start()
    waiter.join(0.2)
    assert taken == []  # waiting: a second connection is never opened
    pool.give(conn)
    waiter.join(10)
    assert taken == [conn] and len(opened) == 1


def test_a_read_sees_one_snapshot_and_is_rolled_back(db: Database) -> None:
    with db.write() as conn:
        conn.exec_driver_sql("CREATE TABLE probe (n INTEGER)")
        conn.exec_driver_sql("INSERT INTO probe VALUES (?)", [(1,), (2,)])
    with db.read() as reader:
        assert isinstance(reader, RawConnection)
        assert reader.exec_driver_sql("SELECT count(*) FROM probe").scalar() == 2
        with db.write() as conn:  # another connection commits meanwhile
            conn.exec_driver_sql("INSERT INTO probe VALUES (3)")
        # Still the snapshot the read began with.
        assert reader.exec_driver_sql("SELECT count(*) FROM probe").scalar() == 2
        assert reader.exec_driver_sql("SELECT n FROM probe ORDER BY n").scalars().all() == [1, 2]
        assert reader.exec_driver_sql("SELECT n FROM probe WHERE n > 5").first() is None
        with pytest.raises(LookupError):
            reader.exec_driver_sql("SELECT n FROM probe").one()
    with db.read() as reader:
        reader.exec_driver_sql("DELETE FROM probe")  # a read's changes are rolled back
    with db.read() as reader:
        assert reader.exec_driver_sql("SELECT count(*) FROM probe").scalar() == 3
