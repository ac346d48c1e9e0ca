"""config/sources.toml: the shipped file loads, and every mistake is named by file, id and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from worker.sources import (
    EntryPointKind,
    Schedule,
    SourcesError,
    check_crontab,
    find_source,
    load_sources,
    parse_duration,
)

REPO = Path(__file__).resolve().parents[2]

GOOD = """
[[sources]]
id = "site"
name = "A site"
home = "https://example.com/"
timezone = "Asia/Kabul"
languages = ["en", "fa-AF"]
schedule = { every = "15m" }

[[sources.entry_points]]
kind = "listing"
url = "https://example.com/world/"
include = ['/news/\\d+']
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_file_loads() -> None:
    sources = load_sources(REPO / "config" / "sources.toml")
    ids = [s.id for s in sources]
    assert len(ids) == len(set(ids))
    demo = find_source(sources, "demo")
    assert demo.enabled and demo.timezone == "Asia/Kabul"
    kinds = {e.kind: str(e.url) for e in demo.entry_points}
    assert kinds == {
        EntryPointKind.feed: "http://127.0.0.1:8765/feed.xml",
        EntryPointKind.sitemap: "http://127.0.0.1:8765/sitemap.xml",
        EntryPointKind.listing: "http://127.0.0.1:8765/",
    }
    ava = find_source(sources, "ava")
    assert {e.language for e in ava.entry_points} == {"en", "fa", None}
    assert {"bbc-world", "bbc-persian", "aljazeera-en", "dw-en"} <= set(ids)


def test_good_file(tmp_path: Path) -> None:
    (source,) = load_sources(write(tmp_path, GOOD))
    assert source.schedule.every == 900
    assert source.limits.max_article_age_days is None
    assert source.entry_points[0].include[0].search("https://example.com/news/12")
    assert source.tz.key == "Asia/Kabul"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ('timezone = "Asia/Kabul"', 'timezone = "Mars/Olympus"'),
            "source 'site': timezone: unknown time zone 'Mars/Olympus'",
        ),
        (('id = "site"', 'id = "Bad Id"'), "source 'Bad Id': id: String should match pattern"),
        (
            ("include = ['/news/\\d+']", "include = ['/news/(']"),
            "source 'site': entry_points[0].include[0]: invalid regular expression '/news/('",
        ),
        (
            ('kind = "listing"', 'kind = "podcast"'),
            "source 'site': entry_points[0].kind: Input should be 'feed', 'sitemap' or 'listing'",
        ),
        (
            ('url = "https://example.com/world/"', 'url = "ftp://example.com/"'),
            "source 'site': entry_points[0].url: 'ftp://example.com/': scheme 'ftp'",
        ),
        (
            ('every = "15m"', 'every = "soon"'),
            "source 'site': schedule.every: 'soon' is not a duration",
        ),
        (('every = "15m"', 'every = "1s"'), "schedule.every: interval of 1 s is below the minimum"),
        (
            ('{ every = "15m" }', '{ cron = "61 * * * *" }'),
            "schedule.cron: crontab '61 * * * *', minute field '61': 61 is outside 0-59",
        ),
        (
            ('{ every = "15m" }', '{ every = "1m", cron = "* * * * *" }'),
            "schedule: give exactly one of",
        ),
        (
            ('languages = ["en", "fa-AF"]', 'languages = ["English"]'),
            "languages: 'English' is not a language tag",
        ),
        (
            ('name = "A site"', 'name = "A site"\ncolour = "red"'),
            "source 'site': colour: Extra inputs are not permitted",
        ),
    ],
)
def test_errors_name_file_source_and_field(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    old, new = change
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new))
    with pytest.raises(SourcesError) as info:
        load_sources(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ")
    assert expected in message


def test_missing_entry_points(tmp_path: Path) -> None:
    text = GOOD.split("[[sources.entry_points]]")[0]
    with pytest.raises(SourcesError, match="source 'site': entry_points: Field required"):
        load_sources(write(tmp_path, text))


def test_duplicate_ids(tmp_path: Path) -> None:
    with pytest.raises(SourcesError, match=r"source 'site': id: duplicate id \(also source #1\)"):
        load_sources(write(tmp_path, GOOD + GOOD))


def test_every_problem_is_listed(tmp_path: Path) -> None:
    text = GOOD.replace('"Asia/Kabul"', '"Nowhere/Nope"').replace('"15m"', '"x"')
    with pytest.raises(SourcesError) as info:
        load_sources(write(tmp_path, text))
    assert len(str(info.value).splitlines()) == 2


def test_toml_syntax_error_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "[[sources]\nid=")
    with pytest.raises(SourcesError, match=f"^{path}: not valid TOML"):
        load_sources(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SourcesError, match="cannot read"):
        load_sources(tmp_path / "absent.toml")


def test_wrong_top_level_key(tmp_path: Path) -> None:
    with pytest.raises(SourcesError, match="unknown top-level keys"):
        load_sources(write(tmp_path, GOOD.replace("[[sources", "[[source")))


def test_find_source_names_known_ids(tmp_path: Path) -> None:
    sources = load_sources(write(tmp_path, GOOD))
    with pytest.raises(SourcesError, match="no source 'nope'; known: site"):
        find_source(sources, "nope")


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("30s", 30), ("15m", 900), ("1h30m", 5400), ("2d", 172800), ("45", 45), (60, 60)],
)
def test_durations(text: str | int, seconds: int) -> None:
    assert parse_duration(text) == seconds


def test_crontab_kwargs_for_celery() -> None:
    assert Schedule(cron="*/10 6-22 * jan-jun mon,fri").crontab_kwargs() == {
        "minute": "*/10",
        "hour": "6-22",
        "day_of_month": "*",
        "month_of_year": "jan-jun",
        "day_of_week": "mon,fri",
    }
    assert Schedule(every=60).crontab_kwargs() is None


@pytest.mark.parametrize(
    "expr",
    ["* * * *", "*/0 * * * *", "5-1 * * * *", "* 24 * * *", "* * 0 * *", "* * * * 7", "a * * * *"],
)
def test_bad_crontabs(expr: str) -> None:
    with pytest.raises(ValueError, match="crontab"):
        check_crontab(expr)


def test_demo_entry_points_run_through_discover_document() -> None:
    """A source's entry points drive the extractors: kind, patterns, zone and language."""
    from datetime import UTC, datetime

    from tests.unit.discover_helpers import fixture
    from worker.discover import discover_document, drop_older_than

    demo = find_source(load_sources(REPO / "config" / "sources.toml"), "demo")
    bodies = {
        EntryPointKind.feed: fixture("rss.xml").replace(
            b"https://news.example.com", b"http://127.0.0.1:8765"
        ),
        EntryPointKind.sitemap: fixture("sitemap.xml").replace(
            b"https://news.example.com", b"http://127.0.0.1:8765"
        ),
        EntryPointKind.listing: fixture("listing.html").replace(
            b"https://www.news.example.com", b"http://127.0.0.1:8765"
        ),
    }
    found: set[str] = set()
    for entry in demo.entry_points:
        result = discover_document(
            entry.kind,
            bodies[entry.kind],
            entry.url,
            source_id=demo.id,
            include=entry.include,
            exclude=entry.exclude,
            default_tz=demo.tz,
            language=entry.language,
        )
        result = drop_older_than(result, demo.limits.max_article_age_days, datetime.now(UTC))
        assert all(c.source_id == "demo" for c in result.candidates)
        found |= {c.canonical_url for c in result.candidates}
    assert "http://127.0.0.1:8765/en/news/290404" in found
    assert "http://127.0.0.1:8765/en/about" not in found  # the listing's exclude pattern


def test_unknown_kind() -> None:
    from worker.discover import discover_document

    with pytest.raises(ValueError, match="unknown entry point kind"):
        discover_document("podcast", b"", "https://x.com/")


@pytest.mark.parametrize(
    "expr",
    [
        "*/15 * * * *",
        "0 6-22/2 * * mon-fri",
        "5,35 * 1,15 jan-jun *",
        "0 0 * * sun",
        "5/15 * * * *",
    ],
)
def test_crontab_agrees_with_celery(expr: str) -> None:
    schedules = pytest.importorskip("celery.schedules")
    try:
        kwargs = check_crontab(expr)
    except ValueError:
        with pytest.raises(Exception):  # noqa: B017 (Celery raises its own ParseException)
            schedules.crontab(
                **dict(
                    zip(
                        ["minute", "hour", "day_of_month", "month_of_year", "day_of_week"],
                        expr.split(),
                        strict=True,
                    )
                )
            )
        return
    schedules.crontab(**kwargs)


def test_unknown_profile_when_profiles_are_given(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace('name = "A site"', 'name = "A site"\nprofile = "nope"'))
    assert load_sources(path)[0].profile == "nope"  # not checked without the list
    with pytest.raises(
        SourcesError, match="source 'site': profile: no site profile 'nope'; known: ava"
    ):
        load_sources(path, known_profiles=["ava"])
