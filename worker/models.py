"""Data models at every boundary: fetch -> FetchResult -> parse -> Article -> store.

All models are frozen and forbid unknown fields, so a misspelt key fails loudly at the
boundary instead of vanishing.
"""

from __future__ import annotations

import enum
import hashlib
import unicodedata
from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

MAX_URL_LENGTH = 2048
MAX_TITLE_LENGTH = 1000
MAX_BODY_LENGTH = 2_000_000
EARLIEST_DATE = datetime(1990, 1, 1, tzinfo=UTC)


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def clean_text(value: str) -> str:
    """NFC-normalise and strip NUL bytes: what every stored string goes through."""
    return unicodedata.normalize("NFC", value.replace("\x00", ""))


CleanStr = Annotated[str, AfterValidator(clean_text)]


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        raise ValueError("datetime must be timezone-aware")
    return value


AwareDatetime = Annotated[datetime, AfterValidator(_aware)]


class UrlState(enum.StrEnum):
    """A URL's place in the ledger. The first four are the chain; the rest are terminal."""

    queued = "queued"  # waiting for fetch
    fetched = "fetched"  # page stored, waiting for parse
    parsed = "parsed"  # article extracted, waiting for store
    stored = "stored"  # terminal: article written
    failed_fetch = "failed_fetch"  # network errors or HTTP errors after retries
    not_html = "not_html"  # content type outside the allowlist
    too_large = "too_large"  # body over the size cap
    invalid = "invalid"  # bad URL, or content that failed validation
    empty = "empty"  # page fetched and parsed but no article text in it
    blocked = "blocked"  # private address, forbidden port or scheme, or robots.txt
    poison = "poison"  # killed its worker on every attempt
    timeout = "timeout"  # hit the hard time limit on every attempt

    @property
    def terminal(self) -> bool:
        return self not in PENDING_STATES


PENDING_STATES = frozenset({UrlState.queued, UrlState.fetched, UrlState.parsed})


class Stage(enum.StrEnum):
    fetch = "fetch"
    parse = "parse"
    store = "store"

    @property
    def expects(self) -> UrlState:
        """The ledger state a row must be in for this stage to claim it."""
        return {
            Stage.fetch: UrlState.queued,
            Stage.parse: UrlState.fetched,
            Stage.store: UrlState.parsed,
        }[self]

    @classmethod
    def for_state(cls, state: UrlState) -> Stage | None:
        return {s.expects: s for s in cls}.get(state)


Provenance = Literal["json-ld", "meta", "profile", "heuristic", "url", "feed"]


class ExtractorInfo(Frozen):
    name: str
    version: str


class Redirect(Frozen):
    """One hop of a redirect chain, as the fetcher saw and checked it."""

    url: str
    status_code: int
    location: str


class FetchResult(Frozen):
    """What the fetch step got for a URL. The body stays in-process: only its page id travels."""

    url: str = Field(description="The URL requested (the ledger's canonical URL).")
    final_url: str = Field(description="The URL after redirects; the page's own address.")
    status_code: int
    content_type: str = ""
    encoding: str = Field(default="utf-8", description="Charset the body was decoded with.")
    body: bytes = Field(default=b"", repr=False, description="Raw body after content decoding.")
    text: str = Field(default="", repr=False, description="The body decoded with `encoding`.")
    redirects: tuple[Redirect, ...] = ()
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = Field(default=False, description="True when the server answered 304.")
    elapsed_ms: float = 0.0


class Article(Frozen):
    """A clean article record: what parse produces and store writes."""

    url: str = Field(max_length=MAX_URL_LENGTH)
    canonical_url: str = Field(max_length=MAX_URL_LENGTH)
    source: str = Field(description="Source id from config/sources.toml, else the site's host.")
    title: CleanStr = Field(default="", max_length=MAX_TITLE_LENGTH)
    lead: CleanStr = ""
    body: CleanStr = Field(default="", max_length=MAX_BODY_LENGTH)
    authors: tuple[CleanStr, ...] = ()
    published_at: AwareDatetime | None = None
    published_raw: str | None = Field(default=None, description="The date string as found.")
    modified_at: AwareDatetime | None = None
    modified_raw: str | None = None
    language: str | None = Field(default=None, description="ISO 639-1 code.")
    image_url: str | None = None
    tags: tuple[CleanStr, ...] = ()
    site_id: str | None = Field(default=None, description="The publisher's own story id.")
    paywalled: bool = False
    word_count: int = 0
    content_hash: str = Field(default="", description="sha256 of the normalised title and body.")
    extractor: ExtractorInfo
    provenance: dict[str, Provenance] = Field(
        default_factory=dict, description="For each filled field, where its value came from."
    )
    problems: tuple[str, ...] = Field(
        default=(), description="Why fields are empty, when extraction could not fill them."
    )

    @field_validator("url", "canonical_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.lower().startswith(("http://", "https://")):
            raise ValueError(f"not an http(s) URL: {value[:100]!r}")
        return value

    @field_validator("title", mode="before")
    @classmethod
    def _cut_title(cls, value: object) -> object:
        return value[:MAX_TITLE_LENGTH] if isinstance(value, str) else value

    @field_validator("published_at", "modified_at")
    @classmethod
    def _plausible_date(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        if value < EARLIEST_DATE or value > datetime.now(UTC) + timedelta(days=1):
            raise ValueError(f"implausible date {value.isoformat()}")
        return value


def content_hash(title: str, body: str) -> str:
    """Hash of the text a reader sees, whitespace-insensitive, so cosmetic changes don't count."""
    return _hash_words(title.split(), body.split())


def word_count(text: str) -> int:
    return len(text.split())


def word_count_and_hash(title: str, body: str) -> tuple[int, str]:
    """word_count(body) and content_hash(title, body), splitting the body into words once."""
    words = body.split()
    return len(words), _hash_words(title.split(), words)


def _hash_words(title: list[str], body: list[str]) -> str:
    normalised = " ".join(title) + "\n" + " ".join(body)
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


class StageMessage(Frozen):
    """The whole body of a chain message: an id, never page content."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    url_id: int = Field(gt=0)
