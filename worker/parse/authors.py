"""The article's authors as a list of persons: JSON-LD, author tags, bylines near the headline,
and last resorts further down the page. Outlet names, house accounts and e-mail addresses are
dropped; wire services are kept."""

from __future__ import annotations

import html
import re
from typing import Any

from selectolax.lexbor import LexborNode

from worker.parse.dates import ANY_DIGIT, find_date
from worker.parse.document import Document, contains, node_text
from worker.parse.metadata import Found, text_key
from worker.parse.normalise import collapse

_BY_PREFIX = re.compile(
    r"^(?:[~•|]\s*)?(?:post author|posted by|published by|written by|reported by|geschrieben von|"
    r"eingestellt von|verfasst von|veröffentlicht von|erstellt von|escrito por|publié par|"
    r"(?:redaktion|redacción|rédaction|redazione|text (?:und|&) (?:fotos?|bilder)|texte?)\s*:|"
    r"alles von|mehr von|"
    r"(?:ein |eine )?(?:kommentar|gastbeitrag|gastkommentar|analyse|interview|reportage|"
    r"pressemitteilung) von|"
    r"(?:alle |weitere )?(?:artikel|beiträge) von|(?:all |more )?(?:posts|articles|stories) by|"
    r"more (?:from|by)|interview|by|von|por|par|di|da|door|av|af|przez|от|tekst|text|texto|"
    r"autor(?:in)?|autora|autore|auteure?|author|автор(?:ы)?)"
    r"\s*:?\s+",
    re.I,
)
# Labels a byline element may hold instead of a name, and what trails a name in one.
_LABEL_ONLY = re.compile(
    r"^(?:name|name \*|e-?mail|website|posted on|published on|published by|posted by|"
    r"veröffentlicht am|publiziert am|erstellt am|geschrieben am|von|by|author|autor|"
    r"more posts|alle beiträge|all posts|view all posts|kommentar|comment|antworten|reply|"
    r"follow|folgen|posted|no author|anonymous|anonym|anónimo|anonimo|unknown|unbenannt|untitled|"
    r"redaktion|red|datum|date|por|par|mehr|more|courtesy|cortesía|cortesia|super user|ceo|"
    r"kolumnist(?:in)?|columnist|"
    r"artikel von|autoren|authors|auteurs|autores|ph\.?\s?d|m\.?d|mba|msc|bsc|dphil|rn|prof|"
    r"montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday)\W*$",
    re.I,
)
_NAME_TRAILER = re.compile(
    r"\s+(?:more posts|all posts|alle beiträge|alle artikel|all articles|sagt|says|schreibt|writes|"
    r"-\s*https?.*|-\s*www\..*|for\s+\S.*|(?:chef)?redakteur(?:in)?|reporter(?:in)?|"
    r"journalist(?:in)?|staff writer|senior writer|contributing writer|contributor|"
    r"(?:am|on)\s+(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|monday|"
    r"tuesday|wednesday|thursday|friday|saturday|sunday)|mo|di|mi|do|fr|sa|so|mon|tue|wed|thu|"
    r"fri|sat|sun)\.?$",
    re.I,
)
# A name ending in an initial or a generational suffix keeps its full stop ('Joe S.', 'Jr.').
_KEEPS_STOP = re.compile(r"(?:^|\s)(?:[A-ZÀ-Ý]|Jr|Sr)$")
_AUTHOR_SPLIT = re.compile(
    r"\s*(?:,|;|&|、|，|\band\b|\bund\b|\by\b|\bet\b|\be\b|\bog\b|\boch\b|\bi\b|/|\||"
    r"\bim gespräch mit\b|\bin conversation with\b)\s*",  # an interview's two names
    re.I,
)
# Words that mark a credit as not a person (whole words, so 'Sigetty' or 'Gaston' stay names).
_NOT_A_PERSON = re.compile(
    r"\d|@|[!?“”„«»{}<>]|https?:|www\.|\.(?:com|de|org|net)\b|"
    r"\b(?:redaktion\w*|redacci[oó]n|r[ée]daction|"
    r"redazione|redactie|redakcja|reda[cç][aã]o|editorial|editors?|newsroom|"
    r"staff|agenc\w*|press|team|desk|online|news|zeitung\w*|magazin\w*|media|verlag|service|"
    r"admin|guest|gast|correspondents?|korrespondent\w*|images?|photos?|getty|istock|"
    r"shutterstock|fotos?|bild|twitter|facebook|instagram|linkedin|quelle|source|nachrichten|"
    r"content|sponsored|advertorial|theme|фото|"
    r"noticias|nouvelles|notizie|agenturen|keystone|imago|picture alliance|frankfurt|germany|"
    r"\w*verband\w*|\w*stiftung|verein|institut\w*|gmbh|e\.v|ministerium|foundation|association|"
    r"universit\w+|hochschule|landesanstalt|gesellschaft|inc|ltd|llc|corp)\b",
    re.I,
)
# A quoted nickname between names ('Robert “Bob” Smith'): the quotes that void a headline
# taken for a name are a person's here.
_NICKNAME = re.compile(r"(?<=\w )[\"“„«]([A-ZÀ-Ý][\w.-]*)[\"”“»](?= \w)")
# Wire services credited as a story's author: kept as a credit (they are neither a person nor
# the outlet), in the spelling the page uses.
_AGENCY = re.compile(
    r"^(?:dpa|afp|ap|reuters|sid|kna|epd|sda|apa|anp|belga|efe|ansa|ddp|upi|tass|ria novosti|"
    r"associated press|the associated press|agence france-presse|agence france presse|"
    r"deutsche presse-agentur|anadolu ajansı|anadolu agency|xinhua|kyodo|yonhap|"
    r"press association|pa media|canadian press|the canadian press|aap|europa press|"
    r"keystone-sda|dpa-afx|afp deutschland|agencia efe)$",
    re.I,
)


# A social-media handle after a name ('Jane Roe @janeroe'); an e-mail address has no space before
# its '@' and stays, to be dropped as no name.
_SOCIAL_HANDLE = re.compile(r"(?<=\w)\s+@\w+")
# Where a credit line goes on to the pictures' credits: 'Text von Jane Roe Illustration von
# John Doe', 'Jane Roe, Fotos: John Doe'. The writer is the author.
_OTHER_CREDITS = re.compile(
    r"[\s,;|]+(?:fotos?|photos?|bilder|illustrations?|grafiken?|video)(?:\s*:|\s+(?:von|by)\b)",
    re.I,
)
_PARENTHESES = re.compile(r"\([^)]*\)?|\[[^\]]*\]?")
_JOB_SUFFIX = re.compile(r"\s*(기자|특파원|記者|记者|特派員|編集委員)$")


def clean_author(raw: str, usernames: bool = False) -> list[str]:
    """Person names from a byline: 'By Jane Doe and John Roe, Reuters' -> ['Jane Doe', 'John Roe'].
    `usernames` accepts a lower-case handle ('gnaddrig'), for fields that only ever name authors."""
    # The label goes first: 'Text und Fotos: Jane Roe' names the writer of both.
    text = _BY_PREFIX.sub("", _PARENTHESES.sub(" ", collapse(raw)))
    text = _OTHER_CREDITS.split(text, maxsplit=1)[0]
    text = _SOCIAL_HANDLE.sub("", text) if "@" in text else text
    names: list[str] = []
    for part in _AUTHOR_SPLIT.split(text):
        part = _BY_PREFIX.sub("", part.lstrip(" .:-–—|()[]\"'~•*©").rstrip(" :-–—|()[]\"'~•*"))
        part = _NAME_TRAILER.sub("", _JOB_SUFFIX.sub("", part)).strip(" :-–—|*")
        stripped = part.rstrip(".")
        part = _undoubled(part if stripped != part and _KEEPS_STOP.search(stripped) else stripped)
        if _LABEL_ONLY.match(part):
            continue
        if _AGENCY.match(part):
            names.append(part)
            continue
        # Two characters make a Chinese or Korean name (牛镛), not a Latin one.
        if (
            len(part) < (2 if part[:1] >= "\u3000" else 3)
            or len(part) > 60
            or len(part.split()) > 5
        ):
            continue
        if _NOT_A_PERSON.search(_NICKNAME.sub(" ", part)):
            continue
        lower_case = not any(ch.isupper() for ch in part) and part.isascii()
        if lower_case and not (usernames and _HANDLE.fullmatch(part)):
            continue
        names.append(part)
    # Four single Latin words are a tag list ('CSP / Photovoltaik / Speicher / Wirtschaft'), not
    # a byline; a Chinese or Korean name is one word, and wire services are credits.
    if len(names) > 3 and all(
        " " not in name and name.isascii() and not _AGENCY.match(name) for name in names
    ):
        return []
    return names


def _undoubled(name: str) -> str:
    """A name said twice in one element (a picture's caption and the link text): 'Kathrin
    Führes Kathrin Führes' -> 'Kathrin Führes'."""
    words = name.split()
    half = len(words) // 2
    if half >= 2 and len(words) % 2 == 0 and words[:half] == words[half:]:
        return " ".join(words[:half])
    return name


_HANDLE = re.compile(r"[a-z][\w.-]{2,29}")
_HOUSE_ACCOUNT = re.compile(
    r"/(?:admin|administrator|editor|editors|redaktion|redaction|staff|webmaster|newsroom|desk)/?$",
    re.I,
)


def _names_outlet(raw: str) -> bool:
    """A <meta author> that names the outlet: a URL, 'Deutsche Welle (www.dw.com)', or a bare
    acronym ('LTO') that is not a wire service."""
    text = raw.strip()
    if text.startswith("http") or _DOMAIN_IN_PARENTHESES.search(text):
        return True
    return bool(_ACRONYM.fullmatch(text)) and not _AGENCY.match(text)


_DOMAIN_IN_PARENTHESES = re.compile(r"\((?:https?://)?(?:www\.)?[\w-]+\.\w{2,}\)")
_ACRONYM = re.compile(r"[A-Z]{2,4}")


def _house_accounts(value: Any) -> frozenset[str]:
    """Keys (text_key) of the names JSON-LD gives to CMS house accounts ('/author/admin/'):
    the same name in a byline on the page stands for nobody in particular either."""
    items = value if isinstance(value, list) else [value]
    return frozenset(
        text_key(item["name"])
        for item in items
        if isinstance(item, dict)
        and isinstance(item.get("name"), str)
        and _HOUSE_ACCOUNT.search(str(item.get("url") or item.get("@id") or ""))
    )


def _ld_authors(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        if isinstance(item, dict):
            types = item.get("@type")
            types = types if isinstance(types, list) else [types]
            name = item.get("name")
            if _HOUSE_ACCOUNT.search(str(item.get("url") or item.get("@id") or "")):
                continue  # a CMS account ('/author/admin/') that stands for nobody in particular
            if any("organization" in str(t).lower() for t in types):
                # An organisation is the outlet itself unless it is a wire service.
                if isinstance(name, str) and _AGENCY.match(collapse(name)):
                    names.append(collapse(name))
                continue
            if not isinstance(name, str) or not name.strip():
                given, family = item.get("givenName"), item.get("familyName")
                name = " ".join(n for n in (given, family) if isinstance(n, str) and n.strip())
            if name:
                names.extend(clean_author(html.unescape(name) if "&" in name else name))
        elif isinstance(item, str):
            names.extend(clean_author(item))
    return names


# Elements that may hold a byline, found in one pass: author markup and links to author pages
# (a handle is accepted there), then byline classes.
_BYLINE_SELECTOR = ", ".join(
    (
        '[rel="author"]',
        '[itemprop="author"] [itemprop="name"]',
        '[itemprop="author"]',
        *(f"a{contains('href', path)}" for path in ("/aut", "/staff/", "/journalist/")),
        '[class*="author" i]',
        '[class*="byline" i]',
        contains("data-testid", "author"),
        '[class*="autor" i]',
    )
)
_AUTHOR_PAGE = re.compile(r"/(?:authors?|autor(?:en|in)?|auteur|autore|staff|journalist)/", re.I)
_BYLINE_CLASS = re.compile(r"author|byline|autor", re.I)


def _byline_kind(node: LexborNode) -> str | None:
    """'author link' for author markup or a link to an author's page, 'byline element' for an
    element with a byline class, None for a link that only looked like an author page ('/auto/')."""
    attrs = node.attributes
    if attrs.get("itemprop") in ("author", "name") or "author" in (attrs.get("rel") or ""):
        return "author link"
    if node.tag == "a" and _AUTHOR_PAGE.search(attrs.get("href") or ""):
        return "author link"
    classes = f"{attrs.get('class') or ''} {attrs.get('data-testid') or ''}"
    if "comment" in classes.lower():
        return None  # a reader's comment, not the story's byline
    return "byline element" if _BYLINE_CLASS.search(classes) else None


_BLOG_OWNER = re.compile(r"(?P<name>[A-ZÀ-ÞĀ-Ž][\w.-]*(?: [A-ZÀ-ÞĀ-Ž][\w.-]*){1,3})['’]s? ")


def find_authors(doc: Document, outlet: str | None) -> Found[list[str]] | None:
    """Person names: JSON-LD author (not organisations) with the co-authors the page's author
    links add, <meta author>-like tags, then a byline element near the headline; as last
    resorts, a labelled name, a bold signature paragraph or a responsible editor's credit
    anywhere on the page. Outlet names, house accounts and e-mail addresses are dropped;
    wire services are kept."""
    outlet_key = text_key(outlet or "")
    # A personal blog ("Jane Roe's Blog") is named after its author, who is no outlet.
    owner = _BLOG_OWNER.match(outlet or "")
    owner_key = text_key(owner.group("name")) if owner else None
    ld_authors = doc.article_ld.get("author")
    if ld_authors is not None:
        items = ld_authors if isinstance(ld_authors, list) else [ld_authors]
        ld_authors = [doc.resolve_ld(item) for item in items]
    house = _house_accounts(ld_authors)

    def persons(names: list[str]) -> list[str]:
        # One entry per name whatever its case ('ANNA FINK', 'Anna Fink').
        unique: dict[str, str] = {}
        for name in names:
            key = text_key(name)
            if key in house or (
                key != owner_key and outlet_key and key and (key in outlet_key or outlet_key in key)
            ):
                continue
            unique.setdefault(name.casefold(), name)
        return list(unique.values())[:10]

    if ld_authors is not None:
        names = persons(_ld_authors(ld_authors))
        if names:
            if shown := persons(_shown_authors(doc, names)):
                return Found(shown, "heuristic", "author links near the title over json-ld's")
            return Found(names, "json-ld", "json-ld author")
    raw_meta = (
        doc.meta.get("author", [])
        + doc.meta.get("article:author", [])
        + doc.meta.get("dc.creator", [])
        + doc.meta.get("sailthru.author", [])
        + doc.meta.get("articleauthor", [])
        + doc.meta.get("twitter:misc:written by", [])
    )
    for label, data in (("twitter:label1", "twitter:data1"), ("twitter:label2", "twitter:data2")):
        if (doc.meta_first(label) or "").lower() in ("written by", "author", "autor", "von"):
            raw_meta += doc.meta.get(data, [])
    names = persons([n for raw in raw_meta if not _names_outlet(raw) for n in clean_author(raw)])
    if names:
        return Found(names, "meta", "<meta author>")
    for where, root, links, bylines in (
        ("near the title", doc.around_headline(3), 4, 6),
        ("on the page", doc.tree.body, 3, 3),
    ):
        if root is None:
            continue
        nodes = root.css(_BYLINE_SELECTOR)
        kinds = [_byline_kind(node) for node in nodes]
        for kind, limit in (("author link", links), ("byline element", bylines)):
            handles = kind == "author link"
            for node in [n for n, k in zip(nodes, kinds, strict=True) if k == kind][:limit]:
                text = node_text(node)
                if text and len(text) < 120 and (names := persons(clean_author(text, handles))):
                    return Found(names, "heuristic", f"{kind} {where}")
                if text and (names := persons(_boxed_name(node))):
                    return Found(names, "heuristic", f"name heading an author box {where}")
        # A byline's text is looked for near the headline only: further down, 'von' and 'by'
        # open too many lines that are no byline.
        if where != "near the title":
            continue
        lines = root.text(deep=True, separator="\n").split("\n")
        filled = _filled_lines(lines)
        if names := persons(_byline_names(lines, filled)):
            return Found(names, "heuristic", f"byline text {where}")
        if names := persons(_dated_names(lines, filled)):
            return Found(names, "heuristic", "name beside the date near the title")
    text = doc.tree.body.text(deep=True, separator="\n") if doc.tree.body is not None else ""
    if names := persons(_labelled_names(text)):
        return Found(names, "heuristic", "name after an author label on the page")
    if names := persons(_signature_names(doc)):
        return Found(
            names, "heuristic", "bold or italic name paragraph opening or closing the story"
        )
    if names := persons(_editor_credit(text)):
        return Found(names, "heuristic", "responsible editor's credit line")
    if names := persons(_post_author_in_comments(doc)):
        return Found(names, "heuristic", "the post author's reply among the comments")
    return None


def _post_author_in_comments(doc: Document) -> list[str]:
    """The post author, from a reply of theirs among the comments: WordPress marks it
    'bypostauthor' and 'comment-author-<login>'. The reply's shown name is taken where it is
    a person's name or spells the login ('MikeNils' for 'mikenils'), else the login itself."""
    reply = doc.tree.css_first(".bypostauthor")
    login = _COMMENT_LOGIN.search(reply.attributes.get("class") or "") if reply else None
    if reply is None or login is None:
        return []
    for node in reply.css(".fn, [class*='comment-author'], [class*='comment_author']")[:4]:
        shown = node_text(node)
        if _PERSON_NAME.fullmatch(shown) or text_key(shown) == text_key(login.group(1)):
            return clean_author(shown, usernames=True)
    return clean_author(login.group(1), usernames=True) if "-" not in login.group(1) else []


_COMMENT_LOGIN = re.compile(r"\bcomment-author-(\S+)")


def _boxed_name(node: LexborNode) -> list[str]:
    """The name that heads an author box: its first line of text, when that is a name alone
    (ending in a capitalised word: 'Eingestellt von' is a label) and more follows ('Jane Roe',
    'Follow', 'Jane writes on ...')."""
    first, _, rest = node.text(separator="\n", strip=True).partition("\n")
    named = _PERSON_NAME.fullmatch(first) and first.split()[-1][:1].isupper()
    return clean_author(first) if rest and named else []


# Chinese news pages credit the story to its responsible editor: '(责编：牛镛、岳弘彬)'.
_EDITOR_CREDIT = re.compile(r"(?:责任编辑|责编)\s*[:：]\s*([^\s)）】\]][^\n)）】\]]{0,40})")


def _editor_credit(text: str) -> list[str]:
    """The names in the page's responsible-editor credit, if its text has one."""
    match = _EDITOR_CREDIT.search(text) if "编" in text else None
    return clean_author(match.group(1)) if match else []


def _labelled_names(text: str) -> list[str]:
    """The name on the line after a line that is only an author label ('Autorin/Autor',
    'Author:'), anywhere in the page's text: a fact box's label and value."""
    for key in _AUTHOR_LABEL_KEYS:  # plain searches: a regex over the whole text is slow
        at = text.find(key)
        while at >= 0:
            start, end = text.rfind("\n", 0, at) + 1, text.find("\n", at)
            if end > 0 and _AUTHOR_LABEL.fullmatch(text[start:end].strip()):
                names = clean_author(text[end : end + 500].lstrip().split("\n", 1)[0])
                if names and all(_PERSON_NAME.fullmatch(name) for name in names):
                    return names
            at = text.find(key, at + 1)
    return []


_AUTHOR_LABEL_KEYS = (
    "utor",
    "uthor",
    "uteur",
    "UTOR",
    "UTHOR",
    "orfatter",
    "örfattare",
    "ritten by",
)
_AUTHOR_LABEL = re.compile(
    r"(?:autor(?:in)?|author|auteur|autore|autora|autorka|forfatter|författare|written by)"
    r"(?:\s*/\s*autor(?:in)?)?\s*:?",
    re.I,
)


def _signature_names(doc: Document) -> list[str]:
    """Names from a paragraph that is all bold or italic and nothing but names, just before the
    story's first full paragraph or closing the story with nothing after it: where many sites
    sign a story ('<p><b>Jane Doe</b></p>', '<p><i>von Jane Doe</i></p>'). The story's
    paragraphs are the siblings of its first long one."""
    first_long = next((p for p in doc.tree.tags("p") if len(p.text()) >= 200), None)
    if first_long is None or first_long.parent is None:
        return []
    paragraphs = [n for n in first_long.parent.iter() if n.tag == "p" and n.text().strip()]
    opening = next((i for i, p in enumerate(paragraphs) if len(p.text()) >= 80), 0)
    closing = paragraphs[opening + 1 :][-1:]
    if closing and _text_follows(closing[0]):
        closing = []  # a bold line with text after it is a subheading ('Weitere Informationen')
    for paragraph in [*paragraphs[max(opening - 1, 0) : opening], *closing]:
        emphasis = [n for n in paragraph.iter() if n.tag in ("b", "strong", "i", "em")]
        text = node_text(paragraph)
        # A name that ends in a comma runs on into the next paragraph (an info box's 'Jane Roe,'
        # and her biography), as no signature does.
        if (
            len(emphasis) != 1
            or node_text(emphasis[0]) != text
            or len(text) > 80
            or text.endswith(",")
        ):
            continue
        names = clean_author(text)
        if names and all(_PERSON_NAME.fullmatch(name) for name in names):
            return names
    return []


def _text_follows(node: LexborNode) -> bool:
    """Whether a sibling after `node` holds any text."""
    sibling = node.next
    while sibling is not None:
        if sibling.text().strip():
            return True
        sibling = sibling.next
    return False


def _shown_authors(doc: Document, names: list[str]) -> list[str]:
    """The names of the author links around the headline when they include every one of
    `names` and more (JSON-LD sometimes lists only the first of a story's authors), or none of
    them (JSON-LD may name the CMS account that posted the story, not its visible byline)."""
    root = doc.around_headline(3)
    if root is None:
        return []
    story = _article_of(doc.headline)
    shown: list[str] = []
    for node in root.css(_AUTHOR_MARKUP)[:8]:
        if not _in_teaser(node) and _article_of(node) == story:
            shown.extend(clean_author(node_text(node)))
    keys = {text_key(name) for name in shown}
    named = [text_key(name) in keys for name in names]
    return shown if (all(named) and len(keys) > len(names)) or not any(named) else []


_AUTHOR_MARKUP = '[rel="author"], [itemprop~="author"] [itemprop~="name"]'


def _article_of(node: LexborNode | None) -> LexborNode | None:
    """The <article> `node` sits in, if any: a byline in another <article> than the headline's
    is another story's (an embedded or following one)."""
    ancestor = node.parent if node is not None else None
    while ancestor is not None and ancestor.tag != "article":
        ancestor = ancestor.parent
    return ancestor


_TEASER_CLASS = re.compile(r"teaser|related|recommend|card|more|list", re.I)


def _in_teaser(node: LexborNode) -> bool:
    """Whether `node` sits in another story's teaser (within four levels)."""
    ancestor = node.parent
    for _ in range(4):
        if ancestor is None:
            return False
        if _TEASER_CLASS.search(ancestor.attributes.get("class") or ""):
            return True
        ancestor = ancestor.parent
    return False


# A line of text that opens with a byline label and goes on with capitalised names:
# 'Von David Hutzler, dpa', 'By Jane Doe and John Roe', 'Auteur : Kossivi Tiassou', also after
# what the label may follow: 'Ein Artikel von Jane Doe', 'Posted on May 2, 2020 by Jane Doe'.
_BYLINE_LABEL = (
    r"(?i:(?:(?:ein |eine )?(?:artikel|beitrag|bericht|text) (?=von)|"
    r"(?:posted|published|veröffentlicht)(?: on| am)? [^|]{3,40}? (?=by|von))?"
    r"(?:(?:written |reported )?by|von|par|por|door|av|af|przez)\s*:?|"
    r"(?:autor|autorin|author|auteur|autore|autora|redaktion|text)\s*:)"
)
_BYLINE_LINE = re.compile(rf"{_BYLINE_LABEL}\s+(?P<names>[A-ZÀ-ÞĀ-Ž].{{2,100}})")
_LABEL_ALONE = re.compile(_BYLINE_LABEL)
# How those lines start (lower-cased), to skip all others without running the pattern.
_BYLINE_STARTS = frozenset(
    {"by", "vo", "pa", "po", "do", "av", "af", "pr", "wr", "re", "au", "te"}
    | {"ei", "ar", "be", "pu", "ve"}  # the lead-ins: 'Ein Artikel von', 'Posted on'
)
# What a byline may open with in a line of meta data ('| By Jane Doe | May 2').
_LEADING_SEPARATORS = "|•·–—/ "


def _filled_lines(lines: list[str]) -> list[tuple[int, str]]:
    """(index, line stripped) of each line with more than whitespace, for both byline
    scans: most lines of a text read with a separator per text node are the blank text
    between tags, and each scan skipped them one by one."""
    return [(index, text) for index, line in enumerate(lines) if (text := line.strip())]


def _byline_names(lines: list[str], filled: list[tuple[int, str]]) -> list[str]:
    """Person names (and wire services) from the first byline-like line of the text around the
    headline that has any: each text node is a line, so a linked name ends its line; a label
    alone on its line ('Von', 'Autor:') takes the next line's name. (`filled`: _filled_lines.)"""
    for index, line in filled:
        line = line.lstrip(_LEADING_SEPARATORS)
        if not line or line[:2].lower() not in _BYLINE_STARTS:
            continue
        match = _BYLINE_LINE.fullmatch(line)
        if match is None and (len(line) < 12 or _LABEL_ALONE.fullmatch(line)):
            match = _BYLINE_LINE.fullmatch(f"{line} {_names_after(lines, index)}")
        names = clean_author(match.group("names")) if match else []
        if persons := [name for name in names if _PERSON_NAME.fullmatch(name)]:
            return [name for name in names if name in persons or _AGENCY.match(name)]
    return []


def _names_after(lines: list[str], index: int) -> str:
    """The line after a byline label alone on its line ('Von:'), with the lines after it that
    a separator joins on ('Bill McCarthy', ',', 'Marisha Goldhamer'): one linked name each."""
    following = [n for n in (line.strip() for line in lines[index + 1 : index + 12]) if n]
    taken = following[:1]
    while len(taken) + 1 < len(following) and _NAME_JOINER.fullmatch(following[len(taken)]):
        taken += following[len(taken) : len(taken) + 2]
    return " ".join(taken)


def _dated_names(lines: list[str], filled: list[tuple[int, str]]) -> list[str]:
    """The name in a meta line around the headline that holds a date and then one name, set
    apart by separators ('11.12.2019 - Jane Roe', '04.02.2022 | 13:10 Uhr | Jane Roe'): a
    byline without its label. Every other part is a date or a short figure (a time, a reading
    time), so a section beside the date is not taken for a name; a name before the date is a
    place's dateline as often ('New York | 5 May 2020', 'Bad Homburg · 17.06.2025')."""
    for index, line in filled:
        if len(lines[index]) >= 120:
            continue  # a meta line is short: the story's paragraphs, also around it, are not
        if line.endswith(_SEPARATOR_CHARS):
            line = f"{line} {_names_after(lines, index)}"  # '05.04.2025 |', the name next line
        if not ANY_DIGIT.search(line):
            continue
        parts = [part for part in _META_SEPARATOR.split(line) if part]
        if len(parts) > 4 or _PERSON_NAME.fullmatch(parts[0]):
            continue  # not a meta line, or the name comes first
        names = [part for part in parts[1:] if _PERSON_NAME.fullmatch(part)]
        if len(names) != 1:
            continue
        others = [part for part in parts if part != names[0]]
        dated = [find_date(part) is not None for part in others]
        if any(dated) and all(
            d or _FIGURE.fullmatch(part) for part, d in zip(others, dated, strict=True)
        ):
            return clean_author(names[0])
    return []


_SEPARATOR_CHARS = ("|", "·", "•", "–", "—", "-")
_META_SEPARATOR = re.compile(r"\s*[|·•]\s*|\s+[–—-]\s+|\s+[–—-]$")
_FIGURE = re.compile(r"\d[\d:.,]*\s*[^\W\d]{0,8}\.?")  # '13:10 Uhr', '4 min'


_NAME_JOINER = re.compile(r"[,&/]|and|und|et|y|e|og|och|i", re.I)


# Two to four capitalised words, with the particles names carry ('Jose de la Cruz').
_NAME_WORD = r"(?:[A-ZÀ-ÞĀ-Ž][\w'’.-]*|de|da|del|della|di|du|la|le|van|von|der|den|ten|bin|al|el|y)"
_PERSON_NAME = re.compile(rf"[A-ZÀ-ÞĀ-Ž][\w'’.-]*(?:\s+{_NAME_WORD}){{1,3}}")
