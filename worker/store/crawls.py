"""Crawl bookkeeping: one row per source crawl run, and conditional-GET validators per entry point."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select

from worker.store.engine import reading
from worker.store.ledger import dialect_insert
from worker.store.tables import crawl_runs, entry_points


def record_run(
    engine: Engine,
    source: str,
    started_at: datetime,
    finished_at: datetime,
    found: int,
    new: int,
    known: int,
    rejected: int,
    errors: list[str],
) -> int:
    with engine.begin() as conn:
        return conn.execute(
            crawl_runs.insert()
            .values(
                source=source,
                started_at=started_at,
                finished_at=finished_at,
                found=found,
                new=new,
                known=known,
                rejected=rejected,
                errors=errors[:100],
            )
            .returning(crawl_runs.c.id)
        ).scalar_one()


def last_runs(engine: Engine) -> dict[str, dict[str, Any]]:
    """The latest run of each source."""
    latest = (
        select(crawl_runs.c.source, func.max(crawl_runs.c.id).label("id"))
        .group_by(crawl_runs.c.source)
        .subquery()
    )
    with reading(engine) as conn:
        rows = conn.execute(select(crawl_runs).join(latest, crawl_runs.c.id == latest.c.id)).all()
    return {row.source: dict(row._mapping) for row in rows}


def validators(engine: Engine, url: str) -> tuple[str | None, str | None]:
    """(ETag, Last-Modified) kept from the last fetch of an entry point."""
    with reading(engine) as conn:
        row = conn.execute(
            select(entry_points.c.etag, entry_points.c.last_modified).where(
                entry_points.c.url == url
            )
        ).first()
    return (row.etag, row.last_modified) if row else (None, None)


def remember(
    engine: Engine,
    url: str,
    source: str,
    status: int,
    etag: str | None,
    last_modified: str | None,
    now: datetime,
) -> None:
    values = {"source": source, "last_status": status, "last_fetched_at": now}
    if status != 304:  # a 304 carries no new validators worth replacing the old ones with
        values |= {"etag": etag, "last_modified": last_modified}
    with engine.begin() as conn:
        conn.execute(
            dialect_insert(conn, entry_points)
            .values(url=url, **values)
            .on_conflict_do_update(index_elements=["url"], set_=values)
        )
