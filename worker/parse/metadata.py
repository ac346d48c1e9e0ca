"""Article metadata from the parsed Document: title, description, image, tags, canonical URL,
site id, paywall flag and visible lead, each with the rule that found it (authors: authors.py).

Structured metadata (JSON-LD, then <meta>/OpenGraph) comes first; the visible page second.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Generic, TypeVar
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborNode

from worker.parse.body import is_junk_node
from worker.parse.document import Document, node_text
from worker.parse.furniture import is_boilerplate, is_call_to_action
from worker.parse.normalise import collapse
from worker.parse.tries import trie_alternation

T = TypeVar("T")


@dataclass(frozen=True)
class Found(Generic[T]):
    """A field value with where it came from (the Article's provenance) and the exact rule."""

    value: T
    provenance: str
    rule: str


_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:·•»›/*~]\s+|\s*[|｜ㅣ]\s*|\s*--\s*")


def _ld_text(value: Any) -> str | None:
    if isinstance(value, str):
        return collapse(html.unescape(value) if "&" in value else value) or None
    if isinstance(value, list) and value:
        return _ld_text(value[0])
    if isinstance(value, dict):
        return _ld_text(value.get("name") or value.get("@value") or value.get("url"))
    return None


def site_name(doc: Document) -> str | None:
    name = doc.meta_first("og:site_name", "application-name", "twitter:site")
    if name:
        return collapse(name).lstrip("@")
    publisher = doc.article_ld.get("publisher")
    return _ld_text(publisher) if publisher else None


def strip_site_suffix(title: str, site: str | None, host: str) -> str:
    """'Headline | Site' -> 'Headline' when the cut-off part names the site (or is a date, or a
    'by Author' trailer); also 'Site | Headline'. Once the site is gone, short parts it was
    chained with by pipes are sections: 'Headline | Section | Site' -> 'Headline'. Korean
    sites glue the section on with a bare hyphen: '헤드라인-정치 | 사이트' -> '헤드라인'."""
    headline = _strip_site_parts(title, site, host)
    return _KOREAN_SECTION.sub("", headline) if "-" in headline else headline


def _strip_site_parts(title: str, site: str | None, host: str) -> str:
    matches = list(_TITLE_SEPARATORS.finditer(title))
    if not matches:
        return title
    starts = [0, *(m.end() for m in matches)]
    ends = [*(m.start() for m in matches), len(title)]
    seps = [m.group().strip() for m in matches]
    first, last = 0, len(starts) - 1

    def names_site(index: int) -> bool:
        return _names_site(title[starts[index] : ends[index]], site, host)

    def rest_long_enough(lo: int, hi: int) -> bool:
        return len(title[starts[lo] : ends[hi]].strip()) >= 10

    def is_section(index: int, sep: int) -> bool:
        return seps[sep] in _PIPES and _is_section(title[starts[index] : ends[index]])

    while last > first and names_site(last) and rest_long_enough(first, last - 1):
        last -= 1
    if last < len(starts) - 1:
        while seps[last] in _PIPES and last > first and is_section(last, last - 1):
            last -= 1
    # A title names its site once: at the end, or else at the start.
    elif names_site(first) and rest_long_enough(first + 1, last):
        first += 1
        if last > first and names_site(first) and rest_long_enough(first + 1, last):
            first += 1  # 'Site » Blog Archive » Headline'
        if seps[0] in _PIPES:
            while last > first and is_section(first, first):
                first += 1
    if (first, last) == (0, len(starts) - 1):
        return title
    return collapse(title[starts[first] : ends[last]])


_PIPES = frozenset("|｜ㅣ")
_KOREAN_SECTION = re.compile(r"(?<=\S)-[가-힣]{1,4}$")


_SENTENCE_PUNCTUATION = re.compile(r"[.!?:,;\"'«»“”„]")


def _is_section(part: str) -> bool:
    """A site section's name: a few words without sentence punctuation."""
    return len(part.split()) <= 3 and len(part) <= 30 and not _SENTENCE_PUNCTUATION.search(part)


def _names_site(part: str, site: str | None, host: str) -> bool:
    """Whether a title fragment is the site's name, a date or a 'by Author' trailer."""
    key = _fold(part)
    if not key or _BY_TRAILER.match(part) or _DATE_PART.fullmatch(part.strip()):
        return True
    if key in _ARCHIVE_LABELS:
        return True  # WordPress's 'Site » Blog Archive » Headline'
    site_key, host_key, host_words = _site_keys(site, host)
    if site_key and (key in site_key or site_key in key):
        return True
    return len(part.split()) <= 4 and (
        any(w in key for w in host_words) or (len(key) > 3 and key in host_key)
    )


@lru_cache(maxsize=64)
def _site_keys(site: str | None, host: str) -> tuple[str, str, frozenset[str]]:
    """(folded site name, folded host, the host's longer words): the same for every part of
    every title on a page, so worked out once."""
    host_words = {w for w in _HOST_SEPARATORS.split(host.lower()) if len(w) > 3} - {"www"}
    return _fold(site or ""), _fold(host.lower().removeprefix("www.")), frozenset(host_words)


_ARCHIVE_LABELS = frozenset(("blogarchive", "blogarchiv"))
_BY_TRAILER = re.compile(r"\s*by\s+\w", re.I)
_DATE_PART = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}")
_HOST_SEPARATORS = re.compile(r"[.\-]")
_WORD = re.compile(r"\w+")
_LETTERS_OR_DIGITS = re.compile(r"[^\W_]+")


def _fold(text: str) -> str:
    """Lower case, letters and digits only, accents dropped: 'Seznam Zprávy' -> 'seznamzpravy'."""
    text = text.lower()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
    return "".join(_LETTERS_OR_DIGITS.findall(text))


def text_key(text: str) -> str:
    """The lower-cased word characters of `text`, run together: the same text however the
    page spaced it (CJK pages put spaces around links and ruby that their metadata leaves
    out). (Joining the runs of word characters costs less than deleting the other characters
    one match at a time.)"""
    return "".join(_WORD.findall(text.lower()))


def _similar(text: str, key: str) -> bool:
    """Whether `text` says what the text with `key` (from text_key) says, or contains it, or
    is contained in it."""
    own = text_key(text)
    return (
        bool(own) and bool(key) and (own == key or (len(own) > 15 and (own in key or key in own)))
    )


# Typographic variants a metadata title may spell differently from the page ('' for ‘’, - for –).
_TYPOGRAPHY = str.maketrans(
    {"‘": "'", "’": "'", "‚": "'", "‛": "'", "´": "'", "`": "'", "“": '"', "”": '"', "„": '"',
     "«": '"', "»": '"', "–": "-", "—": "-", "…": "..."}
)  # fmt: skip


def _plain(text: str) -> str:
    return text.translate(_TYPOGRAPHY) if not text.isascii() else text


def _agreeing_h1(
    h1s: list[LexborNode], metas: list[Found[str]], tails: bool = False
) -> Found[str] | None:
    """The text of an <h1> that a metadata title agrees with: exactly, up to typography (the
    page's own quotes and dashes are kept), or as the head of it ('H1 | more', 'H1 - more');
    with `tails`, also as its tail after a kicker ('Kicker: H1')."""
    texts: list[str] = []
    for node in h1s:
        glued = collapse(node.text(deep=True, separator=""))
        for variant in (glued, node_text(node)):
            for meta in metas:
                if meta.value == variant:
                    return Found(variant, "heuristic", f"<h1> confirmed by {meta.rule}")
        texts.append(glued)
    for text in texts:
        plain = _plain(text)
        if len(plain) < 10:
            continue
        for meta in metas:
            value = _plain(meta.value)
            if value == plain:
                return Found(text, "heuristic", f"<h1> confirmed by {meta.rule} (typography aside)")
            if value.startswith(plain) and _TITLE_SEPARATORS.match(value, len(plain)):
                return Found(text, "heuristic", f"<h1> heading {meta.rule}")
            if (
                tails
                and value.endswith(plain)
                and _KICKER_END.search(value, 0, len(value) - len(plain))
            ):
                return Found(text, "heuristic", f"<h1> ending {meta.rule}")
    return None


def _h1_without_kicker(h1: LexborNode, metas: list[Found[str]]) -> Found[str] | None:
    """The <h1>'s text after the kicker element it opens with ('<span class=kicker>Topic</span>
    Headline'), when a metadata title holds that headline but none the <h1> as a whole
    ('Topic: Headline'): the kicker is then a label above the headline, not part of it."""
    kicker = next(
        (n for n in h1.iter(include_text=True) if n.tag != "-text" or n.text().strip()), None
    )
    if kicker is None or not _KICKER_CLASS.search(kicker.attributes.get("class") or ""):
        return None  # no kicker element, or text before it: it does not open the <h1>
    label = node_text(kicker)
    whole = node_text(h1)
    rest = whole.removeprefix(label).lstrip(" :-–—|") if whole.startswith(label) else ""
    if len(rest) < 10:
        return None
    wholes = {_plain(v) for v in (whole, collapse(h1.text(separator="")), f"{label}: {rest}")}
    values = [_plain(meta.value) for meta in metas]
    if any(value in wholes for value in values):
        return None
    plain = _plain(rest)
    for meta, value in zip(metas, values, strict=True):
        if value == plain or (
            value.endswith(plain) and _ENDS_WITH_SEPARATOR.search(value[: -len(plain)])
        ):
            return Found(rest, "heuristic", f"<h1> without its kicker, in {meta.rule}")
        if value.startswith(plain) and _TITLE_SEPARATORS.match(value, len(plain)):
            return Found(rest, "heuristic", f"<h1> without its kicker, heading {meta.rule}")
    return None


_ENDS_WITH_SEPARATOR = re.compile(r"[:|/\-–—]\s*$")
_KICKER_CLASS = re.compile(r"kicker|overline|topline|dachzeile|roofline|eyebrow|supertitle", re.I)


_KICKER_END = re.compile(r"[^\s:]:\s+$")  # "Kicker: H1"; " : " separates a site name


def find_title(doc: Document, host: str) -> Found[str] | None:
    """The headline: the page's <h1> when a metadata title agrees with it, else the metadata
    title (OpenGraph, JSON-LD, Twitter, <title>) without its site-name suffix. When OpenGraph
    and JSON-LD agree with each other, an <h1> that says otherwise loses to them."""
    site = site_name(doc)
    metas: list[Found[str]] = []
    # The same title often comes in three or four of these: its suffix is cut off once.
    stripped: dict[str, str] = {}
    for key, provenance, raw in (
        ("<meta og:title>", "meta", doc.meta_first("og:title")),
        ("json-ld headline", "json-ld", _ld_text(doc.article_ld.get("headline"))),
        ("<meta twitter:title>", "meta", doc.meta_first("twitter:title")),
        ("<title>", "meta", doc.title_tag),
        ("json-ld name", "json-ld", _ld_text(doc.article_ld.get("name"))),
    ):
        if raw:
            # A dangling separator ('Headline -') is where a template's site name was empty.
            text = _DANGLING.sub("", collapse(raw))
            if text not in stripped:
                stripped[text] = strip_site_suffix(text, site, host)
            value = stripped[text]
            if value:
                metas.append(Found(value, provenance, key))
    metas = _without_quote_cut(metas)
    first = doc.headline
    if first is not None and metas:
        # Most pages have one <h1>: the others are fetched only when the first one disagrees.
        # Without a JSON-LD headline (the publisher's curated one), the visible <h1> also
        # beats a metadata title that merely puts a kicker before it.
        tails = all(meta.rule != "json-ld headline" for meta in metas)
        found = (
            _h1_without_kicker(first, metas)
            or _agreeing_h1([first], metas, tails)
            or _agreeing_h1(doc.tree.tags("h1")[1:3], metas, tails)
        )
        agreed = _og_agreeing_with_json_ld(metas)
        if found and (agreed is None or _plain(found.value) == _plain(agreed.value)):
            return _without_kicker_prefix(found, metas)
        if agreed is not None:
            return agreed
    h1s = [text for text in (node_text(first),) if 3 <= len(text) <= 400]
    for meta in metas:
        if meta.rule != "<title>":
            return meta
    # Only <title> left: an <h1> that names the site is its logo, not the headline; when the
    # <title> has that logo text beside the headline, it is the site's name there too.
    if h1s and metas and _names_site(h1s[0], site, host):
        return metas[0]
    if h1s and metas and _fold(h1s[0]) in map(_fold, _TITLE_SEPARATORS.split(metas[0].value)):
        headline = strip_site_suffix(metas[0].value, h1s[0], host)
        if headline != metas[0].value:
            return Found(headline, "meta", "<title> without the site name its <h1> shows")
    if h1s:
        return _headline_h1(doc, h1s[0])
    if metas and metas[0].value == collapse(doc.title_tag):
        cut = _without_last_pipe_part(metas[0].value)
        if cut is not None and not _names_site(cut, site, host):
            return Found(cut, "meta", "<title> without its last '|' part (the site, unnamed)")
    return metas[0] if metas else None


def _without_quote_cut(metas: list[Found[str]]) -> list[Found[str]]:
    """The titles less any <meta> content cut short at a bare quote: a publisher who writes
    content="Biden is "unfit"" gives parsers 'Biden is ', which another title then continues
    with the quote ('Biden is "unfit"')."""
    return [
        meta
        for meta in metas
        if not meta.rule.startswith("<meta")
        or not any(
            other.value.startswith(meta.value)
            and other.value[len(meta.value) :].lstrip().startswith('"')
            for other in metas
        )
    ]


def _without_last_pipe_part(title: str) -> str | None:
    """'Headline | Site Name' -> 'Headline': with no site name known and no <h1> to compare,
    the part after a title's last pipe is the site's name (a headline rarely holds one)."""
    head, sep, tail = title.rpartition(" | ")
    if not sep or len(head.strip()) < 10 or not 2 <= len(tail.strip()) <= 60:
        return None
    return head.strip()


def _headline_h1(doc: Document, first: str) -> Found[str]:
    """The first <h1> of more than one word: a one-word <h1> before it is mostly a
    screen-reader label ('Navigation', 'Quicklink')."""
    if len(first.split()) == 1:
        for node in doc.tree.tags("h1")[1:6]:
            text = node_text(node)
            if len(text.split()) >= 2 and len(text) <= 400:
                return Found(text, "heuristic", "first <h1> of more than one word")
    return Found(first, "heuristic", "first <h1>")


_DANGLING = re.compile(r"\s+[|\-–—·•›/~]+$")


_SOCIAL_TITLES = frozenset(("<meta og:title>", "<meta twitter:title>"))


def _without_kicker_prefix(found: Found[str], metas: list[Found[str]]) -> Found[str]:
    """The social-media title (OpenGraph, Twitter) when it is the found headline without the
    kicker that opens it ('Topic: Headline' -> 'Headline'): the publisher's shortest statement
    of the headline, without the label."""
    for meta in metas:
        cut = len(found.value) - len(meta.value)
        if (
            meta.rule in _SOCIAL_TITLES
            and cut > 0
            and len(meta.value) >= 20
            and found.value.endswith(meta.value)
            and _KICKER_END.search(found.value, 0, cut)
        ):
            return Found(
                meta.value, meta.provenance, f"{meta.rule}, the headline without its kicker"
            )
    return found


def _og_agreeing_with_json_ld(metas: list[Found[str]]) -> Found[str] | None:
    """og:title when the JSON-LD headline says the same (two structured sources agreeing)."""
    if len(metas) < 2:
        return None
    og, ld = metas[0], metas[1]
    if og.rule == "<meta og:title>" and ld.rule == "json-ld headline" and og.value == ld.value:
        return Found(og.value, "meta", "<meta og:title> agreeing with json-ld headline")
    return None


def find_description(doc: Document) -> Found[str] | None:
    """The page's summary from JSON-LD, OpenGraph, <meta description> or Twitter: the first
    that is not a picture's caption (some sites describe the article by its lead image)."""
    value = _ld_text(doc.article_ld.get("description"))
    if value and not _has_credit(value):
        return Found(_unescape(value), "json-ld", "json-ld description")
    for key in ("og:description", "description", "twitter:description"):
        value = doc.meta_first(key)
        if value and not _has_credit(value):
            return Found(_unescape(collapse(value)), "meta", f"<meta {key}>")
    return None


def _unescape(text: str) -> str:
    """Metadata is sometimes HTML-escaped twice ('K&amp;uuml;hlt&amp;uuml;rme'): undo the rest."""
    for _ in range(2):
        if "&" not in text or ";" not in text:
            break
        text = html.unescape(text)
    return collapse(_TAG.sub(" ", text)) if "<" in text else text


_TAG = re.compile(r"<[^>]{0,200}>")


def find_image(doc: Document) -> Found[str] | None:
    image = doc.article_ld.get("image")
    value = _ld_text(image if not isinstance(image, dict) else image.get("url"))
    if value and value.startswith(("http", "/")):
        return Found(urljoin(doc.url, value), "json-ld", "json-ld image")
    for key in ("og:image", "og:image:url", "twitter:image", "twitter:image:src"):
        value = doc.meta_first(key)
        if value:
            return Found(urljoin(doc.url, value.strip()), "meta", f"<meta {key}>")
    return None


def find_tags(doc: Document) -> Found[list[str]] | None:
    keywords = doc.article_ld.get("keywords")
    if isinstance(keywords, list):
        tags = [collapse(str(k)) for k in keywords if isinstance(k, str)]
    elif isinstance(keywords, str):
        tags = [collapse(k) for k in keywords.split(",")]
    else:
        tags = []
    if tags := [t for t in tags if t][:30]:
        return Found(tags, "json-ld", "json-ld keywords")
    metas = doc.meta.get("article:tag", [])
    if not metas and doc.meta_first("keywords", "news_keywords"):
        metas = (doc.meta_first("news_keywords", "keywords") or "").split(",")
    if tags := [collapse(t) for t in metas if collapse(t)][:30]:
        return Found(tags, "meta", "<meta article:tag/keywords>")
    return None


def registrable_domain(host: str) -> str:
    """Last two labels, or three under a two-letter country code with a short second level
    (news.bbc.co.uk -> bbc.co.uk). A heuristic that needs no suffix list download."""
    labels = host.lower().rstrip(".").split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and len(labels[-2]) <= 3:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def find_canonical(doc: Document) -> Found[str]:
    """<link rel=canonical> or og:url when it stays on the page's registrable domain."""
    page_host = urlsplit(doc.url).hostname or ""
    for value, provenance, rule in (
        (doc.canonical, "meta", '<link rel="canonical">'),
        (doc.meta_first("og:url"), "meta", "<meta og:url>"),
    ):
        if not value:
            continue
        absolute = urljoin(doc.url, value.strip())
        parts = urlsplit(absolute)
        if parts.scheme not in ("http", "https") or not parts.hostname or len(absolute) > 2048:
            continue
        if registrable_domain(parts.hostname) == registrable_domain(page_host):
            return Found(absolute, provenance, rule)
    return Found(doc.url, "url", "page URL")


def is_paywalled(doc: Document) -> Found[bool] | None:
    value = doc.article_ld.get("isAccessibleForFree")
    if value is None:
        value = doc.meta_first("isaccessibleforfree")
    if isinstance(value, str):
        value = value.strip().lower() not in ("false", "0", "no")
    if value is False:
        return Found(True, "json-ld", "isAccessibleForFree=false")
    return None


# Class words of a standfirst, besides "lead" (judged apart: see _only_line_height_lead).
_LEAD_WORDS = (
    "teaser", "intro", "summary", "standfirst", "chapo", "excerpt", "subtitle", "subheadline",
    "dek", "abstract", "kicker-text", "synopsis", "strapline", "bajada", "entradilla",
)  # fmt: skip
# (Searched in every class name near the headline: as a trie, it costs half a flat alternation.)
_LEAD_CLASS = re.compile(trie_alternation(("lead", *_LEAD_WORDS)))
_LEAD_CANDIDATES = 20


_NEVER_LEAD_TAGS = frozenset(
    {"body", "html", "main", "article", "section", "img", "a", "span", "h1"}
)
_LEAD_MIN_CHARS = 40
_LEAD_MIN_WORDS = 4
# Tailwind's line-height classes ("leading-tight") say nothing about a lead.
_LINE_HEIGHT_CLASS = re.compile(r"(?<![\w-])leading-")


def _lead_classed(scope: LexborNode) -> Iterator[LexborNode]:
    """The first _LEAD_CANDIDATES elements in `scope` whose class holds a lead word
    (case-sensitive) or whose itemprop is "description", in document order. The class names
    are matched here: a `[class*=word]` selector part per word had lexbor scan every class
    name in the scope once per word."""
    found = 0
    previous = None
    for node in scope.css('[class], [itemprop="description"]'):
        if node.mem_id == previous:
            continue  # listed once per selector part it matches, in a row
        previous = node.mem_id
        attrs = node.attributes
        if _names_lead(attrs.get("class") or "") or attrs.get("itemprop") == "description":
            yield node
            found += 1
            if found >= _LEAD_CANDIDATES:
                return


@lru_cache(maxsize=8192)
def _names_lead(classes: str) -> bool:
    """Whether a class attribute holds a lead word. (Kept per class string: a page repeats
    its class names, and so do the pages of a site.)"""
    return _LEAD_CLASS.search(classes) is not None


def _only_line_height_lead(node: LexborNode) -> bool:
    """Whether the only "lead" in an element's class is a line-height utility class."""
    names = (node.attributes.get("class") or "").lower()
    if "leading-" not in names:
        return False
    return "lead" not in _LINE_HEIGHT_CLASS.sub("", names) and not any(
        word in names for word in _LEAD_WORDS
    )


def find_visible_lead(doc: Document, description: str | None, title: str = "") -> Found[str] | None:
    """The lead paragraph as shown on the page: the first element near the headline that has a
    lead-like class name, or else whose text is the page's description. Never a picture's
    caption or credit, a teaser of another story (mostly link text), or the headline itself.
    With the `title` known, a prose block right under the headline (find_deck) comes last."""
    scope = doc.around_headline(3)
    if scope is None:
        return find_deck(doc, title) if title else None
    headline = node_text(doc.headline)
    key = text_key(description or "")
    layout = _ancestor_ids(doc.headline)
    for node in _lead_classed(scope):
        if node.tag in _NEVER_LEAD_TAGS or _only_line_height_lead(node):
            continue
        text = node_text(node)
        if not _LEAD_MIN_CHARS <= len(text) <= 1500 or (headline and headline in text):
            continue
        if len(node.css("p")) > 1 or _is_caption(node, text) or _is_teaser(node, text):
            continue  # several paragraphs, a caption, or another story's teaser
        if _in_furniture(node, layout):
            continue  # an author box's intro, a sidebar's profile, a related post's excerpt
        if _similar(text, key):
            return Found(text, "heuristic", "visible lead matching the description")
        return Found(text, "heuristic", "lead-classed element near the headline")
    if description:
        for node in scope.css("p, h2")[:10]:
            text = node_text(node)
            if len(text) < _LEAD_MIN_CHARS and len(text.split()) < _LEAD_MIN_WORDS:
                continue  # a name or a label the description happens to be ("MTHOBISI SITHOLE")
            if _similar(text, key) and not _is_caption(node, text):
                return Found(text, "heuristic", "visible lead matching the description")
    return find_deck(doc, title) if title else None


def _in_furniture(node: LexborNode, layout: frozenset[int]) -> bool:
    """Whether an ancestor of `node` (below the article or main element) is page furniture
    by its tag or name: an author box, a sidebar, a footer, a related-posts block. One that
    holds the headline (`layout`: the headline's ancestors) is the page's layout, whatever
    its name says ("article has-recommendations", "st-sidebar__container")."""
    ancestor = node.parent
    for _ in range(_FURNITURE_LEVELS):
        if ancestor is None or ancestor.tag in ("article", "main", "body", "html"):
            return False
        if ancestor.mem_id not in layout and is_junk_node(ancestor):
            return True
        ancestor = ancestor.parent
    return False


def _ancestor_ids(node: LexborNode | None) -> frozenset[int]:
    """The ids of `node` and of all its ancestors."""
    ids = []
    while node is not None:
        ids.append(node.mem_id)
        node = node.parent
    return frozenset(ids)


_FURNITURE_LEVELS = 6


def find_deck(doc: Document, title: str) -> Found[str] | None:
    """The standfirst printed right under the headline without a lead-like class name: the
    first block after the headline that is prose (sentences, not a byline, date line, credit
    or caption). Such decks often sit outside the article's text container, so the body
    step alone misses them; when the first block is the text's own first paragraph, the body
    already has it and nothing is lost."""
    for headline in _title_headings(doc, title):
        text = _prose_after_heading(headline, title)
        if text:
            return Found(text, "heuristic", DECK_RULE)
    return None


def _prose_after_heading(headline: LexborNode, title: str) -> str | None:
    """The first prose block after `headline` in its header (up to _DECK_LEVELS ancestors),
    among the first few text blocks and before the article's running text begins."""
    scope = headline
    for _ in range(_DECK_LEVELS):
        if scope.parent is None or scope.parent.tag in ("body", "html"):
            break
        scope = scope.parent
    passed, seen = False, 0
    for node in scope.traverse(include_text=False):
        if not passed:
            passed = node.mem_id == headline.mem_id
            continue
        if node.tag not in _DECK_TAGS or _holds_blocks(node):
            continue
        text = node_text(node)
        if not text or text in title:
            continue
        seen += 1
        if seen > _DECK_BLOCKS or _in_running_text(node):
            return None  # the article's text has begun: its first paragraph is no deck
        if _is_deck_text(text) and not _is_caption(node, text) and not _is_teaser(node, text):
            return text
    return None


DECK_RULE = "prose block right under the headline"
_DECK_LEVELS = 2  # the headline's ancestors searched: its header group, and what holds that
_DECK_BLOCKS = 5  # text blocks after the headline read before giving up (bylines, dates ...)
_DECK_TAGS = frozenset({"p", "div", "span"})  # a deck set as <h2> is rarer than a second headline
_BLOCK_TAGS = frozenset(
    {"p", "div", "h1", "h2", "h3", "h4", "ul", "ol", "li", "table", "figure", "section", "article",
     "header"}
)  # fmt: skip


def _in_running_text(node: LexborNode) -> bool:
    """Whether a paragraph is one of several side by side: the article's text, not a deck."""
    parent = node.parent
    if node.tag != "p" or parent is None:
        return False
    return sum(1 for child in parent.iter() if child.tag == "p") >= _RUNNING_PARAGRAPHS


_RUNNING_PARAGRAPHS = 3


def _holds_blocks(node: LexborNode) -> bool:
    """Whether an element holds block elements. A walk that stops at the first one beats a
    query: a wrapper shows one at once, and a deck or byline has few descendants."""
    descendants = node.traverse()
    next(descendants)  # the element itself
    return any(child.tag in _BLOCK_TAGS for child in descendants)


# A finished sentence, perhaps closed by a quote or bracket (a headline ending in a quote is not).
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'“”»«)]*$")


def _is_deck_text(text: str) -> bool:
    """Whether a block reads as a standfirst: a sentence or two, not a label, a line or a
    subscription prompt."""
    return (
        60 <= len(text) <= 700
        and len(text.split()) >= 8
        and _SENTENCE_END.search(text) is not None
        and not is_boilerplate(text)
        and not is_call_to_action(text)
    )


def _title_headings(doc: Document, title: str) -> list[LexborNode]:
    """Where the headline may be shown: the first <h1>s and <h2>s that say the title (a page's
    first one may be a breadcrumb or a sticky bar repeating it), then the first heading of the
    first <article> and the first <hgroup> (a visible headline worded unlike the metadata
    title)."""
    want = text_key(title)
    headings = doc.tree.css("h1, h2, hgroup")[:_HEADLINE_CANDIDATES]  # one pass over the page
    found: list[LexborNode] = []
    for heading in headings if want else ():
        # (text_key drops whitespace, so the heading's text needs no collapsing first)
        if heading.tag != "hgroup" and text_key(heading.text(deep=True, separator=" ")) == want:
            found.append(heading)
            if len(found) == 3:
                break
    group = next((node for node in headings if node.tag == "hgroup"), None)
    article = doc.tree.css_first("article")
    own = article.css_first("h1, h2") if article is not None else None
    for node in (own, group):
        if node is not None and all(seen.mem_id != node.mem_id for seen in found):
            found.append(node)
    return found


_HEADLINE_CANDIDATES = 30


# Class names of what surrounds pictures and other stories, never the standfirst.
_NOT_LEAD_CLASS = re.compile(
    r"caption|credit|copyright|figure|image|img|photo|picture|video|gallery|slide|lead-?art|"
    r"affiliate|disclaimer|newsletter|promo|related",
    re.I,
)
# A photo credit inside a text: 'Foto: Getty Images', '© Picture Alliance', '(AP Photo/...)'.
_CREDIT_LABEL = re.compile(
    r"\b(?:fotos?|photos?|photograph|bild|image|ảnh|cr[ée]dits?(?: photo)?|picture)\s*:", re.I
)


def _has_credit(text: str) -> bool:
    """Whether a text carries a photo credit (literal checks first: most texts have none)."""
    if "©" in text or "Getty Images" in text or "AP Photo" in text:
        return True
    return ":" in text and _CREDIT_LABEL.search(text) is not None


def _is_caption(node: LexborNode, text: str) -> bool:
    """Whether an element is a picture's caption or credit: it carries a credit, holds the
    picture, or sits in a <figure> or an element with a caption/image class."""
    if _has_credit(text) or node.css_first("img, picture, figure, figcaption, video"):
        return True
    ancestor: LexborNode | None = node
    for _ in range(4):
        if ancestor is None or ancestor.tag in ("body", "article", "main"):
            return False
        if ancestor.tag in ("figure", "figcaption", "picture"):
            return True
        if _NOT_LEAD_CLASS.search(ancestor.attributes.get("class") or ""):
            return True
        ancestor = ancestor.parent
    return False


_TEASER_LINK_LEVELS = 4
_LINKED_HEADING = "h2 a[href], h3 a[href], h4 a[href], a[href] h2, a[href] h3, a[href] h4"


def _is_teaser(node: LexborNode, text: str) -> bool:
    """Whether an element teases other stories: it sits in a link (a teaser card wraps its
    title and blurb in one, a few levels up), or at least half its text is link text."""
    if node.css_first(_LINKED_HEADING) is not None:
        return True  # a box with another story's linked headline and its summary
    ancestor = node.parent
    for _ in range(_TEASER_LINK_LEVELS):
        if ancestor is None:
            break
        if ancestor.tag == "a":
            return True
        ancestor = ancestor.parent
    return 2 * sum(len(node_text(link)) for link in node.css("a")) >= len(text)
