"""Migrations on populated data, on SQLite and PostgreSQL: down and up again lose nothing,
and the migrations match tables.py (no drift)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, func, inspect, select

from worker.models import Article, ExtractorInfo, content_hash
from worker.store import articles
from worker.store.migrate import check, downgrade, upgrade
from worker.store.tables import articles as articles_table


def _article(i: int) -> Article:
    body = f"Body of article {i}, long enough to count."
    return Article(
        url=f"https://example.com/{i}",
        canonical_url=f"https://example.com/{i}",
        source="example.com",
        title=f"Title {i}",
        body=body,
        content_hash=content_hash(f"Title {i}", body),
        word_count=len(body.split()),
        extractor=ExtractorInfo(name="test", version="1"),
    )


def test_down_and_up_keep_every_article(engine: Engine) -> None:
    now = datetime.now(UTC)
    with engine.begin() as conn:
        for i in range(50):
            articles.upsert_article(conn, f"https://migrate.example/{i}", _article(i), now)

    def fingerprint() -> list[tuple[str, str]]:
        with engine.connect() as conn:
            return conn.execute(
                select(articles_table.c.canonical_url, articles_table.c.content_hash)
                .where(articles_table.c.canonical_url.like("https://migrate.example/%"))
                .order_by(articles_table.c.canonical_url)
            ).all()

    before = fingerprint()
    downgrade(engine, "-1")
    assert fingerprint() == before
    upgrade(engine)
    assert fingerprint() == before and len(before) == 50
    uniques = {tuple(u["column_names"]) for u in inspect(engine).get_unique_constraints("articles")}
    assert ("canonical_url",) in uniques
    check(engine)  # raises if tables.py has changes no migration carries
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(articles_table)) >= 50
