"""Page furniture line by line: which short lines around and inside an article are not its
text (credits, bylines, date lines, consent placeholders, calls to action), and which headings
end it ("Related articles", "Comments").

Tests run on the lower-cased line where they can: a case-insensitive regex alternation costs
several times more per line, and most lines are tested.
"""

from __future__ import annotations

import re

from worker.parse.dates import MONTH_NAMES
from worker.parse.tries import trie_alternation

# Headings that end an article's text: what follows is related links, comments, bios. But a
# heading that goes on to ask a question is the article's own ("Comment réagissent les
# pêcheurs ?"); a stop phrase that is itself the question ("Was denkst du?") still ends it.
STOP_HEADING = re.compile(
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
    r"op hetzelfde onderwerp|potrebbero interessarti|ti potrebbe interessare)"
    r"(?:\b.{0,40}(?<![?？])|\?)$|"
    # Russian, Turkish, Arabic, Persian and Chinese: read also, related, most read, comments,
    # as the whole heading ("Комментарии экспертов", experts' comments, is the text's own).
    r"^(?:читайте (?:также|еще|ещё)|по теме|похожие (?:статьи|новости|материалы)|комментарии|"
    r"самое (?:читаемое|популярное)|ilgili (?:haberler|içerikler)|bunlar da ilginizi çekebilir|"
    r"en çok okunanlar?|yorumlar|اقرأ أيضاً?|(?:مواضيع|أخبار|مقالات) ذات صلة|الأكثر قراءة|"
    r"التعليقات|بیشتر بخوانید|(?:مطالب|اخبار) (?:مرتبط|مشابه)|پربازدیدترین(?:\s?ها)?|نظرات|"
    r"相关(?:新闻|阅读|文章|报道)|延伸阅读|热门(?:推荐|文章|新闻)|相關(?:新聞|閱讀|文章))\s*[:：]?$",
    re.I,
)
# Whole lines that are furniture: ad labels, share prompts, credits, 'read more' links.
_BOILERPLATE = re.compile(
    r"(?:advertisement|anzeige|werbung|publicité|publicidad|share(?: this)?(?: article)?|teilen|"
    r"read (?:more|also|next)|lesen sie (?:auch|mehr)|mehr zum thema|related(?: articles)?|"
    r"czytaj (?:więcej|też|także|również)|dowiedz się więcej:?.*|noticias? relacionadas?|leer más|lire la suite|"
    r"follow us.*|sign up.*|subscribe.*|click here.*|weiterlesen\b.{0,20}|tags?:?.*|schlagwörter.*|"
    r"(?:all )?rights reserved.*|©.*|copyright.*|\(c\) .*|loading\.*|more on this.*|"
    r"materiał chroniony prawem.*|todos los derechos reservados.*|tous droits réservés.*|"
    r"also read:?.*|see also:?.*|auch interessant:?.*|zum thema:?.*|top stories|"
    r"abonnez-vous.*|jetzt (?:abonnieren|weiterlesen).*|"
    r"post a comment|leave a (?:comment|reply)|your (?:name|email(?: address)?)|comments?(?: \(\d+\))?|"
    r"-? ?anzeige ?-?|\(?(?:foto|fotos|bild|bilder|photo|photos|image|images|credit|credits|quelle|"
    r"bildquelle|bildnachweis|source|grafik|video|redaktion|mitarbeit|faktencheck)s? ?:.{0,120}|\d+ (?:bilder|fotos|photos|images)\b.{0,40}|"
    r"got a (?:story|tip)\b.*|follow .{0,40} on (?:twitter|facebook|instagram|x)\b.*|"
    r"for more (?:stories|news|articles) like this.*|this (?:entry|post) was posted.*|"
    r"der beitrag wurde am.*|if you (?:enjoyed|liked) (?:reading )?this.*|"
    r"we want to hear (?:what you think|from you).*|ihre meinung ist uns wichtig.*|"
    r"empfohlener (?:redaktioneller|externer) inhalt|"
    r"link zu[mr]? .{0,30}inhalt|(?:\w+-)?box (?:aufklappen|zuklappen).*|up next|"
    r"sie haben einen fehler gefunden\??|placeholder.{0,30}|wird geladen\.*|"
    r"(?:read|see) (?:more|also|next) ?:.*|weiterlesen ?:|(?:le|te) puede interesar ?:.*|"
    r"le(?:e|a) también ?:.*|leia também ?:.*|czytaj (?:też|także) ?:.*|lire aussi ?:.*|"
    r"crédits? photos? ?:.*|(?:abbildung|abb\.|figure|fig\.) ?\d*[a-z]? ?:.*|"
    r"be sociable.*|gefällt mir(?: wird geladen.*)?|"
    r"(?:additional )?reporting by .*(?:editing|writing) by .*|"
    r"(?:lest|lesen sie|read) (?:den|the) original(?:artikel| article| story)\b.{0,40}|"
    r"(?:watch|listen|read (?:more|also)|see also|funda (?:olunye udaba|futhi|nalokhu)(?: lapha)?)"
    r" ?\| .{0,200}|auf dieser seite ?:|on this page ?:|table of contents|inhaltsverzeichnis|"
    r"(?:this (?:article|story|post) (?:was|is) )?(?:first|originally) published (?:in|on|by) .{0,80}|"
    r"explore further|mehr themen ?:?|"
    r"story continues below(?: advertisement)?|"
    r"(?:mit|with) agenturmaterial\.?|[-–—]? ?additional reporting (?:by|from) .{2,80}|"
    r"dieser (?:artikel|beitrag|text) ist (?:zuerst|erstmals|ursprünglich|eine übersetzung).{0,100}|(?:categor(?:y|ies)|kategorien?) ?:.{0,80}|"
    # Post meta lines: "Posted in News, Politics", "Veröffentlicht unter Allgemein |", "Release Date:".
    r"(?:posted|filed|published|veröffentlicht|abgelegt|publicado|publié|pubblicato|geplaatst|opublikowano) "
    r"(?:in|under|unter|en|dans|op|w) [^.!?]{1,80}|posted (?:on|by) [^!?]{0,79}[^.!?]|"
    r"(?:release date|erscheinungsdatum|veröffentlichungsdatum|fecha de publicación|date de publication) ?:.{0,40}|"
    r"(?:реклама|reklam|إعلان|تبلیغات|广告|廣告) ?:?|читайте (?:также|еще|ещё) ?:.*|"
    r"اقرأ أيضاً? ?:.*|(?:همچنین )?بیشتر بخوانید ?:.*)",
    re.I,
)
# "Jo Doe • 5 min read": apart, as it is tried only on lines with one of its separators (its
# leading .{0,70} costs each line tried a scan and a walk back).
_READING_TIME_LINE = re.compile(r".{0,70}[•·|] ?\d+[ -]min(?:ute)?s?\.? read(?:ing time)?", re.I)


def _for_lowered_ascii(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """`pattern` (IGNORECASE, written in lower case) without the flag, for the lower-cased
    text of an ASCII line, where the two match alike: ASCII letters have no other case forms,
    and the pattern's other letters match no ASCII one. Plain letters let the regex engine
    pass over, at their first letter, the alternatives that cannot start the line; letters
    matched regardless of case do not."""
    return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)


_STOP_HEADING_ASCII = _for_lowered_ascii(STOP_HEADING)
_BOILERPLATE_ASCII = _for_lowered_ascii(_BOILERPLATE)


def is_stop_heading(text: str) -> bool:
    """Whether a heading ends the article's text (STOP_HEADING)."""
    if text.isascii():
        return _STOP_HEADING_ASCII.match(text.lower()) is not None
    return STOP_HEADING.match(text) is not None


# Disclosures: a note about the shop links or the machine translation, not article text.
_DISCLOSURE_WORDS = (
    "affiliate link", "affiliate-link", "affiliate commission", "earn a commission",
    "advertiser disclosure", "erhalten wir eine provision", "enthält werbung",
    "advertising disclosure", "may receive compensation", "contains references to products",
    "maschinelle übersetzung", "maschinell übersetzt", "automatisiert übersetzt",
    "machine translation of", "machine-translated", "automatically translated",
    "traduction automatique", "traducción automática", "tradotto automaticamente",
)  # fmt: skip
# Picture credits and subscription or membership prompts, tested only on short lines (on lower-cased text:
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
    "accept all cookies", "newsletter", "signing up", "sign up", "netiquette", "pdf herunterladen",
    "download pdf", "download the pdf", "nicht eingeloggt", "not logged in",
    "warenkorb ist leer", "cart is empty", "alle angaben ohne gewähr", "subskrypcji",
    "our privacy policy", "our privacy notice", "unserer datenschutzerklärung",
    "unsere datenschutzerklärung", "notre politique de confidentialité",
    "会員登録が必要", "会員の方のみ", "をフォローする", "をフォロー』",
    "werden sie mitglied", "werde mitglied", "devenez membre", "hazte socio", "diventa socio",
    "start your free trial", "jetzt kostenlos testen", "jetzt gratis testen", "als e-paper",
    *_DISCLOSURE_WORDS,
)  # fmt: skip
_WEEKDAYS = (
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "montag",
    "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag", "lundi", "mardi",
    "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "lunes", "martes", "miércoles",
    "jueves", "viernes", "sábado", "domingo", "mon", "tue", "wed", "thu", "fri", "sat", "sun",
    "mo", "di", "mi", "do", "fr", "sa", "so",
    "lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica", "segunda-feira",
    "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira", "maandag", "dinsdag", "woensdag",
    "donderdag", "vrijdag", "zaterdag", "zondag", "måndag", "tisdag", "onsdag", "torsdag", "fredag",
    "lördag", "söndag", "mandag", "tirsdag", "lørdag", "søndag", "poniedziałek", "wtorek", "środa",
    "czwartek", "piątek", "sobota", "niedziela", "pondělí", "úterý", "středa", "čtvrtek", "pátek",
    "neděle", "pondelok", "utorok", "streda", "štvrtok", "piatok", "nedeľa", "ponedjeljak",
    "ponedeljak", "utorak", "srijeda", "sreda", "četvrtak", "petak", "subota", "nedjelja", "nedelja",
    "ponedeljek", "torek", "četrtek", "petek", "hétfő", "kedd", "szerda", "csütörtök", "péntek",
    "szombat", "vasárnap", "maanantai", "tiistai", "keskiviikko", "torstai", "perjantai",
    "lauantai", "sunnuntai", "pazartesi", "salı", "çarşamba", "perşembe", "cumartesi",
    "dilluns", "dimarts", "dimecres", "dijous", "divendres", "dissabte", "diumenge", "selasa",
    "rabu", "kamis", "jumat", "sabtu", "thứ hai", "thứ ba", "thứ tư", "thứ năm", "thứ sáu",
    "thứ bảy", "chủ nhật",
)  # fmt: skip
# A line that is only a date, a time, a duration or a reading time ("Stand: 28.04.2023,
# 05:00 Uhr", "00:00 / 03:15", "3 Min Lesezeit"): page furniture around the text. (Month and
# day names as a trie: a flat alternation of two hundred names, tried case-insensitively one
# by one on every line, cost more than the rest of the line tests together.)
_DATE_OR_TIME_LINE = re.compile(
    r"(?:(?:stand|aktualisiert|zuletzt aktualisiert|updated|last updated|published|veröffentlicht|"
    r"publié le|mis à jour|am|um|on|at|vom|le|opublikowano|aktualizacja|publicado|actualizado|"
    r"pubblicato|aggiornato|gepubliceerd|bijgewerkt)\b[:\s]*)*"
    r"(?:[\d\s.:/,|•·–-]|\+\d\d:\d\d|" + trie_alternation(MONTH_NAMES + _WEEKDAYS) + r"\b\.?|"
    # Scandinavian: "Uppdaterad 15.59 | Publicerad 14.14", "02/02/2025 KL. 09:00".
    r"(?:uppdaterad|publicerad|opdateret|publiceret|oppdatert|publisert|kl)\b\.?)+"
    r"(?:uhr|h|min|am|pm|utc|gmt|cet|cest|mez|mesz)?\.?\s*|"
    r"\d+\s*(?:min(?:ute[ns]?|ut[ay]?)?\.?|minuten)\s*(?:lesezeit|read|reading time|de lecture|czytania|"
    r"lettura|lectura)?|(?:lesezeit|reading time|temps de lecture|lecture)\s*:?\s*\d+\s*min\.?(?:uten)?|"
    r"\d{1,2}[:.]\d{2}\s*(?:am|pm|uhr|h)?\s?[^\d\s.,;:!?][^.!?]{0,40}|"
    r"(?:vor|il y a|hace)? ?(?:\d+|an?|one) (?:sek(?:unden?)?|min(?:uten?|utes?|s)?|std|stunden?|"
    r"tag(?:en)?|wochen?|monat(?:en)?|jahr(?:en)?|s(?:ec(?:ond)?s?)?|hours?|hrs?|h|days?|weeks?|"
    r"months?|years?|heures?|jours?|horas?|días?)\.?(?: ago)?",
    re.I,
)


def is_menu_word(text: str) -> bool:
    """A few words without punctuation ("E-Mail", "Drucken", "UK"): a button or menu entry.
    Measured in bytes so that eight CJK characters, a real heading, are not taken for one."""
    return len(text) < 20 and len(text.encode()) < 24 and not _SENTENCE_MARK.search(text)


def reads_as_phrase(text: str) -> bool:
    """A short paragraph that reads as words ("Aufbau und Inhalt", CJK text), not a name, a
    credit or a label ("Iwona Kurz", "aja/PAP", "Inhaltsverzeichnis")."""
    if _LOWER_WORD.search(text) is not None:
        return True
    return text.lower() == text.upper() and any(char.isalpha() for char in text)  # CJK, not "___"


_LOWER_WORD = re.compile(r"\s[a-zß-ÿ]")


def is_boilerplate(text: str) -> bool:
    """A short line that is page furniture: 'Advertisement', 'Share', picture credits..."""
    if len(text) >= 200:  # prose, unless an embed's long consent placeholder or a disclosure
        if len(text) >= 500:
            return False
        low = text.lower()
        return _holds_placeholder(low) or (
            len(text) < _LONG_DISCLOSURE_CHARS and _holds_disclosures(low)
        )
    if (
        _BOILERPLATE_ASCII.fullmatch(text.lower())
        if text.isascii()
        else _BOILERPLATE.fullmatch(text)
    ):
        return True
    if ("•" in text or "·" in text or "|" in text) and _READING_TIME_LINE.fullmatch(text):
        return True
    if text[-1] in ")]" and _CAPTION_CREDIT.search(text):
        return True  # a caption: "Crowds wait near the palace (Picture: PA)"
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
        # dass mir der externe Inhalt angezeigt wird. ...") or a disclosure is furniture here.
        if not any(anchor in low for anchor in _CONSENT_OR_DISCLOSURE_ANCHORS):
            return False
        return _CONSENT_FINDER.search(low) is not None
    return _CREDIT_FINDER.search(low) is not None


def _substring_finder(words: tuple[str, ...]) -> re.Pattern[str]:
    """One regex that finds any of `words` in lower-cased text, built as a trie: faster than
    a loop of substring tests or a flat alternation."""
    return re.compile(trie_alternation(words))


_DIGIT = re.compile(r"\d")
# The picture credit that closes a caption.
_CAPTION_CREDIT = re.compile(
    r"[(\[](?:picture|photo|image|foto|bild|credit|pic)s? ?:[^()\[\]]{1,80}[)\]]$", re.I
)
_AGO = re.compile(
    r"^(?:\d+|an?|one) ?(?:secs?|seconds?|mins?|minutes?|hrs?|hours?) ago ?\d{1,2}:\d\d|"
    r"\d ?(?:secs?|seconds?|mins?|minutes?|hrs?|hours?|days?) ago$",
    re.I,
)
# "Von Alana Friedrichs", "By Ben Blanchard and Yimou Lee", "von Engin Haupt, MDR": a byline
# line (a name follows, capitalised; "By the numbers" is a heading, not a byline).
_BYLINE = re.compile(
    r"(?:[Vv]on|[Bb]y|BY|VON|[Pp]ar|[Pp]or|[Aa]v|[Dd]oor):? "
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
_DISCLOSURE_FINDER = _substring_finder(_DISCLOSURE_WORDS)
# A shop-link disclosure runs to a few sentences ("We recommend ... We may receive compensation
# ... Read our advertiser disclosure."): two of its phrases in a line this short mark it.
_LONG_DISCLOSURE_CHARS = 400
_PLACEHOLDER_FINDER = _substring_finder(_CONSENT_WORDS)  # for long lines: embeds only
# Each consent word holds one of these. Long lines are mostly prose, and a few plain substring
# tests cost a fraction of the regex scan they spare it.
_CONSENT_ANCHORS = (
    "extern", "third", "javascript", "accept", "personenbezogene", "drittplattformen",
)  # fmt: skip


# Each disclosure phrase holds one of these, for the same prefilter: a line of 200 to 400
# characters costs the disclosure scan several times what these tests cost.
_DISCLOSURE_ANCHORS = (
    "affiliate", "commission", "disclosure", "provision", "werbung", "compensation",
    "references", "übersetz", "translat", "traduc", "tradotto",
)  # fmt: skip
_CONSENT_OR_DISCLOSURE_ANCHORS = _CONSENT_ANCHORS + _DISCLOSURE_ANCHORS


def _holds_placeholder(low: str) -> bool:
    """Whether a lower-cased long line holds an embed's consent placeholder."""
    if not any(anchor in low for anchor in _CONSENT_ANCHORS):
        return False
    return _PLACEHOLDER_FINDER.search(low) is not None


def _holds_disclosures(low: str) -> bool:
    """Whether a lower-cased line holds two disclosure phrases or more."""
    if not any(anchor in low for anchor in _DISCLOSURE_ANCHORS):
        return False
    return len(_DISCLOSURE_FINDER.findall(low)) >= 2


# How a finished sentence ends; a line without any of these marks is a label or a button.
PROSE_END = frozenset('.!?"”»)。！？）」』')
_SENTENCE_MARK = re.compile(r"[.!?:;,。！？、،؟«»\"“”„]|\d")


def trim_tail(paragraphs: list[str]) -> list[str]:
    """Drop the short, unfinished lines after the last prose paragraph (credits, teaser
    headings of whatever follows the article) and the appended notes among the last few
    lines: calls to action, an author bio."""
    end = len(paragraphs)
    floor = max(1, end - 4)  # appended notes are looked for among the last few lines only
    while end > 1:
        last = paragraphs[end - 1]
        prose = len(last) >= 80 or (len(last) >= 25 and last.rstrip()[-1:] in PROSE_END)
        if prose and (end <= floor or not _is_appended_note(last)):
            break
        end -= 1
    return paragraphs[:end]


def _is_appended_note(line: str) -> bool:
    """Whether a finished line is what publishers append: a call to action or an author bio."""
    if len(line) < 300 and _CALL_TO_ACTION.search(line.lower()):
        return True
    return is_author_bio(line)


def is_author_bio(line: str) -> bool:
    """Whether a line is the author's note under the text ("Jo Doe is a senior reporter ...")."""
    return len(line) < _MAX_BIO_CHARS and _AUTHOR_BIO.match(line) is not None


# The author's note under the text: "Jo Doe is a senior researcher with ...", "Korrespondent
# Jo Doe ist bei WELT für ... zuständig", "Jo Doe ist ZDF-Reporterin für ...".
_AUTHOR_BIO = re.compile(
    r"(?:(?:Korrespondent|Redakteur|Reporter|Autor)(?:in)? )?(?:[A-ZÄÖÜÉ][\w'’.-]+ ){1,3}"
    r"(?:is|ist|est|es|är|er)\s+(?:(?:a|an|ein|eine|un|une|una|en|et)\s+)?(?:[\w-]+\s+){0,4}?"
    r"(?i:[\w-]*(?:reporter|correspondent|researcher|professor|editor|journalist|writer|"
    r"columnist|fellow|lecturer|analyst|contributor|korrespondent|redakteur|autor)\w*\b|"
    r"bei \w+ für\b)",
)  # names are capitalised: no IGNORECASE outside the job titles
_MAX_BIO_CHARS = 400


# What a publisher appends to every article: app, newsletter and social prompts, donation
# and membership appeals, citation hints, standards notes. Searched in the last lines only.
_CALL_TO_ACTION = re.compile(
    r"newsletter|posteingang|(?:download|get) (?:the|our) .{0,30}app\b|apps? for (?:ios|android)|"
    r"\btelegram\b|whatsapp-kanal|youtube-kanal|canal de (?:youtube|telegram)|"
    r"follow (?:us|the \w+) on|folgen sie (?:uns|\w+) auf|folge uns|síguenos|suivez-nous|"
    r"(?:on|auf|en) (?:twitter|facebook|instagram)(?: (?:and|und|y|or|oder|o) (?:twitter|facebook|instagram))|"
    r"subscribe|subscribing to|start your .{0,40}subscription|(?:to|in) your inbox|abonnieren|abonnez|suscríbete|suscribirse|registrieren sie sich|hier klicken|"
    r"click here|keine kommentare|no comments yet|beitragsbild|our standards|stay up-to-date|"
    r"get the latest (?:news|stories)|lust auf mehr|gefällt (?:dir|ihnen) unser|werden sie mitglied|"
    r"jede (?:kleine )?spende|donate now|suggested citation|zitiervorschlag|"
    r"im abo|als e-paper|kontaktformular|google news|whatsapp[- ]?(?:channel|kanal)|"
    r"get in touch with (?:us|our)\b|fehler gefunden|preferred source|we want to hear from you|"
    r"(?:mit|in) (?:der|unserer) (?:.{0,30} )?app\b|contributed (?:to this |reporting|report)|"
    r"\(abgerufen am|schlussredaktion:|übersetzung:|more to follow|have a story to (?:tell|share)|"
    r"in (?:unserem|unseren) (?:live-?blog|live-?ticker|news-?ticker)|(?:follow|in) our live (?:blog|updates)|"
    r"with reports from|^(?:mit|with|con|avec) (?:material (?:von|from) )?(?:dpa|afp|ap|reuters|kna|epd)\b|"
    r"^\S+@\S+\.[a-z]{2,}\W*(?:end\W*)?$",
)  # matched on lower-cased text: an IGNORECASE alternation is several times slower


def ends_in_read_more(text: str) -> bool:
    """Whether a paragraph closes with a "read more" link ("... Seht selbst! Weiterlesen"): the
    excerpt of another post, set as a teaser into the page."""
    return _READ_MORE_END.search(text[-24:].lower()) is not None


# On lower-cased text, as the other line tests.
_READ_MORE_END = re.compile(
    r"\b(?:weiterlesen|read more|continue reading|lire la suite|leer más|leggi tutto|czytaj dalej|"
    r"lees meer|leia mais)\W{0,4}$"
)


def is_call_to_action(text: str) -> bool:
    """Whether a text asks the reader to subscribe, follow, download or get in touch."""
    return _CALL_TO_ACTION.search(text.lower()) is not None
