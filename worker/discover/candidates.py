"""What discovery yields: candidate URLs with hints for the parse step, and every URL it
skipped with the reason, so that nothing found is dropped without a count."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, tzinfo
from email.utils import parsedate_to_datetime
from typing import Literal

from pydantic import Field

from worker.discover.canonical import canonicalize_url
from worker.errors import InvalidUrl
from worker.models import EARLIEST_DATE, MAX_TITLE_LENGTH, AwareDatetime, CleanStr, Frozen

Via = Literal["feed", "sitemap", "listing"]
MAX_ENTRIES = 50_000  # per document: the sitemap protocol's limit, applied to every kind
MAX_SUMMARY_LENGTH = 5_000
_SPACE = re.compile(r"\s+")


class CandidateUrl(Frozen):
    """A URL found at an entry point, with what the entry point said about it."""

    url: str = Field(description="Absolute URL as found (relative links resolved).")
    canonical_url: str = Field(description="Ledger key: canonicalize_url(url).")
    source_id: str | None = None
    entry_point: str = Field(description="URL of the feed, sitemap or page it was found on.")
    via: Via
    title_hint: CleanStr | None = Field(default=None, description="Plain text.")
    published_hint: AwareDatetime | None = None
    modified_hint: AwareDatetime | None = Field(default=None, description="Sitemap lastmod etc.")
    summary_hint: CleanStr | None = Field(
        default=None,
        description="Plain text; a text/plain summary is kept literally, never as HTML.",
    )
    language_hint: str | None = None


class RejectedUrl(Frozen):
    """A URL found but not taken, and why (invalid, filtered, off-site, too old...)."""

    url: str
    reason: str


class DiscoveryResult(Frozen):
    """Everything one entry-point document gave."""

    entry_point: str
    via: Via
    candidates: tuple[CandidateUrl, ...] = ()
    rejected: tuple[RejectedUrl, ...] = ()
    duplicates: int = Field(default=0, description="Entries whose canonical URL came earlier.")
    over_cap: int = Field(
        default=0, description="Entries past the cap (MAX_ENTRIES), counted, not taken."
    )
    children: tuple[CandidateUrl, ...] = Field(
        default=(), description="Sitemaps named by a sitemap index, for the caller to fetch."
    )
    notes: tuple[str, ...] = Field(default=(), description="Oddities worth logging.")

    @property
    def found(self) -> int:
        """Entries seen in the document, whatever became of them."""
        return len(self.candidates) + len(self.rejected) + self.duplicates + self.over_cap


def plain(text: str | None, limit: int | None = None) -> str | None:
    """Whitespace collapsed; None when nothing is left."""
    if text is None:
        return None
    text = _SPACE.sub(" ", text).strip()
    if limit is not None:
        text = text[:limit]
    return text or None


def plausible(value: datetime | None) -> datetime | None:
    """The datetime if it lies in [1990, now + 1 day], else None: a bad hint is no hint."""
    if value is None or value < EARLIEST_DATE or value > datetime.now(UTC) + timedelta(days=1):
        return None
    return value


def parse_date_hint(text: str | None, default_tz: tzinfo | None = None) -> datetime | None:
    """An aware datetime from an ISO 8601 / W3C or RFC 822 date string, or None.

    A date without an offset is taken in `default_tz` (the source's zone), else UTC."""
    text = (text or "").strip()
    if not text:
        return None
    parsed: datetime | None = None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=default_tz or UTC)
    return plausible(parsed)


def _rejected_url(url: str) -> str:
    return url if len(url) <= 300 else url[:300] + "..."


class CandidateCollector:
    """Canonicalises, filters and de-duplicates the URLs an extractor finds, keeping a reason
    for each one it does not take."""

    def __init__(
        self,
        entry_point: str,
        via: Via,
        *,
        source_id: str | None = None,
        include: Iterable[re.Pattern[str]] = (),
        exclude: Iterable[re.Pattern[str]] = (),
        max_entries: int = MAX_ENTRIES,
    ) -> None:
        self.entry_point = entry_point
        self.via: Via = via
        self.source_id = source_id
        self.include = tuple(include)
        self.exclude = tuple(exclude)
        self.max_entries = max_entries
        self.not_articles: dict[str, str] = {}  # canonical URL -> why it is no candidate
        self._hints: dict[str, dict[str, object]] = {}
        self._rejected: list[RejectedUrl] = []
        self._children: dict[str, CandidateUrl] = {}
        self.entries = 0
        self.duplicates = 0
        self.over_cap = 0
        self.notes: list[str] = []

    @property
    def full(self) -> bool:
        return self.entries >= self.max_entries

    def reject(self, url: str, reason: str) -> None:
        self._rejected.append(RejectedUrl(url=_rejected_url(url), reason=reason))

    def _admit(self, url: str) -> tuple[str, str] | None:
        """Count one entry and canonicalise its URL: (url, canonical), or None when the cap
        is reached or the URL is invalid (rejected with the reason)."""
        if not self._count():
            return None
        url = url.strip()
        try:
            return url, canonicalize_url(url)
        except InvalidUrl as exc:
            self.reject(url, f"invalid URL: {exc.reason}")
            return None

    def skip(self, what: str, reason: str) -> None:
        """An entry that has no usable URL at all (counted like any other entry)."""
        if self._count():
            self.reject(what, reason)

    def _count(self) -> bool:
        """Count one entry; False once the cap is reached."""
        if self.full:
            self.over_cap += 1
            return False
        self.entries += 1
        return True

    def add(
        self,
        url: str,
        *,
        title: str | None = None,
        published: datetime | None = None,
        modified: datetime | None = None,
        summary: str | None = None,
        language: str | None = None,
    ) -> None:
        admitted = self._admit(url)
        if admitted is None:
            return
        url, canonical = admitted
        if canonical in self.not_articles:
            self.reject(url, self.not_articles[canonical])
            return
        if self.include and not any(p.search(canonical) for p in self.include):
            self.reject(url, "matches no include pattern")
            return
        for pattern in self.exclude:
            if pattern.search(canonical):
                self.reject(url, f"matches exclude pattern {pattern.pattern!r}")
                return
        hints = {
            "title_hint": plain(title, MAX_TITLE_LENGTH),
            "published_hint": plausible(published),
            "modified_hint": plausible(modified),
            "summary_hint": plain(summary, MAX_SUMMARY_LENGTH),
            "language_hint": language or None,
        }
        known = self._hints.get(canonical)
        if known is not None:
            self.duplicates += 1
            for key, value in hints.items():  # a later link may say what the first did not
                if known.get(key) is None and value is not None:
                    known[key] = value
            return
        self._hints[canonical] = {"url": url, **hints}

    def add_child(self, url: str, *, modified: datetime | None = None) -> None:
        """A sitemap named by a sitemap index (not filtered by the article patterns)."""
        admitted = self._admit(url)
        if admitted is None:
            return
        url, canonical = admitted
        if canonical in self._children:
            self.duplicates += 1
            return
        self._children[canonical] = CandidateUrl(
            url=url,
            canonical_url=canonical,
            source_id=self.source_id,
            entry_point=self.entry_point,
            via="sitemap",
            modified_hint=plausible(modified),
        )

    def result(self) -> DiscoveryResult:
        candidates = tuple(
            CandidateUrl(
                canonical_url=canonical,
                source_id=self.source_id,
                entry_point=self.entry_point,
                via=self.via,
                **hints,  # type: ignore[arg-type]
            )
            for canonical, hints in self._hints.items()
        )
        notes = list(self.notes)
        if self.over_cap:
            notes.append(f"{self.over_cap} entries past the cap of {self.max_entries} not taken")
        return DiscoveryResult(
            entry_point=self.entry_point,
            via=self.via,
            candidates=candidates,
            rejected=tuple(self._rejected),
            duplicates=self.duplicates,
            over_cap=self.over_cap,
            children=tuple(self._children.values()),
            notes=tuple(notes),
        )


def drop_older_than(
    result: DiscoveryResult, max_age_days: int | None, now: datetime
) -> DiscoveryResult:
    """Move candidates whose publication (else modification) hint is older than the limit
    into `rejected`. Candidates without a date hint are kept: the parse step decides."""
    if max_age_days is None:
        return result
    cutoff = now - timedelta(days=max_age_days)
    kept: list[CandidateUrl] = []
    old: list[RejectedUrl] = []
    for candidate in result.candidates:
        when = candidate.published_hint or candidate.modified_hint
        if when is not None and when < cutoff:
            old.append(
                RejectedUrl(
                    url=candidate.url,
                    reason=f"dated {when.date().isoformat()}, older than {max_age_days} days",
                )
            )
        else:
            kept.append(candidate)
    return result.model_copy(
        update={"candidates": tuple(kept), "rejected": result.rejected + tuple(old)}
    )
