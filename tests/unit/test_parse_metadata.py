"""Metadata: titles without the site name, authors as persons and wire-service credits."""

from __future__ import annotations

from worker.parse import extract_article
from worker.parse.authors import clean_author


def _page(head: str, body: str = "<h1>A headline long enough</h1><p>Story text.</p>") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def test_credits_for_text_and_pictures_and_lists_of_agencies_name_their_authors() -> None:
    assert clean_author("Text und Fotos: Jane Roe") == ["Jane Roe"]
    assert clean_author("Text von Jane Roe Illustration von John Doe") == ["Jane Roe"]
    assert clean_author("dpa, AFP, Reuters, KNA") == ["dpa", "AFP", "Reuters", "KNA"]
    assert clean_author("CSP / Photovoltaik / Speicher / Wirtschaft") == []


def test_an_empty_emphasis_paragraph_does_not_break_the_parse() -> None:
    body = f"<article><h1>A headline long enough</h1><p><b>&#8203;</b></p><p>{'Story. ' * 40}</p>"
    article = extract_article(_page("", body + "</article>"), "https://example.org/a")
    assert "Story." in article.body


def test_names_that_contain_stop_words_stay_names() -> None:
    assert clean_author("By Mark Sigetty and Gaston Newsome") == ["Mark Sigetty", "Gaston Newsome"]


def test_a_quoted_nickname_keeps_the_name_in_any_quotes_but_a_quoted_phrase_is_no_name() -> None:
    assert clean_author("By Robert “Bob” Smith") == ["Robert “Bob” Smith"]
    assert clean_author('By Robert "Bob" Smith') == ['Robert "Bob" Smith']
    assert clean_author("Robert „Bobby“ Schmidt und Jane Roe") == [
        "Robert „Bobby“ Schmidt",
        "Jane Roe",
    ]
    assert clean_author("„Ich bin müde“") == []


def test_photo_credits_and_desks_are_not_authors() -> None:
    assert clean_author("Foto: KEYSTONE") == []
    assert clean_author("Redaktion hessenschau.de") == []


def test_interview_bylines_press_releases_and_spanish_wire_credits() -> None:
    assert clean_author("Jane Roe im Gespräch mit John Doe") == ["Jane Roe", "John Doe"]
    assert clean_author("Pressemitteilung von Jane Roe") == ["Jane Roe"]
    assert clean_author("Por Agencia EFE") == ["Agencia EFE"]


def test_labels_and_roles_are_not_names() -> None:
    for label in ("mehr", "Unbenannt", "anónimo", "Cortesía", "Super User"):
        assert clean_author(label) == []
    assert clean_author("Jane Roe, Kolumnistin") == ["Jane Roe"]
    assert clean_author("Jane Roe, CEO") == ["Jane Roe"]


def test_photo_credits_themes_and_quoted_headlines_are_not_names() -> None:
    assert clean_author("Фото: Иван Петров") == []
    assert clean_author("Theme: Plain Dark") == []
    assert clean_author("“Ein Lied für alle”") == []
    assert clean_author("Endlich wieder Sommer!") == []
    assert clean_author('name":"Jane Roe" }') == []  # a piece of a script's data
    assert clean_author('Jane "JR" Roe') == ['Jane "JR" Roe']  # a nickname is part of a name
    assert clean_author("Автор: Иван Петров") == ["Иван Петров"]


def test_the_pictures_credit_after_the_writers_is_no_author() -> None:
    assert clean_author("Text von Jane Roe Illustration von John Doe") == ["Jane Roe"]
    assert clean_author("Interview: Jane Roe Foto: John Doe") == ["Jane Roe"]
    assert clean_author("By Jane Roe; Photos by John Doe") == ["Jane Roe"]


def test_a_social_handle_after_a_name_is_dropped() -> None:
    assert clean_author("Jane Roe @janeroe") == ["Jane Roe"]
    assert clean_author("jane@example.org") == []


def test_a_tag_list_is_not_a_byline() -> None:
    assert clean_author("Energy / Storage / Solar / Business") == []
    assert clean_author("牛镛、岳弘彬、王明、李华") == ["牛镛", "岳弘彬", "王明", "李华"]


def test_wire_services_are_kept_as_credits() -> None:
    assert clean_author("Jane Doe, dpa") == ["Jane Doe", "dpa"]
    assert clean_author("The Associated Press") == ["The Associated Press"]


def test_json_ld_person_from_given_and_family_name() -> None:
    head = """<script type="application/ld+json">{"@type": "NewsArticle", "headline": "A headline
    long enough", "author": [{"@type": "Person", "givenName": "Anna Giulia", "familyName": "Fink"},
    {"@type": "Organization", "name": "Example Times"}, {"@type": "Organization", "name": "AFP"}]}
    </script><meta property="og:site_name" content="Example Times">"""
    article = extract_article(_page(head), "https://example.org/a")
    assert list(article.authors) == ["Anna Giulia Fink", "AFP"]


def test_title_loses_site_name_and_byline_suffixes() -> None:
    from worker.parse.metadata import strip_site_suffix

    title = "Plot twist in the case | The Gateway Pundit | by Cristina Laila"
    assert strip_site_suffix(title, "The Gateway Pundit", "thegatewaypundit.com") == (
        "Plot twist in the case"
    )
    assert strip_site_suffix(
        "민주당 도입 또다시 불발ㅣ한국일보", "한국일보", "hankookilbo.com"
    ) == ("민주당 도입 또다시 불발")


def test_json_ld_headline_entities_are_decoded() -> None:
    head = """<script type="application/ld+json">{"@type": "NewsArticle",
    "headline": "Mexico to fight &#8216;illogical&#8217; tariffs"}</script>
    <meta property="og:title" content="Mexico to fight 'illogical' tariffs">"""
    body = "<h1>Mexico to fight ‘illogical’ tariffs</h1><p>Story.</p>"
    assert extract_article(_page(head, body), "https://example.org/a").title == (
        "Mexico to fight ‘illogical’ tariffs"
    )


def test_an_h1_naming_the_site_is_not_the_headline() -> None:
    html = """<html><head><title>Nummer zwei: Leo | seelenradio</title></head><body>
    <h1>seelenradio</h1><h2>Nummer zwei: Leo</h2><p>Story.</p></body></html>"""
    assert extract_article(html, "https://seelenradio.de/leo").title == "Nummer zwei: Leo"


def test_byline_cleaning_keeps_initials_and_drops_labels() -> None:
    assert clean_author("Joe S.") == ["Joe S."]
    assert clean_author("Perry Bacon Jr.") == ["Perry Bacon Jr."]
    assert clean_author("Interview: Julia Lauter") == ["Julia Lauter"]
    assert clean_author("Alle Artikel von Tanja Karrasch") == ["Tanja Karrasch"]
    assert clean_author("Isabella Bianchi am Samstag") == ["Isabella Bianchi"]
    assert clean_author("Loïc Le Clerc") == ["Loïc Le Clerc"]
    assert clean_author("Follow") == []
    assert clean_author("Kathrin Führes Kathrin Führes") == ["Kathrin Führes"]


def test_author_link_may_be_a_handle() -> None:
    body = """<article><h1>A headline long enough</h1><p class="meta">Posted by
    <a rel="author" href="https://blog.example.org/author/gnaddrig/">gnaddrig</a></p>
    <p>Story text.</p></article>"""
    article = extract_article(_page("", body), "https://blog.example.org/post")
    assert list(article.authors) == ["gnaddrig"]
    assert clean_author("gnaddrig") == []  # a bare lower-case word elsewhere is not trusted


def test_meta_author_naming_the_outlet_is_ignored() -> None:
    for credit in ("Deutsche Welle (www.dw.com)", "LTO"):
        head = f'<meta name="author" content="{credit}">'
        assert extract_article(_page(head), "https://example.org/a").authors == ()


def test_the_owner_of_a_personal_blog_is_its_author() -> None:
    head = """<meta property="og:site_name" content="Jane Roe's Blog">
    <meta name="author" content="Jane Roe">"""
    assert extract_article(_page(head), "https://example.org/a").authors == ("Jane Roe",)


def test_json_ld_house_account_is_not_an_author() -> None:
    head = """<script type="application/ld+json">{"@type": "NewsArticle", "headline": "A headline
    long enough", "author": {"@id": "https://news.example.org/author/admin/", "name": "Ilanga D"}}
    </script>"""
    assert extract_article(_page(head), "https://news.example.org/a").authors == ()


def test_json_ld_author_given_by_reference_is_read_from_its_node() -> None:
    head = """<script type="application/ld+json">{"@graph": [{"@type": "NewsArticle",
    "headline": "A headline long enough", "author": {"@id": "https://example.org/#/person/1"}},
    {"@type": "Person", "@id": "https://example.org/#/person/1", "name": "Jane Roe"}]}</script>"""
    body = '<h1>A headline long enough</h1><p class="author">John Doe</p><p>Story text.</p>'
    assert extract_article(_page(head, body), "https://example.org/a").authors == ("Jane Roe",)


def test_visible_byline_wins_over_a_json_ld_author_it_does_not_name() -> None:
    head = """<script type="application/ld+json">{"@type": "NewsArticle", "headline": "A headline
    long enough", "author": {"@type": "Person", "name": "Kim Poster"}}</script>"""
    body = """<article><h1>A headline long enough</h1><p>By <a rel="author" href="/a/jr">Jane
    Roe</a>, <a rel="author" href="/a/jd">John Doe</a></p><p>Story text.</p></article>"""
    article = extract_article(_page(head, body), "https://example.org/a")
    assert article.authors == ("Jane Roe", "John Doe")


def test_author_links_of_an_embedded_story_are_not_co_authors() -> None:
    head = """<script type="application/ld+json">{"@type": "NewsArticle", "headline": "A headline
    long enough", "author": {"@type": "Person", "name": "Jane Roe"}}</script>"""
    body = """<main><article><h1>A headline long enough</h1><a rel="author" href="/a/jr">Jane
    Roe</a></article><article><h2>Another story</h2><a rel="author" href="/a/jd">John Doe</a>
    </article></main>"""
    assert extract_article(_page(head, body), "https://example.org/a").authors == ("Jane Roe",)


def test_more_by_label_is_not_part_of_a_name() -> None:
    assert clean_author("More by Jane Roe") == ["Jane Roe"]


def test_title_loses_dates_sections_and_accented_site_names() -> None:
    from worker.parse.metadata import strip_site_suffix

    assert strip_site_suffix(
        "Ukrainische Gegenoffensive: Ziele | Europa | DW | 28.04.2023", "DW.COM", "dw.com"
    ) == ("Ukrainische Gegenoffensive: Ziele")
    assert strip_site_suffix(
        "Rodina se zbavením práv neuspěla - Seznam Zprávy", "Seznam_Zpravy", "seznamzpravy.cz"
    ) == ("Rodina se zbavením práv neuspěla")
    assert strip_site_suffix(
        "Zelensky Is Now Considering Firing Syrsky * The Gateway Pundit * by Paul Serran",
        "The Gateway Pundit",
        "thegatewaypundit.com",
    ) == ("Zelensky Is Now Considering Firing Syrsky")
    # A part that is a whole sentence is not a section, and the site is named only once.
    assert strip_site_suffix(
        "Vote count | Results are in, says the board | Example News", "Example News", "x.org"
    ) == ("Vote count | Results are in, says the board")
    assert strip_site_suffix(
        "Welpen kaufen – Tipps zu jeder Hunderasse | Welpenkaufen24", "Welpen", "welpen.example"
    ) == ("Welpen kaufen – Tipps zu jeder Hunderasse")
    assert strip_site_suffix(
        "Fouryears » Blog Archive » Interning of small integers", None, "fouryears.eu"
    ) == ("Interning of small integers")
    assert strip_site_suffix("Blog Archiv » Podcasts in Plex", None, "x.de") == "Podcasts in Plex"
    assert strip_site_suffix('불발··· "왜 밀어붙이나"-정치', "한국일보", "hankookilbo.com") == (
        '불발··· "왜 밀어붙이나"'
    )
    assert strip_site_suffix("한-미 정상회담", "한국일보", "hankookilbo.com") == "한-미 정상회담"


def test_h1_agreeing_up_to_typography_keeps_the_page_quotes() -> None:
    head = """<meta property="og:title" content="A lawyer's journey from adversity - Example">
    <meta property="og:site_name" content="Example">"""
    body = "<h1>A lawyer’s journey from adversity</h1><p>Story.</p>"
    assert extract_article(_page(head, body), "https://example.org/a").title == (
        "A lawyer’s journey from adversity"
    )


def test_h1_heading_a_longer_metadata_title_is_the_headline() -> None:
    head = '<meta property="og:title" content="Tote Hummeln unter Linden | Die Erklärung">'
    body = "<h1>Tote Hummeln unter Linden</h1><p>Story.</p>"
    assert extract_article(_page(head, body), "https://example.org/a").title == (
        "Tote Hummeln unter Linden"
    )


def test_og_title_agreeing_with_json_ld_beats_an_h1_only_the_title_tag_repeats() -> None:
    head = """<title>Zelenskyj vädjar efter nya attackerna</title>
    <meta property="og:title" content="Vädjar efter attackerna – ”kritiskt”">
    <script type="application/ld+json">{"@type": "NewsArticle",
    "headline": "Vädjar efter attackerna – ”kritiskt”"}</script>"""
    body = "<h1>Zelenskyj vädjar efter nya attackerna</h1><p>Story.</p>"
    assert extract_article(_page(head, body), "https://example.org/a").title == (
        "Vädjar efter attackerna – ”kritiskt”"
    )


def test_title_tag_loses_the_site_name_its_logo_h1_shows() -> None:
    html = """<html><head><title>Muffin Grundrezept : Muffin Rezepte</title></head><body>
    <h1>Muffin Rezepte</h1><p>Story.</p></body></html>"""
    assert extract_article(html, "https://muffins.example/grund").title == "Muffin Grundrezept"


def test_a_title_tag_alone_loses_its_last_pipe_part_unless_that_leaves_the_site_name() -> None:
    def title(text: str, url: str = "https://blog.example/2019/05/mai") -> str:
        html = f"<html><head><title>{text}</title></head><body><p>Story.</p></body></html>"
        return extract_article(html, url).title

    assert title("Alles Neue macht der Mai | Bibliothek 2.0 und mehr") == "Alles Neue macht der Mai"
    # Cut there, only the site's name would be left.
    assert "Gaspreise" in title(
        "energieverbraucher.de | Gaspreise", "https://energieverbraucher.de/g"
    )


def test_a_meta_title_cut_at_a_bare_quote_gives_way_to_the_whole_title() -> None:
    head = """<title>Senator calls the plan "unworkable"</title>
    <meta property="og:title" content="Senator calls the plan "unworkable"">"""
    html = _page(head, "<h1 class=logo><img alt=''></h1><p>Story text.</p>")
    assert extract_article(html, "https://news.example/a").title == (
        'Senator calls the plan "unworkable"'
    )


def test_byline_labels_job_titles_and_degrees_are_not_names() -> None:
    assert clean_author("Alles von Martin Junker") == ["Martin Junker"]
    assert clean_author("Erstellt von Andri Bryner") == ["Andri Bryner"]
    assert clean_author("Auteur: Anna Kubišta") == ["Anna Kubišta"]
    assert clean_author("© Kathrin Führes") == ["Kathrin Führes"]
    assert clean_author("Christoph Hein Chefredakteur") == ["Christoph Hein"]
    assert clean_author("Johanna Kropfitsch Alle Artikel") == ["Johanna Kropfitsch"]
    assert clean_author("Grant Tinsley, PhD") == ["Grant Tinsley"]
    assert clean_author("Glen Owen and Brendan Carlin For The Mail On Sunday") == [
        "Glen Owen",
        "Brendan Carlin",
    ]
    assert clean_author("(责编：牛镛、岳弘彬)") == []  # in parentheses: a note, not a byline
    assert clean_author("牛镛、岳弘彬") == ["牛镛", "岳弘彬"]
    for label in ("Datum", "Donnerstag", "Por", "Autoren"):
        assert clean_author(label) == []


def test_desk_credits_in_other_languages_are_not_persons() -> None:
    for credit in ("Hanns-Seidel-Stiftung", "Deutscher Caritasverband", "Example Media GmbH"):
        assert clean_author(credit) == []
    head = """<script type="application/ld+json">{"@type": "NewsArticle", "headline": "A headline
    long enough", "author": {"@type": "Person", "name": "Redacci&oacute;n Diario Pagina Siete"}}
    </script>"""
    assert extract_article(_page(head), "https://example.org/a").authors == ()


def test_author_page_links_in_other_languages_name_the_author() -> None:
    body = """<article><h1>A headline long enough</h1><p>von
    <a href="/autoren/name/max-kolter">Dr. Max Kolter</a></p><p>Story text.</p></article>"""
    assert list(extract_article(_page("", body), "https://lto.example/a").authors) == [
        "Dr. Max Kolter"
    ]


def test_byline_text_near_the_headline_names_the_author() -> None:
    body = """<article><header><h1>A headline long enough</h1>
    <p><span>Von <a href="/profil/david-hutzler">David Hutzler</a></span></p></header>
    <p>Von Montag bis Freitag bleibt die Straße gesperrt.</p></article>"""
    assert list(extract_article(_page("", body), "https://example.org/a").authors) == [
        "David Hutzler"
    ]
    body = """<article><header><h1>A headline long enough</h1>
    <p>By Jane Doe and John Roe, AFP</p></header><p>Story text.</p></article>"""
    assert list(extract_article(_page("", body), "https://example.org/a").authors) == [
        "Jane Doe",
        "John Roe",
        "AFP",
    ]


def test_byline_label_alone_on_its_line_takes_the_next_line() -> None:
    body = """<article><div><h1>A headline long enough</h1><ul><li><strong>Auteur :</strong>
    Kossivi Tiassou</li></ul></div><p>Story text.</p></article>"""
    assert list(extract_article(_page("", body), "https://example.org/a").authors) == [
        "Kossivi Tiassou"
    ]


def test_lines_opening_with_by_that_name_no_person_are_not_bylines() -> None:
    body = """<article><div><h1>A headline long enough</h1><p>von Menschen und Mäusen</p>
    <p>Von Sarajevo zum Flächenbrand</p></div><p>Story text.</p></article>"""
    assert extract_article(_page("", body), "https://example.org/a").authors == ()


def test_links_that_only_look_like_author_pages_are_not_bylines() -> None:
    body = """<article><div><h1>A headline long enough</h1><a href="/auto/leasing">Autoleasing</a>
    <a href="/autoren/jemima-kelly">Jemima Kelly</a></div><p>Story text.</p></article>"""
    assert list(extract_article(_page("", body), "https://example.org/a").authors) == [
        "Jemima Kelly"
    ]


def _lead(head: str, body: str) -> str:
    return extract_article(_page(head, body), "https://example.org/a").lead


_STORY = "<p>The council met on Tuesday evening and voted to close the old bridge.</p>" * 4


def _lead_with_block_in_text(block: str) -> str:
    """The lead of an article whose text holds `block` between its paragraphs, near enough
    to the headline to be taken for a lead."""
    return _lead(
        "", f"<article><h1>A headline long enough</h1><div>{_STORY}{block}{_STORY}</div></article>"
    )


def test_lead_candidates_are_the_first_twenty_with_a_class_word_or_the_itemprop() -> None:
    """Class words are matched case-sensitively, the itemprop exactly; each element once."""
    from selectolax.lexbor import LexborHTMLParser

    from worker.parse.metadata import _lead_classed

    cards = "".join(f'<p class="teaser-intro" id="c{i}">x</p>' for i in range(25))
    tree = LexborHTMLParser(
        '<div id="scope"><p class="Lead" id="upper">x</p><p class="plain">x</p>'
        '<p itemprop="description" class="dek" id="both">x</p>'
        f'<p itemprop="Description" id="other">x</p>{cards}</div>'
    )
    found = [node.attributes["id"] for node in _lead_classed(tree.css_first("#scope"))]
    assert found == ["both", *(f"c{i}" for i in range(19))]


def test_a_picture_caption_is_not_the_lead() -> None:
    standfirst = "The council voted on Tuesday to close the old harbour bridge for two years."
    body = f"""<article><header><h1>A headline long enough</h1>
    <figure class="lead-image"><img src="a.jpg"><figcaption class="lead-caption">Workers
    inspect the bridge before the vote, seen from the harbour wall. Foto: Jane Doe</figcaption>
    </figure><p class="article-lead">{standfirst}</p></header><p>Story text here.</p></article>"""
    assert _lead("", body) == standfirst


def test_a_caption_with_a_credit_is_not_the_lead_even_without_a_figure() -> None:
    body = """<article><div><h1>A headline long enough</h1><div class="teaser-text">A mother
    and her children sell bread at a market in the capital. (AP Photo/Marco Ugarte)</div></div>
    <p>The economy grew by 1.1% in the first quarter, the statistics office said.</p></article>"""
    assert "AP Photo" not in _lead("", body)
    from worker.parse.document import build_document
    from worker.parse.metadata import find_visible_lead

    body = body.replace("(AP Photo/Marco Ugarte)", "Crédits photo : Marco Ugarte")
    assert find_visible_lead(build_document(_page("", body), "https://example.org/a"), None) is None


def test_a_json_ld_description_that_is_a_caption_gives_way_to_og_description() -> None:
    summary = "Europe's banks want to depend less on US firms for payments, with a new system."
    head = f"""<script type="application/ld+json">{{"@type": "NewsArticle", "headline": "A
    headline long enough", "description": "Payment cards on a table © Picture Alliance"}}
    </script><meta property="og:description" content="{summary}">"""
    assert _lead(head, "<h1>A headline long enough</h1><p>Story text.</p>") == summary


def test_a_teaser_of_another_story_is_not_the_lead() -> None:
    body = """<article><div><h1>A headline long enough</h1><div class="teaser">
    <a href="/other-story">Troubled banking startup files for bankruptcy after a long fight with
    its lenders</a></div></div><p>Story text here.</p></article>"""
    assert "Troubled banking" not in _lead("", body)


def test_a_related_story_card_whose_link_wraps_its_title_is_not_the_lead() -> None:
    card = """<ul class="related-items"><li><a class="article-teaser" href="/other-story">
    <div class="article-teaser__wrapper"><div class="article-teaser__content">
    <p class="article-teaser__title">Iran explains the seizure of the ship with alleged breaches
    of maritime law</p></div></div></a></li></ul>"""
    body = f"""<article><div><h1>A headline long enough</h1>{card}</div>{_STORY}</article>"""
    assert "Iran explains" not in _lead("", body)


def test_a_teaser_box_with_another_storys_linked_headline_is_not_the_lead() -> None:
    teaser = """<div class="teaser"><h2><a href="/other">Road closed: volunteers help stranded
    drivers</a></h2><p>A team of five motorcyclists brought water to drivers stuck in the heat
    for hours on the closed motorway near the border.</p></div>"""
    assert "motorcyclists" not in _lead_with_block_in_text(teaser)


def test_an_author_box_intro_or_a_sidebar_profile_is_not_the_lead() -> None:
    boxes = [
        """<footer><ul class="authorlist"><li class="author"><div class="author__intro">Jane
        Doe wrote articles for this site from June 2003 to January 2009.</div></li></ul></footer>""",
        """<aside class="sidebar"><section class="widget"><p class="lead">I'm Amy and I'm so
        glad you've stopped by! Here I write about sleep, babies and much more.</p></section>
        </aside>""",
    ]
    for box in boxes:
        lead = _lead_with_block_in_text(box)
        assert "2003" not in lead and "stopped by" not in lead


def test_a_lead_in_a_layout_block_with_a_furniture_like_name_is_still_the_lead() -> None:
    # (No full stop: read as a deck under the headline, it would pass without its class.)
    standfirst = "The council voted on Tuesday to close the old harbour bridge for two years"
    story = "<p>Workers will start on the repairs in May, the mayor said on Wednesday.</p>" * 4
    body = f"""<div class="article has-recommendations"><div class="article__header">
    <h1>A headline long enough</h1><div class="article-teaser text--intro">{standfirst}</div>
    </div>{story}</div>"""
    assert _lead("", body) == standfirst


def test_a_line_height_class_does_not_make_a_lead() -> None:
    # Tailwind's "leading-tight" sets line height; here on a donation plea's heading.
    plea = """<div class="card"><h1 class="text-xl leading-tight">Independent journalism needs
    your support today.</h1><p class="leading-snug">Give what you can to keep this site free
    for every reader, every day of the year.</p></div>"""
    lead = _lead_with_block_in_text(plea)
    assert "journalism" not in lead and "Give what you can" not in lead


def test_a_name_that_the_description_happens_to_be_is_not_the_lead() -> None:
    head = '<meta name="description" content="JANE DOE">'
    body = f"<article><h1>A headline long enough</h1><p>JANE DOE</p>{_STORY}</article>"
    article = extract_article(_page(head, body), "https://example.org/a")
    assert not article.body.startswith("JANE DOE")


def test_a_lead_container_holding_the_headline_is_not_the_lead() -> None:
    standfirst = "He was the strongest voice of liberalism in Latin America, and a writer first."
    body = f"""<article><div class="article-intro"><h1>A headline long enough</h1>
    <p class="summary">{standfirst}</p></div><p>Story text here.</p></article>"""
    assert _lead("", body) == standfirst


def test_h1_after_a_kicker_wins_without_a_json_ld_headline() -> None:
    head = (
        '<meta property="og:title" content="Siemens und die Kohlemine: Kaeser verarscht Neubauer">'
    )
    body = "<h1>Kaeser verarscht Neubauer</h1><p>Story.</p>"
    assert extract_article(_page(head, body), "https://example.org/a").title == (
        "Kaeser verarscht Neubauer"
    )
    # With a JSON-LD headline saying the kicker too, the publisher's headline keeps it.
    head += """<script type="application/ld+json">{"@type": "NewsArticle",
    "headline": "Siemens und die Kohlemine: Kaeser verarscht Neubauer"}</script>"""
    assert extract_article(_page(head, body), "https://example.org/a").title == (
        "Siemens und die Kohlemine: Kaeser verarscht Neubauer"
    )
    # ' : ' separates a site name, and a logo <h1> after it is not the headline.
    html = """<html><head><title>Muffin Grundrezept : Muffin Rezepte</title></head><body>
    <h1>Muffin Rezepte</h1><p>Story.</p></body></html>"""
    assert extract_article(html, "https://muffins.example/g").title == "Muffin Grundrezept"


def test_a_dangling_separator_is_dropped_from_metadata_titles() -> None:
    head = '<meta property="og:title" content="Pferdesport bei Olympia 2028 dabei -">'
    assert extract_article(_page(head, "<p>Story.</p>"), "https://example.org/a").title == (
        "Pferdesport bei Olympia 2028 dabei"
    )


def test_a_comment_author_is_not_the_byline() -> None:
    body = """<article><div><h1>A headline long enough</h1><p>Story text.</p>
    <ol><li><span class="comment-author">Kersti Wolnow</span> says</li></ol>
    <p class="post-author">Boris T. Kaiser</p></div></article>"""
    assert list(extract_article(_page("", body), "https://example.org/a").authors) == [
        "Boris T. Kaiser"
    ]


def _authors_under_headline(meta: str) -> tuple[str, ...]:
    body = f"<article><h1>A headline long enough</h1>{meta}<p>Story text.</p></article>"
    return extract_article(_page("", body), "https://example.org/a").authors


def test_byline_after_a_separator_or_a_lead_in_names_the_author() -> None:
    for meta in (
        "<p><span>Opinion</span> | By <span>Jane Roe</span> | <span>May 2, 2020</span></p>",
        "<p>Ein Artikel von <strong>Jane Roe</strong> | 27.01.2022</p>",
        "<div>Posted on September 21, 2020 by Jane Roe</div>",
    ):
        assert _authors_under_headline(meta) == ("Jane Roe",)


def test_name_beside_the_date_near_the_headline_is_the_byline() -> None:
    for meta in (
        "<p>11.12.2019 - Jane Roe</p>",
        "<p>04.02.2022 | 13:10 Uhr | Jane Roe</p>",
    ):
        assert _authors_under_headline(meta) == ("Jane Roe",)


def test_place_or_section_beside_the_date_is_no_byline() -> None:
    for meta in (
        "<p>Alta Floresta - 22.11.2020</p>",
        "<p><span>New York |</span> <span>05.04.2025 14:10</span></p>",
        "<p>Bad Homburg · 17.06.2025 · 14:10 Uhr</p>",
        "<p>Radio 1 | Regional Hannover | 17.06.2025 | 15:00 Uhr</p>",
        "<p>04. November 2021 | PAID CONTENT</p>",
    ):
        assert _authors_under_headline(meta) == ()


def test_the_post_authors_reply_among_the_comments_names_the_author() -> None:
    for reply, author in (
        ('<cite class="fn">Jane Roe</cite> says:', "Jane Roe"),
        ('<p class="comment-author">JaneRoe</p>', "JaneRoe"),
        ("<p>Thanks to all of you!</p>", "janeroe"),
    ):
        body = f"""<article><h1>A headline long enough</h1><p>Story text.</p></article>
        <ol><li class="comment byuser comment-author-janeroe bypostauthor">{reply}</li></ol>"""
        assert extract_article(_page("", body), "https://example.org/a").authors == (author,)


def test_the_name_heading_an_author_box_is_the_author() -> None:
    bio = "Jane writes about work and cities. " * 4
    body = f"""<article><h1>A headline long enough</h1><div class="author-info"><a>Jane Roe</a>
    <a>Follow</a><p>{bio}</p></div><p>Story text.</p></article>"""
    assert extract_article(_page("", body), "https://example.org/a").authors == ("Jane Roe",)
    label = body.replace("<a>Jane Roe</a>", "<span>Eingestellt von</span>")
    assert extract_article(_page("", label), "https://example.org/a").authors == ()


def test_byline_label_alone_takes_every_linked_name_after_it() -> None:
    body = """<article><h1>A headline long enough</h1><ul><li>Von:
    <span><a href="/jane-roe">Jane  ROE</a>,</span>
    <span><a href="/john-doe">John Doe</a></span></li></ul><p>Story text.</p></article>"""
    article = extract_article(_page("", body), "https://example.org/a")
    assert list(article.authors) == ["Jane ROE", "John Doe"]


_STORY = "<p>" + "The story goes on with enough words to be a real paragraph of text. " * 4 + "</p>"


def test_story_signed_by_a_bold_name_paragraph() -> None:
    opening = f"<article><h1>A headline long enough</h1><p>&nbsp;</p><p><strong>Jane Roe/John Doe</strong></p>{_STORY * 2}</article>"
    closing = (
        f"<article><h1>A headline long enough</h1>{_STORY * 2}<p><b>Lê Phương</b></p></article>"
    )
    assert extract_article(_page("", opening), "https://example.org/a").authors == (
        "Jane Roe",
        "John Doe",
    )
    assert extract_article(_page("", closing), "https://example.org/a").authors == ("Lê Phương",)


def test_story_signed_by_an_italic_name_paragraph() -> None:
    header = "<header><div><div><h1>A headline long enough</h1></div></div></header>"
    signed = f"{header}<main><div><p><i>von Jane Roe</i></p>{_STORY * 2}</div></main>"
    assert extract_article(_page("", signed), "https://example.org/a").authors == ("Jane Roe",)
    box = f"{header}<main><div><p><em>John Doe,</em></p>{_STORY * 2}</div></main>"
    assert extract_article(_page("", box), "https://example.org/a").authors == ()


def test_bold_subheading_closing_the_text_is_no_signature() -> None:
    body = f"<article><h1>A headline long enough</h1>{_STORY * 2}<p><b>Further Reading</b></p><ul><li>A link</li></ul></article>"
    assert extract_article(_page("", body), "https://example.org/a").authors == ()


def test_chinese_story_is_credited_to_its_responsible_editor() -> None:
    body = """<h1>A headline long enough</h1><p>正文。</p><div class="edit">(责编：牛镛、岳弘彬)</div>"""
    assert extract_article(_page("", body), "https://example.cn/a").authors == ("牛镛", "岳弘彬")


def test_article_author_meta_names_a_wire_service() -> None:
    head = '<meta name="articleAuthor" content="Anadolu Ajans&#x131;">'
    assert extract_article(_page(head), "https://example.org/a").authors == ("Anadolu Ajansı",)


def test_author_links_add_the_co_author_json_ld_left_out() -> None:
    head = """<script type="application/ld+json">{"@type": "NewsArticle", "headline": "A headline
    long enough", "author": [{"@type": "Person", "name": "Marlene Holm"}]}</script>"""
    byline = '<div class="byline"><a rel="author" href="mailto:{0}@x.no">{1}</a></div>'
    body = (
        "<article><h1>A headline long enough</h1>"
        + byline.format("it", "Ingrid Treborg")
        + byline.format("mh", "Marlene Holm")
        + '<div class="teaser"><p><a rel="author" href="/a/tt">Thomas Thieme</a></p></div>'
        + "<p>Story text.</p></article>"
    )
    article = extract_article(_page(head, body), "https://example.org/a")
    assert article.authors == ("Ingrid Treborg", "Marlene Holm")


def test_h1_kicker_element_is_not_part_of_the_headline() -> None:
    head = '<meta property="og:title" content="Wider topic: «The quoted headline itself»">'
    body = """<h1><span class="article-title__overline">Escalation</span>
    <span class="sr-only"> - </span><span>«The quoted headline itself»</span></h1><p>Story.</p>"""
    assert extract_article(_page(head, body), "https://example.org/a").title == (
        "«The quoted headline itself»"
    )


def test_h1_kicker_is_kept_when_metadata_keeps_it() -> None:
    head = '<meta property="og:title" content="Topic: The headline itself">'
    body = '<h1><span class="kicker">Topic</span> : The headline itself</h1><p>Story.</p>'
    assert extract_article(_page(head, body), "https://example.org/a").title == (
        "Topic: The headline itself"
    )


def test_og_title_without_the_h1_kicker_is_the_headline() -> None:
    head = """<meta property="og:title" content="Judy Lybke, not peculiar at all">
    <script type="application/ld+json">{"@type": "NewsArticle",
    "headline": "Leipzig School: Judy Lybke, not peculiar at all"}</script>"""
    body = "<h1>Leipzig School: Judy Lybke, not peculiar at all</h1><p>Story.</p>"
    assert extract_article(_page(head, body), "https://example.org/a").title == (
        "Judy Lybke, not peculiar at all"
    )


def test_name_after_an_author_label_anywhere_on_the_page() -> None:
    body = """<h1>A headline long enough</h1><p>Story text.</p><aside><ul>
    <li><strong>Datum</strong> 28.04.2023</li>
    <li><strong>Autorin/Autor</strong>
    Roman Goncharenko</li></ul></aside>"""
    assert extract_article(_page("", body), "https://example.org/a").authors == (
        "Roman Goncharenko",
    )


def test_one_word_h1_label_before_the_headline_h1_is_skipped() -> None:
    html = """<html><head><title>Leichtathletik</title></head><body><h1>Quicklink</h1>
    <h1>Navigation</h1><h1>Norddeutschland findet seine Meister</h1><p>Story.</p></body></html>"""
    assert extract_article(html, "https://example.org/a").title == (
        "Norddeutschland findet seine Meister"
    )


def test_byline_naming_a_json_ld_house_account_is_no_author() -> None:
    head = """<script type="application/ld+json">{"@type": "NewsArticle", "headline": "A headline
    long enough", "author": {"@id": "https://news.example.org/author/admin/", "name": "Ilanga D"}}
    </script>"""
    body = f"""<h1>A headline long enough</h1><p>by <a rel="author"
    href="https://news.example.org/author/admin/">Ilanga D</a></p><div>
    <p><strong>MTHOBISI SITHOLE&nbsp;</strong></p>{_STORY}</div>"""
    article = extract_article(_page(head, body), "https://news.example.org/a")
    assert article.authors == ("MTHOBISI SITHOLE",)


def test_a_deck_under_the_headline_outside_the_text_container_opens_the_body() -> None:
    deck = "Berlin. The council voted to close the old harbour bridge. Repairs take two years."
    text = "The bridge was built in 1902. " * 8
    body = f"""<div class="top"><hgroup><h2>Bridge closes for repairs</h2></hgroup>
    <div class="copy-lg"><span>Berlin.</span> <span>{deck[8:]}</span></div>
    <div class="byline">By Jane Doe</div></div>
    <div class="story"><p>{text}</p><p>{text}</p><p>{text}</p></div>"""
    head = '<meta property="og:title" content="Bridge closes for repairs">'
    article = extract_article(_page(head, body), "https://example.org/a")
    assert article.body.startswith(deck + "\n\n")


def test_no_deck_when_the_text_starts_right_under_the_headline() -> None:
    first = "The council voted on Tuesday to close the old harbour bridge for two years. " * 10
    second = "Repairs were due a decade ago, the city engineer said at the meeting tonight."
    body = f"""<article><h1>Bridge closes for repairs</h1><p>{first}</p><p>{second}</p>
    <p>{second} Again.</p><p>A last paragraph that is long enough to count as text.</p></article>"""
    from worker.parse.document import build_document
    from worker.parse.metadata import find_deck

    page = _page("", body)
    assert find_deck(build_document(page, "https://example.org/a"), "Bridge closes") is None
    article = extract_article(page, "https://example.org/a")
    assert article.body.startswith(first.strip()) and article.body.count(second) == 2


def test_a_subscription_prompt_or_a_second_headline_is_no_deck() -> None:
    from worker.parse.document import build_document
    from worker.parse.metadata import find_deck

    for block in (
        "<p>Just R20 for the first month. Support journalism by subscribing to our package.</p>",
        "<h2>Bridge shut: how safe are the country's other old river crossings, then?</h2>",
        "<p>Get daily news delivered to your inbox so you never miss the day's top stories.</p>",
    ):
        page = _page("", f"<article><h1>Bridge closes for repairs</h1>{block}</article>")
        assert find_deck(build_document(page, "https://example.org/a"), "Bridge closes") is None


def test_a_synopsis_or_strapline_under_the_headline_is_the_lead() -> None:
    # Without a full stop: not taken for a deck by its prose, only by its class name.
    synopsis = "The council voted to close the old harbour bridge, and repairs will take two years"
    for name in ("art_synopsis", "strapline", "nota-bajada"):
        body = f"""<article><div><h1>A headline long enough</h1><div class="{name}"><div>{synopsis}
        </div></div></div><div><p>{"Story text here, more of it. " * 20}</p></div></article>"""
        assert _lead("", body) == synopsis
