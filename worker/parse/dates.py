"""Date strings to timezone-aware datetimes: ISO 8601, RFC 2822, numeric and named-month dates in
many languages, Solar Hijri and lunar Hijri months, Thai Buddhist-era years, Persian and
Arabic-Indic digits.

Every result is plausible (not before 1990, not in the future) and aware: a string without an
offset gets the source's timezone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from email.utils import parsedate_to_datetime

from dateutil import parser as dateutil_parser

from worker.parse.calendars import (
    ascii_digits,
    hijri_to_gregorian,
    jalali_to_gregorian,
    thai_to_gregorian,
    year_calendar,
)
from worker.parse.tries import trie_alternation

EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)

# Month names as dates write them (the genitive 'travnja', the Latvian locative 'aprīlī', the
# Hebrew 'באפריל', in April). A name that is also a common word elsewhere stays out: Malay 'Mac'.
_GREGORIAN_MONTHS: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "januar", "jänner", "janvier", "janv", "enero", "ene", "gennaio", "janeiro",
        "januari", "styczeń", "stycznia", "января", "январь", "ocak", "leden", "ledna", "tammikuuta",
        "ژانویه", "ژانویهٔ", "جنوری", "يناير", "كانون الثاني", "کانون الثانی", "jänner",
        "ianuarie", "gener", "січня", "ιανουαρίου", "január", "sausio",
        "januára", "januara", "januarja", "siječnja", "sijecnja", "janúar", "janar", "jaanuar",
        "janvāris", "janvārī", "yanvar", "xaneiro", "јануар", "јануара", "јануари", "януари",
        "студзеня", "ינואר", "בינואר", "जनवरी", "জানুয়ারি", "জানুয়ারী",
        "იანვარი", "հունվարի"),
    2: ("february", "feb", "februar", "février", "fevrier", "févr", "febrero", "febbraio", "fevereiro",
        "februari", "luty", "lutego", "февраля", "февраль", "şubat", "subat", "únor", "února",
        "فوریه", "فبروری", "فبراير", "شباط",
        "februarie", "helmikuuta", "febrer", "лютого", "φεβρουαρίου", "február", "febr", "vasario",
        "februára", "februara", "februarja", "veljače", "veljace", "febrúar", "shkurt", "veebruar",
        "februāris", "februārī", "pebrero", "fevral", "febreiro", "фебруар", "фебруара", "февруари",
        "лютага", "פברואר", "בפברואר", "फ़रवरी", "फरवरी", "ফেব্রুয়ারি",
        "ফেব্রুয়ারী", "فروری", "თებერვალი", "փետրվարի"),
    3: ("march", "mar", "märz", "maerz", "mars", "marzo", "março", "marco", "maart", "marzec",
        "marca", "марта", "март", "mart", "březen", "března", "مارس", "مارچ", "آذار",
        "martie", "maret", "maaliskuuta", "març", "березня", "μαρτίου", "március", "márc", "kovo",
        "marts", "marta", "marec", "ožujka", "ozujka", "martā", "marso", "machi", "сакавіка",
        "מרץ", "מרס", "במרץ", "במרס", "मार्च", "মার্চ", "მარტი", "մարտի"),
    4: ("april", "apr", "avril", "abril", "aprile", "kwiecień", "kwietnia", "апреля", "апрель",
        "nisan", "duben", "dubna", "آوریل", "اپریل", "أبريل", "ابريل", "إبريل", "نيسان",
        "aprilie", "huhtikuuta", "квітня", "απριλίου", "április", "ápr", "balandžio",
        "apríla", "aprila", "travnja", "apríl", "prill", "aprill", "aprīlis", "aprīlī", "aprili",
        "aprel", "април", "априла", "красавіка", "אפריל", "באפריל", "अप्रैल",
        "এপ্রিল", "აპრილი", "ապրիլի"),
    5: ("may", "mai", "mayo", "maggio", "maio", "mei", "maj", "maja", "мая", "май", "mayıs", "mayis",
        "květen", "května", "مه", "می", "مئی", "مايو", "أيار", "ايار",
        "toukokuuta", "maig", "травня", "μαΐου", "május", "máj", "gegužės",
        "mája", "svibnja", "maí", "maijs", "maijā", "мај", "маја", "מאי", "במאי", "मई", "মে",
        "მაისი", "մայիսի"),
    6: ("june", "jun", "juni", "juin", "junio", "giugno", "junho", "czerwiec", "czerwca", "июня",
        "июнь", "haziran", "červen", "června", "ژوئن", "جون", "يونيو", "يونيه", "حزيران",
        "iunie", "kesäkuuta", "juny", "червня", "ιουνίου", "június", "jún", "birželio",
        "júna", "juna", "junija", "junij", "lipnja", "júní", "jūnijs", "jūnijā", "hunyo", "iyun",
        "xuño", "јун", "јуна", "јуни", "юни", "чэрвеня", "יוני", "ביוני", "जून",
        "জুন", "ივნისი", "հունիսի"),
    7: ("july", "jul", "juli", "juillet", "juil", "julio", "luglio", "julho", "lipiec", "lipca",
        "июля", "июль", "temmuz", "červenec", "července", "ژوئیه", "جولای", "جولائی", "يوليو",
        "يوليه", "تموز",
        "iulie", "heinäkuuta", "juliol", "липня", "ιουλίου", "július", "júl", "liepos",
        "júla", "jula", "julija", "julij", "srpnja", "júlí", "korrik", "juuli", "jūlijs", "jūlijā",
        "hulyo", "julai", "iyul", "xullo", "јул", "јула", "јули", "юли", "ліпеня", "יולי", "ביולי",
        "जुलाई", "জুলাই", "ივლისი", "հուլիսի"),
    8: ("august", "aug", "août", "aout", "agosto", "augustus", "sierpień", "sierpnia", "августа",
        "август", "ağustos", "agustos", "srpen", "srpna", "اوت", "آگوست", "اگست", "أغسطس", "اغسطس", "آب",
        "augusti", "agustus", "elokuuta", "agost", "серпня", "αυγούστου", "augusztus", "rugpjūčio",
        "augusta", "avgust", "avgusta", "kolovoza", "ágúst", "gusht", "augusts", "augustā", "ogos",
        "agosti", "avqust", "жніўня", "אוגוסט", "באוגוסט", "अगस्त", "আগস্ট",
        "აგვისტო", "օգոստոսի"),
    9: ("september", "sep", "sept", "septembre", "septiembre", "settembre", "setembro", "wrzesień",
        "września", "сентября", "сентябрь", "eylül", "eylul", "září", "سپتامبر", "سپتمبر", "سبتمبر",
        "أيلول", "ايلول",
        "septembrie", "setiembre", "syyskuuta", "setembre", "вересня", "σεπτεμβρίου", "szeptember", "szept", "rugsėjo",
        "septembra", "septembar", "rujna", "shtator", "septembris", "septembrī", "setyembre",
        "septemba", "sentyabr", "sentabr", "септембар", "септембра", "септември", "верасня",
        "ספטמבר", "בספטמבר", "सितंबर", "सितम्बर", "সেপ্টেম্বর", "ستمبر",
        "სექტემბერი", "սեպտեմբերի"),
    10: ("october", "oct", "oktober", "okt", "octobre", "octubre", "ottobre", "outubro", "październik",
         "października", "октября", "октябрь", "ekim", "říjen", "října", "اکتبر", "اکتوبر", "أكتوبر",
         "اكتوبر", "تشرين الأول", "تشرين الاول",
         "octombrie", "lokakuuta", "жовтня", "οκτωβρίου", "október", "spalio",
         "októbra", "oktobra", "oktobar", "tetor", "oktoober", "oktobris", "oktobrī", "oktubre",
         "oktoba", "oktyabr", "oktabr", "октобар", "октобра", "октомври", "кастрычніка", "אוקטובר",
         "באוקטובר", "अक्टूबर", "अक्तूबर", "অক্টোবর", "ოქტომბერი", "հոկտեմբերի"),
    11: ("november", "nov", "novembre", "noviembre", "novembro", "listopad", "listopada", "ноября",
         "ноябрь", "kasım", "kasim", "نوامبر", "نومبر", "نوفمبر", "تشرين الثاني",
         "noiembrie", "marraskuuta", "листопада", "νοεμβρίου", "lapkričio",
         "novembra", "novembar", "studenoga", "studenog", "nóvember", "nëntor", "novembris",
         "novembrī", "nobyembre", "novemba", "noyabr", "новембар", "новембра", "ноември",
         "лістапада", "נובמבר", "בנובמבר", "नवंबर", "नवम्बर", "নভেম্বর",
         "ნოემბერი", "նոյեմբերի", "listopadu"),
    12: ("december", "dec", "dezember", "dez", "décembre", "decembre", "déc", "diciembre", "dic",
         "dicembre", "dezembro", "grudzień", "grudnia", "декабря", "декабрь", "aralık", "aralik",
         "prosinec", "prosince", "دسامبر", "دسمبر", "ديسمبر", "كانون الأول", "كانون الاول",
         "desember", "joulukuuta", "desembre", "грудня", "δεκεμβρίου", "gruodžio",
         "decembra", "decembar", "prosinca", "dhjetor", "detsember", "decembris", "decembrī",
         "disyembre", "disember", "desemba", "dekabr", "decembro", "децембар", "децембра",
         "декември", "снежня", "דצמבר", "בדצמבר", "दिसंबर", "दिसम्बर", "ডিসেম্বর",
         "დეკემბერი", "դեկտեմբերի"),
}  # fmt: skip
# Thai month names and their dotted abbreviations ('5 เม.ย. 2567'): years in the Buddhist era.
_THAI_MONTHS: dict[int, tuple[str, ...]] = {
    1: ("มกราคม", "ม.ค"), 2: ("กุมภาพันธ์", "ก.พ"), 3: ("มีนาคม", "มี.ค"), 4: ("เมษายน", "เม.ย"),
    5: ("พฤษภาคม", "พ.ค"), 6: ("มิถุนายน", "มิ.ย"), 7: ("กรกฎาคม", "ก.ค"), 8: ("สิงหาคม", "ส.ค"),
    9: ("กันยายน", "ก.ย"), 10: ("ตุลาคม", "ต.ค"), 11: ("พฤศจิกายน", "พ.ย"), 12: ("ธันวาคม", "ธ.ค"),
}  # fmt: skip
# Solar Hijri: Iranian names, Dari (Afghan) names, Pashto names.
_JALALI_MONTHS: dict[int, tuple[str, ...]] = {
    1: ("فروردین", "حمل", "وری"), 2: ("اردیبهشت", "ثور", "غویی", "غوایی"),
    3: ("خرداد", "جوزا", "غبرگولی"), 4: ("تیر", "سرطان", "چنگاښ"), 5: ("مرداد", "امرداد", "اسد", "زمری"),
    6: ("شهریور", "سنبله", "وږی"), 7: ("مهر", "میزان", "تله"), 8: ("آبان", "عقرب", "لړم"),
    9: ("آذر", "قوس", "لیندۍ", "لیندی"), 10: ("دی", "جدی", "مرغومی"), 11: ("بهمن", "دلو", "سلواغه"),
    12: ("اسفند", "حوت", "کب"),
}  # fmt: skip
_HIJRI_MONTHS: dict[int, tuple[str, ...]] = {
    1: ("محرم",), 2: ("صفر",), 3: ("ربیع الاول", "ربیع الأول"), 4: ("ربیع الثانی", "ربیع الآخر"),
    5: ("جمادی الاولی", "جمادی الأولی", "جمادی الاول"), 6: ("جمادی الآخرة", "جمادی الثانیة", "جمادی الثانی", "جمادی الاخرة"),
    7: ("رجب",), 8: ("شعبان",), 9: ("رمضان",), 10: ("شوال",), 11: ("ذو القعدة", "ذی القعدة", "ذوالقعدة", "ذیقعده"),
    12: ("ذو الحجة", "ذی الحجة", "ذوالحجة", "ذیحجه"),
}  # fmt: skip

# Arabic and Persian spellings of the same letters, folded so one table serves both.
_FOLD = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "\u200c": " ", "ـ": ""})


# Any character that folding changes besides case: most pages have none, and skipping the
# per-character translation for them keeps date scans cheap.
_NEEDS_FOLD = re.compile("[\u0600-\u06ff\u200c\u0966-\u096f\u09e6-\u09ef\u0e50-\u0e59]")


def _fold(text: str) -> str:
    if _NEEDS_FOLD.search(text) is None:
        return text.lower()
    return ascii_digits(text).lower().translate(_FOLD)


_MONTHS: dict[str, tuple[str, int]] = {}
for _cal, _table in (
    ("gregorian", _GREGORIAN_MONTHS),
    ("thai", _THAI_MONTHS),
    ("jalali", _JALALI_MONTHS),
    ("hijri", _HIJRI_MONTHS),
):
    for _num, _names in _table.items():
        for _name in _names:
            _MONTHS.setdefault(_fold(_name), (_cal, _num))
# Croatian and Bosnian 'listopad' is October, Polish and Czech November: only a page that says
# its language reads it as October.
_LANGUAGE_MONTHS: dict[str, dict[str, int]] = {
    language: {"listopad": 10, "listopada": 10} for language in ("hr", "bs")
}
# As a trie: the patterns try the names after every number in the text, and a flat alternation
# of six hundred names is tried one name after another.
_MONTH_ALT = trie_alternation(tuple(_MONTHS))
# Gregorian month names and abbreviations in Latin script ('märz', 'ožujka', not 'марта'), for
# other modules' line tests.
MONTH_NAMES = tuple(
    m for m, (cal, _) in _MONTHS.items() if cal == "gregorian" and max(m) < "\u0250"
)

# Each pattern opens with a lookahead for its first character: Python's regex engine then
# skips ahead to candidate positions instead of trying the lookbehind at every character.
# Levantine Arabic pages name the month twice, the Syriac name and the Latin one: '24 نيسان / أبريل
# 2020', '17 مارس (آذار) 2020'. The second name is read as well and must name the same month.
_DMY_NAMED = re.compile(
    rf"(?=\d)(?<![\w.])(\d{{1,2}})(?:\.|st|nd|rd|th|er|º)?\s*(?:de\s+|of\s+)?({_MONTH_ALT})(?!\w)\.?"
    rf"(?:\s*[/(]\s*({_MONTH_ALT})(?!\w)\)?)?,?\s*(?:de\s+|del\s+|[พค]\.ศ\.\s*)?(\d{{4}})(?!\d)"
)
# Month first ('March 3rd, 2020'): found by its tail, the day and year, then the month name
# right before it. Trying the names at every word would cost several times more.
_MDY_TAIL = re.compile(r"(?=\d)(?<![\w.])(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?!\d)")
_MONTH_INITIALS = "".join(sorted({re.escape(name[0]) for name in _MONTHS}))
_MONTH_BEFORE = re.compile(rf"(?=[{_MONTH_INITIALS}])(?<!\w)({_MONTH_ALT})\.?\s+\Z")
# '2020-09-20', '2020/09/20', '2020.09.20', and Korean and Hungarian '2020. 9. 20.'.
_YMD = re.compile(r"(?=\d)(?<!\d)(\d{4})([-/.]|\.\s)(\d{1,2})\2(\d{1,2})(?!\d)")
_DMY = re.compile(r"(?=\d)(?<![\d.])(\d{1,2})([-/.])(\d{1,2})\2(\d{4})(?!\d)")
# Chinese and Japanese '2020年7月3日', Korean '2020년 7월 3일': year, month, day, each marked.
_YMD_CJK = re.compile(r"(?=\d)(?<!\d)(\d{4})\s*([年년])\s*(\d{1,2})\s*[月월]\s*(\d{1,2})(?!\d)")
# Japanese era years: '令和2年7月3日' is 2020 (Reiwa 1 = 2019, Heisei 1 = 1989; 元 is year 1).
_ERAS = {"令和": 2019, "平成": 1989}
_JAPANESE_ERA = re.compile(
    r"(?=[令平])(令和|平成)\s*(\d{1,2}|元)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})(?!\d)"
)
# Hungarian '2020. szeptember 20.', Lithuanian '2020 m. rugsėjo 20 d.': year, month name, day.
_YMD_NAMED = re.compile(
    rf"(?=\d)(?<![\d.])(\d{{4}})(?:\.|\s+m\.)\s+({_MONTH_ALT})\.?\s+(\d{{1,2}})(?:\.|\s*d\.|(?!\d))"
)
# Latvian '2024. gada 5. aprīlī': the year ('gada', of the year), then the day and the month name.
_YEAR_GADA = re.compile(
    rf"(?=\d)(?<![\d.])(\d{{4}})\.?\s*gada\s+(\d{{1,2}})\.\s*({_MONTH_ALT})(?!\w)"
)
# Vietnamese 'ngày 5 tháng 4 năm 2024', '5 tháng 4, 2024': day, 'month' and its number, year.
_VIETNAMESE = re.compile(
    r"(?=\d)(?<![\d.])(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s+năm\s+|\s*[,/]\s*)(\d{4})(?!\d)"
)
_DMY_SHORT = re.compile(r"(?=\d)(?<![\d.])(\d{1,2})(\.)(\d{1,2})\.(\d{2})(?![\d.])")
# A clock: '14:07', '3.48 pm', '22:22:17.5', Arabic '09:22 مساءً' (evening) or 'صباحاً' (morning);
# not the '05.04' of a date '05.04.2025'.
_TIME = re.compile(
    r"(?=\d)(?<!\d)(?<!\d\.)([01]?\d|2[0-3])[:.h]([0-5]\d)(?::([0-5]\d)(?:\.\d+)?)?(?![.\d]\d)"
    r"\s*([ap]\.?m\.?|مساءً?|صباحاً?)?",
    re.I,
)
_AFTERNOON = ("pm", "مساء")
_MORNING = ("am", "صباح")
_URL_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?!\d)"
)
_URL_DATE_SLASHED = re.compile(r"/((?:19|20)\d{2})/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(?:/|$)")
# Day first, the year last and in full ('/29-10-2021', 'story-29_10_2021.html').
_URL_DATE_DAY_FIRST = re.compile(
    r"(?<![\d.])(0?[1-9]|[12]\d|3[01])([-_])(0?[1-9]|1[0-2])\2((?:19|20)\d{2})(?![\d])"
)
_OFFSET_NO_COLON = re.compile(r"([+-]\d{2})(\d{2})$")
_ISO_WITH_SPACE = re.compile(r"\d{4}-\d\d-\d\d \d")
_ISO_DATE_TIME = re.compile(r"\d{4}-\d\d-\d\dT")
_MDY_SLASHED = re.compile(r"\d{1,2}/\d{1,2}/\d{4}")
_EPOCH = re.compile(r"\d{10}(\d{3})?")
# Every date pattern needs one (folding only turns local digits into ASCII ones): text
# without any holds no date.
ANY_DIGIT = re.compile(r"\d")
_DATE_LINE_START = re.compile(r"\d|\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b", re.I)


def plausible(value: datetime, now: datetime | None = None) -> bool:
    now = now or datetime.now(UTC)
    return EARLIEST <= value <= now + timedelta(hours=1)


def _aware(value: datetime, tz: tzinfo) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=tz)


def _checked(value: datetime | None, tz: tzinfo) -> datetime | None:
    if value is None:
        return None
    value = _aware(value, tz)
    return value if plausible(value) else None


def parse_structured(raw: str, tz: tzinfo = UTC) -> datetime | None:
    """A machine-readable date (JSON-LD, <meta>, <time datetime>): ISO 8601, RFC 2822, or a
    dateutil-readable string. None when it does not parse or is implausible."""
    text = ascii_digits(raw.strip())[:100]
    if not text or not any(ch.isdigit() for ch in text):
        return None
    iso = text.replace(" ", "T", 1) if _ISO_WITH_SPACE.match(text) else text
    iso = _OFFSET_NO_COLON.sub(r"\1:\2", iso) if "T" in iso else iso
    try:
        return _checked(datetime.fromisoformat(iso.replace("z", "Z")), tz)
    except ValueError:
        pass
    if _ISO_DATE_TIME.match(iso):  # ISO with junk after it: keep the part that parses
        try:
            return _checked(datetime.fromisoformat(iso[:19]), tz)
        except ValueError:
            pass
    try:
        return _checked(parsedate_to_datetime(text), tz)
    except (TypeError, ValueError, IndexError):
        pass
    # Machine-written m/d/Y (the common CMS rendering) reads month first.
    found = find_date(text, tz, "en" if _MDY_SLASHED.match(text) else None)
    if found is not None:
        return found
    if _EPOCH.fullmatch(text):  # epoch seconds or milliseconds
        seconds = int(text[:10])
        return _checked(datetime.fromtimestamp(seconds, UTC), tz)
    try:
        return _checked(dateutil_parser.parse(text, fuzzy=False), tz)
    except (ValueError, OverflowError, TypeError):
        return None


def _to_gregorian(calendar: str, y: int, m: int, d: int) -> date:
    if calendar == "jalali":
        return jalali_to_gregorian(y, m, d)
    if calendar == "hijri":
        return hijri_to_gregorian(y, m, d)
    if calendar == "thai":
        return thai_to_gregorian(y, m, d)
    return date(y, m, d)


def _year_calendar(calendar: str, year: int, language: str | None) -> str | None:
    """The calendar a date's year counts in, given its month name's calendar and the page's
    language; None when the year cannot be one of that calendar's (a mis-hit)."""
    if 1300 <= year < 1500:
        return year_calendar(year, language) if calendar == "gregorian" else calendar
    if calendar in ("jalali", "hijri"):
        return None  # a Jalali/Hijri month name with a Gregorian-range year
    return "thai" if language == "th" else calendar


def _time_near(text: str, start: int, end: int) -> tuple[int, int, int, int] | None:
    """(hour, minute, second, where the clock ends) of a clock right after or before a date;
    the end is the date's own when the clock comes first."""
    for offset, window in ((end, text[end : end + 30]), (-1, text[max(0, start - 25) : start])):
        match = _TIME.search(window)
        if match:
            hour, minute = int(match.group(1)), int(match.group(2))
            second = int(match.group(3) or 0)
            ampm = (match.group(4) or "").lower().replace(".", "")
            if ampm.startswith(_AFTERNOON) and hour < 12:
                hour += 12
            elif ampm.startswith(_MORNING) and hour == 12:
                hour = 0
            return hour, minute, second, (offset + match.end() if offset >= 0 else end)
    return None


@dataclass(frozen=True)
class FoundDate:
    value: datetime
    text: str  # the date as the page writes it, with the clock that follows it


def scan_dates(
    text: str,
    tz: tzinfo = UTC,
    language: str | None = None,
    limit: int = 5,
    short_years: bool = False,
    max_chars: int = 5000,
) -> list[FoundDate]:
    """Dates written for readers in `text`, in order of appearance (at most `limit`), each with
    the text it was read from. `language` may carry a region ('en-gb'): English outside North
    America writes d/m/y."""
    head = text[:max_chars]
    if ANY_DIGIT.search(head) is None:
        return []  # every pattern needs a digit (folding only turns local digits into ASCII)
    folded = _fold(head)
    month_first = _month_first(language)
    language = language.split("-")[0] if language else None
    found: list[tuple[int, int, datetime]] = []
    patterns = _patterns(folded, language, short_years)
    end = len(folded)
    for pattern, order in patterns:
        for match in pattern.finditer(folded, 0, end):
            try:
                parts = _date_parts(order, match, folded, month_first, language)
                if parts is None:
                    continue
                start, month_calendar, year, month, day = parts
                calendar = _year_calendar(month_calendar, year, language)
                if calendar is None:
                    continue
                day_value = _to_gregorian(calendar, year, month, day)
            except (ValueError, KeyError, OverflowError):
                continue
            clock = _time_near(folded, start, match.end())
            hour, minute, second, stop = clock or (0, 0, 0, match.end())
            value = datetime(
                day_value.year, day_value.month, day_value.day, hour, minute, second, tzinfo=tz
            )
            if plausible(value):
                found.append((start, stop, value))
        if len(found) >= limit:
            # Later patterns need only look before the dates found so far.
            found.sort(key=lambda item: item[0])
            end = found[limit - 1][0]
    found.sort(key=lambda item: item[0])
    return [
        FoundDate(value, _as_written(head, folded, start, stop))
        for start, stop, value in found[:limit]
    ]


def _as_written(text: str, folded: str, start: int, stop: int) -> str:
    """The part of `text` that is `folded[start:stop]`. Folding keeps positions unless it
    dropped or split a character (an Arabic tatweel): then they are mapped back."""
    if len(folded) != len(text):
        origin: list[int] = []  # folded position -> text position
        for index, char in enumerate(text):
            origin.extend([index] * len(_fold(char)))
        origin.append(len(text))
        start, stop = origin[start], origin[stop]
    return text[start:stop].strip()


def _patterns(
    folded: str, language: str | None, short_years: bool
) -> list[tuple[re.Pattern[str], str]]:
    """The date patterns worth running over `folded`, each with its field order. Each costs a
    scan of the text: the CJK ones need a 年/년 in it, the Vietnamese one a 'tháng' (month), the
    Latvian one a 'gada' (of the year), the year-first named months a page in Hungarian or
    Lithuanian, the only languages that write them."""
    patterns = [(_DMY_NAMED, "dmy"), (_MDY_TAIL, "mdy"), (_YMD, "ymd"), (_DMY, "dmy#")]
    if "年" in folded or "년" in folded:
        patterns += [(_YMD_CJK, "ymd"), (_JAPANESE_ERA, "era")]
    if "tháng" in folded:
        patterns.append((_VIETNAMESE, "dmy-numbers"))
    if "gada" in folded:
        patterns.append((_YEAR_GADA, "ydm-named"))
    if language in ("hu", "lt"):
        patterns.append((_YMD_NAMED, "ymd-named"))
    if short_years:
        patterns.append((_DMY_SHORT, "dmy#"))
    return patterns


_DatePart = tuple[int, str, int, int, int]  # (start, calendar, year, month, day)


def _date_parts(
    order: str, match: re.Match[str], folded: str, month_first: bool, language: str | None
) -> _DatePart | None:
    """The calendar, year, month and day a pattern of `order` matched, and where the date
    starts; None when the match is no date (a month-first tail with no month name before it)."""
    start = match.start()
    if order == "mdy":
        named = _MONTH_BEFORE.search(folded, max(0, start - 40), start)
        if named is None:
            return None
        calendar, month = _month(named.group(1), language)
        return named.start(), calendar, int(match.group(2)), month, int(match.group(1))
    if order == "dmy":
        calendar, month = _month(match.group(2), language)
        if match.group(3) and _month(match.group(3), language) != (calendar, month):
            return None  # two months ('1 Jan/Feb 2020'): a span, not a day
        return start, calendar, int(match.group(4)), month, int(match.group(1))
    if order == "ymd-named":
        calendar, month = _month(match.group(2), language)
        return start, calendar, int(match.group(1)), month, int(match.group(3))
    if order == "ydm-named":
        calendar, month = _month(match.group(3), language)
        return start, calendar, int(match.group(1)), month, int(match.group(2))
    if order == "dmy-numbers":
        return start, "gregorian", int(match.group(3)), int(match.group(2)), int(match.group(1))
    if order == "era":
        year = _ERAS[match.group(1)] + (1 if match.group(2) == "元" else int(match.group(2)))
        return start, "gregorian", year - 1, int(match.group(3)), int(match.group(4))
    if order == "ymd":
        return start, "gregorian", int(match.group(1)), int(match.group(3)), int(match.group(4))
    first, second, year = int(match.group(1)), int(match.group(3)), _full_year(match.group(4))
    us_style = second > 12 or (month_first and match.group(2) == "/" and first <= 12)
    month, day = (first, second) if us_style else (second, first)
    return start, "gregorian", year, month, day


def _month(name: str, language: str | None) -> tuple[str, int]:
    """The calendar and number of a (folded) month name, in the page's language where
    languages give the name to different months."""
    local = _LANGUAGE_MONTHS.get(language or "", {}).get(name)
    return ("gregorian", local) if local else _MONTHS[name]


def _full_year(digits: str) -> int:
    """'24' -> 2024, '98' -> 1998: a two-digit year is this century's unless in the future."""
    year = int(digits)
    if len(digits) != 2:
        return year
    return 2000 + year if 2000 + year <= datetime.now(UTC).year else 1900 + year


_DAY_FIRST_ENGLISH = frozenset(
    {"gb", "uk", "ie", "au", "nz", "in", "za", "sg", "my", "pk", "ng", "ke", "hk", "mt", "gh"}
)


def _month_first(language: str | None) -> bool:
    """Whether numeric dates with slashes put the month first (US-style English)."""
    if not language:
        return False
    base, _, region = language.lower().replace("_", "-").partition("-")
    return base == "en" and region[:2] not in _DAY_FIRST_ENGLISH


def find_date(
    text: str, tz: tzinfo = UTC, language: str | None = None, short_years: bool = False
) -> datetime | None:
    """The first reader-facing date in `text`, or None. `short_years` also reads dd.mm.yy."""
    found = first_date(text, tz, language, short_years)
    return found.value if found else None


def first_date(
    text: str, tz: tzinfo = UTC, language: str | None = None, short_years: bool = False
) -> FoundDate | None:
    """As `find_date`, with the text the date was read from."""
    dates = scan_dates(text, tz, language, limit=1, short_years=short_years)
    return dates[0] if dates else None


# Labels announcing the publication date ('Erschienen am: 01.11.2023', 'Published on May 3, 2019').
_LABELS = (
    "published", "posted", "released", "erschienen", "veröffentlicht", "publiziert", "erstellt",
    "pressemitteilung vom", "meldung vom", "artikel vom", "beitrag vom", "publié", "publicado",
    "publicada", "pubblicato", "opublikowano", "gepubliceerd", "publicerad", "publisert",
    "julkaistu", "yayınlanma", "опубликовано", "дата публикации", "تاريخ النشر", "منتشر شده",
)  # fmt: skip
# Matched against lower-cased text (case-blind matching is several times slower); the lookahead
# for a label's first letter lets the engine skip to candidate positions.
_PUBLISHED_LABEL = re.compile(
    f"(?=[{''.join(sorted({label[0] for label in _LABELS}))}])"
    rf"\b(?:{'|'.join(map(re.escape, _LABELS))})\b"
)


def find_labelled_date(
    text: str, tz: tzinfo = UTC, language: str | None = None, max_chars: int = 30_000
) -> datetime | None:
    """The first date right after a 'published'-like label in `text`, or None."""
    found = first_labelled_date(text, tz, language, max_chars)
    return found.value if found else None


def first_labelled_date(
    text: str, tz: tzinfo = UTC, language: str | None = None, max_chars: int = 30_000
) -> FoundDate | None:
    """As `find_labelled_date`, with the label and the date as written."""
    lowered = text[:max_chars].lower()
    source = text if len(lowered) == min(len(text), max_chars) else lowered
    for match in _PUBLISHED_LABEL.finditer(lowered):
        window = lowered[match.end() : match.end() + 60]
        if found := first_date(window, tz, language, short_years=True):
            written = source[match.start() : match.end() + 60]
            at = window.find(found.text.lower())
            if at >= 0:
                written = written[: match.end() - match.start() + at + len(found.text)]
            return FoundDate(found.value, written.strip())
    return None


def parse_with_formats(raw: str, formats: tuple[str, ...], tz: tzinfo) -> datetime | None:
    """Try a profile's strptime formats (English month and weekday names) on a date line."""
    text = " ".join(ascii_digits(raw).split())
    for fmt in formats:
        for candidate in (text, _strip_label(text)):
            try:
                return _checked(datetime.strptime(candidate, fmt), tz)
            except ValueError:
                continue
    return None


def _strip_label(text: str) -> str:
    """'Publish date : Wednesday 15 May 2024 - 11:40' -> 'Wednesday 15 May 2024 - 11:40'."""
    match = _DATE_LINE_START.search(text)
    return text[match.start() :] if match else text


def date_from_url(url: str, tz: tzinfo = UTC) -> datetime | None:
    """A date written into the URL path (/2024/05/15/, 20240515, 2024-05-15, 15-05-2024)."""
    path = url.split("?", 1)[0].split("://", 1)[-1]
    path = path[path.find("/") :] if "/" in path else ""
    for pattern in (_URL_DATE_SLASHED, _URL_DATE, _URL_DATE_DAY_FIRST):
        match = pattern.search(path)
        if match:
            year, month, day = (
                (match.group(4), match.group(3), match.group(1))
                if pattern is _URL_DATE_DAY_FIRST
                else match.groups()
            )
            try:
                value = datetime(int(year), int(month), int(day), tzinfo=tz)
            except ValueError:
                continue
            if plausible(value):
                return value
    return None
