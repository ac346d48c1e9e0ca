"""extract_article: one page's HTML to an Article, each field with its provenance. Never raises
on page content: what could not be filled is left empty and the reason goes into `problems`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, tzinfo
from typing import Any
from urllib.parse import urlsplit

from worker.charset import decode_html
from worker.models import (
    MAX_BODY_LENGTH,
    MAX_URL_LENGTH,
    Article,
    ExtractorInfo,
    clean_text,
    word_count,
    word_count_and_hash,
)
from worker.parse.authors import find_authors
from worker.parse.body import (
    article_body_paragraphs,
    confirm_by_article_body,
    extract_body,
    paragraphs_of,
    strip_hard_junk,
)
from worker.parse.document import Document, build_document, contains
from worker.parse.guard import (
    MAX_ATTRIBUTES,
    MAX_DEPTH,
    MAX_HTML_CHARS,
    cap_attributes,
    cut_deep_nesting,
    looks_binary,
)
from worker.parse.language import choose_language, normalise_code
from worker.parse.metadata import (
    DECK_RULE,
    Found,
    find_canonical,
    find_description,
    find_image,
    find_tags,
    find_title,
    find_visible_lead,
    is_paywalled,
    site_name,
    text_key,
)
from worker.parse.normalise import collapse
from worker.parse.pagedates import DateHit, find_modified, find_published
from worker.parse.payload import payload_paragraphs
from worker.parse.profile_fields import profile_fields, select
from worker.parse.profiles import ProfileSet, SiteProfile, default_profiles
from worker.parse.recipe import recipe_lines

EXTRACTOR = ExtractorInfo(name="ingest-selectolax", version="0.1.0")
MAX_LEAD_CHARS = 5_000
PAYLOAD_TRIGGER_CHARS = 500  # page text this short sends the parse to script payloads
PLACEHOLDER_URL = "https://invalid.invalid/"

_URL_ID = re.compile(r"(?<![\w.])(\d{5,12})(?!\w|\.\d)")
_SCHEME = re.compile(r"https?://", re.I)
_CONTROL = re.compile(r"[\x00-\x1f]")
_WWW = re.compile(r"^www\d*\.")


@dataclass
class Extraction:
    """The Article plus, for each field, the exact rule that produced it (for explain)."""

    article: Article
    rules: dict[str, str] = field(default_factory=dict)


@dataclass
class _Fields:
    values: dict[str, Any] = field(default_factory=dict)
    provenance: dict[str, str] = field(default_factory=dict)
    rules: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def put(self, name: str, found: Found[Any] | None) -> bool:
        if found is None or found.value in (None, "", [], ()):
            return False
        self.values[name] = found.value
        self.provenance[name] = found.provenance
        self.rules[name] = found.rule
        return True


def extract_article(
    html: str | bytes,
    url: str,
    *,
    profile: SiteProfile | None = None,
    profiles: ProfileSet | None = None,
    timezone: tzinfo | None = None,
    content_type: str | None = None,
) -> Article:
    """The Article in `html`, fetched from `url`. Pure: no I/O beyond the cached profile load.

    `profile` forces a site profile; otherwise one is picked by host from `profiles` (default:
    config/profiles/*.toml). `timezone` applies to dates without offset when no profile sets one.
    Never raises: an unusable `url` is repaired or replaced by a placeholder, noted in `problems`.
    """
    return extract(html, url, profile=profile, profiles=profiles, timezone=timezone,
                   content_type=content_type).article  # fmt: skip


def explain(html: str | bytes, url: str, **options: Any) -> dict[str, dict[str, Any]]:
    """For each filled field: its value, provenance and the rule that produced it."""
    result = extract(html, url, **options)
    data = result.article.model_dump(mode="json")
    report: dict[str, dict[str, Any]] = {}
    for name, rule in result.rules.items():
        value = data.get(name)
        if isinstance(value, str) and len(value) > 200:
            value = value[:200] + "…"
        report[name] = {
            "value": value,
            "provenance": result.article.provenance.get(name),
            "rule": rule,
        }
    report["problems"] = {"value": list(result.article.problems), "provenance": None, "rule": ""}
    return report


def extract(
    html: str | bytes,
    url: str,
    *,
    profile: SiteProfile | None = None,
    profiles: ProfileSet | None = None,
    timezone: tzinfo | None = None,
    content_type: str | None = None,
) -> Extraction:
    problems: list[str] = []
    url = _checked_url(url, problems)
    host = (urlsplit(url).hostname or "").lower()
    if profile is None:
        try:
            profile = (profiles or default_profiles()).for_host(host)
        except Exception as exc:  # noqa: BLE001 - a broken profile file must not stop parsing
            profile = None
            problems.append(f"site profiles not loaded: {exc}"[:300])
    source = profile.source if profile else _WWW.sub("", host)
    tz: tzinfo = profile.tz if profile else (timezone or UTC)
    fields = _Fields(problems=problems)
    try:
        text, parse_input = _as_text(html, content_type, fields)
        if text is not None:
            _extract_fields(text, parse_input, url, host, profile, tz, fields)
    except Exception as exc:  # noqa: BLE001 - the contract is: never raise on page content
        fields.problems.append(f"extraction failed: {type(exc).__name__}: {exc}"[:300])
    return _build(url, source, fields)


def _checked_url(url: object, problems: list[str]) -> str:
    """The URL if it is a usable http(s) URL; else the best repair, with the problem noted.
    The Article needs an http(s) URL, and extraction must not fail on a bad one."""
    text = url.strip() if isinstance(url, str) else ""
    candidates = [text]
    found = _SCHEME.search(text)
    if found and found.start() > 0:
        candidates.append(text[found.start() :])
    for candidate in candidates:
        try:
            parts = urlsplit(candidate)
            ok = parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
        except ValueError:
            ok = False
        if ok and len(candidate) <= MAX_URL_LENGTH and not _CONTROL.search(candidate):
            if candidate != text:
                problems.append(f"URL repaired: {text[:100]!r}")
            return candidate
    problems.append(f"invalid URL replaced by a placeholder: {text[:100]!r}")
    return PLACEHOLDER_URL


def _as_text(
    html: str | bytes, content_type: str | None, fields: _Fields
) -> tuple[str | None, str | bytes]:
    """(text, what to hand lexbor): the page's own bytes when the text is exactly their UTF-8
    decoding (lexbor reads UTF-8 natively, sparing a re-encode), else the text."""
    utf8: bytes | None = None
    if isinstance(html, bytes):
        if looks_binary(html):
            fields.problems.append("not HTML: binary content")
            return None, b""
        if len(html) > MAX_HTML_CHARS * 2:
            html = html[: MAX_HTML_CHARS * 2]
            fields.problems.append(f"page cut to its first {MAX_HTML_CHARS * 2} bytes")
        raw = html
        html, clean = _decode(raw, content_type)
        utf8 = raw if clean else None
    if len(html) > MAX_HTML_CHARS:
        html, utf8 = html[:MAX_HTML_CHARS], None
        fields.problems.append(f"page cut to its first {MAX_HTML_CHARS} characters")
    if not html or html.isspace():
        fields.problems.append("empty page")
        return None, b""
    if (utf8 is None or "\ufffd" in html[:4096]) and looks_binary(html):
        # Bytes that decoded cleanly were checked above; text and lossy decodes are checked here.
        fields.problems.append("not HTML: binary content")
        return None, b""
    html, cut = cut_deep_nesting(html, utf8)
    if cut:
        utf8 = None
        fields.problems.append(f"page cut where nesting passes {MAX_DEPTH} levels")
    html, capped = cap_attributes(html, utf8)
    if capped:
        utf8 = None
        fields.problems.append(f"start tags cut after {MAX_ATTRIBUTES} attributes")
    if b"\x00" in utf8 if utf8 is not None else "\x00" in html:  # the bytes scan faster
        html, utf8 = html.replace("\x00", "\ufffd"), None
    return html, (utf8 if utf8 is not None else html)


def _decode(raw: bytes, content_type: str | None) -> tuple[str, bool]:
    """(text, clean UTF-8?). Valid UTF-8 (without a BOM) is taken as UTF-8 whatever the labels
    say: a legacy label on valid multi-byte UTF-8 is a mislabelled page, and trying UTF-8 first
    spares the full sniffing pass on most pages."""
    if not raw.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        try:
            return raw.decode("utf-8"), True
        except UnicodeDecodeError:
            pass
    return decode_html(raw, content_type)[0], False


def _extract_fields(
    html: str,
    parse_input: str | bytes,
    url: str,
    host: str,
    profile: SiteProfile | None,
    tz: tzinfo,
    fields: _Fields,
) -> None:
    doc = build_document(parse_input, url)
    language_hint = normalise_code(doc.html_lang)

    # --- profile fields first: they read the page before anything is cut from it --------
    if profile is not None:
        for name, (found, raw) in profile_fields(doc, profile, url, tz, language_hint).items():
            fields.put(name, found)
            if raw is not None:
                fields.values[name.replace("_at", "_raw")] = raw

    # --- structured metadata, then the visible page ---------------------------------------
    if "title" not in fields.values:
        fields.put("title", find_title(doc, host))
    if "authors" not in fields.values:
        fields.put("authors", find_authors(doc, site_name(doc)))
    if "image_url" not in fields.values:
        fields.put("image_url", find_image(doc))
    if "tags" not in fields.values:
        fields.put("tags", find_tags(doc))
    fields.put("canonical_url", find_canonical(doc))
    fields.put("paywalled", is_paywalled(doc))
    if "published_at" not in fields.values:
        _put_date(fields, "published", find_published(doc, html, url, tz, language_hint))
    if "modified_at" not in fields.values:
        _put_date(fields, "modified", find_modified(doc, tz))
    description = find_description(doc)
    if "lead" not in fields.values:
        fields.put(
            "lead",
            find_visible_lead(
                doc, description.value if description else None, fields.values.get("title", "")
            ),
        )

    # --- body: destructive, so last ------------------------------------------------------
    # A picture caption near the headline can pass for the lead; it is not article text.
    captions = (
        _caption_text(doc)
        if fields.provenance.get("lead") == "heuristic" and "lead" in fields.values
        else ""
    )
    paragraphs: list[str] = []
    if profile and profile.selectors.body:
        sel = profile.selectors
        strip_hard_junk(doc.tree, profile.drop)
        nodes = select(doc, sel.body)
        paragraphs = paragraphs_of(nodes)
        if paragraphs:
            fields.provenance["body"] = "profile"
            fields.rules["body"] = f"profile selector {sel.body!r}"
    if not paragraphs:
        result = extract_body(doc.tree, profile.drop if profile else ())
        paragraphs = result.paragraphs
        if paragraphs:
            fields.provenance["body"] = "heuristic"
            fields.rules["body"] = f"generic extractor ({result.rule})"
    ld_body = doc.article_ld.get("articleBody")
    if isinstance(ld_body, str) and len(ld_body) > 2 * max(1, sum(len(p) for p in paragraphs)):
        paragraphs = article_body_paragraphs(ld_body)
        fields.provenance["body"] = "json-ld"
        fields.rules["body"] = "json-ld articleBody (page text much shorter)"
    elif isinstance(ld_body, str) and len(ld_body) > 500 and len(paragraphs) > 1:
        kept = confirm_by_article_body(paragraphs, "\n".join(article_body_paragraphs(ld_body)))
        if kept is not None:
            paragraphs = kept
            fields.rules["body"] = (
                fields.rules.get("body", "") + ", confirmed by json-ld articleBody"
            )
    title = fields.values.get("title", "")
    shown = sum(len(p) for p in paragraphs)
    if shown < PAYLOAD_TRIGGER_CHARS:
        hidden = payload_paragraphs(parse_input, title)
        if sum(len(p) for p in hidden) > 2 * shown:
            paragraphs = hidden
            fields.provenance["body"] = "heuristic"
            fields.rules["body"] = "script payload HTML (page text much shorter)"
    if paragraphs and title and collapse(paragraphs[0]) == collapse(title):
        paragraphs = paragraphs[1:]

    lead = fields.values.get("lead")
    if (
        lead
        and fields.provenance.get("lead") in ("profile", "heuristic")
        and (not profile or profile.body_includes_lead)
        and (not paragraphs or collapse(paragraphs[0]) != collapse(lead))
        and not (captions and text_key(lead)[:60] in captions)
        and not (fields.rules.get("lead") == DECK_RULE and _anywhere(paragraphs, lead))
    ):
        paragraphs = _lead_first(paragraphs, lead)
    if "lead" not in fields.values:
        if description is not None:
            fields.put("lead", description)
            # The standfirst that metadata describes usually opens the article as shown;
            # when the page text does not already have it, it goes first.
            summary = text_key(description.value)
            if (
                paragraphs
                and 40 <= len(summary) <= 600
                and not _has_text(paragraphs, summary)
                and _shown_on_page(doc, description.value)
            ):
                paragraphs.insert(0, description.value)
        elif paragraphs:
            fields.put("lead", Found(paragraphs[0], "heuristic", "first body paragraph"))
    recipe = recipe_lines(doc.jsonld)
    if recipe:
        paragraphs = _with_recipe(paragraphs, recipe, fields)
    body = "\n\n".join(paragraphs)
    if len(body) > MAX_BODY_LENGTH:
        body = body[:MAX_BODY_LENGTH]
        fields.problems.append("body cut to the maximum length")
    if body:
        fields.values["body"] = body
    else:
        fields.provenance.pop("body", None)
        fields.rules.pop("body", None)

    # --- language, site id, paywall by length ---------------------------------------------
    declared = doc.html_lang or doc.meta_first(
        "content-language", "og:locale", "language", "dc.language"
    )
    ld_lang = doc.article_ld.get("inLanguage")
    if not declared and isinstance(ld_lang, str):
        declared = ld_lang
    language, rule = choose_language(declared, body or title)
    if language:
        source = "meta" if rule == "declared" else "heuristic"
        fields.put("language", Found(language, source, f"language {rule}"))
    if "site_id" not in fields.values:
        _find_site_id(doc, url, profile, fields)
    promised = doc.article_ld.get("wordCount")
    promised_words = (
        int(promised) if isinstance(promised, int | str) and str(promised).isdigit() else 0
    )
    if (
        "paywalled" not in fields.values
        and promised_words > 100  # 2 * max(..., 50) is at least 100: most pages skip counting
        and promised_words > 2 * max(word_count(body), 50)
    ):
        fields.put("paywalled", Found(True, "json-ld", "json-ld wordCount far above the text"))

    for name, why in (("title", "no title found"), ("body", "no article text found"),
                      ("published_at", "no publication date found")):  # fmt: skip
        if name not in fields.values:
            fields.problems.append(why)


_RECIPE_SHOWN_SHARE = 0.5


def _with_recipe(paragraphs: list[str], recipe: list[str], fields: _Fields) -> list[str]:
    """The paragraphs, then the recipe's ingredient and step lines that they lack; nothing
    added when they already show most of it (the rest differ in spelling, "⅔" for "2/3")."""
    have = text_key(" ".join(paragraphs))
    missing = [line for line in recipe if text_key(_STEP_NUMBER.sub("", line))[:60] not in have]
    if len(missing) <= len(recipe) * _RECIPE_SHOWN_SHARE:
        return paragraphs
    fields.provenance.setdefault("body", "json-ld")
    fields.rules["body"] = (
        fields.rules.get("body", "json-ld") + f", {len(missing)} recipe line(s) from json-ld"
    )
    return [*paragraphs, *missing]


# A step's number, which JSON-LD may write into the text ("1. Preheat") and the page beside it.
_STEP_NUMBER = re.compile(r"^(?:step\s*)?\d{1,2}\s*[.):]\s*", re.I)


def _has_text(paragraphs: list[str], key: str) -> bool:
    """Whether the squeezed `key` (a lead or description, perhaps cut short with an ellipsis
    in metadata) already opens a passage of the paragraphs."""
    return _in_squeezed(key[:60], paragraphs[:8])  # a lead sits near the top


def _anywhere(paragraphs: list[str], lead: str) -> bool:
    """Whether the text already has the lead, anywhere: a block found under the headline that
    the body step also found is one of its paragraphs, kept in its place."""
    return _in_squeezed(text_key(lead)[:60], paragraphs)


def _in_squeezed(key: str, paragraphs: list[str]) -> bool:
    """Whether `key` is in the squeezed text (text_key) of the paragraphs (joined by spaces).
    Squeezing the text a paragraph at a time comes to the same string, and stops where the key
    shows."""
    squeezed = ""
    for paragraph in paragraphs:
        squeezed += text_key(paragraph)
        if key in squeezed:
            return True
    return key in squeezed  # an empty key is in the text of no paragraphs too


def _shown_on_page(doc: Document, text: str) -> bool:
    """Whether a metadata text is also shown on the page (a standfirst outside the article's
    container), rather than a summary written for search engines and link previews only."""
    words = text.split()[:8]
    if len(words) < 4:  # Chinese or Japanese: no spaces between words
        words = [text.strip()[:20]]
    probe = " ".join(words).translate(_QUOTES)
    body = doc.tree.body
    if body is None or len(probe) < 20:
        return False
    page = body.text(deep=True)
    # Find a word of it, then compare what follows with spacing and quotes normalised:
    # cheaper than normalising the whole page or compiling a regex per page.
    anchor = max(words[:3], key=len)
    offset = probe.find(anchor.translate(_QUOTES))
    at = page.find(anchor)
    for _ in range(50):
        if at < 0:
            return False
        start = max(0, at - offset - 20)
        window = " ".join(page[start : at + 2 * len(probe)].split()).translate(_QUOTES)
        if probe in window:
            return True
        at = page.find(anchor, at + 1)
    return False


_QUOTES = str.maketrans(
    "\u2019\u2018\u02bc\u00b4`\u201c\u201d\u201e\u00ab\u00bb", "'''''\"\"\"\"\""
)


def _caption_text(doc: Document) -> str:
    """The page's picture captions, squeezed and joined (read before the body step strips
    figures)."""
    # Only around the headline, where the visible lead was found: a query over the whole
    # tree would cost more than the rest of the lead handling.
    scope = doc.around_headline(4)
    if scope is None:
        return ""
    nodes = scope.css(f"figcaption, {contains('class', 'caption')}")[:30]
    return " | ".join(text_key(node.text(deep=True)) for node in nodes)


def _lead_first(paragraphs: list[str], lead: str) -> list[str]:
    """The page's visible lead as the first paragraph, once. Compared without whitespace,
    which is all a metadata reader's text usually differs in (" , " for ",", CJK spacing)."""
    key = _unspaced(lead)
    size = len(lead)
    same_at = {
        i
        for i, p in enumerate(paragraphs)
        if 0.7 * size <= len(p) <= 1.5 * size and _unspaced(p) == key
    }
    same = [paragraphs[i] for i in sorted(same_at)]
    rest = [p for i, p in enumerate(paragraphs) if i not in same_at]
    if same:
        return [same[0], *rest]  # the page's own spacing, which metadata readers may lose
    if len(key) >= 30 and key in _unspaced(" ".join(rest[:3])):
        return rest  # the opening paragraphs already say it
    return [lead, *rest]


def _unspaced(text: str) -> str:
    return "".join(text.split()).lower()


def _put_date(fields: _Fields, name: str, hit: DateHit | None) -> None:
    if hit is not None:
        fields.put(f"{name}_at", Found(hit.value, hit.provenance, hit.rule))
        fields.values[f"{name}_raw"] = hit.raw


def _find_site_id(doc: Document, url: str, profile: SiteProfile | None, fields: _Fields) -> None:
    path = urlsplit(url).path
    if profile and profile.patterns.site_id_url:
        match = re.search(profile.patterns.site_id_url, path)
        if match:
            value = match.group(1) if match.groups() else match.group(0)
            fields.put("site_id", Found(value, "profile", "profile URL pattern"))
            return
    ident = doc.article_ld.get("identifier")
    if isinstance(ident, str | int) and str(ident).strip():
        fields.put("site_id", Found(str(ident).strip()[:100], "json-ld", "json-ld identifier"))
        return
    ids = _URL_ID.findall(path)
    ids = [i for i in ids if not (len(i) == 8 and i.startswith(("19", "20")))]  # dates
    if ids:
        fields.put("site_id", Found(ids[-1], "url", "number in the URL path"))


def _build(url: str, source: str, fields: _Fields) -> Extraction:
    values = fields.values
    # The hash is taken over the text as the Article stores it (NFC): a page that spells "ü"
    # as "u" and a combining diaeresis is the same article as one that does not.
    title = clean_text(values.get("title", ""))
    body = clean_text(values.get("body", ""))
    lead = values.get("lead", "")[:MAX_LEAD_CHARS]
    words, digest = word_count_and_hash(title, body)
    article_fields: dict[str, Any] = {
        "url": url,
        "canonical_url": values.get("canonical_url", url),
        "source": source,
        "title": title,
        "lead": lead,
        "body": body,
        "authors": tuple(values.get("authors", ())),
        "published_at": values.get("published_at"),
        "published_raw": values.get("published_raw"),
        "modified_at": values.get("modified_at"),
        "modified_raw": values.get("modified_raw"),
        "language": values.get("language"),
        "image_url": values.get("image_url"),
        "tags": tuple(values.get("tags", ())),
        "site_id": values.get("site_id"),
        "paywalled": bool(values.get("paywalled", False)),
        "word_count": words,
        "content_hash": digest if body else "",
        "extractor": EXTRACTOR,
        "provenance": {k: v for k, v in fields.provenance.items() if k in values},
        "problems": tuple(fields.problems),
    }
    try:
        return Extraction(Article(**article_fields), dict(fields.rules))
    except Exception as exc:  # noqa: BLE001 - a value the model refuses empties that field only
        for name in (
            "published_at",
            "modified_at",
            "image_url",
            "canonical_url",
            "site_id",
            "tags",
            "authors",
        ):
            defaults = {"canonical_url": url, "tags": (), "authors": ()}
            article_fields[name] = defaults.get(name)
            article_fields["provenance"].pop(name, None)
            fields.rules.pop(name, None)
        article_fields["problems"] = (
            *article_fields["problems"],
            f"invalid field dropped: {exc}"[:300],
        )
        return Extraction(Article(**article_fields), dict(fields.rules))
