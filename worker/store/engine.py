"""Database engines: SQLite tuned for many writer processes, PostgreSQL through psycopg 3."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

_engines: dict[tuple[int, str], Engine] = {}


def make_engine(database_url: str) -> Engine:
    """A new engine. SQLite gets WAL, a busy timeout, foreign keys and BEGIN IMMEDIATE, so
    concurrent worker processes queue for the write lock instead of failing mid-transaction."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, pool_recycle=1800, pool_size=5)

    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (the pysqlite recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Writers take the lock up front: a deferred transaction that later needs to write
        # fails with "database is locked" instead of waiting. Readers (see `reading`) don't.
        read_only = connection.get_execution_options().get("read_only", False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def reading(engine: Engine) -> Connection:
    """A connection for reads only: on SQLite it does not take the write lock."""
    return engine.connect().execution_options(read_only=True)


def get_engine(database_url: str) -> Engine:
    """The engine for this process: engines (and their pools) are never shared across fork."""
    key = (os.getpid(), database_url)
    engine = _engines.get(key)
    if engine is None:
        engine = _engines[key] = make_engine(database_url)
    return engine
