"""Articles: the idempotent upsert keyed by canonical URL, revisions, and read queries."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from worker.models import Article
from worker.store.engine import reading
from worker.store.ledger import dialect_insert
from worker.store.tables import article_revisions, articles


class StoreOutcome(enum.StrEnum):
    created = "created"
    updated = "updated"  # content changed: the previous version went to article_revisions
    unchanged = "unchanged"  # same content hash: nothing written


def _columns(article: Article) -> dict[str, Any]:
    return {
        "url": article.url,
        "page_canonical_url": article.canonical_url,
        "source": article.source,
        "title": article.title,
        "lead": article.lead,
        "body": article.body,
        "authors": list(article.authors),
        "published_at": article.published_at,
        "published_raw": article.published_raw,
        "modified_at": article.modified_at,
        "modified_raw": article.modified_raw,
        "language": article.language,
        "image_url": article.image_url,
        "tags": list(article.tags),
        "site_id": article.site_id,
        "paywalled": article.paywalled,
        "word_count": article.word_count,
        "content_hash": article.content_hash,
        "extractor": f"{article.extractor.name}/{article.extractor.version}",
        "provenance": dict(article.provenance),
    }


def upsert_article(
    conn: Connection, key: str, article: Article, now: datetime
) -> tuple[int, StoreOutcome]:
    """Insert or update the article stored under `key` (the ledger's canonical URL).

    Runs inside the caller's transaction, so the ledger's state change commits with it.
    The key is the URL we fetched, never the page's own canonical link: a hostile page
    cannot overwrite another site's article by claiming its URL.
    """
    values = _columns(article)
    inserted = conn.execute(
        dialect_insert(conn, articles)
        .values(canonical_url=key, version=1, created_at=now, updated_at=now, **values)
        .on_conflict_do_nothing(index_elements=["canonical_url"])
        .returning(articles.c.id)
    ).scalar()
    if inserted is not None:
        return inserted, StoreOutcome.created

    query = select(articles).where(articles.c.canonical_url == key)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    current = conn.execute(query).one()
    if current.content_hash == article.content_hash:
        return current.id, StoreOutcome.unchanged
    conn.execute(
        article_revisions.insert().values(
            article_id=current.id,
            version=current.version,
            content_hash=current.content_hash,
            title=current.title,
            lead=current.lead,
            body=current.body,
            authors=current.authors,
            published_at=current.published_at,
            modified_at=current.modified_at,
            extractor=current.extractor,
            replaced_at=now,
        )
    )
    conn.execute(
        articles.update()
        .where(articles.c.id == current.id)
        .values(version=current.version + 1, updated_at=now, **values)
    )
    return current.id, StoreOutcome.updated


def latest(engine: Engine, limit: int = 20, source: str | None = None) -> list[dict[str, Any]]:
    query = (
        select(articles).order_by(articles.c.updated_at.desc(), articles.c.id.desc()).limit(limit)
    )
    if source:
        query = query.where(articles.c.source == source)
    with reading(engine) as conn:
        return [dict(row._mapping) for row in conn.execute(query)]


def iter_all(engine: Engine, batch: int = 500) -> Iterator[dict[str, Any]]:
    """Every article in id order, fetched in batches so memory stays flat."""
    last_id = 0
    while True:
        with reading(engine) as conn:
            rows = conn.execute(
                select(articles).where(articles.c.id > last_id).order_by(articles.c.id).limit(batch)
            ).all()
        if not rows:
            return
        for row in rows:
            yield dict(row._mapping)
        last_id = rows[-1].id


def count(engine: Engine) -> int:
    with reading(engine) as conn:
        return conn.scalar(select(func.count()).select_from(articles)) or 0
