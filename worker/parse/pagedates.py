"""A page's publication and modification dates: JSON-LD and <meta> first, then <time>, date
lines near the headline, the URL, and last a date in the scripts' JSON.

Each finder returns a DateHit saying where the date came from; a full date in the URL overrides
a page date that falls on another day.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from itertools import chain

from selectolax.lexbor import LexborNode

from worker.parse import dates
from worker.parse.document import Document, node_text
from worker.parse.normalise import collapse, collapse_head

PUBLISHED_META = (
    "article:published_time", "og:published_time", "datepublished", "publishdate", "pubdate",
    "publish-date", "publish_date", "published_time", "parsely-pub-date", "sailthru.date",
    "dc.date.issued", "dcterms.issued", "dcterms.created", "dc.date.created",
    "article.published", "article_date_original", "cxenseparse:recs:publishtime",
    "originalpublicationdate", "datecreated", "release_date", "og:article:published_time",
    "article:published", "prism.publicationdate", "shareaholic:article_published_time",
    "publisheddate", "published_at",
    "cxenseparse:publishtime", "dcterms:created", "dc:date.created", "dcterms:issued",
)  # fmt: skip
_BARE_DATE_META = ("date", "dc.date", "dcterms.date")
MODIFIED_META = (
    "article:modified_time", "og:updated_time", "datemodified", "dcterms.modified",
    "last-modified", "lastmod", "dc.date.modified", "og:article:modified_time",
)  # fmt: skip
_DATE_LINE_SELECTOR = (
    '[class*="date" i], [class*="publish" i], [class*="time" i], [id*="date" i], [class*="meta" i], '
    '[class*="byline" i], [class*="datum" i], [class*="fecha" i], [class*="info" i], '
    '[class*="posted" i], [class*="created" i], [class*="data" i], [class*="submitted" i]'
)
# Dates inside a comment thread date the comments, and those in a picture's caption or a
# gallery the picture, not the story. Left out: <body> and <article>, which WordPress marks
# 'comments-open', and a 'comments-date' box, the story's date beside its comment count.
# Tested only on the few nodes that hold a date: cheaper than a :not() on every candidate.
_NOT_A_THREAD = ':not(body, article, [class*="date" i], [id*="date" i])'
_IN_COMMENTS_OR_CAPTION = ", ".join(
    f"{part} *"
    for part in (
        f'[class*="comment" i]{_NOT_A_THREAD}', f'[id*="comment" i]{_NOT_A_THREAD}',
        f'[class*="kommentar" i]{_NOT_A_THREAD}', f'[id*="kommentar" i]{_NOT_A_THREAD}',
        "figure", "figcaption", '[class*="caption" i]', '[class*="carousel" i]',
        '[class*="gallery" i]',
    )
)  # fmt: skip
_SCRIPT_DATE_KEYS = (
    r"datePublished|published_at|publishedAt|publishDate|publishedDate|publish_date|pubDate|"
    r"uploadDate|dateCreated|created_at|createdAt|firstPublished|first_published_at|"
    r"publicationDate|publication_date|DateCreation"
)
_SCRIPT_DATE = re.compile(
    rf"""["'](?:{_SCRIPT_DATE_KEYS})["']\s*:\s*"""
    r"""["'](\d{4}-\d\d-\d\d[T ]?[\d:.]*(?:Z|[+-]\d\d:?\d\d)?)["']"""
)
# The same match found from its colon: a literal first character lets the engine skip through
# the whole page several times faster than from a quote, of which pages have many more.
_SCRIPT_DATE_COLON = re.compile(r""":\s*["']\d{4}-\d\d-\d\d""")
_SCRIPT_DATE_KEY_BEFORE = re.compile(rf"""["'](?:{_SCRIPT_DATE_KEYS})["']\Z""")


# Date lines that show today's date, a clock or the weather, not the story's date.
_NOT_PUBLICATION = re.compile(
    r"aktuelle zeit|current time|it is currently|heute ist|today is|°|\bwetter\b|\bweather\b", re.I
)
# A machine date written in UTC ('...Z', '+00:00', 'GMT'), not one that only got UTC by default.
_EXPLICIT_UTC = re.compile(r"\d(?:\.\d+)?[zZ]$|[+-]00:?00$|\b(?:GMT|UTC)\b")
# ' | Site name', ' - Site name' after a page title.
_TITLE_SUFFIX = re.compile(r"\s+[|–—-]\s+|\s+::\s+")
_CLOCK_MINUTES = re.compile(r"(?=\d)(?<!\d)\d\d?\s?[:.h]\s?(\d\d)(?!\d)")
_WORD = re.compile(r"\w+")
_URL_MONTH = re.compile(r"/((?:19|20)\d\d)[/-](0?[1-9]|1[0-2])/")


@dataclass(frozen=True)
class DateHit:
    value: datetime
    raw: str
    provenance: str
    rule: str


def _structured(raw: object, tz: tzinfo, provenance: str, rule: str) -> DateHit | None:
    if not raw or not isinstance(raw, str):
        return None
    value = dates.parse_structured(raw, tz)
    return DateHit(value, raw[:200], provenance, rule) if value is not None else None


def find_published(
    doc: Document, html: str, url: str, tz: tzinfo, language: str | None
) -> DateHit | None:
    """The publication date, checked against a full date in the URL."""
    url = _dated_url(doc, url)
    region = (doc.html_lang or "").lower().replace("_", "-").partition("-")[2]
    if language and region:
        language = f"{language}-{region}"  # en-gb writes 02/10/2020 for 2 October
    hit = _published_on_page(doc, url, tz, language)
    if hit is None:
        match = _script_date(html)
        if match:
            hit = _structured(match.group(1), tz, "heuristic", "date in a script's JSON")
    if hit is None:
        # Uploads are filed by day: the lead image's URL dates the story when nothing else does.
        image = doc.meta_first("og:image", "twitter:image")
        if image and (value := dates.date_from_url(image, tz)):
            hit = DateHit(value, image[:200], "url", "date in the lead image's URL")
    if hit is None:
        hit = _published_in_text(doc, url, tz, language)
    if hit is None:
        # Some sites write the date only into the summary: '... (Notizia del 14 Gennaio 2020)'.
        summary = doc.meta_first("description", "og:description") or ""
        if found := dates.first_date(summary, tz, language):
            hit = DateHit(found.value, found.text, "meta", "date in the page's description")
    if hit is not None and _EXPLICIT_UTC.search(hit.raw):
        hit = _localised(hit, doc, tz)
    return check_against_url(hit, url, tz) if hit is not None else None


def _dated_url(doc: Document, url: str) -> str:
    """The URL whose date or month counts: the page's, unless it has none and the canonical URL
    does. A syndicated copy or a short link points there to the publisher's own filing."""
    if dates.date_from_url(url) is not None or _URL_MONTH.search(url) is not None:
        return url
    return doc.canonical or doc.meta_first("og:url") or url


def _script_date(html: str) -> re.Match[str] | None:
    """The first _SCRIPT_DATE match in `html`. Matches cannot interleave, so the first colon
    that ends a key and opens a full match is where the leftmost match is."""
    for colon in _SCRIPT_DATE_COLON.finditer(html):
        end = colon.start()
        while end > 0 and html[end - 1].isspace():
            end -= 1
        key = _SCRIPT_DATE_KEY_BEFORE.search(html, max(0, end - 30), end)
        if key is not None and (match := _SCRIPT_DATE.match(html, key.start())):
            return match
    return None


def _localised(hit: DateHit, doc: Document, tz: tzinfo) -> DateHit:
    """A UTC instant in the source's zone when one is set; else in the publisher's own offset
    when the page gives the same instant elsewhere with one (a <time>, another meta) or shows
    its local clock beside the headline; else the day shown there. Readers date a story by its
    local day, not by UTC's."""
    if tz.utcoffset(hit.value.replace(tzinfo=None)) not in (None, timedelta(0)):
        return DateHit(hit.value.astimezone(tz), hit.raw, hit.provenance, hit.rule)
    clock = hit.value.timetz()
    if (clock.hour, clock.minute, clock.second) == (0, 0, 0) or 9 <= clock.hour < 13:
        return hit  # a bare day, or a time that is the same day from UTC-9 to UTC+11
    raws = [node.attributes.get("datetime") for node in doc.tree.css("time[datetime]")[:5]]
    raws += [doc.meta_first(key) for key in PUBLISHED_META]
    for raw in raws:
        if not raw or raw[-1:] in ("Z", "z") or raw == hit.raw:
            continue
        value = dates.parse_structured(raw, tz)
        offset = value.utcoffset() if value is not None else None
        if value is not None and offset and abs(value - hit.value) <= timedelta(minutes=2):
            return DateHit(
                value, hit.raw, hit.provenance, hit.rule + ", local offset from the page"
            )
    h1 = _headline(doc)  # without one, the window is the whole text: too dear here
    beside = _title_window(doc, h1) if h1 is not None else None
    scope, window = beside if beside is not None else (None, "")
    shown = _date_line(scope, tz, None, "near the title", window) if scope is not None else None
    # '3/5/2022 22:41' beside the headline for 02:41 UTC is the page's local clock.
    if f"{clock.minute:02d}" in _CLOCK_MINUTES.findall(window):
        in_text = dates.find_date(window, tz, None, short_years=True)
        for value in (shown.value if shown else None, in_text):
            utc = hit.value.astimezone(UTC).replace(tzinfo=None, second=0, microsecond=0)
            offset = value.replace(tzinfo=None, second=0) - utc if value else timedelta(0)
            if (
                value is not None
                and value.timetz() != time(0, tzinfo=tz)
                and _is_utc_offset(offset)
            ):
                value = hit.value.astimezone(timezone(offset))
                rule = hit.rule + ", local clock on the page"
                return DateHit(value, hit.raw, hit.provenance, rule)
    if clock.minute == 0 and clock.second == 0 and clock.hour in (22, 23):
        # Local midnight east of Greenwich, written in UTC: the story's day is the next one.
        value = hit.value + timedelta(hours=24 - clock.hour)
        return DateHit(value, hit.raw, hit.provenance, hit.rule + ", local midnight")
    if shown is not None and abs((shown.value.date() - hit.value.date()).days) == 1:
        # The day the page shows its readers beats the UTC day.
        return DateHit(
            shown.value, hit.raw, hit.provenance, hit.rule + ", day as shown on the page"
        )
    return hit


def _is_utc_offset(offset: timedelta) -> bool:
    """Whether `offset` can be a zone's: nonzero, within 14 hours, in quarter hours."""
    return (
        offset != timedelta(0)
        and abs(offset) <= timedelta(hours=14)
        and not (offset % timedelta(minutes=15))
    )


def find_modified(doc: Document, tz: tzinfo) -> DateHit | None:
    candidates = chain(
        [("json-ld", "json-ld dateModified", doc.article_ld.get("dateModified"))],
        (("meta", f"<meta {key}>", doc.meta_first(key)) for key in MODIFIED_META),
    )
    for provenance, rule, raw in candidates:
        if hit := _structured(raw, tz, provenance, rule):
            return hit
    return None


def check_against_url(hit: DateHit, url: str, tz: tzinfo) -> DateHit:
    """A full date in the URL is the publisher's own filing date. When the page's date falls
    on another day it is usually an update, or a UTC rendering of a local time: the URL wins."""
    if hit.provenance == "url":
        return hit
    from_url = dates.date_from_url(url, tz)
    if from_url is None or from_url.date() == hit.value.date():
        return hit
    off_by = abs((from_url.date() - hit.value.date()).days)
    if off_by == 1 and hit.value.utcoffset() != timedelta(0):
        return hit  # a local time one day off is more likely a late filing than a wrong date
    if off_by == 1 and not _local_day_could_be(hit.value, from_url.date()):
        return hit  # no inhabited zone puts this UTC instant on the URL's day
    return DateHit(from_url, url[:200], "url", "date in the URL (the page's date disagreed)")


def _local_day_could_be(utc_value: datetime, day: date) -> bool:
    """Whether a UTC instant falls on `day` somewhere from UTC-10 (Hawaii) to UTC+14 (Kiribati).
    A bare day (midnight) carries no clock, so it could be any neighbouring day."""
    if utc_value.timetz().replace(tzinfo=None) == time(0):
        return True
    earliest, latest = utc_value - timedelta(hours=10), utc_value + timedelta(hours=14)
    return earliest.date() <= day <= latest.date()


def _published_on_page(doc: Document, url: str, tz: tzinfo, language: str | None) -> DateHit | None:
    candidates = chain(
        [("json-ld", "json-ld datePublished", doc.article_ld.get("datePublished")),
         ("json-ld", "json-ld dateCreated", doc.article_ld.get("dateCreated"))],
        (("meta", f"<meta {key}>", doc.meta_first(key)) for key in PUBLISHED_META),
    )  # fmt: skip
    for provenance, rule, raw in candidates:
        if hit := _structured(raw, tz, provenance, rule):
            return hit
    # 'Ziele, Chancen, Risiken | DW | 28.04.2023': a date as the title's last part is the
    # publisher's (one inside the headline may be the event's).
    title = doc.title_tag or doc.meta_first("og:title") or ""
    parts = _TITLE_SUFFIX.split(title)
    last = parts[-1] if len(parts) > 1 and len(parts[-1]) <= 40 else ""
    if last and (found := dates.first_date(last, tz, language, short_years=True)):
        return DateHit(found.value, found.text, "meta", "date after the headline in the <title>")
    # Then what the reader sees beside the headline (<time>, date lines, text), before any
    # <time> elsewhere: the first one on a page is often in a teaser list or a sidebar.
    month = _url_month(url)  # a year and month in the URL rule out dates in other months
    for hit in _near_title(doc, tz, language):
        if month is None or (hit.value.year, hit.value.month) == month:
            return hit

    def fits(hit: DateHit | None) -> DateHit | None:
        if hit is None or month is None or (hit.value.year, hit.value.month) == month:
            return hit
        return None

    if hit := fits(_time_element(doc.tree.root, tz, "on the page")):
        return hit
    # A bare date meta is as often the page's build or revision date as the story's.
    for key in _BARE_DATE_META:
        if hit := fits(_structured(doc.meta_first(key), tz, "meta", f"<meta {key}>")):
            return hit
    body = doc.tree.body
    if body is not None and (hit := fits(_date_line(body, tz, language, "on the page"))):
        return hit
    if value := dates.date_from_url(url, tz):
        return DateHit(value, url[:200], "url", "date in the URL")
    return None


def _headline(doc: Document) -> LexborNode | None:
    """The story's <h1>: of the first few, the one sharing most words with the page's title,
    else the first with text. Sites also put their logo or name in an <h1>, often first."""
    if doc.headline is None:
        return None
    title = set(_WORD.findall((doc.meta_first("og:title") or doc.title_tag).lower()))
    words = _WORD.findall(node_text(doc.headline).lower())[:10]
    if len(words) >= 4 and sum(word in title for word in words) * 2 > len(words):
        return doc.headline  # the common case: the first <h1> is the story's, not a name
    best, best_shared, first = None, 0, None
    for node in doc.tree.tags("h1")[:6]:
        words = _WORD.findall(node_text(node).lower())[:10]
        shared = sum(word in title for word in words)
        if shared * 2 >= len(words) and shared > best_shared:
            best, best_shared = node, shared
        first = first or (node if words else None)
    return best or first


def _near_title(doc: Document, tz: tzinfo, language: str | None) -> Iterator[DateHit]:
    """Dates shown beside the headline, best first: a <time>, a date line, a date after a
    'published' label, any date."""
    h1 = _headline(doc)
    scope = _container(h1)
    if hit := _time_element(scope, tz, "near the title"):
        yield hit
    beside = _title_window(doc, h1)
    if beside is None:
        return
    scope, window = beside
    if hit := _date_line(scope, tz, language, "near the title", window):
        yield hit
    if dates.ANY_DIGIT.search(window) is None:
        return  # each date below is read from the window (less captions): none without a digit
    # A picture's caption dates the picture ('... in Paris, January 16, 2020. REUTERS').
    for caption in scope.css('figcaption, [class*="caption" i]')[:10]:
        if len(text := node_text(caption)) >= 20:
            window = window.replace(text, " ")
    if found := dates.first_labelled_date(window, tz, language):
        yield DateHit(found.value, found.text, "heuristic", "labelled date near the title")
    if hit := _date_alone(scope, tz, language, window):
        yield hit
    if found := dates.first_date(window, tz, language, short_years=True):
        yield DateHit(found.value, found.text, "heuristic", "date in the text around the title")


def _date_alone(scope: LexborNode, tz: tzinfo, language: str | None, window: str) -> DateHit | None:
    """The first paragraph or span in `window` holding little but a date, before the story's
    text starts: 'January 18, 2020' on a line of its own dates the story, where one inside a
    sentence often dates an event, and one after the text a related story."""
    for node in scope.css("p, span, small, strong, em")[:80]:
        raw = node_text(node)
        if node.tag == "p" and len(raw) > 100:
            break  # the story's text: date lines come before it
        if not 6 <= len(raw) <= 40 or raw not in window or _NOT_PUBLICATION.search(raw):
            continue  # ('Heute ist 14. Oktober 2020' is today's date)
        found = dates.first_date(raw, tz, language, short_years=True)
        if found is not None and not node.css_matches(_IN_COMMENTS_OR_CAPTION):
            rule = "date on a line of its own near the title"
            return DateHit(found.value, found.text, "heuristic", rule)
    return None


def _container(h1: LexborNode | None) -> LexborNode | None:
    """The headline's grandparent, where kicker, byline and date line sit; never <html>,
    whose text would start with the <title>."""
    parent = h1.parent if h1 is not None else None
    if parent is None or parent.tag in ("body", "html"):
        return parent
    grandparent = parent.parent
    return grandparent if grandparent is not None and grandparent.tag != "html" else parent


def _title_window(doc: Document, h1: LexborNode | None = None) -> tuple[LexborNode, str] | None:
    """(the headline's container, its text from 400 characters before the headline to 1500
    after it). Dates count only in that window: a wide container also holds sidebars."""
    h1 = h1 or _headline(doc)
    if (scope := _container(h1)) is not None and h1 is not None:
        headline = node_text(h1)[:60]
        text = _collapsed_to_window(scope.text(deep=True, separator=" "), headline)
        # A header holding little but the headline has no date line: look a level or two up
        # (for date lines and text in the window; <time>s there may be in embeds).
        for _ in range(2):
            parent = scope.parent
            if len(text) > len(headline) + 200 or parent is None or parent.tag in ("body", "html"):
                break
            scope = parent
            text = _collapsed_to_window(scope.text(deep=True, separator=" "), headline)
    elif doc.tree.body is not None:
        # No <h1>: the headline is where the page's title shows up in its text.
        scope = doc.tree.body
        title = doc.meta_first("og:title") or doc.title_tag
        headline = collapse(_TITLE_SUFFIX.split(title)[0])[:60]
        if len(headline) < 10:
            return None  # too short to find the headline by
        text = _collapsed_to_window(scope.text(deep=True, separator=" "), headline)
    else:
        return None
    at = text.find(headline) if headline.strip() else -1
    return (scope, text[max(0, at - 400) : at + 1500]) if at >= 0 else None


def _collapsed_to_window(raw: str, headline: str) -> str:
    """The collapsed `raw`, or as much of its start as _title_window reads: past the length
    it compares, through the window after the headline's first showing."""

    def enough(head: str) -> bool:
        return len(head) > len(headline) + 200 and 0 <= head.find(headline) <= len(head) - 1500

    return collapse_head(raw, enough)


def _url_month(url: str) -> tuple[int, int] | None:
    match = _URL_MONTH.search(url.split("?", 1)[0])
    return (int(match.group(1)), int(match.group(2))) if match else None


def _published_in_text(doc: Document, url: str, tz: tzinfo, language: str | None) -> DateHit | None:
    """Last resort, the page text: a date after a 'published' label; else the first date in the
    month the URL names (/2011/12/); else the first date at all."""
    body = doc.tree.body
    if body is None:
        return None
    text = collapse(body.text(deep=True, separator=" ")[:60_000])
    if labelled := dates.first_labelled_date(text, tz, language):
        return DateHit(labelled.value, labelled.text, "heuristic", "date after a 'published' label")
    month = _url_month(url)
    found = dates.scan_dates(text, tz, language, limit=20 if month else 1, max_chars=12_000)
    for date_found in found if month else ():
        if (date_found.value.year, date_found.value.month) == month:
            return DateHit(
                date_found.value, date_found.text, "heuristic", "page date in the URL's month"
            )
    if found:
        return DateHit(found[0].value, found[0].text, "heuristic", "first date in the page text")
    return None


def _time_element(root: LexborNode | None, tz: tzinfo, where: str) -> DateHit | None:
    """The first <time datetime> under `root`. When the text it shows is a full date more than
    a day away from the attribute, the text wins: the attribute is then an update or an index
    time, and the reader sees the text."""
    for node in root.css("time[datetime]")[:10] if root is not None else ():
        hit = _structured(node.attributes.get("datetime"), tz, "meta", f"<time datetime> {where}")
        if hit is None or node.css_matches(_IN_COMMENTS_OR_CAPTION):
            continue
        shown = dates.find_date(node_text(node)[:200], tz)
        if shown is not None and abs((shown.date() - hit.value.date()).days) > 1:
            return DateHit(shown, node_text(node)[:200], "heuristic", f"<time> text {where}")
        return hit
    return None


def _date_line(
    root: LexborNode, tz: tzinfo, language: str | None, where: str, within: str | None = None
) -> DateHit | None:
    """The first date in a date-like element (class date, time, byline...) under `root`;
    only one whose text is in `within`, when given."""
    if within is not None and dates.ANY_DIGIT.search(within) is None:
        return None  # a date has a digit (see dates.scan_dates): none in `within`, none found
    previous = None
    for node in root.css(_DATE_LINE_SELECTOR)[:40]:
        if node.mem_id == previous:
            continue  # listed once per selector part it matches, in a row: judged already
        previous = node.mem_id
        raw = node_text(node)
        if not 6 <= len(raw) <= 200 or (within is not None and raw not in within):
            continue
        if _NOT_PUBLICATION.search(raw):
            continue
        found = dates.first_date(raw, tz, language, short_years=True)
        if found is not None and not node.css_matches(_IN_COMMENTS_OR_CAPTION):
            return DateHit(found.value, found.text, "heuristic", f"date line {where}")
    return None
