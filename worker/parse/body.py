"""Generic main-content extraction: find the node holding the article's paragraphs and turn it
into clean paragraphs, leaving navigation, share bars, related links, comments and footers out.

The heavy lifting stays in lexbor's C code: tag stripping and CSS selection in bulk; Python only
visits paragraph-level nodes, never every node of the page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser, LexborNode

from worker.parse.document import contains
from worker.parse.furniture import (
    PROSE_END,
    ends_in_read_more,
    is_author_bio,
    is_boilerplate,
    is_call_to_action,
    is_menu_word,
    is_stop_heading,
    reads_as_phrase,
    trim_tail,
)
from worker.parse.normalise import collapse
from worker.parse.tries import trie_alternation

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
    "comment", "related", "newsletter", "whatsapp", "cookie", "outbrain", "taboola", "breadcrumb",
    "subscribe", "signup", "most-popular", "mostpopular", "trending", "more-stories",
    "further-reading", "teaser-list", "read-more", "readmore", "promo", "advert", "popup",
    "popmake", "flyout", "modal", "dialog", "recommend", "paywall-prompt", "consent", "author-bio",
    "authorbio", "author-box", "authorbox", "author-info", "about-author", "about-the-author",
    "autorenbox", "author__intro", "twitter-tweet", "instagram-media", "tiktok-embed",
    "pullquote", "pull-quote", "pull_quote", "factbox", "fact-box", "infobox", "info-box",
)  # fmt: skip
_WEAK_JUNK = (
    "share", "sharing", "social", "sidebar", "byline", "tag-list",
    "taglist", "article-tags", "footer", "pagination", "banner", "caption", "disclaimer",
    "rating", "teaser", "video", "player", "image", "gallery", "author", "copyright",
    "print-only", "skip-link", "jump-link", "toolbar", "masthead", "overlay", "dropdown", "credit",
)  # fmt: skip
# (Only ever searched for whether they occur: as tries, they cost half a flat alternation.)
_STRONG_RE = re.compile(trie_alternation(_STRONG_JUNK))
_WEAK_RE = re.compile(trie_alternation(_WEAK_JUNK))
_CONTENT_RE = re.compile(
    trie_alternation(
        ("article", "artikel", "content", "entry", "post", "story", "text", "body", "main")
    )
)
_JUNK_CLASS_TOKENS = frozenset(
    {"ad", "ads", "nav", "navbar", "menu", "tags", "meta", "credit", "credits", "hidden", "sr-only",
     "visually-hidden", "screen-reader-text", "rail", "noprint", "no-print", "d-none", "invisible"}
)  # fmt: skip
# What extract_body strips from the whole tree first: they may hold <p>s. (A pass per tag,
# whether the page has it or not: noting the rare ones in an earlier query cost more.)
_STRIPPED_FIRST = ["nav", "figure", "figcaption", "menu", "dialog"]
# Ruby readings (<rt>) are set over the characters, not in the line of text: dropped, unless
# the publisher wrote <rp> parentheses, its own plain-text form of the ruby ("弾劾（だんがい）").
_BARE_RUBY_READING = "ruby:not(:has(rp)) > rt"
# The hard junk left for _read_block to take out of a block of such a tree (a selector part
# costs a test on every element, and these five can no longer match).
_BLOCK_JUNK_SELECTOR = ", ".join(tag for tag in HARD_JUNK_TAGS if tag not in _STRIPPED_FIRST)
_JUNK_TAGS = frozenset({"footer", "aside", "form", "header"})
_CANDIDATE_SELECTOR = (
    "[class], [id], footer, aside, form, [role], [hidden], [aria-hidden], [aria-label]"
)
# Boxes whose aria-label is read like a class name (a link's label says where it goes, not what
# the link is: "Read the related report" may be a link in the text).
_LABELLED_BOXES = frozenset({"div", "section"})
_JUNK_ROLES = frozenset({"navigation", "complementary", "dialog", "banner", "contentinfo", "menu"})
BLOCK_SELECTOR = "p, h2, h3, h4, h5, h6, li, blockquote, pre, dd, dt, td, th, div"
_BLOCK_TAGS = frozenset(t.strip() for t in BLOCK_SELECTOR.split(","))
_WALK_SELECTOR = BLOCK_SELECTOR + ", table, ul, ol, dl, section, article"
_LINK_BLOCK_TAGS = ("p", "h2", "h3", "h4", "h5", "h6", "li", "div")
_BLOCK_LINK_SELECTOR = f"a[href]:has({', '.join(_LINK_BLOCK_TAGS)})"
_IN_LINK_SELECTOR = ", ".join(f"a[href] {tag}" for tag in _LINK_BLOCK_TAGS)
_HEADING_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
_MIN_PARAGRAPH_CHARS = 25
_TEASER_SUMMARY_CHARS = 300
_MIN_DIV_TEXT_CHARS = 60
_SLUG_HYPHENS = 4  # an id with this many hyphens is a slug of a heading, not a name
_TEASER_CARD_CHARS = 500  # a linked <article> shorter than this inside the article is a teaser
# Stop headings after which no more article text comes, whatever prose follows: comment
# threads and author bios are prose too.
_CLOSING_HEADING = re.compile(r"comment|kommentar|comentario|reply|antwort|author|autor|auteur")
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
    tokens = low.split()
    if _STRONG_RE.search(low) or not _JUNK_CLASS_TOKENS.isdisjoint(tokens):
        return True
    if any(token.startswith(("ad-", "ads-")) for token in tokens):
        return True  # "ad-container", "ad-slot": an ad unit, whatever it holds
    return bool(_WEAK_RE.search(low)) and not _CONTENT_RE.search(low)


def is_junk_node(node: LexborNode, tag: str | None = None) -> bool:
    """Whether an element is furniture by its tag or attributes (`tag`: its tag, when the
    caller has read it already)."""
    if tag is None:
        tag = node.tag
    if tag in _JUNK_TAGS and tag != "header":
        return True
    attrs = node.attributes  # one C call for all attributes beats several lookups
    if not attrs:
        return False
    if "hidden" in attrs:
        return True
    if attrs.get("aria-hidden") == "true" and tag != "p":
        return True  # but a paragraph hidden from screen readers is text (a paywall's)
    role = attrs.get("role")
    if role and role.lower() in _JUNK_ROLES:
        return True
    ident = attrs.get("id")
    if ident and ident.count("-") >= _SLUG_HYPHENS:
        # A slug of the text (an anchor such as "zendaya-promoted-dune-part-two-in-london"):
        # its words say nothing about the node.
        ident = ""
    if tag in _LABELLED_BOXES:
        label = attrs.get("aria-label")
        if label and _STRONG_RE.search(label.lower()):
            return True  # a box labelled for screen readers: "Newsletter Anmeldung"
    names = (attrs.get("class") or "") + " " + (ident or "")
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
    own = previous = container.mem_id
    removed = False
    for node in container.css(_CANDIDATE_SELECTOR):
        key = node.mem_id
        if key == previous:
            continue  # lexbor lists a node once per selector part it matches, in a row
        previous = key
        if removed and node.parent is None:
            # Inside a node removed already: remove() detaches every node of the subtree
            # from its parent, so this one is out of the tree, empty, and nothing to judge.
            continue
        tag = node.tag
        if key == own or tag in ("article", "main") or not is_junk_node(node, tag):
            continue
        if tag == "header" and node.css_first("h1") is not None:
            continue
        if keep_limit < 0:
            keep_limit = max(len(container.text(deep=True)) * 0.5, 1500)
        text = node.text(deep=True)
        if len(text) > keep_limit:
            continue  # a wrapper whose class happens to sound like junk
        if len(text) >= 400 and _holds_prose(node, len(text)):
            continue  # "sidebar-grid__container" around a part of the article's own text
        node.remove()
        removed = True


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
        if len(text) >= 80 and text[-1] in PROSE_END:
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
        if tag not in ("article", "main", "form") and is_junk_node(current, tag):
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

    def credit(
        self, node: LexborNode | None, length: int, weight_of: int = -1, rank: bool = True
    ) -> None:
        """Credit `length` characters of text in `node` to it and its ancestors; the choice
        among them weighs the text as `weight_of` characters when given (see _text_weight);
        `rank` False adds to the totals only."""
        weighed = length if weight_of < 0 else weight_of
        self._add(node, length, _weight(weighed) if rank else None)

    def credit_paragraphs(self, paragraphs: list[tuple[LexborNode | None, int, int]]) -> None:
        """credit() for each (parent, length, weight_of), summed per parent first: paragraphs
        share a few parents, and each credit walks up the ancestry. The totals come out the
        same, in the same order (whole numbers of characters, weights decayed by halves, add
        up exactly in any order)."""
        sums: dict[int, tuple[LexborNode, int, float]] = {}
        for parent, length, weight_of in paragraphs:
            if parent is not None:
                _, chars, weight = sums.get(parent.mem_id, (parent, 0, 0.0))
                sums[parent.mem_id] = (parent, chars + length, weight + _weight(weight_of))
        for parent, length, weight in sums.values():
            self._add(parent, length, weight)

    def _add(self, node: LexborNode | None, length: int, weight: float | None) -> None:
        if node is None:
            return
        chain = self._chains.get(node.mem_id)
        if chain is None:  # paragraphs share parents: walk each parent's ancestry once
            chain = self._chains[node.mem_id] = self._ancestry(node)
        total = self.total
        for key in chain:
            total[key] = total.get(key, 0) + length
        if weight is not None:
            decayed = self.decayed
            # (the node and its two nearest ancestors: the chain may be shorter)
            for key, decay in zip(chain, _DECAY, strict=False):
                decayed[key] = decayed.get(key, 0.0) + weight * decay

    def _ancestry(self, node: LexborNode | None) -> list[int]:
        """The ids of `node` and its ancestors below <html>, twelve at most. The walk stops
        at an ancestor whose chain is known and takes the rest from it; the chains of the
        nodes walked are kept too (paragraphs and text holders share most of their ancestry)."""
        chains = self._chains
        path: list[int] = []
        tail: list[int] = []
        while node is not None:
            key = node.mem_id
            known = chains.get(key)
            if known is not None:
                tail = known
                break
            if node.tag in ("html", "#document"):
                break
            if len(path) == _MAX_ANCESTRY:
                return path  # the ancestors walked have longer chains than this one holds
            self.nodes[key] = node
            path.append(key)
            node = node.parent
        for index in range(1, len(path)):
            chains[path[index]] = path[index:] + tail[: _MAX_ANCESTRY - len(path) + index]
        return path + tail[: _MAX_ANCESTRY - len(path)]


_DECAY = (1.0, 0.5, 0.25)
_MAX_ANCESTRY = 12


def _weight(chars: int) -> float:
    """A text's weight in the choice of the container: many paragraphs beat one long blurb."""
    return float(min(chars, 1000)) + 50.0


_DESPITE_JUNK_RULE = "scored paragraphs, despite junk-like classes"
_SCORED_SELECTOR = "p, pre, blockquote, p > a[href]:only-child"
# Paragraph text below which the container may be one block of several (and in bytes, twice
# that: a CJK text of as many characters is a whole article).
_SHORT_TEXT_CHARS = 800
_SHORT_TEXT_LEVELS = 3
_LIST_SCAN_CHARS = 3000
_MIN_LIST_ITEMS = 4  # fewer unlinked items are a date line or key points, not text
_DEEP_RANKS = 40  # how far down the ranking a node outside furniture is looked for
_DEEP_RANK_CHARS = 500  # the paragraph text such a node needs


def find_container(tree: LexborHTMLParser) -> tuple[LexborNode | None, str]:
    """The node whose paragraphs are the article: readability-style scoring of paragraph text
    (<p>, and divs holding text directly), then widened to an ancestor when its other children
    add article-like text. <br>-separated text is the fallback for pages without paragraphs."""
    scores = _Scores()
    paragraph_chars = 0
    paragraphs: list[tuple[LexborNode | None, int, int]] = []
    linked: list[tuple[LexborNode | None, int, int]] = []
    last_p, last_length = -1, 0
    for p in tree.css(_SCORED_SELECTOR):
        if p.tag == "a":
            # A paragraph that is one link (a teaser's blurb, a footer's list of services) is
            # not text: _read_block drops it, so it earns its block no rank either (it still
            # counts in the totals that widening weighs). The link comes right after its <p>
            # in the match list, which is in document order.
            parent = p.parent
            if parent is not None and parent.mem_id == last_p:
                if len(p.text(deep=True).strip()) >= 0.8 * last_length:
                    linked.append(paragraphs.pop())
                    paragraph_chars -= last_length
                last_p = -1
            continue
        text = p.text(deep=True).strip()
        length = len(text)
        if length >= _MIN_PARAGRAPH_CHARS:
            paragraphs.append((p.parent, length, _text_weight(text)))
            paragraph_chars += length
            last_p, last_length = p.mem_id, length
        else:
            last_p = -1
    scores.credit_paragraphs(paragraphs)
    for parent, length, _ in linked:
        scores.credit(parent, length, rank=False)
    # Unlinked lists of several sentences (ingredients, steps, findings) are text too: they
    # count towards the totals that widening weighs, but make no candidate of their own.
    # (Only on pages of little paragraph text: a long article is found without them.)
    if paragraph_chars < _LIST_SCAN_CHARS:
        for listing, chars in _unlinked_lists(tree):
            scores.credit(listing, chars, rank=False)
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
        best, rule = scores.nodes[ranked[0]], _DESPITE_JUNK_RULE
    if best is not None:
        best, widened = _widen(best, scores)
        if widened:
            rule = "scored paragraphs, widened to siblings"
        if (
            scores.total.get(best.mem_id, 0) < _SHORT_TEXT_CHARS
            and len(collapse(best.text(deep=True)).encode()) < 2 * _SHORT_TEXT_CHARS
        ):
            wider = _widen_short(best)
            if wider is not best:
                best, rule = wider, rule + ", short text widened to its block"
    best_total = scores.total.get(best.mem_id, 0) if best is not None else 0
    if best_total < 600:
        brs = tree.tags("br")
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
            if rule == "text with line breaks" and best is not None and best.tag == "li":
                best = best.parent or best  # one item of several set with <br>s: the list is it
    return best, rule if best is not None else "none"


def _unlinked_lists(tree: LexborHTMLParser) -> list[tuple[LexborNode, int]]:
    """(list, characters) of each list without links that has _MIN_LIST_ITEMS or more items
    of paragraph length (nested lists' items count in each list around them), in page order.
    Links, items and lists are each placed once and the totals summed bottom-up: a list
    reading all the items below it (or a :has(a) query) is quadratic in the nesting."""
    listings = tree.css("ul, ol")
    if not listings:
        return []
    above: dict[int, int | None] = {}  # a node's id -> the id of the nearest list around it

    def enclosing(node: LexborNode) -> int | None:
        walked = []
        parent = node.parent
        while parent is not None and parent.tag not in ("ul", "ol"):
            if parent.mem_id in above:
                found = above[parent.mem_id]
                break
            walked.append(parent.mem_id)
            parent = parent.parent
        else:
            found = None if parent is None else parent.mem_id
        above.update(dict.fromkeys(walked, found))
        return found

    linked = {enclosing(anchor) for anchor in tree.css("ul a, ol a")}
    for listing in reversed(listings):  # inner lists come after the lists around them
        if listing.mem_id in linked:
            linked.add(enclosing(listing))
    unlinked = [listing for listing in listings if listing.mem_id not in linked]
    if not unlinked:
        return []  # (most pages: menus and teaser lists)
    totals = {listing.mem_id: [0, 0] for listing in unlinked}  # characters, items
    outermost = [
        node for node in unlinked if (around := enclosing(node)) is None or around in linked
    ]
    for item in _items_of(tree, outermost):
        key = enclosing(item)
        if key is not None and key not in linked:
            chars = len(item.text(deep=True).strip())
            if chars >= _MIN_PARAGRAPH_CHARS:
                totals[key][0] += chars
                totals[key][1] += 1
    for listing in reversed(unlinked):
        key = enclosing(listing)
        if key is not None and key not in linked:  # (then neither is this list)
            totals[key][0] += totals[listing.mem_id][0]
            totals[key][1] += totals[listing.mem_id][1]
    return [
        (listing, chars)
        for listing in unlinked
        for chars, items in [totals[listing.mem_id]]
        if items >= _MIN_LIST_ITEMS
    ]


def _items_of(tree: LexborHTMLParser, outermost: list[LexborNode]) -> list[LexborNode]:
    """The list items that lists without links may hold: those in the `outermost` such lists
    (no list without links around them), whose trees do not overlap; or, past a few of them,
    every item of the page (one walk, cheaper than a query per list)."""
    if len(outermost) > _ITEM_QUERIES:
        return tree.tags("li")
    return [item for listing in outermost for item in listing.css("li")]


_ITEM_QUERIES = 3


def _text_weight(text: str) -> int:
    """The length of a text in Latin-script characters: a Chinese, Japanese or Korean
    character carries about a word, so it counts three (else a Japanese article's paragraphs
    lose to a footer's list of short blurbs)."""
    if text.isascii() or _CJK.search(text, 0, 40) is None:  # a CJK text shows it at once
        return len(text)
    return len(text) + 2 * sum(map(len, _CJK.findall(text)))


# Runs of them: a match per run, not per character.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+")


def _credit_text_holders(tree: LexborHTMLParser, scores: _Scores) -> None:
    for holder in tree.css(_TEXT_HOLDERS):
        text = holder.text(deep=False).strip()
        if len(text) >= _MIN_DIV_TEXT_CHARS:
            scores.credit(holder, len(text), _text_weight(text))


def _best_outside_junk(scores: _Scores) -> tuple[LexborNode | None, list[int]]:
    """The best-scored node not inside furniture (among the top few), and the ranking.
    When the top ones are a comment thread, a node further down with a few paragraphs of its
    own is looked for: a long thread outscores the short post it is about."""
    ordered = sorted(scores.decayed, key=scores.decayed.__getitem__, reverse=True)
    ranked = ordered[:5]
    for key in ranked:
        if not _inside_junk(scores.nodes[key]):
            return scores.nodes[key], ranked
    if not ranked or not _in_comments(scores.nodes[ranked[0]]):
        return None, ranked
    for key in ordered[5:_DEEP_RANKS]:
        if scores.total.get(key, 0) >= _DEEP_RANK_CHARS and not _inside_junk(scores.nodes[key]):
            return scores.nodes[key], ranked
    return None, ranked


def _in_comments(node: LexborNode) -> bool:
    """Whether `node` or a near ancestor is a comment thread."""
    current: LexborNode | None = node
    for _ in range(6):
        if current is None or current.tag in ("body", "html", "#document"):
            return False
        if _is_comments(current):
            return True
        current = current.parent
    return False


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


def _widen_short(node: LexborNode) -> LexborNode:
    """A short text is often one of several blocks of a page that is no classic article (a
    recipe's steps beside its ingredients, a product's description beside its details): climb
    to the ancestor holding them, while it stays mostly unlinked text of modest size."""
    best = node
    chars = len(collapse(node.text(deep=True)))
    limit = 4 * max(chars, 300)
    current = node.parent
    for _ in range(_SHORT_TEXT_LEVELS):
        if current is None or current.tag in ("body", "html", "#document"):
            break
        length = len(collapse(current.text(deep=True)))
        if length > limit or current.css_first("h1") is not None:
            break  # too much, or the headline's block: its byline and date lines are no text
        if length > chars and not is_junk_node(current) and _link_density(current, length) < 0.25:
            best = current
        current = current.parent
    return best


def _link_density(node: LexborNode, text_length: int) -> float:
    """The share of `node`'s text (`text_length` characters, collapsed) inside links."""
    if not text_length:
        return 0.0
    if text_length < _SHORT_BLOCK_CHARS:
        # A short block has a few descendants: walking them costs half a query's fixed cost.
        anchors = [child for child in node.traverse() if child.tag == "a" and _is_link(child)]
    else:
        anchors = [anchor for anchor in node.css("a") if _is_link(anchor)]
    if not anchors:
        return 0.0
    return sum(len(collapse(a.text(deep=True))) for a in anchors) / text_length


_SHORT_BLOCK_CHARS = 200


def _is_link(anchor: LexborNode) -> bool:
    """Whether an <a> links somewhere: a named anchor (<a name="q1">, a jump target around a
    question or heading) is text."""
    attrs = anchor.attributes
    return "href" in attrs or "name" not in attrs


def _blocks_with_inner_blocks(
    container: LexborNode,
) -> tuple[list[LexborNode], list[int], set[int]]:
    """The container's blocks in document order, their ids, and the ids of those holding
    another block.

    In document order a block holds another exactly when the next block is its descendant,
    which a short walk up the parent chain decides: far cheaper than a CSS query per block.
    (Each block's id and parent are read once: the walks start from them.)"""
    blocks = container.css(_WALK_SELECTOR)
    stop = container.mem_id
    ids = [block.mem_id for block in blocks]
    parents = [block.parent for block in blocks]
    parent_ids = [parent.mem_id if parent is not None else stop for parent in parents]
    holders: set[int] = set()
    for index in range(len(blocks) - 1):
        node = parents[index + 1]
        if node is None:
            continue
        target = ids[index]
        # Reaching the block's own parent first means the next block is not inside it: the
        # usual case of sibling paragraphs, decided in one step instead of a climb to the top.
        beside = parent_ids[index]
        key = parent_ids[index + 1]
        depth = 0
        while True:
            if key == target:
                holders.add(target)
                break
            if key in (stop, beside):
                break
            node = node.parent
            depth += 1
            if node is None or depth >= 40:
                break
            key = node.mem_id
    return blocks, ids, holders


_INLINE_TAGS = frozenset(
    {"-text", "a", "abbr", "b", "bdi", "cite", "code", "em", "font", "i", "mark", "q", "s",
     "small", "span", "strong", "sub", "sup", "time", "u"}
)  # fmt: skip
_WALK_TAGS = frozenset(t.strip() for t in _WALK_SELECTOR.split(","))
_MIN_LOOSE_CHARS = 80
_META_NAME = re.compile(r"meta", re.I)


def _loose_runs(
    container: LexborNode, blocks: list[LexborNode], holders: set[int]
) -> dict[int, list[str]]:
    """Long text written straight into the container or an outer block, before or between its
    blocks, by the index of the block it comes before. A lead is left there when a picture box inside
    its <p> closes the <p> early; the block walk reads only the blocks."""
    owners = [(container, 0)]
    if holders:
        owners += [(block, i + 1) for i, block in enumerate(blocks) if block.mem_id in holders]
    runs: dict[int, list[str]] = {}
    for owner, position in owners:
        if len(owner.text(deep=False).strip()) < _MIN_LOOSE_CHARS:
            continue  # the common case: whitespace between blocks
        if _META_NAME.search(owner.attributes.get("class") or ""):
            continue  # a post's meta line: 'By X on 21/02/2021. Filed under Y.'

        parts: list[str] = []
        for child in owner.iter(include_text=True):
            tag = child.tag
            if tag in _INLINE_TAGS and (tag == "-text" or child.css_first(_WALK_SELECTOR) is None):
                parts.append(child.text(deep=True))
                continue
            text = collapse("".join(parts))
            if len(text) >= _MIN_LOOSE_CHARS:
                runs.setdefault(position, []).append(text)
            parts = []
            if tag in _WALK_TAGS:
                position += 1
            if tag not in ("br", "-text", "_comment"):
                position += len(child.css(_WALK_SELECTOR))
        # (Text after the owner's last block is left out: there it is a post's meta line or
        # a plea for donations more often than text.)
    return runs


def collect_paragraphs(container: LexborNode) -> list[str]:
    """Paragraph-level text of `container`, in order, innermost blocks only, junk lines dropped.
    A heading such as "Read more" or "Related articles" after the text ends the article."""
    out: list[str] = []
    seen: set[str] = set()
    covered = 0
    total = len(container.text(deep=True))
    blocks, ids, holders = _blocks_with_inner_blocks(container)
    loose = _loose_runs(container, blocks, holders)
    linked = _blocks_inside_links(container, total)
    skip = _teaser_card_blocks(container)
    box_title = False  # whether the last line kept could be the title of a box of teasers
    teaser_summary = False  # whether the next paragraph follows a linked headline
    summaries: list[int] = []  # short paragraphs right after a linked headline
    items: set[str] = set()  # the text of list items kept
    parents: dict[str, int] = {}  # the text of paragraphs kept -> their parent's id
    pending: list[tuple[int, str]] = []  # loose text, by where in `out` it goes
    kept: list[LexborNode] = []  # the block of each line in `out`

    def finished() -> list[str]:
        lines = _with_loose(_without_repeats(out, kept), summaries, pending, seen)
        return _trim_keeping_items([line for line in lines if line], items, parents)

    for index, node in enumerate(blocks):
        if index in loose:
            pending += [(len(out), text) for text in loose.pop(index)]
        tag, key = node.tag, ids[index]
        if key in linked:
            if box_title:  # "More columns:" right before teaser cards titles them
                out.pop()
                kept.pop()
                box_title = False
            continue
        if tag not in _BLOCK_TAGS or key in holders or key in skip:
            continue  # lists and tables are read item by item; outer blocks through inner ones
        if tag == "div" and _holds_line_break(node):
            lines = _split_on_breaks(node)
            covered += sum(len(line) for line in lines)
            lines = _filter_lines(lines, seen)
            out.extend(lines)
            kept.extend([node] * len(lines))
            continue
        text = collapse(node.text(deep=True))
        if not text:
            continue
        covered += len(text)
        if len(text) < 80 and is_stop_heading(text):
            box = _teaser_box(node, container, len(text))
            if box is not None:  # a "Related"/"Read also" box: skip what it holds
                skip.update(block.mem_id for block in box.css(_WALK_SELECTOR))
                continue
            if len(out) >= 2 and covered > 0.5 * total:
                if _CLOSING_HEADING.search(text.lower()) or not _prose_after(
                    blocks, index, holders
                ):
                    return finished()  # a late heading ends it
                continue  # a box of teasers inside the article: the text goes on after it
        if is_boilerplate(text) or ends_in_read_more(text):
            continue
        if (
            tag not in _HEADING_TAGS
            and tag != "pre"  # a command or a line of code, set apart as such
            and is_menu_word(text)
            and not (tag == "p" and (reads_as_phrase(text) or _set_as_subheading(node, text)))
        ):
            continue  # "E-Mail", "Drucken", "UK": buttons and menu entries, not prose
        density = _link_density(node, len(text))
        if density > (0.5 if tag in ("li", "dd", "dt", "td", "th") else 0.8):
            teaser_summary = tag in _HEADING_TAGS and len(out) >= 2  # a teaser: a summary follows
            continue
        if tag == "p" and density >= 0.25 and _is_link_pointer(node, text):
            continue
        if len(text) < _CAPTION_CHARS and _follows_picture(node, len(text)):
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
        kept.append(node)
        if tag == "li":
            items.add(text)
        elif tag == "p" and node.parent is not None:
            parents[text] = node.parent.mem_id
        box_title = len(text) < 80 and text[-1] not in PROSE_END
    bare = _bare_text_paragraphs(container, covered, total)
    if bare is not None:
        return trim_tail(_filter_lines(bare, set()))
    return finished()


def _is_link_pointer(node: LexborNode, text: str) -> bool:
    """Whether a short, unfinished paragraph ends in its one link after a label: a pointer to
    another story ("Former commander: <a>Russia is a threat</a>", "Read also <a>...</a>")."""
    if len(text) >= _POINTER_CHARS or text[-1] in PROSE_END:
        return False
    anchors = [a for a in node.traverse() if a.tag == "a" and _is_link(a)]
    if len(anchors) != 1:
        return False  # several links are a list of them ("Miyazaki: <a>A</a>, <a>B</a>")
    linked = collapse(anchors[0].text(deep=True))
    if not linked or not text.endswith(linked) or _URL_TEXT.match(linked):
        return False  # a written-out address ("Fotos: https://...") is part of the text
    label = text[: -len(linked)].rstrip()
    return label.endswith((":", ">", "»", "→")) or len(label.split()) <= 3


_POINTER_CHARS = 150
_URL_TEXT = re.compile(r"https?://|www\.")


def _follows_picture(node: LexborNode, length: int) -> bool:
    """Whether a short block is a caption: it, or a wrapper of nothing else, comes right
    after an element that holds a picture and no text, in a box that holds nothing else."""
    current = node
    for _ in range(3):
        if _sibling(current, forward=True) is not None:
            return False  # the box goes on after it
        previous = _sibling(current, forward=False)
        if previous is not None and not _is_picture(previous):
            return False
        parent = current.parent  # (its text is read last: it may be the whole article)
        if parent is None or len(collapse(parent.text(deep=True))) > length:
            return False
        if previous is not None:
            return True
        current = parent
    return False


def _sibling(node: LexborNode, forward: bool) -> LexborNode | None:
    """The next sibling that is not blank text, a comment or an empty element (a spacer), or
    the previous one that is not blank text or a comment (an empty element there may be an
    <img>)."""
    sibling = node.next if forward else node.prev
    while sibling is not None and (
        sibling.tag == "-comment"
        or (sibling.tag == "-text" and not sibling.text().strip())
        or (forward and sibling.tag != "-text" and sibling.child is None)
    ):
        sibling = sibling.next if forward else sibling.prev
    return sibling


def _is_picture(node: LexborNode) -> bool:
    """Whether an element is a picture, or a box of one without text."""
    tag = node.tag
    if tag in ("img", "picture"):
        return True
    return (
        tag not in _TEXT_BLOCK_TAGS
        and node.css_first("img, picture") is not None
        and not node.text(deep=True).strip()
    )


_CAPTION_CHARS = 300
_TEXT_BLOCK_TAGS = _BLOCK_TAGS - {"div"}  # a paragraph or a heading is no picture's box


def _without_repeats(out: list[str], kept: list[LexborNode]) -> list[str]:
    """The lines less those that only repeat the page: orphaned headings and pull quotes."""
    return _without_pull_quotes(_without_orphan_headings(out, kept), kept)


def _without_pull_quotes(out: list[str], kept: list[LexborNode]) -> list[str]:
    """The lines with each quotation block blanked whose words another line holds: a pull
    quote, set in large type beside the paragraph it repeats (a quoted document or post
    repeats no paragraph)."""
    quotes = {i for i, node in enumerate(kept) if _in_blockquote(node)}
    if not quotes:
        return out
    # The other lines' words, joined once: a forum page may quote hundreds of posts.
    text = "\n".join(word_key(line) for i, line in enumerate(out) if i not in quotes)
    for index in quotes:
        key = word_key(out[index])
        if len(key) >= _MIN_PARAGRAPH_CHARS and key in text:
            out[index] = ""
    return out


def _in_blockquote(node: LexborNode) -> bool:
    current: LexborNode | None = node
    for _ in range(3):  # the quote, or its <p> or <div>, or a span's
        if current is None:
            return False
        if current.tag == "blockquote":
            return True
        current = current.parent
    return False


def _without_orphan_headings(out: list[str], kept: list[LexborNode]) -> list[str]:
    """The lines with each heading blanked whose box held more text but kept none of it:
    the title of a box of links or tools ("Story Tools", "Browse Issues") that was dropped."""
    for index, node in enumerate(kept):
        parent = node.parent
        if node.tag not in _HEADING_TAGS or parent is None or len(out[index]) >= 80:
            continue  # (a long "heading" is a pull quote or a deck, text in its own right)
        neighbours = kept[max(index - 1, 0) : index] + kept[index + 1 : index + 2]
        if any(_is_inside(other, parent) for other in neighbours):
            continue
        if len(collapse(parent.text(deep=True))) >= len(out[index]) + _ORPHAN_BOX_CHARS:
            out[index] = ""
    return out


_ORPHAN_BOX_CHARS = 20


def _is_inside(node: LexborNode, ancestor: LexborNode) -> bool:
    target = ancestor.mem_id
    current = node.parent
    while current is not None:
        if current.mem_id == target:
            return True
        current = current.parent
    return False


def _with_loose(
    out: list[str], summaries: list[int], pending: list[tuple[int, str]], seen: set[str]
) -> list[str]:
    """The paragraphs with the loose text set in where it stood, less teaser summaries."""
    dropped = set(summaries) if len(summaries) >= 2 else set()  # as _without_teasers
    if not pending:
        return _without_teasers(out, summaries)
    merged: list[str] = []
    runs = iter(pending)
    run = next(runs, None)
    for index, paragraph in enumerate([*out, ""]):
        while run is not None and run[0] == index:
            text = run[1]  # (a plea for donations is loose text more often than a <p>)
            if text not in seen and not is_boilerplate(text) and not is_call_to_action(text):
                seen.add(text)
                merged.append(text)
            run = next(runs, None)
        if index < len(out) and index not in dropped:
            merged.append(paragraph)
    return merged


def _trim_keeping_items(
    paragraphs: list[str], items: set[str], parents: dict[str, int]
) -> list[str]:
    """trim_tail, less the list items right after the last line it keeps: a list that ends
    the text (steps, ingredients, points) is the text, though its items are short and
    unfinished. (Linked items, which teaser lists are, never get this far.) So are short
    paragraphs beside the last one kept, in the same parent: a sign-off ("x Franzi"), not
    a box after the text, but not an author's note set in the text's own box."""
    kept = trim_tail(paragraphs)
    end = len(kept)
    while end < len(paragraphs):
        line = paragraphs[end]
        if is_call_to_action(line) or is_author_bio(line):
            break
        sibling = end > 0 and parents.get(line, -1) == parents.get(paragraphs[end - 1], -2)
        if line not in items and not sibling:
            break
        end += 1
    return paragraphs[:end]


def _holds_line_break(block: LexborNode) -> bool:
    """Whether a block (one holding no other block) has a <br>: a walk of its descendants that
    stops at the first, cheaper than a query for blocks this size."""
    return any(child.tag == "br" for child in block.traverse())


def _prose_after(blocks: list[LexborNode], index: int, holders: set[int]) -> bool:
    """Whether two long, finished, unlinked paragraphs follow block `index`: the article
    going on after a "Read more"/"Popular" box in its middle, not the end of its text."""
    found = 0
    for node in blocks[index + 1 :]:
        if node.tag not in ("p", "div") or node.mem_id in holders:
            continue
        text = node.text(deep=True).strip()
        if _is_prose(text) and _link_density(node, len(text)) < 0.2:
            found += 1
            if found >= 2:
                return True
    return False


def _set_as_subheading(node: LexborNode, text: str) -> bool:
    """A paragraph that is all bold, or several words in capitals: a subheading written as
    <p><strong> or in upper case, not a button."""
    if text.isupper() and " " in text and len(text) >= 10:
        return True
    bold = node.css_first("strong, b")
    return bold is not None and collapse(bold.text(deep=True)) == text


def _is_prose(text: str, min_chars: int = 100) -> bool:
    """A long paragraph that ends like a finished sentence."""
    return len(text) >= min_chars and text[-1] in PROSE_END


def _teaser_card_blocks(container: LexborNode) -> set[int]:
    """The blocks of small linked <article>s inside the article: teaser cards of other
    stories (a liveblog, a dossier) set into the text, not a part of it."""
    blocks: set[int] = set()
    for card in container.css("article:has(a[href])"):
        if card.mem_id != container.mem_id and len(card.text(deep=True)) < _TEASER_CARD_CHARS:
            blocks.update(block.mem_id for block in card.css(_WALK_SELECTOR))
    return blocks


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
        if len(line) < 80 and is_stop_heading(line) and len(out) >= 2:
            break
        if is_boilerplate(line):
            continue
        if is_menu_word(line) and not reads_as_phrase(line):
            continue  # but "Aufbau und Inhalt", a subheading of text set with <br>s, reads on
        if line in seen:
            continue
        seen.add(line)
        out.append(line)
    return out


def _split_on_breaks(node: LexborNode) -> list[str]:
    for br in node.css("br")[:5000]:
        br.replace_with("\n")
    return [line for line in (collapse(x) for x in node.text(deep=True).split("\n")) if line]


def _bare_text_paragraphs(container: LexborNode, collected: int, raw: int) -> list[str] | None:
    """For text written straight into divs with <br>s: split on line breaks instead, when the
    block walk read (`collected`, collapsed) less than half of the container's text, collapsed
    too (its `raw` length counts the indentation of deeply nested markup as text)."""
    if raw < 200 or collected >= 0.5 * raw:
        return None
    total = len(collapse(container.text(deep=True)))
    if total < 200 or collected >= 0.5 * total:
        return None
    for br in container.css("br")[:5000]:
        br.replace_with("\n")
    for block in container.css("div, p, h2, h3, h4, h5, h6, li, blockquote, section, tr")[:5000]:
        block.insert_before("\n")  # a heading written right after the text is a line too
        block.insert_after("\n")
    return [line for line in (collapse(x) for x in container.text(deep=True).split("\n")) if line]


def extract_body(tree: LexborHTMLParser, extra_drop: tuple[str, ...] = ()) -> BodyResult:
    """Strip junk from `tree` (in place) and return the article's paragraphs."""
    drop_nodes(tree, extra_drop)
    tree.strip_tags(_STRIPPED_FIRST)
    if tree.tags("rt"):  # a walk by tag name costs a fraction of the query; few pages have ruby
        for node in tree.css(_BARE_RUBY_READING):
            node.decompose()
    # A paywall's second copy of the text, a collapsed widget.
    for node in tree.css("[style]"):
        if _hidden_by_style(node.attrs.get("style") or ""):
            node.remove()
    container, rule = find_container(tree)
    if container is None:
        return BodyResult([], rule)
    recipe = _with_ingredients(tree, container)
    if recipe is not container:
        container, rule = recipe, rule + ", widened to the recipe's ingredients"
    stories = container.css("article:has(h1)")
    if len(stories) > 1:
        # The next story loaded below this one (endless scrolling): the page's own comes first
        # (and holds a fair share of the text: a list of teaser cards does not).
        first = len(stories[0].text(deep=True))
        if first >= 1000 and first >= 0.25 * len(container.text(deep=True)):
            container, rule = stories[0], rule + ", first of several stories"
    # (In a container named like furniture, picked for want of better, its parts are named
    # alike: a live ticker's "live-match-comment" entries.)
    paragraphs = _read_block(container, furniture=not rule.startswith(_DESPITE_JUNK_RULE))
    twins = _continuation_chunks(container)
    if twins:
        paragraphs = _with_continuations(paragraphs, twins)
        rule += f", continued in {len(twins)} more chunk(s)"
    result = BodyResult(paragraphs, rule)
    result = _opened(result, _lead_before(container), "the lead block before it")
    opening = _opening_chunk(container)
    if opening is not None:
        result = _opened(result, _read_block(opening), "the prose block before it")
    elements = [line for chunk in _earlier_elements(container) for line in _read_block(chunk)]
    return _opened(result, elements, "earlier content elements of its kind")


def _opened(result: BodyResult, lines: list[str], source: str) -> BodyResult:
    """`result` opened by the `lines` its paragraphs lack, if any, with `source` named."""
    have = set(result.paragraphs)
    new = [line for line in lines if line not in have]
    if not new:
        return result
    return BodyResult(new + result.paragraphs, f"{result.rule}, opened by {source}")


def _element_before(node: LexborNode) -> LexborNode | None:
    """The element sibling just before `node` (text and comments passed over), if any."""
    previous = node.prev
    while previous is not None and previous.tag in ("-text", "-comment"):
        previous = previous.prev
    return previous


def _with_ingredients(tree: LexborHTMLParser, container: LexborNode) -> LexborNode:
    """A recipe's method widened to the block that also holds its ingredient list, when that
    list sits beside it (a box of quantities, a table) and the block is little more than the
    two: the page's own wording of the ingredients, which its JSON-LD does not always share."""
    # One query over the tree: most pages have no ingredient list at all.
    listings = tree.css(_INGREDIENTS)
    if any(node.mem_id == container.mem_id or _is_inside(node, container) for node in listings):
        return container
    listing = next((node for node in listings if len(collapse(node.text(deep=True))) >= 30), None)
    if listing is None:
        return container
    ancestors: set[int] = set()
    node: LexborNode | None = container
    for _ in range(_INGREDIENT_LEVELS + 1):
        if node is None or node.tag in ("body", "html"):
            break
        ancestors.add(node.mem_id)
        node = node.parent
    block: LexborNode | None = listing
    while block is not None and block.mem_id not in ancestors:
        block = block.parent
    if block is None:
        return container
    both = len(collapse(container.text(deep=True))) + len(collapse(listing.text(deep=True)))
    if len(collapse(block.text(deep=True))) > _INGREDIENT_BLOCK_SHARE * both:
        return container  # the common ancestor is the page, not the recipe
    return block


_INGREDIENTS = contains("class", "ngredient")  # "ingredients", "recipeIngredients", "Ingredient"
_INGREDIENT_LEVELS = 3
_INGREDIENT_BLOCK_SHARE = 1.5


def _opening_chunk(container: LexborNode) -> LexborNode | None:
    """The block right before the container (or before its parent or grandparent) when it is
    prose of the same story: a CMS that keeps the text's opening in one field and the rest in
    another ("field--name-body", then "field--name-field-body-paragraphs")."""
    for node in _climb(container, _OPENING_LEVELS, _STORY_ROOTS):
        previous = _element_before(node)
        if (
            previous is not None
            and previous.tag in ("div", "section")
            and not is_junk_node(previous)
            and previous.css_first("h1") is None
            and _is_prose_chunk(previous)
        ):
            return previous
    return None


_OPENING_LEVELS = 5
_PAGE_ROOTS = frozenset({"body", "html", "main"})
_STORY_ROOTS = _PAGE_ROOTS | {"article"}


def _climb(node: LexborNode, levels: int, roots: frozenset[str]) -> Iterator[LexborNode]:
    """`node`, then its parent, grandparent..., `levels` of them at most, stopping below the
    first element whose tag is in `roots` (the walks that look before the container)."""
    for _ in range(levels):
        yield node
        parent = node.parent
        if parent is None or parent.tag in roots:
            return
        node = parent


def _earlier_elements(container: LexborNode) -> list[LexborNode]:
    """The content elements before the container (or before its parent, grandparent...)
    with the exact tag and class of the one they precede, each holding finished, unlinked
    prose, in document order: a CMS sets each text block of a page in an element of one
    kind ("frame frame-type-text", "module module-text"), an intro of one paragraph among
    them. Short elements of other kinds between them (a picture and its credit, an anchor)
    are passed over; a longer one ends the search."""
    for node in _climb(container, _ELEMENT_LEVELS, _PAGE_ROOTS):
        names = node.attributes.get("class")
        found: list[LexborNode] = []
        other = _element_before(node)
        while names and other is not None:
            if (
                other.tag == node.tag
                and other.attributes.get("class") == names
                and _is_prose_chunk(other, 1)
                and other.css_first("h1") is None
                and not is_junk_node(other)
            ):
                found.append(other)
            elif len(other.text(deep=True).strip()) > _PASSED_ELEMENT_CHARS:
                break
            other = _element_before(other)
        if found:
            return found[::-1]
    return []


_PASSED_ELEMENT_CHARS = 200
_ELEMENT_LEVELS = 7


def _lead_before(container: LexborNode) -> list[str]:
    """The paragraphs of a standfirst set just before the container (or before its parent,
    grandparent...) in an element named as one ("article-intro", "entry-excerpt", "lead"):
    templates print it between the headline and the text field, outside the text's block."""
    for node in _climb(container, _OPENING_LEVELS, _STORY_ROOTS):
        previous = _element_before(node)
        for _ in range(_LEAD_SIBLINGS):
            if previous is None:
                break
            lead = _named_lead(previous)
            if lead is not None:
                return _read_block(lead)
            if len(previous.text(deep=True)) >= _LEAD_MAX_CHARS:
                return []  # other text between: whatever comes before it is not this lead
            previous = _element_before(previous)
    return []


_LEAD_SIBLINGS = 3  # elements passed on each level: a picture, an ad slot, a byline
_LEAD_MAX_CHARS = 800
_MIN_LEAD_CHARS = 60
_LEAD_CANDIDATES = 30  # named elements inside a sibling looked at (a header group, a hero)
# Standfirst class words ("leading-tight", "leader-board" are no lead).
_LEAD_NAME = re.compile(r"(?<![a-z])lead(?![a-z])|intro|excerpt|standfirst|summary|abstract|chapo")


def _named_lead(block: LexborNode) -> LexborNode | None:
    """`block` or the element inside it named as a standfirst, when that holds a sentence or
    two of unlinked prose (not a teaser card's summary in a list of them, not the headline's
    block)."""
    if block.tag == "li":
        return None
    for node in (block, *_named_outside_items(block)):
        attrs = node.attributes
        names = ((attrs.get("class") or "") + " " + (attrs.get("id") or "")).lower()
        if not _names_standfirst(names) or is_junk_node(node) or _inside_junk(node):
            continue
        text = collapse(node.text(deep=True))
        if (
            _MIN_LEAD_CHARS <= len(text) <= _LEAD_MAX_CHARS
            and text[-1] in PROSE_END
            and node.css_first("h1, img, figure, picture, video") is None  # no picture box
            and len(node.css("p")) <= 2
            and _link_density(node, len(text)) < 0.2
        ):
            return node
    return None


@lru_cache(maxsize=8192)
def _names_standfirst(names: str) -> bool:
    """Whether lower-cased class and id names name a standfirst (kept per string, as
    is_junk_name is: pages repeat their names)."""
    return _LEAD_NAME.search(names) is not None


_NAMED_OUTSIDE_ITEMS = "[class]:not(li [class]), [id]:not(li [id])"


def _named_outside_items(block: LexborNode) -> list[LexborNode]:
    """The first _LEAD_CANDIDATES elements in `block` with a class or id, outside list items,
    each once (the query lists an element once per selector part it matches, in a row)."""
    found: list[LexborNode] = []
    for node in block.css(_NAMED_OUTSIDE_ITEMS):
        if not found or found[-1].mem_id != node.mem_id:
            found.append(node)
            if len(found) >= _LEAD_CANDIDATES:
                break
    return found


def _read_block(block: LexborNode, furniture: bool = True) -> list[str]:
    """The paragraphs of an article block of a tree extract_body has stripped, once the tags
    that are never text (and, with `furniture`, the furniture inside it) are gone. The tags
    go in one selector walk: a node's strip_tags runs one walk per tag."""
    for node in block.css(_BLOCK_JUNK_SELECTOR):
        node.decompose(recursive=False)  # detaches it with what it holds, as strip_tags does
    if furniture:
        strip_junk_inside(block)
    return collect_paragraphs(block)


def _continuation_chunks(container: LexborNode) -> list[LexborNode]:
    """The later chunks of a story split into several blocks (a column of headlines or an ad
    set between them): elements after the container, near it, with its exact tag and class
    and holding prose of their own. Teaser cards share a class too, but hold little prose."""
    names = container.attributes.get("class")
    if not names or container.tag in ("article", "main", "body") or _UNQUOTABLE.search(names):
        return []
    top = container
    for _ in range(_TWIN_LEVELS):
        if top.parent is None or top.parent.tag in ("body", "html"):
            break
        top = top.parent
    if top.mem_id == container.mem_id:
        return []
    twins = top.css(f'{container.tag}[class="{names}"]')  # one query, however deep
    ids = [node.mem_id for node in twins]
    if container.mem_id not in ids:
        return []
    later = twins[ids.index(container.mem_id) + 1 :]
    return [node for node in later if not _inside_junk(node) and _is_prose_chunk(node)]


_UNQUOTABLE = re.compile(r'["\\\n\r]')  # what a quoted CSS attribute value cannot hold as is
_TWIN_LEVELS = 4  # how far up a story's chunks may part (a layout row, its column, its cell)


def _is_prose_chunk(node: LexborNode, paragraphs: int = 2) -> bool:
    """Whether a block is mostly article prose: two finished paragraphs or more (or as many
    as `paragraphs` says), not mostly link text, holding at least half its text (a teaser
    card's summary is one paragraph)."""
    count = chars = 0
    for paragraph in node.css("p"):
        text = collapse(paragraph.text(deep=True))
        if len(text) >= 80 and text[-1] in PROSE_END and _link_density(paragraph, len(text)) < 0.5:
            count += 1
            chars += len(text)
    return count >= paragraphs and 2 * chars >= len(collapse(node.text(deep=True)))


def _with_continuations(paragraphs: list[str], chunks: list[LexborNode]) -> list[str]:
    """The paragraphs followed by those of the later chunks, each once."""
    out = list(paragraphs)
    seen = set(out)
    for chunk in chunks:
        for text in _read_block(chunk):
            if text not in seen:
                seen.add(text)
                out.append(text)
    return out


def _hidden_by_style(style: str) -> bool:
    """Whether an inline style hides the node. A style without "none" or "hidden" as written
    (most) is passed by two substring tests: cheaper than the two `[style*=word]` selector
    parts that picked the styles to test before. (So "display:NONE" alone hides nothing.)"""
    if "none" not in style and "hidden" not in style:
        return False
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
    found = [_in_reference(k, reference) for k in keys]
    covered = sum(len(k) for k, hit in zip(keys, found, strict=True) if hit)
    if covered < 0.7 * len(reference):
        return None
    last = max(i for i, hit in enumerate(found) if hit)
    # A truncated articleBody (a paywall teaser) says nothing about what follows its end.
    # So does one whose end is a paragraph end followed by more prose on the page.
    complete = reference[-60:] in " ".join(
        k for k, hit in zip(keys, found, strict=True) if hit
    ) and not _prose_follows(paragraphs[last + 1 :])
    # The lead (a paragraph or a few summary points), which many publishers keep out of
    # articleBody: the finished sentences right before its text, not furniture.
    first = lead_from = found.index(True)
    while lead_from > 0 and first - lead_from < 4 and _is_prose(paragraphs[lead_from - 1], 60):
        lead_from -= 1
    kept = []
    for index, paragraph in enumerate(paragraphs):
        heading_before_kept = len(paragraph) < 120 and index + 1 < len(found) and found[index + 1]
        lead = lead_from <= index < first
        if found[index] or heading_before_kept or lead or (index > last and not complete):
            kept.append(paragraph)
    return kept


def _prose_follows(paragraphs: list[str]) -> bool:
    """Whether several long, finished paragraphs come next: the article going on."""
    return sum(_is_prose(p, 150) for p in paragraphs) >= 3


def _in_reference(key: str, reference: str) -> bool:
    """Whether a paragraph's words are in articleBody: its start, or for a long paragraph its
    start or end (publishers write links into articleBody as "[text](url)" or a bare URL, which
    breaks the words of the paragraph in two)."""
    if not key:
        return False
    if key[:200] in reference:
        return True
    return len(key) >= 120 and (key[:60] in reference or key[-60:] in reference)


def article_body_paragraphs(article_body: str) -> list[str]:
    """Paragraphs of a JSON-LD articleBody: plain text split on newlines, or, when the
    publisher put HTML in it, the paragraphs of that HTML. Entities are decoded first: some
    publishers escape the text twice ("&#8216;", "&lt;p&gt;" in the JSON string)."""
    if "&" in article_body and "<" not in article_body:
        escaped_markup = _ESCAPED_TAG.search(article_body) is not None
        article_body = html.unescape(article_body)
        if not escaped_markup:  # "a &lt; b" in a code sample is text, not a tag
            return _plain_lines(article_body)
    if "<" in article_body and ">" in article_body:
        fragment = LexborHTMLParser(article_body[:MAX_ARTICLE_BODY])
        fragment.strip_tags(["script", "style", *HARD_JUNK_TAGS])
        if fragment.body is not None:
            return collect_paragraphs(fragment.body)
    return _plain_lines(article_body)


def _plain_lines(text: str) -> list[str]:
    """The lines of a plain-text articleBody, less furniture: some publishers put the page's
    captions and player notices in it ("Crowds wait near the palace (Picture: PA)")."""
    lines = (collapse(line) for line in text.split("\n"))
    return [line for line in lines if line and not is_boilerplate(line)]


MAX_ARTICLE_BODY = 2_000_000
_ESCAPED_TAG = re.compile(r"&lt;/?(?:p|div|br|li|ul|ol|a|span|strong|em|h[1-6]|img)\b")
