"""The URL ledger: intake, atomic stage claims with leases, outcomes, and what needs re-publishing.

The ledger is the record of every URL ever accepted. Redis may lose messages; a row here
never disappears, and every row ends in a terminal state with its reason.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, and_, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from worker.models import PENDING_STATES, Article, FetchResult, Stage, UrlState
from worker.store.engine import reading
from worker.store.tables import pages, urls


@dataclass(frozen=True)
class NewUrl:
    canonical_url: str
    original_url: str
    source: str
    hints: dict[str, str] | None = None


@dataclass(frozen=True)
class Claim:
    """A stage's hold on a row. `exhausted` means the row just became terminal instead."""

    url_id: int
    canonical_url: str
    source: str
    attempts: int
    page_id: int | None
    etag: str | None
    last_modified: str | None
    hints: dict[str, str] | None
    exhausted: UrlState | None = None


def dialect_insert(conn: Connection | Engine, table: Any) -> Any:
    """INSERT with the dialect's ON CONFLICT support (SQLite >= 3.24 and PostgreSQL)."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def intake(engine: Engine, items: Sequence[NewUrl], now: datetime) -> dict[str, tuple[int, bool]]:
    """Record URLs as queued (existing rows untouched). Returns canonical URL -> (id, created).

    Committed before anything is published: the row is the promise that the URL is processed.
    """
    if not items:
        return {}
    wanted = [i.canonical_url for i in items]
    with engine.begin() as conn:
        before = set(
            conn.scalars(select(urls.c.canonical_url).where(urls.c.canonical_url.in_(wanted)))
        )
        # In key order, so that two intakes of overlapping lists take the unique index's
        # locks in the same order: in any other order PostgreSQL may deadlock them.
        rows = [
            {
                "canonical_url": i.canonical_url,
                "original_url": i.original_url,
                "source": i.source,
                "state": UrlState.queued.value,
                "attempts": 0,
                "hints": i.hints,
                "created_at": now,
                "updated_at": now,
            }
            for i in sorted(items, key=lambda i: i.canonical_url)
            if i.canonical_url not in before
        ]
        created: set[str] = set()
        if rows:
            # Only what this INSERT wrote counts as created: a concurrent intake may have
            # committed the same URL since the SELECT above (DO NOTHING then skips it).
            stmt = (
                dialect_insert(conn, urls)
                .on_conflict_do_nothing(index_elements=["canonical_url"])
                .returning(urls.c.canonical_url)
            )
            created = set(conn.scalars(stmt, rows))
        ids = dict(
            conn.execute(
                select(urls.c.canonical_url, urls.c.id).where(urls.c.canonical_url.in_(wanted))
            ).all()
        )
    return {url: (ids[url], url in created) for url in wanted if url in ids}


def known(engine: Engine, canonical_urls: Sequence[str]) -> set[str]:
    """Which of these canonical URLs the ledger already holds."""
    found: set[str] = set()
    with reading(engine) as conn:
        for start in range(0, len(canonical_urls), 500):
            chunk = canonical_urls[start : start + 500]
            found.update(
                conn.scalars(select(urls.c.canonical_url).where(urls.c.canonical_url.in_(chunk)))
            )
    return found


def due_for_recrawl(engine: Engine, now: datetime, ages: Sequence[float], limit: int) -> list[int]:
    """Stored rows that have reached a re-crawl age (seconds since first seen) since their
    last fetch: with ages (3600, 86400) an article is fetched again at 1 h and at 24 h.
    A row that was not re-fetched within one more `age` of its mark is let go."""
    due: list[int] = []
    with reading(engine) as conn:
        for age in sorted(ages):
            mark = now - timedelta(seconds=age)
            rows = conn.execute(
                select(urls.c.id, urls.c.created_at, urls.c.fetched_at)
                .where(
                    urls.c.state == UrlState.stored.value,
                    urls.c.created_at <= mark,
                    urls.c.created_at > mark - timedelta(seconds=age),
                )
                .order_by(urls.c.created_at)
            )
            for row in rows:
                fetched = row.fetched_at or row.created_at
                if fetched < row.created_at + timedelta(seconds=age) and row.id not in due:
                    due.append(row.id)
                    if len(due) >= limit:
                        return due
    return due


def requeue(
    engine: Engine,
    url_ids: Sequence[int],
    now: datetime,
    from_states: Sequence[UrlState] = (UrlState.stored,),
) -> list[int]:
    """Send terminal rows back to the start of the chain (a re-crawl of stored articles, or
    a retry of failed URLs); returns the ids requeued."""
    if not url_ids:
        return []
    with engine.begin() as conn:
        result = conn.execute(
            update(urls)
            .where(urls.c.id.in_(url_ids), urls.c.state.in_([s.value for s in from_states]))
            .values(state=UrlState.queued.value, attempts=0, lease_until=None, updated_at=now)
            .returning(urls.c.id)
        )
        return [row.id for row in result]


def ids_where(
    engine: Engine,
    *,
    canonical_urls: Sequence[str] = (),
    states: Sequence[UrlState] = (),
    source: str | None = None,
) -> list[int]:
    """Row ids by canonical URL, or by state (and source)."""
    query = select(urls.c.id)
    if canonical_urls:
        query = query.where(urls.c.canonical_url.in_(canonical_urls))
    if states:
        query = query.where(urls.c.state.in_([s.value for s in states]))
    if source is not None:
        query = query.where(urls.c.source == source)
    with reading(engine) as conn:
        return list(conn.scalars(query))


def requeue_for_parse(engine: Engine, now: datetime, source: str | None = None) -> list[int]:
    """Send stored rows whose raw page is still kept back to `fetched`, to be parsed again
    (after an extractor upgrade); unchanged results are no-ops at the store step."""
    kept = select(pages.c.id).where(pages.c.body.is_not(None))
    where = [urls.c.state == UrlState.stored.value, urls.c.page_id.in_(kept)]
    if source is not None:
        where.append(urls.c.source == source)
    with engine.begin() as conn:
        result = conn.execute(
            update(urls)
            .where(*where)
            .values(state=UrlState.fetched.value, attempts=0, lease_until=None, updated_at=now)
            .returning(urls.c.id)
        )
        return [row.id for row in result]


def claim(
    engine: Engine,
    url_id: int,
    stage: Stage,
    owner: str,
    now: datetime,
    lease: float,
    max_attempts: int,
) -> Claim | None:
    """Atomically take the row for `stage`, or return None (a duplicate delivery: exit).

    The same owner (a retried or redelivered Celery task keeps its id) may take over its own
    lease. A row already claimed `max_attempts` times becomes terminal here, before the
    dangerous work runs again, so a task that kills its worker cannot loop forever.
    """
    with engine.begin() as conn:
        row = conn.execute(
            update(urls)
            .where(
                urls.c.id == url_id,
                urls.c.state == stage.expects.value,
                or_(
                    urls.c.lease_until.is_(None),
                    urls.c.lease_until < now,
                    urls.c.lease_owner == owner,
                ),
            )
            .values(
                attempts=urls.c.attempts + 1,
                lease_until=now + timedelta(seconds=lease),
                lease_owner=owner,
                updated_at=now,
            )
            .returning(
                urls.c.canonical_url,
                urls.c.source,
                urls.c.attempts,
                urls.c.page_id,
                urls.c.etag,
                urls.c.last_modified,
                urls.c.hints,
                urls.c.last_error,
            )
        ).first()
        if row is None:
            return None
        claim = Claim(
            url_id=url_id,
            canonical_url=row.canonical_url,
            source=row.source,
            attempts=row.attempts,
            page_id=row.page_id,
            etag=row.etag,
            last_modified=row.last_modified,
            hints=row.hints,
        )
        if row.attempts <= max_attempts:
            return claim
        made = row.attempts - 1  # this claim only found the cap reached: not an attempt
        state, reason = _exhausted(stage, made, row.last_error)
        _finish(conn, url_id, state, reason, now, attempts=made)
        return Claim(**{**claim.__dict__, "exhausted": state})


def waits_for(engine: Engine, url_id: int, stage: Stage, now: datetime) -> bool:
    """True when the row sits in `stage`'s state with nobody's live lease on it: the stage
    before it finished, but the message that would run `stage` may never have been sent."""
    with reading(engine) as conn:
        row = conn.execute(
            select(urls.c.id).where(
                urls.c.id == url_id,
                urls.c.state == stage.expects.value,
                or_(urls.c.lease_until.is_(None), urls.c.lease_until < now),
            )
        ).first()
    return row is not None


def _exhausted(stage: Stage, attempts: int, last_error: str | None) -> tuple[UrlState, str]:
    if last_error is None:
        # Claimed but never recorded an outcome: the worker died under it every time.
        return UrlState.poison, f"{stage} killed its worker {attempts} times"
    if last_error.startswith("timeout"):
        return UrlState.timeout, f"{stage} gave up after {attempts} attempts: {last_error}"
    state = UrlState.failed_fetch if stage is Stage.fetch else UrlState.invalid
    return state, f"{stage} gave up after {attempts} attempts: {last_error}"


def _owned(url_id: int, stage: Stage, owner: str) -> Any:
    return and_(
        urls.c.id == url_id, urls.c.state == stage.expects.value, urls.c.lease_owner == owner
    )


def _advance(
    conn: Connection, url_id: int, stage: Stage, owner: str, now: datetime, **values: Any
) -> bool:
    result = conn.execute(
        update(urls)
        .where(_owned(url_id, stage, owner))
        .values(
            attempts=0,
            lease_until=None,
            lease_owner=None,
            next_attempt_at=None,
            last_error=None,
            updated_at=now,
            **values,
        )
    )
    return result.rowcount == 1


def record_fetch(
    engine: Engine, url_id: int, owner: str, result: FetchResult, now: datetime
) -> int | None:
    """Keep the page (compressed) and move the row to `fetched`; returns the page id, or
    None if the lease was lost meanwhile (another delivery owns the row now)."""
    with engine.begin() as conn:
        page_id = conn.execute(
            pages.insert()
            .values(
                url_id=url_id,
                fetched_at=now,
                status_code=result.status_code,
                final_url=result.final_url,
                content_type=result.content_type,
                encoding=result.encoding,
                body_size=len(result.body),
                body=zlib.compress(result.body, 6),
            )
            .returning(pages.c.id)
        ).scalar_one()
        moved = _advance(
            conn,
            url_id,
            Stage.fetch,
            owner,
            now,
            state=UrlState.fetched.value,
            page_id=page_id,
            fetched_at=now,
            etag=result.etag,
            last_modified=result.last_modified,
        )
        if not moved:
            conn.rollback()
            return None
        return page_id


def record_unchanged(engine: Engine, url_id: int, owner: str, now: datetime) -> bool:
    """A 304 on a re-fetch: the stored article stands; the row goes back to `stored`."""
    with engine.begin() as conn:
        return _advance(
            conn, url_id, Stage.fetch, owner, now, state=UrlState.stored.value, fetched_at=now
        )


def load_page(engine: Engine, page_id: int) -> tuple[bytes, str, str]:
    """The raw body, the URL it came from and its content type."""
    with reading(engine) as conn:
        row = conn.execute(
            select(pages.c.body, pages.c.final_url, pages.c.content_type).where(
                pages.c.id == page_id
            )
        ).one()
    if row.body is None:
        raise LookupError(f"page {page_id} body was purged by the retention policy")
    return zlib.decompress(row.body), row.final_url, row.content_type


def record_parse(
    engine: Engine, url_id: int, owner: str, page_id: int, article: Article, now: datetime
) -> bool:
    """Keep the extracted article beside its page and move the row to `parsed`."""
    blob = zlib.compress(article.model_dump_json().encode("utf-8"), 6)
    with engine.begin() as conn:
        conn.execute(update(pages).where(pages.c.id == page_id).values(extracted=blob))
        return _advance(conn, url_id, Stage.parse, owner, now, state=UrlState.parsed.value)


def load_extracted(engine: Engine, page_id: int) -> Article:
    with reading(engine) as conn:
        blob = conn.scalar(select(pages.c.extracted).where(pages.c.id == page_id))
    if blob is None:
        raise LookupError(f"page {page_id} has no extracted article")
    return Article.model_validate_json(zlib.decompress(blob))


def advance_stored(
    conn: Connection, url_id: int, owner: str, article_id: int, now: datetime
) -> bool:
    """Within the store transaction: the row is `stored` and points at its article."""
    return _advance(
        conn, url_id, Stage.store, owner, now, state=UrlState.stored.value, article_id=article_id
    )


def record_failure(
    engine: Engine, url_id: int, owner: str, state: UrlState, reason: str, now: datetime
) -> None:
    """End the row in a terminal state with its reason, if `owner` still holds it."""
    with engine.begin() as conn:
        _finish(conn, url_id, state, reason, now, urls.c.lease_owner == owner)


def _finish(
    conn: Connection,
    url_id: int,
    state: UrlState,
    reason: str,
    now: datetime,
    *where: Any,
    **values: Any,
) -> None:
    conn.execute(
        update(urls)
        .where(urls.c.id == url_id, urls.c.state.in_([s.value for s in PENDING_STATES]), *where)
        .values(
            state=state.value,
            last_error=reason[:2000],
            lease_until=None,
            lease_owner=None,
            updated_at=now,
            **values,
        )
    )


def record_retry(
    engine: Engine,
    url_id: int,
    owner: str,
    reason: str,
    retry_at: datetime,
    now: datetime,
    *,
    count_attempt: bool = True,
) -> None:
    """A transient failure: keep the lease owner (the retry carries the same task id), note the
    reason and when the retry is due so the reconciler leaves the row alone until then."""
    values: dict[str, Any] = {
        "last_error": reason[:2000],
        "next_attempt_at": retry_at,
        "lease_until": retry_at,
        "updated_at": now,
    }
    if not count_attempt:
        values["attempts"] = urls.c.attempts - 1
    with engine.begin() as conn:
        conn.execute(
            update(urls).where(urls.c.id == url_id, urls.c.lease_owner == owner).values(**values)
        )


def stranded(
    engine: Engine, now: datetime, cutoff: datetime, limit: int
) -> list[tuple[int, UrlState]]:
    """Pending rows nobody is working on: no live lease and untouched since `cutoff`.

    These are what a flushed Redis, a lost chain step or a killed worker leave behind.
    """
    with reading(engine) as conn:
        rows = conn.execute(
            select(urls.c.id, urls.c.state)
            .where(
                urls.c.state.in_([s.value for s in PENDING_STATES]),
                urls.c.updated_at < cutoff,
                or_(urls.c.lease_until.is_(None), urls.c.lease_until < now),
            )
            .order_by(urls.c.updated_at)
            .limit(limit)
        ).all()
    return [(row.id, UrlState(row.state)) for row in rows]


def touch(engine: Engine, url_ids: Sequence[int], now: datetime) -> None:
    """Mark rows as just re-published, so the next reconcile run waits a full window again."""
    if url_ids:
        with engine.begin() as conn:
            conn.execute(update(urls).where(urls.c.id.in_(url_ids)).values(updated_at=now))


def purge_pages(engine: Engine, older_than: datetime) -> int:
    """Drop raw bodies past retention (the extracted article and page metadata stay)."""
    with engine.begin() as conn:
        result = conn.execute(
            update(pages)
            .where(pages.c.fetched_at < older_than, pages.c.body.is_not(None))
            .values(body=None)
        )
        return result.rowcount


def url_row(engine: Engine, canonical_url: str) -> dict[str, Any] | None:
    with reading(engine) as conn:
        row = conn.execute(select(urls).where(urls.c.canonical_url == canonical_url)).first()
    return dict(row._mapping) if row else None


def state_counts(engine: Engine) -> dict[str, int]:
    with reading(engine) as conn:
        return dict(conn.execute(select(urls.c.state, func.count()).group_by(urls.c.state)).all())
