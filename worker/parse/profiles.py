"""Site profiles: declarative per-site extraction rules loaded from config/profiles/*.toml.

A profile names the hosts it covers, the source id, the site's timezone, and CSS selectors for
the fields it knows better than generic extraction. Any field it leaves out falls back to the
generic rules, and every field it gives is recorded with provenance "profile". Profiles are
data; loading them is the only I/O, done once and cached. The format (config/profiles/ava.toml):

    source = "ava"                          # source id (config/sources.toml)
    name = "Afghan Voice Agency"
    hosts = ["avapress.com", "www.avapress.com"]   # exact hosts; subdomains match too
    timezone = "Asia/Kabul"                 # applied to dates given without an offset
    languages = ["en", "fa", "ps"]
    date_formats = ["%A %d %B %Y - %H:%M"]  # strptime, tried before the generic date reader
    drop = [".comments", ".related_news"]   # removed before the body is read
    body_includes_lead = true               # the body starts with the lead paragraph

    [selectors]                             # all optional; the first match wins
    title = "h1.title"
    lead = ".subtitle"
    body = ".body"                          # container(s) whose paragraphs are the body
    published = ".news_pdate_c"             # the date line; `modified` likewise
    authors = ".author"                     # every match is one author (or a list)
    site_id = ".news_id_c"
    image = ".news_image img"
    tags = ".tags_list a"

    [patterns]                              # regexes; group 1 is the value
    site_id = '(\\d+)'                      # applied to the site_id element's text
    site_id_url = '/(\\d{4,})/'              # applied to the URL path when the page has none
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

from worker.settings import HOME, get_settings

DEFAULT_PROFILE_DIR = HOME / "config" / "profiles"


class Selectors(BaseModel):
    """CSS selectors (lexbor syntax), each optional. The first match wins."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str | None = None
    lead: str | None = None
    body: str | None = Field(default=None, description="The container(s) holding the article text.")
    published: str | None = None
    modified: str | None = None
    authors: str | None = Field(
        default=None, description="Every match is one author (or a list of them)."
    )
    site_id: str | None = None
    image: str | None = None
    tags: str | None = None


class Patterns(BaseModel):
    """Regular expressions applied to a selected element's text; group 1 is the value."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    site_id: str | None = None
    site_id_url: str | None = Field(
        default=None, description="Applied to the URL when the page has none."
    )

    @field_validator("site_id", "site_id_url")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            re.compile(value)
        return value


class SiteProfile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str = Field(description="Source id, as in config/sources.toml.")
    name: str = ""
    hosts: tuple[str, ...] = Field(description="Host names this profile applies to (exact).")
    timezone: str = Field("UTC", description="IANA zone applied to dates given without offset.")
    languages: tuple[str, ...] = Field((), description="Languages the site publishes in.")
    date_formats: tuple[str, ...] = Field((), description="strptime formats tried on date lines.")
    drop: tuple[str, ...] = Field((), description="Selectors of nodes removed before extraction.")
    body_includes_lead: bool = Field(True, description="Start the body with the lead paragraph.")
    selectors: Selectors = Field(default_factory=Selectors)
    patterns: Patterns = Field(default_factory=Patterns)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown timezone {value!r}") from exc
        return value

    @field_validator("hosts")
    @classmethod
    def _lower_hosts(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(h.strip().lower() for h in value if h.strip())

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class ProfileSet:
    """Profiles indexed by host."""

    def __init__(self, profiles: list[SiteProfile]) -> None:
        self.profiles = tuple(profiles)
        self._by_host = {host: p for p in profiles for host in p.hosts}

    def named(self, name: str) -> SiteProfile | None:
        """The profile whose `source` is `name` (what sources.toml's `profile` refers to)."""
        return next((p for p in self.profiles if p.source == name), None)

    def for_host(self, host: str) -> SiteProfile | None:
        host = host.lower().rstrip(".")
        while host:
            if host in self._by_host:
                return self._by_host[host]
            _, _, host = host.partition(".")  # sub.example.com -> example.com
            if "." not in host:
                break
        return None


def load_profile(path: Path) -> SiteProfile:
    with path.open("rb") as handle:
        return SiteProfile.model_validate(tomllib.load(handle))


def load_profiles(directory: Path) -> ProfileSet:
    """Every *.toml profile in `directory`; an invalid file raises (config errors are loud)."""
    if not directory.is_dir():
        return ProfileSet([])
    return ProfileSet([load_profile(path) for path in sorted(directory.glob("*.toml"))])


@lru_cache(maxsize=4)
def default_profiles(directory: Path | None = None) -> ProfileSet:
    """The profiles under INGEST_CONFIG_DIR/profiles (the repo's config/ by default)."""
    return load_profiles(directory or get_settings().profiles_dir)
