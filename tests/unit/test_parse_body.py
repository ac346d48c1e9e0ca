"""The generic body extractor on small hand-written pages: what it keeps and what it drops."""

from __future__ import annotations

import json

import pytest

from worker.parse import extract_article
from worker.parse.furniture import STOP_HEADING, is_boilerplate, is_stop_heading

URL = "https://news.example/2024/05/01/story"
PROSE = (
    "The council met on Tuesday evening to discuss the new budget for the coming year, "
    "and members spoke at length about the cost of repairing the old bridge."
)


def _page(inner: str) -> str:
    return f"<html><head><title>T</title></head><body><main><article>{inner}</article></main></body></html>"


def _paragraphs(n: int, word: str = "Paragraph") -> str:
    return "".join(f"<p>{word} {i}. {PROSE}</p>" for i in range(n))


def _body_around(middle: str, lead: str = "") -> str:
    """The body extracted from a page of three paragraphs, `middle`, then two more."""
    return extract_article(
        _page(lead + _paragraphs(3) + middle + _paragraphs(2, "Later")), URL
    ).body


def test_mid_article_related_box_is_skipped_but_text_after_it_kept() -> None:
    box = (
        '<div class="box"><h3>Read also</h3><ul>'
        '<li><a href="/a">A linked teaser headline about something else entirely</a></li>'
        '<li><a href="/b">Another linked teaser headline about other news today</a></li>'
        "</ul></div>"
    )
    body = extract_article(_page(_paragraphs(3) + box + _paragraphs(3, "Later")), URL).body
    assert "teaser headline" not in body
    assert "Later 2." in body and "Paragraph 0." in body


@pytest.mark.parametrize(
    ("heading", "label"),
    [("Читайте также", "Реклама:"), ("اقرأ أيضاً", "إعلان"), ("مطالب مرتبط", "تبلیغات"),
     ("Ilgili Haberler", "Reklam"), ("相关新闻", "广告")],
)  # fmt: skip
def test_related_boxes_and_ad_labels_in_other_scripts_are_furniture(
    heading: str, label: str
) -> None:
    box = (
        f'<div class="box"><h3>{heading}</h3><ul>'
        '<li><a href="/a">A linked teaser headline about something else entirely</a></li>'
        '<li><a href="/b">Another linked teaser headline about other news today</a></li>'
        "</ul></div>"
    )
    inner = _paragraphs(3) + f"<p>{label}</p>" + box + _paragraphs(3, "Later")
    body = extract_article(_page(inner), URL).body
    assert heading not in body and label not in body.split("\n\n")
    assert "Later 2." in body


def test_furniture_lines() -> None:
    for line in ("8 hours ago", "vor 3 Stunden", "Empfohlener redaktioneller Inhalt",
                 "Personen-Box aufklappen Personen-Box zuklappen", "5 Bilder - Fotostrecke öffnen",
                 "Follow us on Twitter and Facebook for the latest news updates.",
                 "Explore further", "Mehr Themen:", "Category : Press Releases",
                 "Published Aug 28, 2024 • Last updated 1 hour ago • 4 minute read",
                 "Uppdaterad 15.59 | Publicerad 14.14", "02/02/2025 KL. 09:00",
                 "Story continues below advertisement", "Von: Simone Jung", "(Quelle: APA/sda/dpa)",
                 "Mit Agenturmaterial.", "– additional reporting by Donald Matthys",
                 'Dieser Artikel ist zuerst bei "Capital" erschienen.'):  # fmt: skip
        assert is_boilerplate(line), line
    assert not is_boilerplate("Three hours later the bridge was opened again to traffic.")


def test_date_lines_and_consent_placeholders_but_not_live_blog_headings() -> None:
    for line in ("Do 25.04.24 | 14:07 Uhr | Von Eva Muster",
                 "Aktualisiert am 07.01.2026 - 18:50 UhrLesedauer: 4 Min.",
                 "Ich bin damit einverstanden, dass mir der externe Inhalt angezeigt wird. Damit "
                 "können personenbezogene Daten an Drittplattformen übermittelt werden."):  # fmt: skip
        assert is_boilerplate(line), line
    for line in ("11.39 Uhr: Offenbar mehrere Kinder bei Angriffen getötet",
                 "Palästinenser mutmaßlich von Siedlern erschossen (11.13 Uhr)"):  # fmt: skip
        assert not is_boilerplate(line), line


def test_article_split_across_junk_named_layout_boxes_is_read_whole() -> None:
    parts = "".join(
        f'<div class="sidebar-grid__container"><div class="sidebar-grid__content">'
        f"{_paragraphs(3, f'Part{i}')}</div></div>"
        for i in range(3)
    )
    html = _page(f'<div class="sidebar-grid">{parts}<div class="sidebar">'
                 '<p><a href="/x">Most read: a teaser headline somewhere else</a></p></div></div>')  # fmt: skip
    body = extract_article(html, URL).body
    assert all(f"Part{i} 2." in body for i in range(3))
    assert "Most read" not in body


def test_cjk_line_breaks_join_without_spaces_and_the_lead_is_not_repeated() -> None:
    text = "元タレントの\n<a href='/t'>中居正広</a>\n氏の問題が、スポーツ界に飛び火している。" * 3
    html = (
        f"<html><head><meta name='description' content='{text[:40]}'></head>"
        f"<body><article><p>{text}</p><p>{text}続き。</p></article></body></html>"
    )
    body = extract_article(html, URL).body
    assert "元タレントの中居正広氏の問題" in body and " " not in body.split("\n\n")[0]


def test_trailing_calls_to_action_are_trimmed() -> None:
    tail = (
        "<p>For the latest stories and breaking news updates download the Example apps for iOS and Android.</p>"
        "<p>Follow us on Twitter and Instagram for more.</p>"
    )
    body = extract_article(_page(_paragraphs(4) + tail), URL).body
    assert body.endswith("Paragraph 3. " + PROSE)


def test_a_closing_pointer_to_the_live_blog_is_trimmed() -> None:
    tail = "<p>Aktuelle Meldungen zum Krieg in der Ukraine finden Sie jederzeit in unserem Liveblog:</p>"
    body = extract_article(_page(_paragraphs(4) + tail), URL).body
    assert body.endswith("Paragraph 3. " + PROSE)


def test_labelled_date_lines_in_more_languages_are_furniture() -> None:
    for line in ("opublikowano: 2021-04-29 17:13:04.031886+02:00", "Publicado: 21/04/2022 04:45",
                 "Gepubliceerd: 8 maart 2024, 09:12"):  # fmt: skip
        assert is_boilerplate(line), line


def test_an_ad_unit_inside_the_article_is_furniture_whatever_it_holds() -> None:
    promo = (
        f"<div class='ad-container box-target'><h3>Im Postfach</h3><p>Lies mehr. {PROSE}</p></div>"
    )
    body = extract_article(_page(_paragraphs(2) + promo + _paragraphs(2, "More")), URL).body
    assert "Lies mehr" not in body and "More 1." in body


def test_captions_credits_and_inline_teasers() -> None:
    for line in ("Crédits photos : Bestimage", "Abbildung 8: Vorgehensweise für grosse Ereignisse",
                 "Le puede interesar: JEP abrirá tres nuevos macrocasos",
                 "Marco Odermatt, Ski-Star aus der Schweiz. © AFP / MARCO BERTORELLO",
                 "von Alana Friedrichs", "By Ben Blanchard and Yimou Lee"):  # fmt: skip
        assert is_boilerplate(line), line
    assert not is_boilerplate("By the numbers")


def test_a_caption_near_the_headline_does_not_open_the_body() -> None:
    caption = "A mother and her children sell bread in a market square on Tuesday, April 18, 2023."
    html = (
        "<html><body><main><header><h1>Economy grew in the first quarter</h1>"
        f'<div class="lead-feature"><figure><img src="x.jpg"><figcaption class="lead">{caption}'
        f"</figcaption></figure></div></header><article>{_paragraphs(4)}</article></main></body></html>"
    )
    body = extract_article(html, URL).body
    assert "mother and her children" not in body
    assert body.startswith("Paragraph 0.")


def test_hidden_copy_of_the_text_is_not_read() -> None:
    hidden = f'<div class="o-paywall" style="display: none">{"Hidden copy. " * 40}</div>'
    body = extract_article(_page(_paragraphs(4) + hidden), URL).body
    assert "Hidden copy" not in body and "Paragraph 3." in body


def test_teaser_box_in_a_layout_column_is_furniture() -> None:
    teaser = (
        '<div class="teaser-inline columns"><h3><a href="/x">Another story</a></h3>'
        f"<p>A summary of another story that is linked from this one. {PROSE}</p></div>"
    )
    body = extract_article(_page(_paragraphs(3) + teaser + _paragraphs(3, "Later")), URL).body
    assert "summary of another story" not in body and "Later 2." in body


def test_teaser_cards_inside_links_and_their_box_title_are_furniture() -> None:
    card = (
        '<a href="/other-{0}"><div class="card"><span>Kicker {0}</span>'
        "<h3>A headline of another story number {0}</h3>"
        "<p>The summary of another story, long enough to pass for a paragraph of prose.</p>"
        "</div></a>"
    )
    box = "<div>More columns on this site:</div>" + "".join(card.format(i) for i in range(3))
    body = extract_article(_page(_paragraphs(3) + box + _paragraphs(3, "Later")), URL).body
    assert "another story" not in body and "More columns" not in body
    assert "Paragraph 2." in body and "Later 2." in body


def test_unclosed_link_before_the_text_does_not_hide_it() -> None:
    body = extract_article(_page('<a href="/x">' + _paragraphs(5)), URL).body
    assert "Paragraph 4." in body


def test_late_related_heading_over_a_box_skips_the_box_and_reads_on() -> None:
    box = (
        "<h4>Auch interessant</h4><div><a href='/a'>A linked teaser headline about other news</a>"
        "<span>Short kicker</span></div>"
    )
    html = _page(_paragraphs(6) + box + _paragraphs(2, "Later"))
    body = extract_article(html, URL).body
    assert "teaser headline" not in body and "Auch interessant" not in body
    assert "Later 1." in body


def test_short_paragraph_that_reads_as_words_is_kept_but_names_and_labels_are_not() -> None:
    inner = (
        _paragraphs(2) + "<p>Aufbau und Inhalt</p>" + _paragraphs(2, "Later")
        + "<p>Czytaj więcej</p><p>Iwona Kurz</p>" + _paragraphs(1, "Last")
    )  # fmt: skip
    body = extract_article(_page(inner), URL).body
    assert "Aufbau und Inhalt" in body
    assert "Czytaj" not in body and "Iwona Kurz" not in body


def test_cookie_notice_with_line_breaks_is_not_taken_for_a_short_post() -> None:
    notice = (
        '<div id="eu-cookie-law"><form method="post">Privacy and cookies: this site uses '
        "cookies. By continuing to use it you agree to their use. Please read on.<br>"
        "To find out more, including how to control cookies, see here. It is all there. "
        "Cookie policy. And more words to make this notice longer than the post.<br>"
        "Yet more words in the notice, so that it would win on length alone.</form></div>"
    )
    html = _page("<p>A very short post of one sentence, written by hand.</p>") + notice
    body = extract_article(html, URL).body
    assert "short post" in body and "cookies" not in body


def test_text_split_into_sibling_blocks_is_read_whole() -> None:
    inner = (
        f'<div class="entry"><div class="block">{_paragraphs(6)}</div>'
        f'<div class="ad-slot">Advertisement</div>'
        f'<div class="block">{_paragraphs(2, "Second")}</div></div>'
    )
    body = extract_article(f"<html><body>{inner}</body></html>", URL).body
    assert "Paragraph 5." in body and "Second 1." in body


def test_newsletter_and_affiliate_notes_are_furniture() -> None:
    for line in ("Never miss the latest news by signing up to our newsletter today!",
                 "If you buy something using links in our stories, we may earn a commission."):  # fmt: skip
        assert is_boilerplate(line), line


def test_list_of_linked_headlines_with_summaries_is_furniture_but_one_linked_subheading_is_not() -> (
    None
):
    teasers = "".join(
        f"<h3><a href='/story-{i}'>Another story number {i}</a></h3>"
        f"<p>Summary {i} of another story that this page links to, in a sentence.</p>"
        for i in range(3)
    )
    body = extract_article(_page(_paragraphs(4) + teasers), URL).body
    assert "Summary" not in body and "Paragraph 3." in body
    single = "<h3><a href='/topic'>The topic</a></h3><p>One short paragraph under it here.</p>"
    body = extract_article(_page(_paragraphs(4) + single + _paragraphs(2, "Later")), URL).body
    assert "One short paragraph" in body


def test_commentary_and_artikel_classes_name_the_article_not_furniture() -> None:
    html = (
        "<html><body><div class='news subjective commentary'>"
        f"<div class='artikel-teaser'><p>The standfirst of the piece. {PROSE}</p></div>"
        f"{_paragraphs(4)}</div><div class='comments'><p>A reader's comment. {PROSE}</p></div>"
        "</body></html>"
    )
    body = extract_article(html, URL).body
    assert "standfirst" in body and "Paragraph 3." in body and "reader's comment" not in body


def test_substring_finder_finds_every_word_and_nothing_else() -> None:
    from worker.parse.furniture import _substring_finder

    finder = _substring_finder(("sign up", "sign in to", "signing up", "© ", "getty"))
    for line in ("please sign up now", "sign in to read", "© afp", "photo: getty images"):
        assert finder.search(line), line
    for line in ("a signal of signs", "copyright", "sign"):
        assert not finder.search(line), line


def test_every_consent_word_holds_an_anchor_of_the_long_line_prefilter() -> None:
    from worker.parse.furniture import _CONSENT_ANCHORS, _CONSENT_WORDS

    for word in _CONSENT_WORDS:
        assert any(anchor in word for anchor in _CONSENT_ANCHORS), word


def test_every_disclosure_word_holds_an_anchor_of_its_prefilter() -> None:
    from worker.parse.furniture import _DISCLOSURE_ANCHORS, _DISCLOSURE_WORDS

    for word in _DISCLOSURE_WORDS:
        assert any(anchor in word for anchor in _DISCLOSURE_ANCHORS), word


def test_a_long_line_of_two_disclosure_phrases_is_furniture_and_one_is_not() -> None:
    note = (
        "Our editors pick every product on their own merit, and nobody pays to be listed here. "
        "When you buy through an affiliate link on this page we may receive compensation, "
        "which keeps the reviews free to read for everyone. "
    )
    assert is_boilerplate(note)
    assert not is_boilerplate(note.replace("affiliate link", "shop link"))


def test_date_lines_with_month_and_day_names_are_furniture() -> None:
    for line in ("Montag, 3. Mai 2024", "Sept. 12, 2023", "Stand: 28.04.2023, 05:00 Uhr",
                 "Mi 12.06.2024", "dimanche 4 mars 2024", "sábado"):  # fmt: skip
        assert is_boilerplate(line), line
    for line in ("Mondays with Morrie", "Septembrist", "Samstagabend"):
        assert not is_boilerplate(line), line


def test_date_lines_in_more_languages_and_accented_month_names_are_furniture() -> None:
    for line in ("czwartek, 7 marca 2024", "Fredag 8. mars 2024 - 09:12", "venerdì 8 marzo 2024",
                 "Petak, 8. ožujka 2024.", "Thứ sáu, 08/03/2024", "vrijdag 8 maart 2024",
                 "Freitag, 8. März 2024"):  # fmt: skip
        assert is_boilerplate(line), line
    assert not is_boilerplate("Petak je bio dug dan")


def test_live_blog_stamps_overlays_and_dropdowns_are_furniture() -> None:
    assert is_boilerplate("21 mins ago11:48 Jon King")
    assert not is_boilerplate("5 days ago the minister said no to it")
    overlay = (
        '<div class="overlay"><p>You can read this site on one device at a time only.</p></div>'
    )
    body = extract_article(_page(_paragraphs(3) + overlay), URL).body
    assert "one device" not in body and "Paragraph 2." in body


def test_wire_credits_relative_stamps_and_long_consent_placeholders_are_furniture() -> None:
    for line in ("Reporting by Jo Doe in Kyiv; Editing by Sam Roe", "Jane Reporter2 minutes ago",
                 "An dieser Stelle finden Sie einen von unseren Redakteuren ausgewählten, externen "
                 "Inhalt, der den Artikel für Sie mit zusätzlichen Informationen anreichert. Sie "
                 "können sich hier den externen Inhalt mit nur einem Klick anzeigen lassen."):  # fmt: skip
        assert is_boilerplate(line), line
    long_disclosure = "Some links here are affiliate links. " + PROSE + " " + PROSE
    assert not is_boilerplate(long_disclosure)


def test_staff_credits_and_syndication_notes_are_furniture() -> None:
    for line in ("Redaktion: Marcus Muster, Erika Muster", "First published in The Conversation.",
                 "This article was originally published on Example News."):  # fmt: skip
        assert is_boilerplate(line), line


def test_next_story_loaded_below_is_not_read_but_teaser_cards_do_not_count() -> None:
    story = "<article><h1>{0}</h1>{1}</article>"
    html = (
        "<html><body><main>" + story.format("This story", _paragraphs(8))
        + story.format("Next story", _paragraphs(8, "Next")) + "</main></body></html>"
    )  # fmt: skip
    body = extract_article(html, URL).body
    assert "Paragraph 7." in body and "Next 0." not in body
    cards = "".join(story.format(f"Card {i}", "<p>A short card summary.</p>") for i in range(3))
    html = f"<html><body><main><div>{_paragraphs(8)}{cards}</div></main></body></html>"
    assert "Paragraph 7." in extract_article(html, URL).body


def test_more_prompts_are_furniture() -> None:
    for line in ("weiterlesen 5 Minuten", "11 minut czytania", "Dowiedz się więcej: Inny tekst",
                 "Dieser Beitrag enthält Werbung für eine Marke.", "Dieses Skript als PDF herunterladen",
                 "Bitte registrieren Sie sich und halten Sie sich an unsere Netiquette."):  # fmt: skip
        assert is_boilerplate(line), line
    assert not is_boilerplate("Weiterlesen lohnt sich immer, sagte der Autor am Ende des Abends.")


def test_a_question_heading_is_not_a_stop_heading() -> None:
    # French "Comment" is "how": a subheading asking a question is the article's own.
    section = "<h2>Comment réagissent les pêcheurs ?</h2>"
    body = extract_article(_page(_paragraphs(4) + section + _paragraphs(2, "Later")), URL).body
    assert "Comment réagissent" in body and "Later 1." in body


def test_stop_phrase_asked_as_a_question_still_ends_the_article() -> None:
    end = (
        "<h2>Was denkst du?</h2><p>Schreib uns deine Meinung in die Kommentare, wir freuen uns.</p>"
    )
    body = extract_article(_page(_paragraphs(4) + end), URL).body
    assert "Paragraph 3." in body and "Meinung" not in body


def _with_article_body(inner: str, article_body: str) -> str:
    ld = json.dumps({"@type": "NewsArticle", "headline": "T", "articleBody": article_body})
    return (
        f'<html><head><title>T</title><script type="application/ld+json">{ld}</script></head>'
        f"<body><main><article>{inner}</article></main></body></html>"
    )


def test_captions_and_player_notices_in_a_plain_article_body_are_furniture() -> None:
    lines = [f"Paragraph {i}. {PROSE}" for i in range(6)]
    caption = "Crowds wait near the old bridge to view the procession (Picture: PA)"
    article_body = "\n".join([lines[0], caption, "Up Next", *lines[1:]])
    body = extract_article(_with_article_body("<p>Short.</p>", article_body), URL).body
    assert "Paragraph 5." in body and "Crowds" not in body and "Up Next" not in body


def test_article_body_with_links_written_into_it_still_confirms_those_paragraphs() -> None:
    paragraphs = [
        f"Paragraph {i}. {PROSE} More words follow here to make it long." for i in range(6)
    ]
    # The publisher wrote a link into articleBody as a bare URL, splitting paragraph 2's words.
    reference = list(paragraphs)
    reference[2] = reference[2].replace("the new budget", "the new https://example.org/b budget")
    page = (
        "".join(f"<p>{p}</p>" for p in paragraphs) + "<p>Share this on social media now please.</p>"
    )
    body = extract_article(_with_article_body(page, "\n".join(reference)), URL).body
    assert "Paragraph 2." in body


def test_truncated_article_body_does_not_cut_the_prose_after_it() -> None:
    paragraphs = "".join(f"<p>Paragraph {i}. {PROSE}</p>" for i in range(8))
    teaser = "\n".join(f"Paragraph {i}. {PROSE}" for i in range(4))  # the first four only
    body = extract_article(_with_article_body(paragraphs, teaser), URL).body
    assert "Paragraph 7." in body


def test_escaped_entities_in_article_body_are_decoded() -> None:
    text = "&#8216;Quoted&#8217; words. " + PROSE
    body = extract_article(_with_article_body("<p>Short.</p>", text), URL).body
    assert "‘Quoted’" in body and "&#" not in body


def test_escaped_markup_in_article_body_is_read_as_html() -> None:
    text = f"&lt;p&gt;{PROSE}&lt;/p&gt;&lt;p&gt;Second. {PROSE}&lt;/p&gt;"
    body = extract_article(_with_article_body("<p>Short.</p>", text), URL).body
    assert "<p>" not in body and "&lt;" not in body and "Second." in body


@pytest.mark.parametrize(
    ("before", "starts", "kept", "dropped"),
    [
        # Publishers often leave the lead out of articleBody: it is kept, the byline is not.
        (
            '<p class="byline">By Jo Doe</p><p>Berlin. The council has agreed on a budget after '
            "months of talks, and the old bridge over the river will be repaired at last, the "
            "mayor said.</p>",
            "Berlin. The council",
            "old bridge",
            "Jo Doe",
        ),
        # So are key points above the text; a time line before them is not.
        (
            "<p>Updated 2 hours ago</p><ul><li>The council has agreed on a budget after months of "
            "long talks.</li><li>The old bridge over the river will be repaired at last, next "
            "spring.</li></ul>",
            "The council has agreed",
            "old bridge",
            "2 hours ago",
        ),
    ],
    ids=["lead", "summary-points"],
)
def test_text_right_before_the_article_body_text_is_kept(
    before: str, starts: str, kept: str, dropped: str
) -> None:
    rest = [f"Paragraph {i}. {PROSE}" for i in range(6)]
    page = before + "".join(f"<p>{p}</p>" for p in rest)
    body = extract_article(_with_article_body(page, "\n".join(rest)), URL).body
    assert body.startswith(starts) and kept in body and dropped not in body


def test_paragraph_hidden_from_screen_readers_is_still_text() -> None:
    # Publishers mark paywalled paragraphs aria-hidden; a hidden share bar stays out.
    hidden = f'<p aria-hidden="true">Hidden paragraph. {PROSE}</p>'
    bar = '<div aria-hidden="true">Share on Facebook and on Twitter, or by e-mail today.</div>'
    body = _body_around(hidden + bar)
    assert "Hidden paragraph." in body and "Share on Facebook" not in body


def test_read_more_box_in_the_middle_does_not_end_the_article() -> None:
    box = '<div><a href="/other">READ MORE: Another story about the bridge</a></div>'
    body = extract_article(_page(_paragraphs(4) + box + _paragraphs(2, "Later")), URL).body
    assert "Later 1." in body and "Another story" not in body


def test_comments_heading_ends_the_article_even_before_prose() -> None:
    comments = "<h3>Comments</h3>" + _paragraphs(3, "Reader")
    body = extract_article(_page(_paragraphs(4) + comments), URL).body
    assert "Paragraph 3." in body and "Reader" not in body


def test_closing_calls_to_action_are_trimmed() -> None:
    for line in (
        "Follow The Daily on Google News and add us as a preferred source for our news.",
        "Get in touch with our news team by emailing us at news@example.org.",
        "Cek berita dan artikel lain di Google News dan ikuti WhatsApp channel kami.",
        "Fehler gefunden? Jetzt melden.",
        "Jo Doe reported from Paris. Mo Roe in Rome contributed to this report.",
        "Der Titel. In: Die Zeitung, 20.10.2025, https://example.org/a/1 (abgerufen am: 20.10.2025)",
    ):
        body = extract_article(_page(_paragraphs(4) + f"<p>{line}</p>"), URL).body
        assert "Paragraph 3." in body and line not in body, line
    for kept in (
        "Allein in der letzten Woche wurden knapp 2000 Kinder erreicht, ein tolles Ergebnis.",
        "Would you like to help? Partners can pick up the costs. Get in touch with Jill today!",
    ):
        body = extract_article(_page(_paragraphs(4) + f"<p>{kept}</p>"), URL).body
        assert kept in body, kept


def test_small_teaser_card_inside_the_article_is_skipped() -> None:
    card = (
        '<article class="card"><h3>War in the east</h3><p>The fighting goes on. '
        'Read all our coverage in the live blog.</p><a href="/live">To the live blog</a></article>'
    )
    body = extract_article(_page(_paragraphs(4) + card + _paragraphs(2, "Later")), URL).body
    assert "Later 1." in body and "War in the east" not in body and "fighting goes on" not in body


def test_indentation_is_not_taken_for_text_outside_the_paragraphs() -> None:
    # Deeply indented markup: the whitespace must not send the walk to the <br>-text fallback,
    # which keeps every line, linked teasers included.
    indent = "\n" + "\t" * 400
    paragraphs = "".join(f"{indent}<p>Paragraph {i}. {PROSE}</p>{indent}" for i in range(3))
    teaser = f'{indent}<p><a href="/other">A linked teaser of another story entirely</a></p>'
    later = paragraphs.replace("Paragraph", "Later")
    body = extract_article(_page(paragraphs + teaser + later), URL).body
    assert "Paragraph 2." in body and "Later 2." in body and "linked teaser" not in body


def test_bold_or_capitals_paragraph_is_a_subheading_not_a_menu_word() -> None:
    middle = "<p><strong>Steilere Zinskurve</strong></p><p>Drucken</p><p>NEVER SAY GOODBYE</p>"
    body = _body_around(middle)
    assert "Steilere Zinskurve" in body and "NEVER SAY GOODBYE" in body and "Drucken" not in body


def test_an_id_that_is_a_slug_of_the_text_names_no_furniture() -> None:
    slide = f'<div id="zendaya-promoted-the-film-in-london"><p>Slide text. {PROSE}</p></div>'
    promo = '<div id="promo"><p>Buy our magazine today at a special price for readers.</p></div>'
    body = extract_article(_page(_paragraphs(3) + slide + promo + _paragraphs(2, "Later")), URL)
    assert "Slide text." in body.body and "magazine" not in body.body


def test_shop_and_login_notices_are_furniture() -> None:
    for line in ("Sie sind aktuell nicht eingeloggt.", "Ihr Warenkorb ist leer",
                 "Alle Angaben ohne Gewähr.", "Zapraszamy też do subskrypcji naszego kanału"):  # fmt: skip
        assert is_boilerplate(line), line


def test_blocks_holding_other_blocks_are_told_from_siblings() -> None:
    """A block is read through its inner blocks; a sibling paragraph is not inside it."""
    from selectolax.lexbor import LexborHTMLParser

    from worker.parse.body import _blocks_with_inner_blocks

    tree = LexborHTMLParser(
        "<main><p>one</p><div><p>two</p><ul><li>three</li></ul></div><p>four</p>"
        "<section><div><p>five</p></div></section></main>"
    )
    container = tree.css_first("main")
    blocks, ids, holders = _blocks_with_inner_blocks(container)
    holding = sorted(node.text() for node in blocks if node.mem_id in holders)
    assert holding == ["five", "five", "three", "twothree"]
    assert ids == [node.mem_id for node in blocks]


def test_hidden_and_junk_tags_are_dropped_but_the_article_kept() -> None:
    page = _page(
        _paragraphs(3)
        + '<div style="display: none"><p>Hidden copy of the text that nobody sees here.</p></div>'
        + "<figure><p>A caption paragraph inside a figure, not the article.</p></figure>"
        + "<p>Closing words with a <button>Share this story</button> button in them.</p>"
    )
    body = extract_article(page, URL).body
    assert "Paragraph 2." in body and "Closing words" in body
    assert (
        "Hidden copy" not in body and "caption paragraph" not in body and "Share this" not in body
    )


def test_a_story_split_around_a_column_of_headlines_is_read_to_its_end() -> None:
    first = _paragraphs(6)
    later = "Traffic will use the ferry until the works end in the spring of next year. " * 2
    column = "".join(
        f'<li><a href="/story-{i}">Another headline number {i}</a></li>' for i in range(8)
    )
    row = '<div class="row"><div class="stream">{}</div><aside><ul>{}</ul></aside></div>'
    html = _page(
        "<h1>Bridge closes</h1>"
        + row.format(first, column)
        + '<div class="ad-slot">Advertisement</div>'
        + row.format(f"<p>{later}</p><p>{later} Still.</p>", column)
    )
    body = extract_article(html, "https://example.org/a").body
    assert body.startswith("Paragraph 0.") and body.endswith(later.strip() + " Still.")


def test_a_story_whose_opening_sits_in_a_field_before_the_rest_is_read_from_its_start() -> None:
    # A CMS keeps the opening in its "body" field and the rest in a list of paragraph items,
    # in a region that also holds a picture and a long block of keyword links.
    opening = "".join(
        f"<p>Opening {i}. The new rules on drones were agreed in Geneva this week, "
        "after years of talks between the states that build them.</p>"
        for i in range(3)
    )
    items = "".join(
        f'<div class="field__item"><div class="paragraph"><div class="text">{_paragraphs(4)}'
        "</div></div></div>"
        for _ in range(1)
    )
    keywords = " ".join(f'<a href="/k{i}">Weapons and human rights {i}</a>' for i in range(60))
    html = (
        '<html><body><main><article><h1>Drones</h1><div class="region">'
        '<div class="block-image"><img src="a.jpg"><p>Photo: A. Smith</p></div>'
        f'<div class="block-body"><div class="field--name-body">{opening}</div></div>'
        f'<div class="block-paragraphs"><div class="field--name-paragraphs">{items}</div></div>'
        f'<div class="block-keywords">{keywords}</div>'
        "</div></article></main></body></html>"
    )
    body = extract_article(html, URL).body
    assert body.startswith("Opening 0.") and "Paragraph 3." in body
    assert body.index("Opening 2.") < body.index("Paragraph 0.")


def test_a_teaser_card_sharing_the_text_block_class_is_not_its_continuation() -> None:
    summary = "The other story: the city budget and its many cuts, explained by our desk in detail."
    teasers = "".join(f'<li><a href="/s{i}">Another headline number {i}</a></li>' for i in range(9))
    html = (
        '<html><body><main><article><h1>Bridge closes</h1><div class="text">'
        f"{_paragraphs(6)}</div></article><aside><ul>{teasers}</ul></aside>"
        f'<div class="text"><h2>Budget</h2><p>{summary}</p><p>{summary} Also.</p>'
        f"<ul>{teasers}{teasers}</ul></div></main></body></html>"
    )
    assert "other story" not in extract_article(html, "https://example.org/a").body


def test_a_long_shop_link_disclosure_is_furniture_but_prose_about_affiliates_is_not() -> None:
    assert is_boilerplate(
        "We recommend the best products through an independent review process, and "
        "advertisers do not influence our picks. We may receive compensation if you visit "
        "partners we recommend. Read our advertiser disclosure for more info."
    )
    assert not is_boilerplate(
        "Bloggers who earn a commission on sales have to say so, the regulator ruled on "
        "Tuesday, and the rule will apply to every influencer with more than ten thousand "
        "followers from the first of March, whatever platform they publish on."
    )


def test_machine_translation_notes_and_original_article_links_are_furniture() -> None:
    assert is_boilerplate(
        "Dies ist eine maschinelle Übersetzung eines Artikels unserer Kollegen. Er wurde "
        "automatisiert übersetzt und von einem Redakteur überprüft, bevor er erschien."
    )
    assert is_boilerplate("This story was machine-translated from Spanish and checked by staff.")
    assert is_boilerplate("Lest den Originalartikel auf Englisch hier.")
    assert is_boilerplate("Read the original article on Business Insider.")
    assert not is_boilerplate("Read the original report, the minister said, before you judge it.")


def test_japanese_paragraphs_outweigh_a_footer_of_short_blurbs() -> None:
    sentence = "気象庁は十三日、日向灘で震度五弱の地震があったと発表した。"  # 28 characters
    text = "".join(f"<p>{sentence * 5}</p>" for _ in range(3))
    blurb = "は読売新聞が運営する女性向けの掲示板のサイトです。"  # 24 characters
    blurbs = "".join(f"<p>第{i}{blurb}</p>" for i in range(10))
    blurbs += "<ul>" + "".join(
        f'<li><a href="/s{i}">サービスの一覧{i}</a></li>' for i in range(150)
    )
    html = (
        f'<html><body><div class="story"><h1>地震</h1>{text}</div>'
        f'<div class="services">{blurbs}</div></body></html>'
    )
    body = extract_article(html, "https://example.jp/a").body
    assert body.startswith(sentence) and "掲示板" not in body


def test_feedback_prompts_and_privacy_consent_lines_are_furniture() -> None:
    for line in (
        "We want to hear from you: Are you voting for the first time? Tell us why.",
        "Ihre Meinung ist uns wichtig. Senden Sie uns Ihr Feedback zu diesem Artikel.",
        "Mit der Anmeldung willigen Sie der Verarbeitung Ihrer Daten gemäß unserer "
        "Datenschutzerklärung ein.",
        "You can unsubscribe at any time. Read our Privacy Policy.",
    ):
        assert is_boilerplate(line), line
    assert not is_boilerplate("Meta changed its privacy policy last week, the regulator said.")


def test_an_author_bio_under_the_text_is_furniture() -> None:
    from worker.parse.furniture import trim_tail

    text = [f"Paragraph {i}. {PROSE}" for i in range(6)]
    for bio in (
        "Jo Doe is a senior researcher with the City Observatory. Al Roe is a lecturer there.",
        "Korrespondent Jo Doe ist bei WELT für landespolitische Themen zuständig.",
        "Jo Doe ist ZDF-Reporterin für das Berichtsgebiet Russland und Zentralasien.",
    ):
        assert trim_tail([*text, bio]) == text, bio
    ending = "The mayor is a keen cyclist and, she said, she will ride the first tram herself."
    assert trim_tail([*text, ending]) == [*text, ending]


def test_labelled_teaser_lines_and_contents_labels_are_furniture() -> None:
    for line in (
        "WATCH | Residents react to the bridge closing for two years:",
        "READ MORE | Council approves the budget after a long night",
        "FUNDA OLUNYE UDABA LAPHA | Kuboshwe abahlanu besolwa",
        "Auf dieser Seite:",
        "Table of contents",
    ):
        assert is_boilerplate(line), line
    assert not is_boilerplate("Watch the river | it rises fast, the mayor warned.")


def test_japanese_membership_prompts_are_furniture() -> None:
    assert is_boilerplate("記事に『リアクション』ができます。ご利用には会員登録が必要です。")
    assert is_boilerplate("カテゴリーをフォローする")
    assert not is_boilerplate("気象庁は十三日、日向灘で震度五弱の地震があったと発表した。")


def test_short_post_under_a_long_comment_thread_is_the_text() -> None:
    comments = "".join(
        f'<li class="comment"><div class="comment-body">{_paragraphs(5, f"Reader {i}")}</div></li>'
        for i in range(8)
    )
    steps = "".join(
        f"<li>Step {i}: bring a pen, a notebook and a question of your own</li>" for i in range(6)
    )
    post = "<h2>A short post</h2>" + _paragraphs(3, "Post") + f"<ol>{steps}</ol>"
    html = (
        f'<html><body><div id="content"><div class="entry-content">{post}</div>'
        f'<ol class="commentlist">{comments}</ol></div></body></html>'
    )
    body = extract_article(html, URL).body
    assert "Post 2." in body and "Reader" not in body


def test_a_list_that_ends_the_text_is_kept_but_a_closing_prompt_is_not() -> None:
    steps = "".join(f"<li>Step {i}: fold the dough and let it rest</li>" for i in range(4))
    items = f"<ul>{steps}<li>Subscribe to our newsletter</li></ul>"
    body = extract_article(_page(_paragraphs(3) + items), URL).body
    assert "Step 3: fold" in body and "newsletter" not in body


def test_a_short_sign_off_beside_the_last_paragraph_is_kept_but_a_box_after_it_is_not() -> None:
    text = f"<div class='entry'>{_paragraphs(3)}<p>Cheers, Franzi</p></div>"
    box = "<div class='box'><p>Weitere Themen</p></div>"
    body = extract_article(_page(text + box), URL).body
    assert body.endswith("Cheers, Franzi")


def test_an_author_bio_in_the_box_of_the_last_paragraph_is_not_kept_as_a_sign_off() -> None:
    bio = "Korrespondent Jo Doe ist bei WELT für Landespolitik zuständig. Seine Artikel finden Sie hier."
    body = extract_article(
        _page(f"<div class='entry'>{_paragraphs(3)}<p>{bio}</p></div>"), URL
    ).body
    assert body.endswith("old bridge.") and "Korrespondent" not in body


def test_fact_boxes_and_info_boxes_inside_the_article_are_furniture() -> None:
    for name in ("flexmodule flexmodule--factbox", "infobox copytext__box"):
        box = f"<div class='{name}'><h3>Kort fortalt</h3><p>Box line. {PROSE}</p></div>"
        body = extract_article(_page(_paragraphs(2) + box + _paragraphs(2, "More")), URL).body
        assert "Box line" not in body and "More 1." in body, name


def test_closing_credits_and_story_prompts_are_furniture() -> None:
    closing = (
        "<p>This is a breaking news story - more to follow</p>"
        "<p>Do you have a story to tell? Email: news@example.com</p><p>mit dpa</p>"
        "<p>reporter@example.co.kr(END)</p>"
    )
    body = extract_article(_page(_paragraphs(3) + closing), URL).body
    assert body.endswith("old bridge.")


def test_ruby_readings_are_dropped_unless_the_page_gives_their_plain_text_form() -> None:
    bare = (
        "<p><ruby>子<rt>こ</rt></ruby>どもへの<ruby>法律<rt>ほうりつ</rt></ruby>ができました。</p>"
    )
    # <rp> parentheses are the publisher's own rendering of the ruby as plain text.
    spelled = "<p>大統領は<ruby><rb>弾劾</rb><rp>（</rp><rt>だんがい</rt><rp>）</rp></ruby>訴追案を出した。</p>"
    body = extract_article(_page(_paragraphs(3) + bare + spelled), URL).body
    assert "子どもへの法律ができました。" in body
    assert "大統領は弾劾（だんがい）訴追案を出した。" in body


def test_a_list_of_paragraphs_that_are_each_one_link_does_not_outrank_the_article() -> None:
    # A short Japanese story, and far from it, under a long menu, a footer list of services
    # whose blurbs are each one link: the list holds more paragraph text, all of it linked.
    story = "".join(
        f"<p>記事の本文{i}。政府は新しい予算案について閣議で議論し、来年度の方針を決めた。</p>"
        for i in range(3)
    )
    services = "".join(
        f'<div class="item"><p><a href="/s{i}/">読売新聞が運営する情報サイトです。暮らしや健康の'
        f"話題を毎日お届けします。サービス{i}</a></p></div>"
        for i in range(30)
    )
    menu = "".join(f'<div><a href="/m{i}/">メニュー項目の名前{i}</a></div>' for i in range(200))
    html = (
        f"<html><body><div class='menus'>{menu}</div><div class='story'><h1>見出し</h1>{story}"
        f"</div><div class='list'>{services}</div></body></html>"
    )
    body = extract_article(html, URL).body
    assert "記事の本文0。" in body and "記事の本文2。" in body
    assert "サービス" not in body


def test_an_unlinked_list_beside_the_text_is_read_with_it() -> None:
    items = "".join(
        f"<li>Finding {i}: the seats were tested for safety and ease</li>" for i in range(5)
    )
    inner = f'<div class="text">{_paragraphs(2)}</div><div class="points"><ul>{items}</ul></div>'
    body = extract_article(f"<html><body><div class='page'>{inner}</div></body></html>", URL).body
    assert "Paragraph 1." in body and "Finding 4:" in body


def test_a_short_text_is_read_with_the_blocks_beside_it() -> None:
    lines = "<br>".join(f"Add {i}00 g of plain flour, sifted twice." for i in range(1, 4))
    recipe = (
        f'<div class="recipe"><div class="intro">{_paragraphs(2)}</div>'
        f'<div class="ingredients"><span>{lines}</span></div></div>'
    )
    body = extract_article(f"<html><body>{recipe}<a href='/'>Home</a></body></html>", URL).body
    assert "Paragraph 1." in body and "300 g of plain flour" in body


def test_a_recipes_method_is_read_with_the_ingredient_list_beside_it() -> None:
    items = "".join(f"<li>{n}00 g flour</li>" for n in range(1, 6))
    method = "".join(f"<p>Step {i}. {PROSE}</p>" for i in range(6))
    recipe = (
        '<article class="recipe"><h1>Plum cake</h1><p>Rated 4 of 5</p>'
        f'<section class="ingredients"><h2>Ingredients</h2><ul>{items}</ul></section>'
        f'<div class="preparation"><h2>Method</h2>{method}</div></article>'
    )
    body = extract_article(f"<html><body><main>{recipe}</main></body></html>", URL).body
    assert "100 g flour" in body and "500 g flour" in body and "Step 5." in body


def test_a_live_ticker_named_like_comments_is_read_when_nothing_else_is_text() -> None:
    entries = "".join(
        f'<div class="live-comment"><div class="live-comment-body">Minute {i}. {PROSE}</div></div>'
        for i in range(6)
    )
    html = f'<html><body><div class="live-comments">{entries}</div></body></html>'
    body = extract_article(html, URL).body
    assert "Minute 0." in body and "Minute 5." in body


def test_a_subheading_in_text_set_with_line_breaks_is_kept() -> None:
    text = "<br><br>".join(f"Part {i}. {PROSE}" for i in range(3)) + "<h2>Aufbau und Inhalt</h2>"
    text += "<br>".join(f"Later {i}. {PROSE}" for i in range(3))
    html = f"<html><body><section class='body'>{text}</section></body></html>"
    body = extract_article(html, URL).body
    assert "\n\nAufbau und Inhalt\n\n" in body


def test_list_items_set_with_line_breaks_are_read_as_the_whole_list() -> None:
    items = "".join(
        f"<li>Item {i}. {PROSE}<br>Then {i}. {PROSE}<br>Finally {i}. {PROSE}</li>" for i in range(3)
    )
    html = f"<html><body><div class='entry'><ol>{items}</ol></div></body></html>"
    body = extract_article(html, URL).body
    assert "Item 0." in body and "Finally 2." in body


@pytest.mark.parametrize(
    "box",
    [
        '<div class="Dialog installer-info"><div class="Dialog__Body">{}</div></div>',  # dialog
        '<div class="contactflyout"><div class="inner">{}</div></div>',  # flyout
        '<div class="pum-content popmake-content">{}</div>',  # the Popup Maker plugin
    ],
)
def test_a_box_named_as_an_overlay_is_furniture(box: str) -> None:
    overlay = box.format(_paragraphs(4, "Overlay"))
    html = f"<html><body><div class='text'>{_paragraphs(3)}</div>{overlay}</body></html>"
    body = extract_article(html, URL).body
    assert "Paragraph 2." in body and "Overlay" not in body


def _hydrated(holder: str, title: str = "Council argues over the bridge budget") -> str:
    return (
        f"<html><head><title>{title}</title></head><body><div id='app'>{holder}</div>"
        "<footer>Contact us</footer></body></html>"
    )


_STORY = (
    "".join(
        f"<p>{i}. The council argues over the bridge budget again. {PROSE}</p>" for i in range(4)
    )
    + '<div class="caption"><p>A photo caption under the picture of the old bridge.</p></div>'
)


@pytest.mark.parametrize(
    "holder",
    [
        # Next.js / React Query hydration: JSON in an inline script, markup as \u003c escapes.
        "<script>self.__next_f.push("
        + json.dumps({"article": {"contentHtml": _STORY, "views": 3}}).replace("<", "\\u003c")
        + ")</script>",
        # React-on-Rails: the props as an attribute of the mount point.
        "<div data-react-class='Story' data-react-props='"
        + json.dumps({"project": {"description": _STORY}}).replace("'", "&#39;")
        + "'></div>",
        # Blogger: the post as an HTML template that a script inserts.
        f"<div class='post-body'><script type='text/template'>{_STORY}</script></div>",
    ],
    ids=["script", "props-attribute", "template"],
)
def test_text_only_in_a_hydration_payload_is_read(holder: str) -> None:
    article = extract_article(_hydrated(holder), URL)
    assert article.body.startswith("0. The council argues over the bridge budget")
    assert "3. The council" in article.body
    assert "photo caption" not in article.body and "Contact us" not in article.body


def test_payload_about_something_else_is_not_taken() -> None:
    unrelated = _STORY.replace("council argues over the bridge budget", "festival opens")
    unrelated = unrelated.replace("council", "crowd").replace("bridge", "stage")
    holder = "<script>window.state = " + json.dumps({"html": unrelated}) + ";</script>"
    article = extract_article(_hydrated(holder), URL)
    assert "festival" not in article.body


def test_page_text_wins_over_a_payload_when_it_is_long_enough() -> None:
    shown = _paragraphs(4, "Shown")
    holder = "<script>window.state = " + json.dumps({"html": _STORY}) + ";</script>" + shown
    article = extract_article(_hydrated(holder), URL)
    assert "Shown 0." in article.body and "0. The council argues" not in article.body


def test_lead_left_outside_its_paragraph_by_a_picture_box_is_kept_in_place() -> None:
    # <p><div class=media>…</div>LEAD</p>: the <div> closes the <p>, leaving the lead loose.
    lead = "SPRINGFIELD (AP) — The council voted on Tuesday to close the old bridge for repairs."
    page = _page(
        f"<p><div class='media'><img src='x.jpg'></div>{lead} <a href='/b'>More</a> here.</p>"
        + _paragraphs(3)
        + "<div class='singlepostmeta'>By staff on 21/02/2021. Filed under <a href='/c'>News</a>."
        " Comments and pings are currently closed. <div class='clear'></div></div>"
    )
    body = extract_article(page, URL).body
    paragraphs = body.split("\n\n")
    assert paragraphs[0] == f"{lead} More here."
    assert paragraphs[1].startswith("Paragraph 0.")
    assert "Filed under" not in body


def test_a_heading_whose_box_kept_nothing_else_goes_with_the_box() -> None:
    tools = """<div class="module" id="tools"><h2>Story Tools</h2><ul>
    <li><a href="/c">post a comment</a></li><li><a href="/e">email this story</a></li>
    <li><a href="/p">print this story</a></li></ul></div>"""
    section = "<div><h2>What comes next</h2><p>The council meets again in March to vote.</p></div>"
    body = extract_article(_page(tools + _paragraphs(4) + section), URL).body
    assert "Story Tools" not in body
    assert "What comes next" in body  # its box kept its text


def test_a_credit_named_by_its_class_is_furniture() -> None:
    picture = '<div class="lede"><img src="/p.jpg"><p><span class="photoCredit">Courtesy G4</span></p></div>'
    body = extract_article(_page(picture + _paragraphs(4)), URL).body
    assert "Courtesy G4" not in body


def _with_excerpt(excerpt: str) -> str:
    """A post whose template prints the excerpt between the headline and the text's block,
    the page's only <h1> being the site's name."""
    return (
        '<html><body><header><h1 class="site-title">The Daily Example</h1></header>'
        f"<main><article>{excerpt}"
        '<div class="ad-slot">Advertisement</div>'
        f'<div class="entry-content">{_paragraphs(6)}</div></article></main></body></html>'
    )


def test_a_standfirst_printed_before_the_text_block_opens_the_body() -> None:
    lead = "The old bridge closes for a year of repairs, and the ferry will run again."
    html = _with_excerpt(f'<div class="entry-excerpt"><p>{lead}</p></div>')
    body = extract_article(html, URL).body
    assert body.startswith(lead) and "Paragraph 3." in body


def test_a_teaser_cards_summary_before_the_text_block_is_no_standfirst() -> None:
    summary = "Another story about the city budget and its many cuts, explained in detail."
    cards = '<ul class="latest"><li><div class="entry-excerpt"><p>{}</p></div></li></ul>'
    body = extract_article(_with_excerpt(cards.format(summary)), URL).body
    assert "city budget" not in body and body.startswith("Paragraph 0.")


def test_an_element_left_open_in_a_noscript_does_not_hide_the_page_after_it() -> None:
    # A parser that runs no scripts reads <noscript> as markup: the open <div> keeps the
    # <noscript> open to the end of the page, as a browser would not.
    html = (
        '<html><body><noscript><div class="nojs"></noscript>'
        f"<main><article><h1>Bridge closes</h1>{_paragraphs(12)}</article></main>"
        "<noscript><p>Please enable JavaScript to see the comments.</p></noscript>"
        "</body></html>"
    )
    body = extract_article(html, URL).body
    assert "Paragraph 0." in body and "Paragraph 11." in body
    assert "enable JavaScript" not in body
    short = html.replace(_paragraphs(12), _paragraphs(2))  # under 2000 characters
    assert "Paragraph 1." in extract_article(short, URL).body


def test_a_named_anchor_around_a_subheading_is_text_not_a_link() -> None:
    # <a name> marks a jump target (a table of contents points at it); it links nowhere.
    html = _page(
        _paragraphs(3)
        + '<h2><a name="cost">What the repairs will cost</a></h2>'
        + _paragraphs(3, "Later")
        + '<p><a href="/other">Read the other story about the ferry</a></p>'
    )
    body = extract_article(html, URL).body
    assert "What the repairs will cost" in body and "Later 2." in body
    assert "other story" not in body


def test_a_short_command_set_in_pre_is_kept_though_it_reads_like_a_menu_entry() -> None:
    html = _page(_paragraphs(3) + "<pre>poetry install</pre>" + _paragraphs(3, "Later"))
    body = extract_article(html, URL).body
    assert "poetry install" in body and "Later 2." in body


def test_a_pull_quote_repeating_the_text_is_furniture() -> None:
    quote = "They have such anger and disdain that they cannot control it at all."
    inner = (
        _paragraphs(2)
        + f'<blockquote class="Pullquote Pullquote--right"><div>“{quote}”</div></blockquote>'
        + f"<p>“{quote}” he said, and {PROSE}</p>"
        + _paragraphs(2, "Later")
    )
    body = extract_article(_page(inner), URL).body
    assert body.count(quote) == 1


def test_a_quote_block_repeating_a_paragraph_goes_but_a_quoted_text_stays() -> None:
    said = "We will hold the players to their honour until the very last game of the season."
    cited = "The law shall apply to every household from the first of January onwards."
    inner = (
        _paragraphs(2)
        + f'<blockquote class="article-quote"><p>{said}</p></blockquote>'
        + f'<p>The coach said: "{said}" {PROSE}</p>'
        + f"<blockquote><p>{cited}</p></blockquote>"
        + _paragraphs(2, "Later")
    )
    body = extract_article(_page(inner), URL).body
    assert body.count(said) == 1 and cited in body


def test_stop_headings_in_other_scripts_are_whole_headings_only() -> None:
    for heading in ("Читайте также", "اقرأ أيضاً", "مطالب مرتبط", "Ilgili Haberler", "相关新闻："):
        assert STOP_HEADING.match(heading), heading
    for heading in ("Комментарии экспертов", "По теме выборов в Думу", "نظرات کارشناسان درباره"):
        assert not STOP_HEADING.match(heading), heading
    assert not is_boilerplate("Why this is worth a 10-minute read")


def test_lines_split_by_breaks_do_not_shift_which_heading_is_judged() -> None:
    breaks = "<div>The first line of a note<br>and the second line of the same note</div>"
    section = (
        "<div><h3>What the repairs will cost</h3><p>The council puts it at ten million.</p></div>"
    )
    tools = """<div class="module"><h2>Story Tools</h2><ul><li><a href="/c">post a comment</a></li>
    <li><a href="/e">email this story</a></li><li><a href="/p">print this story</a></li>
    <li><a href="/s">share this story</a></li></ul></div>"""
    body = extract_article(_page(breaks + _paragraphs(3) + section + tools), URL).body
    assert "What the repairs will cost" in body and "Story Tools" not in body


def test_a_picture_box_named_lead_is_no_standfirst() -> None:
    caption = "Workers inspect the old bridge before the vote, seen from the harbour wall today."
    html = (
        '<html><body><header><h1 class="site-title">The Daily Example</h1></header><main>'
        f'<article><div class="lead-media"><img src="/b.jpg"><p>{caption}</p></div>'
        f'<div class="entry-content">{_paragraphs(6)}</div></article></main></body></html>'
    )
    assert caption not in extract_article(html, URL).body


def test_a_pull_quote_named_as_one_goes_even_when_it_paraphrases() -> None:
    quote = "This is the moment the whole movement has been waiting for all these years."
    inner = _paragraphs(2) + f'<div class="pull-quote">{quote}</div>' + _paragraphs(2, "Later")
    assert "the whole movement" not in extract_article(_page(inner), URL).body


def test_an_intro_in_an_earlier_content_element_of_the_same_kind_opens_the_text() -> None:
    # A CMS sets each text block in an element of one kind: an intro of one paragraph, a
    # picture with its credit, a second short block, then the text, with a list of links
    # beside it in its column.
    intro = (
        "The town has a new sports centre on the lake shore, built of concrete and glass "
        "and opened to the public this week after two years of work."
    )
    more = "Its hall seats eight hundred people and holds a climbing wall as tall as the church."
    sidebar = "".join(f'<li><a href="/p{i}">Another project number {i}</a></li>' for i in range(6))
    html = (
        '<html><body><div class="page"><h1>Sports centre</h1>'
        f'<div class="module module-text"><p>{intro}</p></div>'
        '<div class="module module-image"><img src="a.jpg"><p>Photo: A. Smith</p></div>'
        f'<div class="module module-text"><p>{more}</p></div>'
        '<div class="module module-text"><div class="row"><div class="col">'
        f"{_paragraphs(5)}</div><ul>{sidebar}</ul></div></div>"
        "</div></body></html>"
    )
    body = extract_article(html, URL).body
    assert body.startswith("The town has a new sports centre") and "Paragraph 4." in body
    assert body.index("Its hall seats") < body.index("Paragraph 0.")
    assert "Photo" not in body


def test_a_box_labelled_as_a_newsletter_signup_is_furniture_but_a_labelled_link_is_not() -> None:
    box = (
        '<section aria-label="Newsletter Anmeldung" class="col-span-3 p-4">'
        "<p>Alle zwei Wochen sonntags: Antworten auf Beziehungsfragen, ehrlich und nah.</p></section>"
    )
    link = '<p>See <a href="/r" aria-label="Related report">the report on it</a> for more.</p>'
    body = _body_around(box + link)
    assert "Beziehungsfragen" not in body and "Later 1." in body
    assert "the report on it" in body


def test_membership_and_e_paper_prompts_are_furniture_but_prose_about_members_is_not() -> None:
    for line in ("Werden Sie Mitglied bei uns und erhalten Sie exklusive Angebote!",
                 "Die aktuelle Ausgabe jetzt am Kiosk, im Abo, als E-Paper und online erhältlich."):  # fmt: skip
        assert is_boilerplate(line), line
    assert not is_boilerplate("She hoped to become a member of the national team next year.")


def test_a_short_line_that_ends_in_its_one_link_is_a_pointer_but_a_linked_list_is_not() -> None:
    pointer = '<p><em>Former commander: <a href="/other-story">Russia is a threat</a></em></p>'
    towns = (
        '<p>Region: <a href="/t/a">Alpha</a>, <a href="/t/b">Beta</a>, <a href="/t/c">Gamma</a></p>'
    )
    body = _body_around(pointer + towns)
    assert "Russia is a threat" not in body and "Later 1." in body
    assert "Region: Alpha, Beta, Gamma" in body


def test_a_line_set_under_a_picture_in_its_own_box_is_a_caption() -> None:
    picture = (
        '<div class="absatzbild"><div class="media"><img src="a.jpg" alt=""></div>'
        '<div class="absatzbild__text"><p>A player celebrates his goal against the leaders</p></div></div>'
    )
    lead = '<img src="b.jpg"><p>Short opening line of the story.</p>'
    body = _body_around(picture, lead)
    assert "celebrates" not in body and "Later 1." in body
    assert body.startswith("Short opening line")


def test_post_meta_lines_are_furniture_but_a_sentence_about_publishing_is_not() -> None:
    for line in ("Posted in News, Politics", "Veröffentlicht unter Allgemein, Film |",
                 "Posted by Jo Doe on Monday, February 7, 2022", "Posted on April 22, 2022",
                 "Posted by Jo Doe 21.10.2019", "Release Date:", "Publicado en Noticias"):  # fmt: skip
        assert is_boilerplate(line), line
    assert not is_boilerplate("Published in 1998, the novel sold a million copies in a year.")
    assert not is_boilerplate("Posted on Facebook, the video was shared widely.")


@pytest.mark.parametrize(
    ("box", "words"),
    [
        pytest.param(
            '<blockquote class="twitter-tweet"><p>An embedded post quoted in full, with its own '
            "words that are not the article's.</p>— Someone (@someone) May 1, 2024</blockquote>",
            "embedded post",
            id="embedded social post",
        ),
        pytest.param(
            '<div class="whatsapp-group"><p>Our community members are treated to special offers, '
            "promotions, and adverts from us and our partners. Join us on WhatsApp.</p></div>",
            "community members",
            id="WhatsApp group invitation",
        ),
        pytest.param(
            "<p>Summer is holiday time, and the model spends it on a Greek island with friends. "
            'See for yourself! <a href="/other-story">Weiterlesen</a></p>',
            "Greek island",
            id="excerpt closed by a read-more link",
        ),
    ],
)
def test_a_box_inside_the_text_is_furniture_and_the_text_goes_on(box: str, words: str) -> None:
    body = _body_around(box)
    assert words not in body and "Later 1." in body


@pytest.mark.parametrize(
    ("line", "stop", "furniture"),
    [("Related Articles", True, True), ("Comments (12)", True, True), ("Was denkst du?", True, False),
     ("Advertisement", False, True), ("Photo: Jane Doe/Reuters", False, True),
     ("Jo Doe • 5 min read", False, True), ("The vote was close | 12 min read", False, True),
     ("The council met on Monday to vote.", False, False), ("Lesen Sie auch", True, True)],
)  # fmt: skip
def test_lines_are_judged_alike_in_any_case(line: str, stop: bool, furniture: bool) -> None:
    # ASCII lines go through case-sensitive copies of the patterns, on their lower-cased text.
    for variant in (line, line.upper(), line.lower()):
        assert is_stop_heading(variant) == bool(STOP_HEADING.match(variant)) == stop, variant
        assert is_boilerplate(variant) == furniture, variant
