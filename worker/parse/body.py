"""Generic main-content extraction: find the node holding the article's paragraphs and turn it
into clean paragraphs, leaving navigation, share bars, related links, comments and footers out.

The heavy lifting stays in lexbor's C code: tag stripping and CSS selection in bulk; Python only
visits paragraph-level nodes, never every node of the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser, LexborNode

from worker.parse.dates import MONTH_NAMES
from worker.parse.normalise import collapse

# Never article text, wherever they are. (Scripts, styles and templates are already gone:
# the Document drops them once metadata is read.)
HARD_JUNK_TAGS = [
    "svg", "math", "iframe", "object", "embed",
    "canvas", "video", "audio", "button", "select", "option", "input", "textarea", "nav",
    "figcaption", "figure", "dialog", "menu",
]  # fmt: skip
# Boilerplate recognised by class or id. Strong words mark furniture whatever else the class
# says; weak ones only when no content word ("article", "content", "post"...) is beside them.
_STRONG_JUNK = (
    "comment", "related", "newsletter", "cookie", "outbrain", "taboola", "breadcrumb",
    "subscribe", "signup", "most-popular", "mostpopular", "trending", "more-stories",
    "further-reading", "teaser-list", "read-more", "readmore", "promo", "advert", "popup",
    "modal", "recommend", "paywall-prompt", "consent", "author-bio", "authorbio", "author-box",
    "authorbox", "author-info", "about-author", "about-the-author", "autorenbox", "author__intro",
    "twitter-tweet", "instagram-media", "tiktok-embed",
)  # fmt: skip
_WEAK_JUNK = (
    "share", "sharing", "social", "sidebar", "byline", "tag-list",
    "taglist", "article-tags", "footer", "pagination", "banner", "caption", "disclaimer",
    "rating", "teaser", "video", "player", "image", "gallery", "author", "copyright",
    "print-only", "skip-link", "jump-link", "toolbar", "masthead", "overlay", "dropdown",
)  # fmt: skip
_STRONG_RE = re.compile("|".join(re.escape(w) for w in _STRONG_JUNK))
_WEAK_RE = re.compile("|".join(re.escape(w) for w in _WEAK_JUNK))
_CONTENT_RE = re.compile(r"article|artikel|content|entry|post|story|text|body|main")
_JUNK_CLASS_TOKENS = frozenset(
    {"ad", "ads", "nav", "navbar", "menu", "tags", "meta", "credit", "credits", "hidden", "sr-only",
     "visually-hidden", "screen-reader-text", "rail", "noprint", "no-print", "d-none", "invisible"}
)  # fmt: skip
_JUNK_TAGS = frozenset({"footer", "aside", "form", "header"})
_CANDIDATE_SELECTOR = "[class], [id], footer, aside, form, [role], [hidden], [aria-hidden]"
_JUNK_ROLES = frozenset({"navigation", "complementary", "dialog", "banner", "contentinfo", "menu"})
BLOCK_SELECTOR = "p, h2, h3, h4, h5, h6, li, blockquote, pre, dd, dt, td, th, div"
_BLOCK_TAGS = frozenset(t.strip() for t in BLOCK_SELECTOR.split(","))
_WALK_SELECTOR = BLOCK_SELECTOR + ", table, ul, ol, dl, section, article"
_LINK_BLOCK_TAGS = ("p", "h2", "h3", "h4", "h5", "h6", "li", "div")
_BLOCK_LINK_SELECTOR = f"a[href]:has({', '.join(_LINK_BLOCK_TAGS)})"
_IN_LINK_SELECTOR = ", ".join(f"a[href] {tag}" for tag in _LINK_BLOCK_TAGS)
# Headings that end an article's text: what follows is related links, comments, bios.
_STOP_HEADING = re.compile(
    r"^(?:(?:read|see) (?:also|more)|related(?: (?:articles?|stories|posts|news|content|topics|coverage))?|"
    r"more (?:on|about) (?:this|the) (?:topic|story)|recommended(?: for you| articles| reading| stories)?|"
    r"you (?:may|might) (?:also )?(?:like|enjoy|be interested in)|further reading|more from .{0,40}|"
    r"latest (?:news|stories|articles)|most (?:read|popular|viewed)|trending(?: now)?|popular(?: now)?|"
    r"lesen sie (?:auch|mehr)|mehr zum thema.*|das könnte sie auch interessieren|auch interessant|"
    r"weitere (?:artikel|beiträge|themen|meldungen|nachrichten|informationen).*|"
    r"empfohlene (?:beiträge|artikel)|siehe auch|weiterführende (?:informationen|links)|"
    r"ähnliche (?:beiträge|artikel)|verwandte (?:artikel|themen)|zum weiterlesen|meistgelesen|"
    r"les plus lus?|à lire aussi|lire aussi|sur le même sujet|voir aussi|"
    r"(?:también )?(?:te|le) puede interesar|lee también|noticias relacionadas|leggi anche|"
    r"potrebbe interessarti|kommentare?(?: \(\d+\))?|comments?(?: \(\d+\))?|leave a (?:comment|reply)|"
    r"über (?:den|die) autor(?:in)?|about the author|share this(?: article| story| post)?|"
    r"kommentare geschlossen|artikel bewerten|was denkst du|vorschau auf den nächsten artikel|"
    r"zur startseite|newsletter|more (?:stories|news|articles)|related topics|vous aimerez aussi|"
    r"quellen(?:angaben)?|sources?|abgelegt unter|filed under|kontakt|contact|photo credits|"
    r"bildnachweis|empfehlungen aus|highlights aus|tags|schlagworte|themen|"
    r"(?:das )?(?:thema )?könnte (?:dich|sie) (?:auch )?interessieren|(?:articles )?les plus lus|"
    r"veja também|más sobre|(?:le|te) puede interesar|czytaj (?:też|także|również)|"
    r"zobacz (?:też|także|również)|leia (?:também|mais)|ler também|lees ook|meer over|"
    r"op hetzelfde onderwerp|potrebbero interessarti|ti potrebbe interessare)\b.{0,40}$",
    re.I,
)
_HEADING_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
_BOILERPLATE = re.compile(
    r"(?:advertisement|anzeige|werbung|publicité|publicidad|share(?: this)?(?: article)?|teilen|"
    r"read (?:more|also|next)|lesen sie (?:auch|mehr)|mehr zum thema|related(?: articles)?|"
    r"czytaj (?:więcej|też|także|również)|noticias? relacionadas?|leer más|lire la suite|"
    r"follow us.*|sign up.*|subscribe.*|click here.*|weiterlesen|tags?:?.*|schlagwörter.*|"
    r"(?:all )?rights reserved.*|©.*|copyright.*|\(c\) .*|loading\.*|more on this.*|"
    r"also read:?.*|see also:?.*|auch interessant:?.*|zum thema:?.*|top stories|"
    r"abonnez-vous.*|jetzt (?:abonnieren|weiterlesen).*|"
    r"post a comment|leave a (?:comment|reply)|your (?:name|email(?: address)?)|comments?(?: \(\d+\))?|"
    r"-? ?anzeige ?-?|(?:foto|fotos|bild|bilder|photo|photos|image|images|credit|credits|quelle|"
    r"bildquelle|bildnachweis|source|grafik|video|redaktion|mitarbeit|faktencheck)s? ?:.{0,120}|\d+ (?:bilder|fotos|photos|images)\b.{0,40}|"
    r"got a (?:story|tip)\b.*|follow .{0,40} on (?:twitter|facebook|instagram|x)\b.*|"
    r"for more (?:stories|news|articles) like this.*|this (?:entry|post) was posted.*|"
    r"der beitrag wurde am.*|if you (?:enjoyed|liked) (?:reading )?this.*|"
    r"we want to hear what you think.*|empfohlener (?:redaktioneller|externer) inhalt|"
    r"link zu[mr]? .{0,30}inhalt|(?:\w+-)?box (?:aufklappen|zuklappen).*|up next|"
    r"sie haben einen fehler gefunden\??|placeholder.{0,30}|wird geladen\.*|"
    r"(?:read|see) (?:more|also|next) ?:.*|weiterlesen ?:|(?:le|te) puede interesar ?:.*|"
    r"le(?:e|a) también ?:.*|leia também ?:.*|czytaj (?:też|także) ?:.*|lire aussi ?:.*|"
    r"crédits? photos? ?:.*|(?:abbildung|abb\.|figure|fig\.) ?\d*[a-z]? ?:.*|"
    r"be sociable.*|gefällt mir(?: wird geladen.*)?|"
    r"(?:additional )?reporting by .*(?:editing|writing) by .*|"
    r"(?:this (?:article|story|post) (?:was|is) )?(?:first|originally) published (?:in|on|by) .{0,80})",
    re.I,
)
# Affiliate disclosures: a note about the shop links, not article text.
_DISCLOSURE_WORDS = (
    "affiliate link", "affiliate-link", "affiliate commission", "earn a commission",
    "advertiser disclosure", "erhalten wir eine provision",
)  # fmt: skip
# Picture credits and subscription prompts, tested only on short lines (on lower-cased text:
# a case-insensitive regex costs several times more per line).
_CREDIT_WORDS = (
    "getty", "thinkstock", "shutterstock", "istock", "imago", "picture alliance", "dpa-bildfunk",
    "reuters/", "afp/", "ap photo", "subscribe", "abonnieren", "abonnez", "suscríbete",
    "suscribete", "bildrechte", "bildquelle", "foto: ", "photo: ", "image: ", "credit: ",
    "© ", "abonnés", "abonnenten", "subscribers", "already have an account", "déjà un compte",
    "bereits registriert", "sign in to", "log in to", "einloggen", "anmelden, um",
    "externen inhalt", "externer inhalt", "externe inhalt", "external content",
    "third-party content", "third party content", "personenbezogene daten können",
    "damit einverstanden, dass", "inhalte von drittanbietern", "drittplattformen übermittelt",
    "enable javascript", "javascript is disabled", "javascript deaktiviert", "accept cookies",
    "accept all cookies", "newsletter", "signing up", "sign up", *_DISCLOSURE_WORDS,
)  # fmt: skip
_WEEKDAYS = (
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|montag|dienstag|mittwoch|"
    r"donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
    r"lunes|martes|miércoles|jueves|viernes|sábado|domingo|mon|tue|wed|thu|fri|sat|sun|"
    r"mo|di|mi|do|fr|sa|so"
)
# A line that is only a date, a time, a duration or a reading time ("Stand: 28.04.2023,
# 05:00 Uhr", "00:00 / 03:15", "3 Min Lesezeit"): page furniture around the text.
_DATE_OR_TIME_LINE = re.compile(
    r"(?:(?:stand|aktualisiert|zuletzt aktualisiert|updated|last updated|published|veröffentlicht|"
    r"publié le|mis à jour|am|um|on|at|vom|le)\b[:\s]*)*"
    r"(?:[\d\s.:/,|–-]|(?:" + MONTH_NAMES + r"|" + _WEEKDAYS + r")\b\.?)+"
    r"(?:uhr|h|min|am|pm|utc|gmt|cet|cest|mez|mesz)?\.?\s*|"
    r"\d+\s*(?:min(?:ute[ns]?)?\.?|minuten)\s*(?:lesezeit|read|reading time|de lecture|czytania|"
    r"lettura|lectura)?|(?:lesezeit|reading time|temps de lecture|lecture)\s*:?\s*\d+\s*min\.?(?:uten)?|"
    r"\d{1,2}[:.]\d{2}\s*(?:am|pm|uhr|h)?\s?[^\d\s.,;:!?][^.!?]{0,40}|"
    r"(?:vor|il y a|hace)? ?(?:\d+|an?|one) (?:sek(?:unden?)?|min(?:uten?|utes?|s)?|std|stunden?|"
    r"tag(?:en)?|wochen?|monat(?:en)?|jahr(?:en)?|s(?:ec(?:ond)?s?)?|hours?|hrs?|h|days?|weeks?|"
    r"months?|years?|heures?|jours?|horas?|días?)\.?(?: ago)?",
    re.I,
)


def _menu_word(text: str) -> bool:
    """A few words without punctuation ("E-Mail", "Drucken", "UK"): a button or menu entry.
    Measured in bytes so that eight CJK characters, a real heading, are not taken for one."""
    return len(text) < 20 and len(text.encode()) < 24 and not _SENTENCE_MARK.search(text)


def _phrase(text: str) -> bool:
    """A short paragraph that reads as words ("Aufbau und Inhalt", CJK text), not a name, a
    credit or a label ("Iwona Kurz", "aja/PAP", "Inhaltsverzeichnis")."""
    if _LOWER_WORD.search(text) is not None:
        return True
    return text.lower() == text.upper() and any(char.isalpha() for char in text)  # CJK, not "___"


_LOWER_WORD = re.compile(r"\s[a-zß-ÿ]")


def is_boilerplate(text: str) -> bool:
    """A short line that is page furniture: 'Advertisement', 'Share', picture credits..."""
    if len(text) >= 200:  # prose, unless an embed's long consent placeholder
        return len(text) < 500 and _PLACEHOLDER_FINDER.search(text.lower()) is not None
    if _BOILERPLATE.fullmatch(text):
        return True
    if (
        len(text) < 60
        and (len(text) < 20 or "ago" in text or _DIGIT.search(text) is not None)
        and _DATE_OR_TIME_LINE.fullmatch(text)
    ):
        return True  # the full pattern costs: only lines with a digit, or short ones, can match
    if len(text) < 70 and (_BYLINE.fullmatch(text) or ("ago" in text and _AGO.search(text))):
        return True  # a byline, a live blog's "21 mins ago 11:48 Jon King", "Jo Doe2 hours ago"
    low = text.lower()
    if (
        len(text) < 90
        and text[-1] not in '!?"”»'
        and (":" in text or "uhr" in low or "lese" in low or " std." in low or " h" in low)
        and _DATELINE.search(low)
    ):
        return True  # "Do 25.04.24 | 14:07 Uhr | Von ...", "Aktualisiert am ... Lesedauer: 4 Min."
    if len(text) >= 160 or text.count(". ") >= 2:
        # Longer lines: only an embed's consent placeholder ("Ich bin damit einverstanden,
        # dass mir der externe Inhalt angezeigt wird. ...") is furniture here.
        return _CONSENT_FINDER.search(low) is not None
    return _CREDIT_FINDER.search(low) is not None


_Trie = dict[str, "_Trie"]


def _substring_finder(words: tuple[str, ...]) -> re.Pattern[str]:
    """One regex that finds any of `words` in lower-cased text, built as a trie (shared
    prefixes factored out): faster than a loop of substring tests or a flat alternation."""
    trie: _Trie = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: _Trie) -> str:
        branches = [re.escape(char) + pattern(child) for char, child in node.items() if char]
        if not branches:
            return ""
        if "" in node:  # a word ends here: what follows is optional
            return "(?:" + "|".join(branches) + ")?"
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return re.compile(pattern(trie))


_DIGIT = re.compile(r"\d")
_AGO = re.compile(
    r"^(?:\d+|an?|one) ?(?:secs?|seconds?|mins?|minutes?|hrs?|hours?) ago ?\d{1,2}:\d\d|"
    r"\d ?(?:secs?|seconds?|mins?|minutes?|hrs?|hours?|days?) ago$",
    re.I,
)
# "Von Alana Friedrichs", "By Ben Blanchard and Yimou Lee", "von Engin Haupt, MDR": a byline
# line (a name follows, capitalised; "By the numbers" is a heading, not a byline).
_BYLINE = re.compile(
    r"(?:[Vv]on|[Bb]y|BY|VON|[Pp]ar|[Pp]or|[Aa]v|[Dd]oor) "
    r"(?!the |der |die |den |dem |la |le |el |los |les )"
    r"[A-ZÄÖÜÉ][\w'’.-]*(?: [\w'’.&-]+){0,6}(?:, [^.!?]{2,40})?"
)
# A time of day or a numeric date with the furniture words around it, in a short line (but
# not a live blog's "11.39 Uhr: Headline" or "Headline (11.39 Uhr)").
_DATELINE = re.compile(
    r"\b\d{1,2}[:.]\d{2} ?(?:uhr|h|am|pm)\b(?! ?[:)])|\b\d{1,2}\.\d{1,2}\.\d{2,4}\b.{0,12}\b\d{1,2}[:.]\d{2}\b(?! ?(?:uhr|h)? ?[:)])|"
    r"\blesedauer\b|\bmin\. lesezeit\b|\bvor \d+ (?:std|min)\.",
)
# The placeholder of an embed that waits for consent (video, social post, data widget).
# Searched in the lower-cased line: far cheaper than a case-insensitive alternation.
_CONSENT_WORDS = (
    "externen inhalt", "externer inhalt", "externe inhalt", "personenbezogene daten können",
    "drittplattformen übermittelt", "external content from", "third-party content",
    "third party content", "enable javascript to", "javascript is disabled",
    "javascript deaktiviert", "accept cookies", "accept all cookies",
)  # fmt: skip
_CREDIT_FINDER = _substring_finder(_CREDIT_WORDS)
_CONSENT_FINDER = _substring_finder(_CONSENT_WORDS + _DISCLOSURE_WORDS)
_PLACEHOLDER_FINDER = _substring_finder(_CONSENT_WORDS)  # for long lines: embeds only
_MIN_PARAGRAPH_CHARS = 25
_TEASER_SUMMARY_CHARS = 300
_PROSE_END = frozenset('.!?"”»)。！？）」』')
_SENTENCE_MARK = re.compile(r"[.!?:;,。！？、،؟«»\"“”„]|\d")
_MIN_DIV_TEXT_CHARS = 60
# Elements that hold paragraph text directly on sites that write no <p>.
_TEXT_HOLDERS = "div, span, td, section, article, font, main, dd, center"


@dataclass
class BodyResult:
    paragraphs: list[str]
    rule: str  # which rule found the container, for explain()


@lru_cache(maxsize=8192)
def is_junk_name(value: str) -> bool:
    """Whether a class/id string names page furniture (share bar, comments, related links...)."""
    low = value.lower().replace("commentary", "")  # an opinion piece, not reader comments
    if _STRONG_RE.search(low) or not _JUNK_CLASS_TOKENS.isdisjoint(low.split()):
        return True
    return bool(_WEAK_RE.search(low)) and not _CONTENT_RE.search(low)


def is_junk_node(node: LexborNode) -> bool:
    tag = node.tag
    if tag in _JUNK_TAGS and tag != "header":
        return True
    attrs = node.attributes  # one C call for all attributes beats several lookups
    if not attrs:
        return False
    if "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return True
    role = attrs.get("role")
    if role and role.lower() in _JUNK_ROLES:
        return True
    names = (attrs.get("class") or "") + " " + (attrs.get("id") or "")
    return len(names) > 1 and is_junk_name(names)


def strip_hard_junk(tree: LexborHTMLParser, extra_drop: tuple[str, ...] = ()) -> None:
    """Remove the tags that are never text (scripts, styles, nav...) and a profile's drop list."""
    tree.strip_tags(HARD_JUNK_TAGS)
    drop_nodes(tree, extra_drop)


def drop_nodes(tree: LexborHTMLParser, extra_drop: tuple[str, ...]) -> None:
    """Remove the nodes a profile's drop selectors match."""
    for selector in extra_drop:
        try:
            for node in tree.css(selector):
                node.remove()
        except Exception:  # noqa: BLE001, S112 - a bad profile selector must not kill the parse
            continue


def strip_junk_inside(container: LexborNode) -> None:
    """Remove furniture inside the article container, unless a node holds most of its text."""
    keep_limit = -1.0  # measured on the first junk node: most containers have none
    own = container.mem_id
    for node in container.css(_CANDIDATE_SELECTOR):
        if node.mem_id == own or node.tag in ("article", "main") or not is_junk_node(node):
            continue
        if node.tag == "header" and node.css_first("h1") is not None:
            continue
        if keep_limit < 0:
            keep_limit = max(len(container.text(deep=True)) * 0.5, 1500)
        text = node.text(deep=True)
        if len(text) > keep_limit:
            continue  # a wrapper whose class happens to sound like junk
        if len(text) >= 400 and _holds_prose(node, len(text)):
            continue  # "sidebar-grid__container" around a part of the article's own text
        node.remove()


def _holds_prose(node: LexborNode, length: int) -> bool:
    """Whether a weakly junk-named node is mostly long, unlinked paragraphs: article text."""
    attrs = node.attributes
    names = ((attrs.get("class") or "") + " " + (attrs.get("id") or "")).lower()
    if (
        node.tag in _JUNK_TAGS
        or _STRONG_RE.search(names)
        or not _JUNK_CLASS_TOKENS.isdisjoint(names.split())
    ):
        return False
    prose = count = 0
    for p in node.css("p"):
        text = p.text(deep=True).strip()
        if len(text) >= 80 and text[-1] in _PROSE_END:
            prose += len(text)
            count += 1
    return count >= 2 and prose >= 0.6 * length and _link_density(node, length) < 0.2


def _inside_junk(node: LexborNode) -> bool:
    """Whether `node` or a near ancestor is furniture (a comment thread, a sidebar...).
    An ancestor whose text is mostly the node's own is a wrapper with an unlucky class name."""
    current: LexborNode | None = node
    depth = 0
    own_chars = -1
    while current is not None and current.tag not in ("body", "html", "#document") and depth < 4:
        tag = current.tag
        if tag not in ("article", "main", "form") and is_junk_node(current):
            if depth == 0 or _is_comments(current):
                return True
            if own_chars < 0:
                own_chars = len(node.text(deep=True))
            if own_chars < 0.6 * len(current.text(deep=True)):
                return True
        current = current.parent
        depth += 1
    return False


def _is_comments(node: LexborNode) -> bool:
    """A comment thread: never the article, however much of the page's text it holds."""
    attrs = node.attributes
    names = ((attrs.get("class") or "") + " " + (attrs.get("id") or "")).lower()
    names = names.replace("commentary", "")
    return "comment" in names and "article" not in names and "content" not in names


class _Scores:
    """Paragraph text credited to ancestors: decayed (parent, grandparent...) to find the
    densest node, and undecayed totals to see whether siblings hold more of the article."""

    def __init__(self) -> None:
        self.decayed: dict[int, float] = {}
        self.total: dict[int, int] = {}
        self.nodes: dict[int, LexborNode] = {}
        self._chains: dict[int, list[int]] = {}  # a node's id -> its ancestors' ids, itself first

    def credit(self, node: LexborNode | None, length: int) -> None:
        if node is None:
            return
        chain = self._chains.get(node.mem_id)
        if chain is None:  # paragraphs share parents: walk each parent's ancestry once
            chain = self._chains[node.mem_id] = self._ancestry(node)
        weight = float(min(length, 1000)) + 50.0  # many paragraphs beat one long blurb
        total, decayed = self.total, self.decayed
        for depth, key in enumerate(chain):
            total[key] = total.get(key, 0) + length
            if depth < 3:
                decayed[key] = decayed.get(key, 0.0) + weight * _DECAY[depth]

    def _ancestry(self, node: LexborNode | None) -> list[int]:
        chain: list[int] = []
        while node is not None and node.tag not in ("html", "#document") and len(chain) < 12:
            key = node.mem_id
            self.nodes[key] = node
            chain.append(key)
            node = node.parent
        return chain


_DECAY = (1.0, 0.5, 0.25)


def find_container(tree: LexborHTMLParser) -> tuple[LexborNode | None, str]:
    """The node whose paragraphs are the article: readability-style scoring of paragraph text
    (<p>, and divs holding text directly), then widened to an ancestor when its other children
    add article-like text. <br>-separated text is the fallback for pages without paragraphs."""
    scores = _Scores()
    paragraph_chars = 0
    for p in tree.css("p, pre, blockquote"):
        length = len(p.text(deep=True).strip())
        if length >= _MIN_PARAGRAPH_CHARS:
            scores.credit(p.parent, length)
            paragraph_chars += length
    # Text held directly by divs matters only when <p>s hold little of the page's text
    # (measured only when the <p>s are few: a full text() of a big page is not free).
    scanned = False
    if paragraph_chars < 3000:
        body = tree.body
        page_chars = len(body.text(deep=True)) if body is not None else 0
        if paragraph_chars < 0.4 * page_chars:
            _credit_text_holders(tree, scores)
            scanned = True
    rule = "scored paragraphs"
    best, ranked = _best_outside_junk(scores)
    if best is None and not scanned:
        # Every paragraph-rich node is furniture (a long comment thread under a post whose
        # text sits in divs): the divs' own text may hold the article.
        _credit_text_holders(tree, scores)
        best, ranked = _best_outside_junk(scores)
    if best is None and ranked:
        # Every strong candidate sits in something junk-named ("sidebar-grid" layouts):
        # the best of them still beats no article at all.
        best, rule = scores.nodes[ranked[0]], "scored paragraphs, despite junk-like classes"
    if best is not None:
        best, widened = _widen(best, scores)
        if widened:
            rule = "scored paragraphs, widened to siblings"
    best_total = scores.total.get(best.mem_id, 0) if best is not None else 0
    if best_total < 600:
        brs = tree.css("br")
        if brs:
            parents: dict[int, LexborNode] = {}
            breaks: dict[int, int] = {}
            for br in brs[:2000]:
                parent = br.parent
                if parent is not None and parent.tag not in ("body", "html"):
                    parents[parent.mem_id] = parent
                    breaks[parent.mem_id] = breaks.get(parent.mem_id, 0) + 1
            for key, node in parents.items():
                text = collapse(node.text(deep=True))
                if len(text) / (breaks[key] + 1) < 40 or text.count(". ") < 2:
                    continue  # a menu or an address block, not prose split by line breaks
                if is_junk_node(node) or _inside_junk(node):
                    continue  # a cookie notice, a comment form, a sidebar widget
                score = len(text) * (1.0 - _link_density(node, len(text)))
                if score > best_total:
                    best, best_total, rule = node, int(score), "text with line breaks"
    return best, rule if best is not None else "none"


def _credit_text_holders(tree: LexborHTMLParser, scores: _Scores) -> None:
    for holder in tree.css(_TEXT_HOLDERS):
        length = len(holder.text(deep=False).strip())
        if length >= _MIN_DIV_TEXT_CHARS:
            scores.credit(holder, length)


def _best_outside_junk(scores: _Scores) -> tuple[LexborNode | None, list[int]]:
    """The best-scored node not inside furniture (among the top few), and the ranking."""
    ranked = sorted(scores.decayed, key=scores.decayed.__getitem__, reverse=True)[:5]
    for key in ranked:
        if not _inside_junk(scores.nodes[key]):
            return scores.nodes[key], ranked
    return None, ranked


def _widen(node: LexborNode, scores: _Scores) -> tuple[LexborNode, bool]:
    """Climb to an ancestor while it holds clearly more paragraph text and stays mostly text."""
    best, best_total, widened = node, scores.total.get(node.mem_id, 0), False
    # A node picked despite a junk-named ancestor ("sidebar-grid" layouts) may widen inside it.
    check_junk = not _inside_junk(node)
    best_chars = below = -1
    siblings = True  # whether the "siblings are paragraphs too" test is still worth its cost
    current = node.parent
    for _ in range(6):
        if current is None or current.tag in ("html", "#document"):
            break
        total = scores.total.get(current.mem_id, 0)
        clearly_more = total >= 1.5 * best_total
        # Or siblings that are paragraphs too (a text split into blocks around pictures and
        # ads): weighed where this level adds paragraphs, up to the first level that fails.
        if clearly_more or (siblings and total >= best_total + 100 and total > below):
            chars = len(current.text(deep=True))
            if best_chars < 0:
                best_chars = len(best.text(deep=True))
            if clearly_more or total - best_total >= 0.75 * (chars - best_chars):
                if total < 0.45 * chars or (check_junk and _inside_junk(current)):
                    break
                best, best_total, best_chars, widened = current, total, chars, True
            else:
                siblings = False
        below = total
        current = current.parent
    return best, widened


def _link_density(node: LexborNode, text_length: int) -> float:
    """The share of `node`'s text (`text_length` characters, collapsed) inside links."""
    anchors = node.css("a") if text_length else []
    if not anchors:
        return 0.0
    return sum(len(collapse(a.text(deep=True))) for a in anchors) / text_length


def _blocks_with_inner_blocks(container: LexborNode) -> tuple[list[LexborNode], set[int]]:
    """The container's blocks in document order, and the ids of those holding another block.

    In document order a block holds another exactly when the next block is its descendant,
    which a short walk up the parent chain decides: far cheaper than a CSS query per block."""
    blocks = container.css(_WALK_SELECTOR)
    holders: set[int] = set()
    stop = container.mem_id
    for index in range(len(blocks) - 1):
        target = blocks[index].mem_id
        node = blocks[index + 1].parent
        depth = 0
        while node is not None and depth < 40:
            key = node.mem_id
            if key == target:
                holders.add(target)
                break
            if key == stop:
                break
            node = node.parent
            depth += 1
    return blocks, holders


def collect_paragraphs(container: LexborNode) -> list[str]:
    """Paragraph-level text of `container`, in order, innermost blocks only, junk lines dropped.
    A heading such as "Read more" or "Related articles" after the text ends the article."""
    out: list[str] = []
    seen: set[str] = set()
    covered = 0
    total = len(container.text(deep=True))
    blocks, holders = _blocks_with_inner_blocks(container)
    linked = _blocks_inside_links(container, total)
    skip: set[int] = set()
    box_title = False  # whether the last line kept could be the title of a box of teasers
    teaser_summary = False  # whether the next paragraph follows a linked headline
    summaries: list[int] = []  # short paragraphs right after a linked headline
    for node in blocks:
        tag = node.tag
        if node.mem_id in linked:
            if box_title:  # "More columns:" right before teaser cards titles them
                out.pop()
                box_title = False
            continue
        if tag not in _BLOCK_TAGS or node.mem_id in holders or node.mem_id in skip:
            continue  # lists and tables are read item by item; outer blocks through inner ones
        if tag == "div" and node.css_first("br") is not None:
            lines = _split_on_breaks(node)
            covered += sum(len(line) for line in lines)
            out.extend(_filter_lines(lines, seen))
            continue
        text = collapse(node.text(deep=True))
        if not text:
            continue
        covered += len(text)
        if len(text) < 80 and _STOP_HEADING.match(text):
            box = _teaser_box(node, container, len(text))
            if box is not None:  # a "Related"/"Read also" box: skip what it holds
                skip.update(block.mem_id for block in box.css(_WALK_SELECTOR))
                continue
            if len(out) >= 2 and covered > 0.5 * total:
                return trim_tail(_without_teasers(out, summaries))  # a late heading ends it
        if is_boilerplate(text):
            continue
        if tag not in _HEADING_TAGS and _menu_word(text) and not (tag == "p" and _phrase(text)):
            continue  # "E-Mail", "Drucken", "UK": buttons and menu entries, not prose
        density = _link_density(node, len(text))
        if density > (0.5 if tag in ("li", "dd", "dt", "td", "th") else 0.8):
            teaser_summary = tag in _HEADING_TAGS and len(out) >= 2  # a teaser: a summary follows
            continue
        if teaser_summary:
            teaser_summary = False
            if len(text) < _TEASER_SUMMARY_CHARS:
                summaries.append(len(out))
        if tag in ("li", "td", "th") and len(text) < 3:
            continue
        if text in seen:
            continue
        seen.add(text)
        out.append(text)
        box_title = len(text) < 80 and text[-1] not in _PROSE_END
    bare = _bare_text_paragraphs(container, covered, total)
    return trim_tail(
        _filter_lines(bare, set()) if bare is not None else _without_teasers(out, summaries)
    )


def _without_teasers(paragraphs: list[str], summaries: list[int]) -> list[str]:
    """The paragraphs less the short ones that follow a linked headline, when there are
    several: a list of teasers (headline, summary), not one linked subheading."""
    if len(summaries) < 2:
        return paragraphs
    dropped = set(summaries)
    return [paragraph for index, paragraph in enumerate(paragraphs) if index not in dropped]


def _blocks_inside_links(container: LexborNode, total: int) -> set[int]:
    """Blocks inside a link: a teaser card (picture, kicker, headline, summary in one <a>)
    points to another story. Unless they hold most of the text (an unclosed <a> before the
    article swallows everything after it)."""
    links = container.css(_BLOCK_LINK_SELECTOR)
    if not links or sum(len(a.text(deep=True)) for a in links) > 0.5 * total:
        return set()
    return {n.mem_id for n in container.css(_IN_LINK_SELECTOR)}


def _teaser_box(
    heading: LexborNode, container: LexborNode, heading_chars: int
) -> LexborNode | None:
    """The box a "Related"/"Read also" heading titles, when that box is mostly links or short
    teaser lines: the smallest ancestor (below the container) holding more than the heading,
    or, for a heading written straight into the article, the element right after it."""
    own = container.mem_id
    limit = 0.5 * len(container.text(deep=True))
    node = heading.parent
    for _ in range(3):
        if node is None or node.mem_id == own:
            break
        length = len(collapse(node.text(deep=True)))
        if length > heading_chars + 20:
            if length > limit:
                break  # the ancestor is most of the article: not a box
            return node if _link_density(node, length) > 0.3 else None
        node = node.parent
    following = heading.next
    while following is not None and following.tag in ("-text", "_comment"):
        following = following.next
    if following is None or following.tag in _HEADING_TAGS:
        return None
    length = len(collapse(following.text(deep=True)))
    if 0 < length <= limit and _link_density(following, length) > 0.3:
        return following
    return None


def _filter_lines(lines: list[str], seen: set[str]) -> list[str]:
    """The same filters for text split on line breaks: stop headings, boilerplate, menu words."""
    out: list[str] = []
    for line in lines:
        if len(line) < 80 and _STOP_HEADING.match(line) and len(out) >= 2:
            break
        if is_boilerplate(line):
            continue
        if _menu_word(line):
            continue
        if line in seen:
            continue
        seen.add(line)
        out.append(line)
    return out


def trim_tail(paragraphs: list[str]) -> list[str]:
    """Drop the short, unfinished lines after the last prose paragraph: calls to action,
    credits, teaser headings of whatever follows the article."""
    end = len(paragraphs)
    floor = max(1, end - 4)  # calls to action are looked for among the last few lines only
    while end > 1:
        last = paragraphs[end - 1]
        prose = len(last) >= 80 or (len(last) >= 25 and last.rstrip()[-1:] in _PROSE_END)
        if prose and (end <= floor or len(last) >= 300 or not _CALL_TO_ACTION.search(last.lower())):
            break
        end -= 1
    return paragraphs[:end]


# What a publisher appends to every article: app, newsletter and social prompts, donation
# and membership appeals, citation hints, standards notes. Searched in the last lines only.
_CALL_TO_ACTION = re.compile(
    r"newsletter|posteingang|(?:download|get) (?:the|our) .{0,30}app\b|apps? for (?:ios|android)|"
    r"\btelegram\b|whatsapp-kanal|youtube-kanal|canal de (?:youtube|telegram)|"
    r"follow (?:us|the \w+) on|folgen sie (?:uns|\w+) auf|folge uns|síguenos|suivez-nous|"
    r"(?:on|auf|en) (?:twitter|facebook|instagram)(?: (?:and|und|y|or|oder|o) (?:twitter|facebook|instagram))|"
    r"subscribe|abonnieren|abonnez|suscríbete|suscribirse|registrieren sie sich|hier klicken|"
    r"click here|keine kommentare|no comments yet|beitragsbild|our standards|stay up-to-date|"
    r"get the latest (?:news|stories)|lust auf mehr|gefällt (?:dir|ihnen) unser|werden sie mitglied|"
    r"jede (?:kleine )?spende|donate now|suggested citation|zitiervorschlag|"
    r"im abo|als e-paper|kontaktformular",
)  # matched on lower-cased text: an IGNORECASE alternation is several times slower


def _split_on_breaks(node: LexborNode) -> list[str]:
    for br in node.css("br")[:5000]:
        br.replace_with("\n")
    return [line for line in (collapse(x) for x in node.text(deep=True).split("\n")) if line]


def _bare_text_paragraphs(container: LexborNode, collected: int, total: int) -> list[str] | None:
    """For text written straight into divs with <br>s: split on line breaks instead.
    `total` is the container's raw text length (with its whitespace), `collected` what the
    block walk read (collapsed)."""
    if total < 200 or collected >= 0.5 * total:
        return None
    for br in container.css("br")[:5000]:
        br.replace_with("\n")
    for block in container.css("div, p, h2, h3, h4, h5, h6, li, blockquote, section, tr")[:5000]:
        block.insert_after("\n")
    return [line for line in (collapse(x) for x in container.text(deep=True).split("\n")) if line]


def extract_body(tree: LexborHTMLParser, extra_drop: tuple[str, ...] = ()) -> BodyResult:
    """Strip junk from `tree` (in place) and return the article's paragraphs."""
    drop_nodes(tree, extra_drop)
    tree.strip_tags(["nav", "figure", "figcaption", "menu", "dialog"])  # these may hold <p>s
    # A paywall's second copy of the text, a collapsed widget.
    for node in tree.css('[style*="none"], [style*="hidden"]'):
        if _hidden_by_style(node.attributes.get("style") or ""):
            node.remove()
    container, rule = find_container(tree)
    if container is None:
        return BodyResult([], rule)
    stories = container.css("article:has(h1)")
    if len(stories) > 1:
        # The next story loaded below this one (endless scrolling): the page's own comes first
        # (and holds a fair share of the text: a list of teaser cards does not).
        first = len(stories[0].text(deep=True))
        if first >= 1000 and first >= 0.25 * len(container.text(deep=True)):
            container, rule = stories[0], rule + ", first of several stories"
    container.strip_tags(HARD_JUNK_TAGS)  # the rest only matter inside the article
    strip_junk_inside(container)
    return BodyResult(collect_paragraphs(container), rule)


def _hidden_by_style(style: str) -> bool:
    """Whether an inline style hides the node (two plain substring selectors and this test
    beat four case-insensitive selectors)."""
    squeezed = style.replace(" ", "").lower()
    return "display:none" in squeezed or "visibility:hidden" in squeezed


def paragraphs_of(nodes: list[LexborNode]) -> list[str]:
    """Paragraphs of profile-selected body nodes (in order)."""
    out: list[str] = []
    for node in nodes:
        strip_junk_inside(node)
        paragraphs = collect_paragraphs(node)
        if not paragraphs:
            text = collapse(node.text(deep=True))
            paragraphs = [text] if text else []
        out.extend(paragraphs)
    return out


_WORDS = re.compile(r"\w+")


def word_key(text: str) -> str:
    """Lower-cased words only: for comparing texts whatever their punctuation and spacing."""
    return " ".join(_WORDS.findall(text.lower().replace("\u00ad", "")))


def confirm_by_article_body(paragraphs: list[str], article_body: str) -> list[str] | None:
    """Keep the page paragraphs that JSON-LD articleBody also has (and headings just before
    them), when they cover most of it; None when the two disagree too much to judge."""
    reference = word_key(article_body)
    keys = [word_key(p) for p in paragraphs]
    found = [bool(k) and k[:200] in reference for k in keys]
    covered = sum(len(k) for k, hit in zip(keys, found, strict=True) if hit)
    if covered < 0.7 * len(reference):
        return None
    last = max(i for i, hit in enumerate(found) if hit)
    # A truncated articleBody (a paywall teaser) says nothing about what follows its end.
    complete = reference[-60:] in " ".join(k for k, hit in zip(keys, found, strict=True) if hit)
    kept = []
    for index, paragraph in enumerate(paragraphs):
        heading_before_kept = len(paragraph) < 120 and index + 1 < len(found) and found[index + 1]
        if found[index] or heading_before_kept or (index > last and not complete):
            kept.append(paragraph)
    return kept


def article_body_paragraphs(article_body: str) -> list[str]:
    """Paragraphs of a JSON-LD articleBody: plain text split on newlines, or, when the
    publisher put HTML in it, the paragraphs of that HTML."""
    if "<" in article_body and ">" in article_body:
        fragment = LexborHTMLParser(article_body[:MAX_ARTICLE_BODY])
        fragment.strip_tags(["script", "style", *HARD_JUNK_TAGS])
        if fragment.body is not None:
            return collect_paragraphs(fragment.body)
    return [line for line in (collapse(x) for x in article_body.split("\n")) if line]


MAX_ARTICLE_BODY = 2_000_000
