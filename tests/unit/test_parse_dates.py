"""Dates: calendars, local digits, formats, timezones and plausibility."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from worker.parse import pagedates
from worker.parse.calendars import (
    ascii_digits,
    hijri_to_gregorian,
    jalali_to_gregorian,
    year_calendar,
)
from worker.parse.dates import (
    date_from_url,
    find_date,
    first_date,
    first_labelled_date,
    parse_structured,
    parse_with_formats,
)

KABUL = ZoneInfo("Asia/Kabul")


@pytest.mark.parametrize(
    ("jalali", "gregorian"),
    [
        ((1403, 2, 26), date(2024, 5, 15)),
        ((1403, 1, 1), date(2024, 3, 20)),
        ((1399, 12, 30), date(2021, 3, 20)),  # leap year
        ((1402, 12, 29), date(2024, 3, 19)),
        ((1369, 10, 11), date(1991, 1, 1)),
        ((1404, 7, 1), date(2025, 9, 23)),
    ],
)
def test_jalali_to_gregorian(jalali: tuple[int, int, int], gregorian: date) -> None:
    assert jalali_to_gregorian(*jalali) == gregorian


def test_jalali_rejects_impossible_days() -> None:
    with pytest.raises(ValueError):
        jalali_to_gregorian(1403, 7, 31)


def test_hijri_tabular() -> None:
    assert hijri_to_gregorian(1445, 9, 1) == date(2024, 3, 11)  # 1 Ramadan 1445
    assert hijri_to_gregorian(1445, 11, 7) == date(2024, 5, 15)


def test_local_digits() -> None:
    assert ascii_digits("۱۴۰۳/۰۲/۲۶ - ٢٠٢٤") == "1403/02/26 - 2024"


def test_year_calendar() -> None:
    assert year_calendar(1403) == "jalali"
    assert year_calendar(1445) == "hijri"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Publish date : Wednesday 15 May 2024 - 11:40",
            datetime(2024, 5, 15, 11, 40, tzinfo=KABUL),
        ),
        (
            "تاریخ انتشار : چهارشنبه ۲۶ ثور ۱۴۰۳ ساعت ۱۱:۴۰",
            datetime(2024, 5, 15, 11, 40, tzinfo=KABUL),
        ),
        ("د خپرولو نېټه: ۲۶ غویی ۱۴۰۳", datetime(2024, 5, 15, tzinfo=KABUL)),
        ("۲۶ اردیبهشت ۱۴۰۳", datetime(2024, 5, 15, tzinfo=KABUL)),
        ("1403/02/26 11:40", datetime(2024, 5, 15, 11, 40, tzinfo=KABUL)),
        ("الأربعاء ٧ ذو القعدة ١٤٤٥", datetime(2024, 5, 15, tzinfo=KABUL)),
        ("١٥ مايو ٢٠٢٤", datetime(2024, 5, 15, tzinfo=KABUL)),
        ("الأربعاء 15 أيار / مايو 2024", datetime(2024, 5, 15, tzinfo=KABUL)),
        ("١٥ مايو (أيار) ٢٠٢٤", datetime(2024, 5, 15, tzinfo=KABUL)),
        ("15 أيار 2024 09:40 مساءً", datetime(2024, 5, 15, 21, 40, tzinfo=KABUL)),
        ("15 أيار 2024 12:10 صباحاً", datetime(2024, 5, 15, 0, 10, tzinfo=KABUL)),
        ("22. April 2024, 10:15 Uhr", datetime(2024, 4, 22, 10, 15, tzinfo=KABUL)),
        ("March 3, 2021 at 5:30 pm", datetime(2021, 3, 3, 17, 30, tzinfo=KABUL)),
        ("le 3 mars 2021", datetime(2021, 3, 3, tzinfo=KABUL)),
        ("15.05.2024", datetime(2024, 5, 15, tzinfo=KABUL)),
        ("投稿日 2020年07月03日 17:16", datetime(2020, 7, 3, 17, 16, tzinfo=KABUL)),
        ("2020년 4월 17일", datetime(2020, 4, 17, tzinfo=KABUL)),
        ("duminică, 20 septembrie 2020", datetime(2020, 9, 20, tzinfo=KABUL)),
        ("19. helmikuuta 2020", datetime(2020, 2, 19, tzinfo=KABUL)),
        ("12 вересня 2021", datetime(2021, 9, 12, tzinfo=KABUL)),
        ("12 Σεπτεμβρίου 2021", datetime(2021, 9, 12, tzinfo=KABUL)),
        ("5 de març de 2021", datetime(2021, 3, 5, tzinfo=KABUL)),
        ("令和2年7月3日", datetime(2020, 7, 3, tzinfo=KABUL)),
        ("令和元年5月1日", datetime(2019, 5, 1, tzinfo=KABUL)),
        ("2020. 9. 20. 15:00", datetime(2020, 9, 20, 15, 0, tzinfo=KABUL)),
    ],
)
def test_find_date(text: str, expected: datetime) -> None:
    assert find_date(text, KABUL) == expected


@pytest.mark.parametrize(
    ("text", "language"),
    [("2020. szeptember 20. 14:05", "hu"), ("2020 m. rugsėjo 20 d.", "lt")],
)
def test_year_first_month_names(text: str, language: str) -> None:
    assert find_date(text, UTC, language).date() == date(2020, 9, 20)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("da", "Opdateret 3. marts 2023 kl. 09.05", date(2023, 3, 3)),
        ("hr", "Objavljeno: 9. siječnja 2023. u 14:02", date(2023, 1, 9)),
        ("hr", "21. veljače 2023.", date(2023, 2, 21)),
        ("hr", "28. studenoga 2022.", date(2022, 11, 28)),
        ("sr", "Beograd, 17. avgusta 2022.", date(2022, 8, 17)),
        ("sr", "17. априла 2022.", date(2022, 4, 17)),
        ("sr", "4. децембар 2022.", date(2022, 12, 4)),
        ("bs", "Sarajevo, 2. oktobra 2022.", date(2022, 10, 2)),
        ("sl", "Objavljeno 30. junija 2023", date(2023, 6, 30)),
        ("bg", "обновена 8 септември 2023 г.", date(2023, 9, 8)),
        ("mk", "Скопје, 11 јули 2023", date(2023, 7, 11)),
        ("be", "11 лістапада 2022", date(2022, 11, 11)),
        ("sk", "Publikované 14. februára 2023", date(2023, 2, 14)),
        ("cs", "Vydáno 14. listopadu 2022", date(2022, 11, 14)),
        ("is", "Birt 14. febrúar 2023", date(2023, 2, 14)),
        ("sq", "Publikuar më 14 shkurt 2023", date(2023, 2, 14)),
        ("et", "Avaldatud 14. veebruar 2023", date(2023, 2, 14)),
        ("lv", "Publicēts 14. februāris, 2023", date(2023, 2, 14)),
        ("lv", "2023. gada 14. februārī", date(2023, 2, 14)),
        ("vi", "Thứ ba, ngày 14 tháng 2 năm 2023", date(2023, 2, 14)),
        ("vi", "14 tháng 2, 2023 | 08:15", date(2023, 2, 14)),
        ("ms", "Dikemaskini 14 Ogos 2023", date(2023, 8, 14)),
        ("tl", "Inilathala noong Setyembre 14, 2023", date(2023, 9, 14)),
        ("sw", "Imechapishwa 14 Septemba 2023", date(2023, 9, 14)),
        ("he", "פורסם 14 בספטמבר 2023", date(2023, 9, 14)),
        ("th", "เผยแพร่ 14 กันยายน 2566", date(2023, 9, 14)),
        ("th", "๑๔ ก.ย. พ.ศ. ๒๕๖๖", date(2023, 9, 14)),
        ("th", "14/09/2566", date(2023, 9, 14)),
        ("hi", "प्रकाशित: १४ सितंबर २०२३", date(2023, 9, 14)),
        ("bn", "প্রকাশিত: ১৪ সেপ্টেম্বর ২০২৩", date(2023, 9, 14)),
        ("ur", "14 فروری 2023", date(2023, 2, 14)),
        ("ka", "14 თებერვალი 2023", date(2023, 2, 14)),
        ("hy", "14 փետրվարի, 2023", date(2023, 2, 14)),
        ("az", "14 fevral 2023", date(2023, 2, 14)),
        ("gl", "14 de xaneiro de 2023", date(2023, 1, 14)),
    ],
)
def test_month_names_and_date_formats_of_more_languages(
    language: str, text: str, expected: date
) -> None:
    assert find_date(text, UTC, language).date() == expected  # type: ignore[union-attr]


def test_local_digits_carry_the_clock_too() -> None:
    assert find_date("১৪:২০, ১৪ সেপ্টেম্বর ২০২৩", UTC) == datetime(2023, 9, 14, 14, 20, tzinfo=UTC)


def test_listopad_is_october_on_a_croatian_page_and_november_elsewhere() -> None:
    assert find_date("14. listopada 2022.", UTC, "hr") == datetime(2022, 10, 14, tzinfo=UTC)
    assert find_date("14 listopada 2022", UTC, "pl") == datetime(2022, 11, 14, tzinfo=UTC)
    assert find_date("14 listopada 2022", UTC) == datetime(2022, 11, 14, tzinfo=UTC)


def test_thai_pages_may_write_common_era_years() -> None:
    assert find_date("14 กันยายน 2023", UTC, "th") == datetime(2023, 9, 14, tzinfo=UTC)


def test_year_then_month_name_in_english_prose_is_no_date() -> None:
    assert find_date("By 2020 May 5 people had left.", UTC, "en") is None


def test_two_different_month_names_are_a_span_not_a_day() -> None:
    assert find_date("Ausgabe 1 Jan/Feb 2024", UTC) is None


def test_no_date_in_plain_text() -> None:
    assert find_date("Nothing to see here, 42 items, call 555-1234.", UTC) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-05-15T11:40:00+04:30", datetime(2024, 5, 15, 11, 40, tzinfo=KABUL)),
        ("2024-05-15T07:10:00Z", datetime(2024, 5, 15, 7, 10, tzinfo=UTC)),
        ("2024-05-15T11:40:00+0430", datetime(2024, 5, 15, 11, 40, tzinfo=KABUL)),
        ("Wed, 15 May 2024 07:10:00 GMT", datetime(2024, 5, 15, 7, 10, tzinfo=UTC)),
        ("2024-05-15", datetime(2024, 5, 15, tzinfo=KABUL)),
    ],
)
def test_parse_structured(raw: str, expected: datetime) -> None:
    assert parse_structured(raw, KABUL) == expected


def test_naive_dates_get_the_source_timezone() -> None:
    value = parse_structured("2024-05-15 11:40:00", KABUL)
    assert value is not None and value.utcoffset() is not None
    assert value.isoformat() == "2024-05-15T11:40:00+04:30"


@pytest.mark.parametrize(
    "raw", ["2999-01-01", "1985-06-01T10:00:00Z", "not a date", "", "0000-00-00"]
)
def test_implausible_or_garbage(raw: str) -> None:
    assert parse_structured(raw, UTC) is None


def test_profile_formats() -> None:
    got = parse_with_formats(
        "Publish date Wednesday 15 May 2024 - 11:40", ("%A %d %B %Y - %H:%M",), KABUL
    )
    assert got == datetime(2024, 5, 15, 11, 40, tzinfo=KABUL)


def test_date_from_url() -> None:
    assert date_from_url("https://x.example/2024/05/15/story") == datetime(2024, 5, 15, tzinfo=UTC)
    assert date_from_url("https://x.example/news/20240515-story") == datetime(
        2024, 5, 15, tzinfo=UTC
    )
    assert date_from_url("https://x.example/news/story-123456") is None


def _published(html: str, url: str = "https://example.org/story") -> datetime | None:
    from worker.parse import extract_article

    return extract_article(html, url).published_at


def test_utc_date_takes_the_local_offset_the_page_gives() -> None:
    html = """<html><head><script type="application/ld+json">
    {"@type": "NewsArticle", "headline": "Arrest made", "datePublished": "2023-11-09T06:35:29+00:00"}
    </script></head><body><h1>Arrest made</h1>
    <p>Posted: <time datetime="2023-11-08T22:35:29-08:00">Nov 8, 2023 / 10:35 PM PST</time></p>
    <p>Text of the story.</p></body></html>"""
    published = _published(html)
    assert published is not None
    assert published.date() == date(2023, 11, 8)
    assert published.utcoffset() is not None and published.utcoffset().total_seconds() == -8 * 3600


def test_date_after_a_published_label_in_the_page_text() -> None:
    html = """<html><body><h1>Review</h1><p>Long text without any date in it at all.</p>
    <p class="footer">Letzte Änderung: 31.10.2023 - 14:49<br>Erschienen am: 01.11.2023</p>
    </body></html>"""
    assert _published(html).date() == date(2023, 11, 1)  # type: ignore[union-attr]


def test_page_date_in_the_month_the_url_names() -> None:
    html = """<html><body><h1>Kein Cyberterrorismus</h1><p>Heute: 14. Oktober 2020</p>
    <p>Text.</p><p class="x">Samstag, 3. Dezember 2011 um 10:00 Uhr</p></body></html>"""
    url = "https://example.org/news/2011/12/kein-cyberterrorismus/"
    assert _published(html, url).date() == date(2011, 12, 3)  # type: ignore[union-attr]


def test_british_english_reads_day_first() -> None:
    html = """<html lang="en-gb"><body><h1>Halls too full</h1>
    <div class="date">02/10/2020</div><p>Story.</p></body></html>"""
    assert _published(html).date() == date(2020, 10, 2)  # type: ignore[union-attr]
    assert _published(html.replace("en-gb", "en-us")).date() == date(2020, 2, 10)  # type: ignore[union-attr]


def test_machine_slashed_meta_date_is_month_first() -> None:
    assert parse_structured("11/01/2023 12:43:42").date() == date(2023, 11, 1)  # type: ignore[union-attr]


def test_time_beside_the_headline_beats_a_teaser_list() -> None:
    html = """<html><body><ul class="teasers"><li><time datetime="2023-11-06">6.11.</time></li></ul>
    <article><header><h1>Klimavorreiter</h1><time datetime="2018-11-16T10:00">16.11.2018</time>
    </header><p>Story.</p></article></body></html>"""
    assert _published(html).date() == date(2018, 11, 16)  # type: ignore[union-attr]


def test_utc_local_midnight_is_the_next_day() -> None:
    html = """<html><head><meta property="article:published_time" content="2021-11-04T23:00Z">
    </head><body><h1>Wahlen</h1><p>Story.</p></body></html>"""
    assert _published(html).date() == date(2021, 11, 5)  # type: ignore[union-attr]


def test_utc_day_gives_way_to_the_day_shown_beside_the_headline() -> None:
    html = """<html><head><meta property="article:published_time" content="2020-05-02T02:54:29Z">
    </head><body><header><h1>Penn Station to close</h1><div class="date">May 1, 2020</div>
    </header><p>Story.</p></body></html>"""
    assert _published(html).date() == date(2020, 5, 1)  # type: ignore[union-attr]


def test_a_clock_line_is_not_the_publication_date() -> None:
    html = """<html><body><div class="info">Aktuelle Zeit: 14.10.2020, 12:18</div>
    <h1>Forum</h1><div class="postdate">21.01.2009</div><p>Beitrag.</p></body></html>"""
    assert _published(html).date() == date(2009, 1, 21)  # type: ignore[union-attr]


def test_bare_date_meta_yields_to_the_date_beside_the_headline() -> None:
    html = """<html><head><meta name="date" content="2020-02-12"></head><body>
    <article><h1>Faire Lieferketten</h1><p class="date">05.02.2020</p><p>Text.</p></article>
    </body></html>"""
    assert _published(html).date() == date(2020, 2, 5)  # type: ignore[union-attr]
    bare = """<html><head><meta name="dc.date" content="2020-02-12"></head><body><p>Text.</p>
    </body></html>"""
    assert _published(bare).date() == date(2020, 2, 12)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "name",
    ["prism.publicationDate", "article:published", "cXenseParse:publishtime",
     "shareaholic:article_published_time", "dcterms:created"],
)  # fmt: skip
def test_publication_meta_names_beyond_open_graph(name: str) -> None:
    # The story's date in the meta; the page text shows only a teaser's date.
    html = f"""<html><head><meta name="{name}" content="2021-03-04T10:00:00+01:00"></head>
    <body><h1>Spring floods</h1><p>Text.</p><p class="date">1 June 2021</p></body></html>"""
    assert _published(html).date() == date(2021, 3, 4)  # type: ignore[union-attr]


def test_lead_image_url_dates_a_page_with_no_other_date() -> None:
    html = """<html><head><meta property="og:image"
    content="https://img.example.org/2026/01/29/8d23917b.jpg"></head><body><p>Text.</p>
    </body></html>"""
    assert _published(html).date() == date(2026, 1, 29)  # type: ignore[union-attr]


def test_named_month_first_dates() -> None:
    assert find_date("Sept. 5, 2019") == datetime(2019, 9, 5, tzinfo=UTC)
    assert find_date("posted March 3rd, 2020 by x") == datetime(2020, 3, 3, tzinfo=UTC)
    assert find_date("كانون الثاني 5, 2020") == datetime(2020, 1, 5, tzinfo=UTC)


def test_dates_in_the_comment_thread_are_not_the_story_date() -> None:
    html = """<html><body><h1>Virtual wall</h1><p>Long story text without a date.</p>
    <p>Dieser Artikel wurde am 14. Dezember 2015 geschrieben.</p>
    <ol class="commentlist"><li><span class="date">15. Dezember 2015</span> Nice!</li></ol>
    </body></html>"""
    assert _published(html).date() == date(2015, 12, 14)  # type: ignore[union-attr]


def test_the_headline_is_the_h1_that_matches_the_title_not_the_logo() -> None:
    html = """<html><head><title>Liegestühle auf der Titanic | Radio</title></head><body>
    <header><h1><a href="/" class="logo">Radio</a></h1><p class="date">Mittwoch, 26.02.2020</p>
    </header><main><article><h1>Liegestühle auf der Titanic</h1>
    <p class="date">01.05.2017</p><p>Story.</p></article></main></body></html>"""
    assert _published(html).date() == date(2017, 5, 1)  # type: ignore[union-attr]


def test_a_date_line_far_from_the_headline_is_not_its_date() -> None:
    teaser = "<p>Teaser text that goes on and on about other things.</p>" * 40
    html = f"""<html><body><div><h1>Tax capital inflows</h1><p>Lead.</p>
    <div class="x">August 06, 2019</div>{teaser}<span class="date">17.12.2019</span>
    </div></body></html>"""
    assert _published(html).date() == date(2019, 8, 6)  # type: ignore[union-attr]


def test_a_visible_date_line_is_not_shifted_as_if_it_were_utc() -> None:
    html = """<html><body><div><h1>Sommerfest</h1><p class="info">10.06.2018 22:00</p>
    <p>Story.</p></div></body></html>"""
    assert _published(html).date() == date(2018, 6, 10)  # type: ignore[union-attr]


def test_published_date_in_a_scripts_json() -> None:
    html = """<html><body><p>Review text.</p><script type="application/json">
    {"publishedDate":"2016-11-04T20:37:27Z","updatedDate":"2016-11-05T20:39:47Z"}</script>
    </body></html>"""
    assert _published(html).date() == date(2016, 11, 4)  # type: ignore[union-attr]


def test_day_first_date_in_the_url() -> None:
    assert date_from_url("https://x.example/meldungen/29-10-2021") == datetime(
        2021, 10, 29, tzinfo=UTC
    )
    assert date_from_url("https://x.example/v1.10.2020") is None


def test_date_in_the_description_when_the_page_shows_none() -> None:
    html = """<html><head><meta name="description" content="Orso: un anno da record
    (Notizia del 14 Gennaio 2020)"></head><body><p>Testo.</p></body></html>"""
    assert _published(html).date() == date(2020, 1, 14)  # type: ignore[union-attr]


def test_time_text_beats_its_attribute_when_they_are_days_apart() -> None:
    html = """<html><body><div><h1>Grenades</h1>
    <time datetime="2019-07-03T10:18:46Z">Publié le 29 juin 2019</time><p>Story.</p></div>
    </body></html>"""
    assert _published(html).date() == date(2019, 6, 29)  # type: ignore[union-attr]


def test_the_first_date_is_the_first_written_whatever_its_format() -> None:
    text = "Karlsruhe, (12.11.2021). Am Ewigkeitssonntag, 21. November 2021, gedenken wir."
    assert find_date(text) == datetime(2021, 11, 12, tzinfo=UTC)


def test_without_an_h1_the_date_beside_the_title_text_counts() -> None:
    story = "<p>La Justice de paix a tenu son audience correctionnelle ce jour-là.</p>" * 30
    html = f"""<html><head><title>Guinée : un braconnier condamné | WARA</title></head><body>
    <nav>Accueil » Contact</nav><div class="x">Guinée : un braconnier condamné 27 Sep 2016</div>
    {story}<aside><h3>Dernières actualités</h3><p class="date">09/09/2019</p></aside>
    </body></html>"""
    assert _published(html).date() == date(2016, 9, 27)  # type: ignore[union-attr]


def test_utc_instant_takes_the_local_clock_shown_beside_the_headline() -> None:
    html = """<html><head><script type="application/ld+json">
    {"@type": "NewsArticle", "datePublished": "Wed, 04 May 2022 02:41:00 GMT"}</script></head>
    <body><header><div class="kicker">Santa Cruz</div><h1>Investigador chileno</h1></header>
    <div class="by">Ariel Melgar Cabrera 3/5/2022 22:41</div><p>Story.</p></body></html>"""
    published = _published(html)
    assert published is not None and published.date() == date(2022, 5, 3)
    assert published.utcoffset() is not None and published.utcoffset().total_seconds() == -4 * 3600


def test_dates_in_captions_and_deep_comment_threads_are_skipped() -> None:
    html = """<html><body><article><h1>Campaigns brace for the sprint</h1>
    <div class="Carousel"><div class="slide"><div class="info">Harris waves, Monday, Sept. 2,
    2024, in Pittsburgh.</div></div></div><div class="byline">Sept. 3, 2024</div>
    <div id="comments"><ol><li><div><span class="date">Sept. 4, 2024</span></div></li></ol></div>
    </article></body></html>"""
    assert _published(html).date() == date(2024, 9, 3)  # type: ignore[union-attr]


def test_a_comments_and_date_box_still_dates_the_story() -> None:
    html = """<html><body><h1>Simpler publishing</h1><div id="wpcom-comments-date">
    <span class="date">August 30, 2017</span> / <a class="comments">0</a></div>
    <p>Story.</p></body></html>"""
    assert _published(html).date() == date(2017, 8, 30)  # type: ignore[union-attr]


def test_a_date_closing_the_title_is_the_publishers() -> None:
    html = """<html><head><title>Ziele, Chancen, Risiken | Europa | DW | 28.04.2023</title></head>
    <body><h1>Ziele, Chancen, Risiken</h1><p>Seit dem 24.04.2023 bereitet sich ...</p></body></html>"""
    assert _published(html).date() == date(2023, 4, 28)  # type: ignore[union-attr]
    event = html.replace("| Europa | DW | 28.04.2023", "am 28.04.2023 | DW")
    assert _published(event).date() == date(2023, 4, 24)  # type: ignore[union-attr]


def test_two_digit_years_in_date_lines() -> None:
    assert find_date("Do 25.04.24 | 14:07 Uhr", short_years=True) == datetime(
        2024, 4, 25, 14, 7, tzinfo=UTC
    )
    assert find_date("am 05.02.98", short_years=True) == datetime(1998, 2, 5, tzinfo=UTC)
    assert find_date("Version 25.04.24") is None  # only where short years are asked for


def test_a_caption_beside_the_headline_does_not_date_the_story() -> None:
    html = """<html><body><div><h1>Protesters gather at Paris theater</h1><figure><img src="a.jpg">
    <figcaption>Protesters near Orleans, France, January 16, 2020. REUTERS</figcaption></figure>
    <p>January 18, 2020 PARIS (Reuters) - Protesters gathered.</p></div></body></html>"""
    assert _published(html).date() == date(2020, 1, 18)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "html",
    [
        '{"datePublished" \n : "2020-01-02T10:00Z"}',
        "x'pubDate':'2021-03-04'",
        '{"a": "2020-01-01", "createdAt":  "2020-02-02 10:00+0100"}',
        '{"datePublished": "2020-01-01x"}',
        '{"datePublished": "2020-01-01x", "uploadDate": "2020-05-05"}',
        '{"modified": "2020-01-01", "url": "https://x.test/"}',
        '{"first_published_at":"2019-12-31T23:00:00.000Z"}',
    ],
)
def test_the_script_date_scan_from_colons_finds_what_the_pattern_finds(html: str) -> None:
    def span_and_value(match: re.Match[str] | None) -> tuple[tuple[int, int], str] | None:
        return (match.span(), match.group(1)) if match is not None else None

    expected = span_and_value(pagedates._SCRIPT_DATE.search(html))
    assert span_and_value(pagedates._script_date(html)) == expected


def _ld_page(published: str) -> str:
    return f"""<html><head><script type="application/ld+json">
    {{"@type": "NewsArticle", "headline": "Workers return", "datePublished": "{published}"}}
    </script></head><body><h1>Workers return</h1><p>Text of the story.</p></body></html>"""


def test_url_day_wins_over_a_utc_time_that_is_that_day_in_america() -> None:
    # 01:09 UTC on the 9th is the evening of the 8th in the Americas, the day the URL gives.
    url = "https://example.org/2023/11/08/workers-return/"
    assert _published(_ld_page("2023-11-09T01:09:55Z"), url).date() == date(2023, 11, 8)  # type: ignore[union-attr]


def test_utc_time_no_zone_puts_on_the_url_day_keeps_its_day() -> None:
    # 10:04 UTC on the 9th is the 9th from Hawaii to Kiribati: the URL's 8th is a filing date.
    url = "https://example.org/politics/2020/07/08/workers-return/"
    assert _published(_ld_page("2020-07-09T10:04:04Z"), url).date() == date(2020, 7, 9)  # type: ignore[union-attr]


def test_canonical_url_dates_a_syndicated_copy_over_the_masthead_date() -> None:
    # The copy's own URL has no date; the original's, named canonical, files it on the 13th.
    html = """<html><head><link rel="canonical" href="https://origin.example/news/fire-20200113">
    </head><body><header><span class="date">Tue, 14 Jan 2020</span></header>
    <h1>Firefighters bring the fire under control</h1><p>Text of the story.</p></body></html>"""
    found = _published(html, "https://copy.example/news/263700449/fire-under-control")
    assert found is not None and found.date() == date(2020, 1, 13)


def test_submitted_line_dates_the_post_over_an_event_date_in_its_text() -> None:
    # Drupal's 'submitted' line ('Submitted by ... on ...') is the post's date line.
    html = """<html><body><div class="node"><h1>Hackathon at the summer camp</h1>
    <p>Some of our members will travel there on 23.-26.8.2017 and take part.</p>
    <div class="submitted">Gespeichert von rasos am 24. Juli 2017 - 18:55</div>
    </div></body></html>"""
    assert _published(html).date() == date(2017, 7, 24)  # type: ignore[union-attr]


def test_date_on_a_line_of_its_own_beats_one_in_a_picture_credit() -> None:
    html = """<html><body><article><h1>Protesters gather at the theatre</h1>
    <div><img src="a.jpg">FILE PHOTO: The president at a ceremony near Orleans, France,
    January 16, 2020. Photographer via Agency</div>
    <p>January 18, 2020</p>
    <p>PARIS - Protesters opposed to the proposed changes tried to force their way into the
    theatre where the president attended a show with his wife on Friday evening.</p>
    </article></body></html>"""
    assert _published(html).date() == date(2020, 1, 18)  # type: ignore[union-attr]


def test_todays_date_on_a_line_of_its_own_is_not_the_story_date() -> None:
    html = """<html><body><article><p>Heute ist 14. Oktober 2020</p>
    <h1>Hackathon at the summer camp</h1>
    <p>3 March 2019</p><p>The editors met the organisers in the town hall.</p>
    </article></body></html>"""
    assert _published(html).date() == date(2019, 3, 3)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "written", "expected"),
    [
        ("Veröffentlicht am 13. Mai 2026 um 15:44 3 Minuten Lesezeit", "13. Mai 2026 um 15:44",
         datetime(2026, 5, 13, 15, 44, tzinfo=UTC)),
        # The second date's '05.04' is no clock of the first.
        ("05.04.2025 - Güncelleme : 05.04.2025", "05.04.2025", datetime(2025, 4, 5, tzinfo=UTC)),
        ("15. Januar 2021, DOI 10.1103/PhysRevLett", "15. Januar 2021", datetime(2021, 1, 15, tzinfo=UTC)),
        ("2021-05-11 22:22:17.242 UTC", "2021-05-11 22:22:17.242",
         datetime(2021, 5, 11, 22, 22, 17, tzinfo=UTC)),
        # Folding drops the tatweel of 'هـ': the text is still cut where the page has it.
        ("الأربعاء ٧ ذو القعدة ١٤٤٥ هـ - ١٥ مايو ٢٠٢٤", "٧ ذو القعدة ١٤٤٥",
         datetime(2024, 5, 15, tzinfo=UTC)),
    ],
)  # fmt: skip
def test_a_found_date_keeps_the_text_it_was_read_from(
    text: str, written: str, expected: datetime
) -> None:
    found = first_date(text, UTC)
    assert found is not None
    assert (found.value, found.text) == (expected, written)


def test_a_labelled_date_keeps_its_label() -> None:
    found = first_labelled_date("Menu Home. Published on May 3, 2019 by Jo Bloggs. Related: ...")
    assert found is not None and found.text == "Published on May 3, 2019"
