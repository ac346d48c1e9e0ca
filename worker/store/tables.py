"""The database schema: the URL ledger, raw pages, articles and their earlier revisions."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)
from sqlalchemy.engine import Dialect

# Named constraints so Alembic can alter them on SQLite (batch mode) and PostgreSQL alike.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

Id = BigInteger().with_variant(Integer(), "sqlite")  # SQLite only autoincrements INTEGER


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware in Python, UTC in storage, on every backend (SQLite keeps no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


urls = Table(
    "urls",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("canonical_url", Text, nullable=False, unique=True),
    Column("original_url", Text, nullable=False),
    Column("source", String(100), nullable=False),
    Column("state", String(20), nullable=False, index=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("lease_until", UTCDateTime, nullable=True),
    Column("lease_owner", String(64), nullable=True),
    Column("next_attempt_at", UTCDateTime, nullable=True),
    Column("last_error", Text, nullable=True),
    Column("page_id", Id, nullable=True),
    Column("article_id", Id, nullable=True),
    Column("etag", Text, nullable=True),
    Column("last_modified", Text, nullable=True),
    Column("hints", JSON, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("fetched_at", UTCDateTime, nullable=True),
)

pages = Table(
    "pages",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("url_id", Id, ForeignKey("urls.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("fetched_at", UTCDateTime, nullable=False, index=True),
    Column("status_code", Integer, nullable=False),
    Column("final_url", Text, nullable=False),
    Column("content_type", Text, nullable=False),
    Column("encoding", String(40), nullable=False),
    Column("body_size", Integer, nullable=False),
    Column("body", LargeBinary, nullable=True),  # zlib; NULL once past retention
    Column("extracted", LargeBinary, nullable=True),  # zlib JSON of the parsed Article
)

articles = Table(
    "articles",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("canonical_url", Text, nullable=False, unique=True),
    Column("url", Text, nullable=False),
    # What the page calls itself (<link rel=canonical>, same site only); the key above is the
    # URL we fetched, so a page cannot claim another's row.
    Column("page_canonical_url", Text, nullable=True),
    Column("source", String(100), nullable=False, index=True),
    Column("title", Text, nullable=False),
    Column("lead", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("authors", JSON, nullable=False),
    Column("published_at", UTCDateTime, nullable=True, index=True),
    Column("published_raw", Text, nullable=True),
    Column("modified_at", UTCDateTime, nullable=True),
    Column("modified_raw", Text, nullable=True),
    Column("language", String(16), nullable=True),
    Column("image_url", Text, nullable=True),
    Column("tags", JSON, nullable=False),
    Column("site_id", String(200), nullable=True),
    Column("paywalled", Boolean, nullable=False, default=False),
    Column("word_count", Integer, nullable=False),
    Column("content_hash", String(64), nullable=False, index=True),
    Column("extractor", String(100), nullable=False),
    Column("provenance", JSON, nullable=False),
    Column("version", Integer, nullable=False, default=1),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False, index=True),
)

article_revisions = Table(
    "article_revisions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column(
        "article_id",
        Id,
        ForeignKey("articles.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("version", Integer, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("title", Text, nullable=False),
    Column("lead", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("authors", JSON, nullable=False),
    Column("published_at", UTCDateTime, nullable=True),
    Column("modified_at", UTCDateTime, nullable=True),
    Column("extractor", String(100), nullable=False),
    Column("replaced_at", UTCDateTime, nullable=False),
)

Index("ix_urls_pending", urls.c.state, urls.c.updated_at)

crawl_runs = Table(
    "crawl_runs",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("source", String(100), nullable=False),
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime, nullable=True),
    Column("found", Integer, nullable=False, default=0),
    Column("new", Integer, nullable=False, default=0),
    Column("known", Integer, nullable=False, default=0),
    Column("rejected", Integer, nullable=False, default=0),
    Column("errors", JSON, nullable=False),
)
Index("ix_crawl_runs_source_started", crawl_runs.c.source, crawl_runs.c.started_at)

# Conditional-GET validators of feeds, sitemaps and listing pages (articles keep theirs in urls).
entry_points = Table(
    "entry_points",
    metadata,
    Column("url", Text, primary_key=True),
    Column("source", String(100), nullable=False),
    Column("etag", Text, nullable=True),
    Column("last_modified", Text, nullable=True),
    Column("last_status", Integer, nullable=True),
    Column("last_fetched_at", UTCDateTime, nullable=True),
)
