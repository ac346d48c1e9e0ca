"""Sources as data: the models for config/sources.toml, and load_sources() that validates it.

A source is a news site: where to start (feeds, sitemaps, listing pages), how often, and how
much to take per run. Everything is checked at load time, and each problem is reported with
the file, the source id and the field, so `ingest sources check` can print it as is.
"""

from __future__ import annotations

import enum
import re
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BeforeValidator, Field, ValidationError, field_validator, model_validator

from worker.discover.canonical import validate_url
from worker.errors import InvalidUrl
from worker.models import Frozen
from worker.settings import ConfigurationError

_SLUG = r"^[a-z0-9][a-z0-9_-]{0,63}$"
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_DURATION = re.compile(r"(\d+)\s*([dhms])")
_DURATION_UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}
MIN_INTERVAL_SECONDS = 5  # short enough for tests, long enough that a typo cannot hammer a site


class SourcesError(ConfigurationError):
    """config/sources.toml is unreadable or invalid; the message lists every problem."""


def _compile(value: object) -> object:
    if isinstance(value, str):
        try:
            return re.compile(value)
        except re.error as exc:
            raise ValueError(f"invalid regular expression {value!r}: {exc}") from None
    return value


Regex = Annotated[re.Pattern[str], BeforeValidator(_compile)]


def _http_url(value: str) -> str:
    try:
        return validate_url(value)
    except InvalidUrl as exc:
        raise ValueError(f"{value!r}: {exc.reason}") from None


class EntryPointKind(enum.StrEnum):
    feed = "feed"  # RSS or Atom
    sitemap = "sitemap"  # urlset, sitemap index, .gz, Google News sitemap
    listing = "listing"  # a section or front page whose links lead to articles


class EntryPoint(Frozen):
    """One place a crawl of the source starts from."""

    kind: EntryPointKind
    url: str = Field(description="Fetched as given; candidate URLs found there are canonicalised.")
    include: tuple[Regex, ...] = Field(
        default=(),
        description="When given, a found URL must match one (re.search on the canonical URL).",
    )
    exclude: tuple[Regex, ...] = Field(
        default=(), description="A found URL matching any of these is skipped."
    )
    language: str | None = Field(
        default=None, description="Language of the articles found here, when the entry is one."
    )

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return _http_url(value)

    @field_validator("language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        if value is not None and not _LANGUAGE.match(value):
            raise ValueError(f"{value!r} is not a language tag such as 'en' or 'fa-AF'")
        return value


def parse_duration(text: str | int) -> int:
    """Seconds in '15m', '1h30m', '90s', '2d' or a bare number of seconds."""
    if isinstance(text, int) and not isinstance(text, bool):
        return text
    if not isinstance(text, str):
        raise ValueError(f"expected a duration like '15m', got {text!r}")
    compact = text.strip().lower()
    if compact.isdigit():
        return int(compact)
    if not compact or _DURATION.sub("", compact).strip():
        raise ValueError(f"{text!r} is not a duration like '30s', '15m', '1h30m' or '1d'")
    return sum(int(n) * _DURATION_UNITS[unit] for n, unit in _DURATION.findall(compact))


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# Crontab fields in Celery's order of meaning, with their ranges and accepted names.
_CRON_FIELDS: tuple[tuple[str, int, int, tuple[str, ...]], ...] = (
    ("minute", 0, 59, ()),
    ("hour", 0, 23, ()),
    ("day_of_month", 1, 31, ()),
    ("month_of_year", 1, 12, _MONTHS),
    ("day_of_week", 0, 6, ("sun", "mon", "tue", "wed", "thu", "fri", "sat")),
)


def _cron_value(token: str, low: int, high: int, names: tuple[str, ...]) -> int:
    token = token.lower()
    if token in names:
        return names.index(token) + low
    if not token.isdigit():
        raise ValueError(f"{token!r} is not a number")
    number = int(token)
    if not low <= number <= high:
        raise ValueError(f"{number} is outside {low}-{high}")
    return number


def check_crontab(expr: str) -> dict[str, str]:
    """Validate a five-field crontab ('*/15 * * * *') and return it as Celery crontab() kwargs."""
    fields = expr.split()
    if len(fields) != 5:
        raise ValueError(f"crontab {expr!r} needs 5 fields (minute hour day month weekday)")
    for text, (name, low, high, names) in zip(fields, _CRON_FIELDS, strict=True):
        for item in text.split(","):
            try:
                span, _, step = item.partition("/")
                if step and (not step.isdigit() or int(step) < 1):
                    raise ValueError(f"step {step!r} is not a positive number")
                if step and span != "*" and "-" not in span:
                    raise ValueError("a step needs * or a range before it (Celery's rule)")
                if span != "*":
                    first, _, last = span.partition("-")
                    a = _cron_value(first, low, high, names)
                    if last and a > _cron_value(last, low, high, names):
                        raise ValueError(f"range {span!r} runs backwards")
            except ValueError as exc:
                raise ValueError(f"crontab {expr!r}, {name} field {item!r}: {exc}") from None
    return {name: text for text, (name, *_) in zip(fields, _CRON_FIELDS, strict=True)}


class Schedule(Frozen):
    """How often beat crawls the source: `every = "15m"` or `cron = "*/15 * * * *"`."""

    every: Annotated[
        int | None, BeforeValidator(lambda v: v if v is None else parse_duration(v))
    ] = Field(default=None, description="Interval in seconds ('15m' style in the file).")
    cron: str | None = Field(default=None, description="Five-field crontab, in UTC.")

    @field_validator("every")
    @classmethod
    def _not_too_often(cls, value: int | None) -> int | None:
        if value is not None and value < MIN_INTERVAL_SECONDS:
            raise ValueError(f"interval of {value} s is below the minimum {MIN_INTERVAL_SECONDS} s")
        return value

    @field_validator("cron")
    @classmethod
    def _crontab(cls, value: str | None) -> str | None:
        if value is not None:
            check_crontab(value)
        return value

    @model_validator(mode="after")
    def _exactly_one(self) -> Schedule:
        if (self.every is None) == (self.cron is None):
            raise ValueError("give exactly one of `every` (e.g. '15m') or `cron`")
        return self

    def crontab_kwargs(self) -> dict[str, str] | None:
        """Keyword arguments for celery.schedules.crontab, or None for an interval."""
        return check_crontab(self.cron) if self.cron else None


class Limits(Frozen):
    max_new_urls: int = Field(
        default=500, ge=1, description="New URLs handed to intake per crawl run, at most."
    )
    max_article_age_days: int | None = Field(
        default=None,
        ge=1,
        description="Candidates whose publication hint is older are skipped; unset: no limit.",
    )


class Source(Frozen):
    """A news site: its identity, its entry points, its schedule and its limits."""

    id: str = Field(pattern=_SLUG, description="Stable slug; beat entry `crawl:<id>`.")
    name: str = Field(min_length=1)
    home: str = Field(description="The site's home page.")
    timezone: str = Field(
        default="UTC", description="IANA zone applied to dates that carry no offset."
    )
    languages: tuple[str, ...] = Field(min_length=1, description="Language tags, e.g. en, fa-AF.")
    profile: str | None = Field(
        default=None, description="Site profile name under config/profiles/, if any."
    )
    enabled: bool = Field(default=True, description="False keeps it out of beat and --all.")
    entry_points: tuple[EntryPoint, ...] = Field(min_length=1)
    schedule: Schedule = Field(default_factory=lambda: Schedule(every=900))
    limits: Limits = Field(default_factory=Limits)

    @field_validator("home")
    @classmethod
    def _home(cls, value: str) -> str:
        return _http_url(value)

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r} (use an IANA name like Asia/Kabul)"
            ) from None
        return value

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for tag in value:
            if not _LANGUAGE.match(tag):
                raise ValueError(f"{tag!r} is not a language tag such as 'en' or 'fa-AF'")
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def _where(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(source)"


def load_sources(path: str | Path, known_profiles: Iterable[str] | None = None) -> list[Source]:
    """Read and validate a sources file; raise SourcesError listing every problem found.

    With `known_profiles` (the site profile names that exist), a source naming any other
    profile is a problem too."""
    path = Path(path)
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SourcesError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SourcesError(f"{path}: not valid TOML: {exc}") from None

    problems: list[str] = []
    unknown = sorted(set(data) - {"sources"})
    if unknown:
        problems.append(f"{path}: unknown top-level keys {unknown} (expected [[sources]] tables)")
    raw_sources = data.get("sources", [])
    if not isinstance(raw_sources, list) or not raw_sources:
        problems.append(f"{path}: no [[sources]] tables")
        raw_sources = []

    sources: list[Source] = []
    seen: dict[str, int] = {}
    profiles = None if known_profiles is None else set(known_profiles)
    for index, raw in enumerate(raw_sources, start=1):
        label = repr(raw.get("id")) if isinstance(raw, dict) and raw.get("id") else f"#{index}"
        try:
            source = Source.model_validate(raw)
        except ValidationError as exc:
            for error in exc.errors():
                message = error["msg"].removeprefix("Value error, ")
                problems.append(f"{path}: source {label}: {_where(error['loc'])}: {message}")
            continue
        if source.id in seen:
            problems.append(
                f"{path}: source {label}: id: duplicate id (also source #{seen[source.id]})"
            )
            continue
        seen[source.id] = index
        if profiles is not None and source.profile is not None and source.profile not in profiles:
            known = ", ".join(sorted(profiles)) or "(none)"
            problems.append(
                f"{path}: source {label}: profile: no site profile {source.profile!r}; known: {known}"
            )
            continue
        sources.append(source)

    if problems:
        raise SourcesError("\n".join(problems))
    return sources


def find_source(sources: list[Source], source_id: str) -> Source:
    """The source with this id; SourcesError naming the known ids otherwise."""
    for source in sources:
        if source.id == source_id:
            return source
    known = ", ".join(s.id for s in sources) or "(none)"
    raise SourcesError(f"no source {source_id!r}; known: {known}")
