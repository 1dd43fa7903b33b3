"""The printable guide: the whole guide on one page, in each language, ready for paper."""

import datetime
from pathlib import Path

import pytest
from django.test.utils import CaptureQueriesContext
from django.utils import formats, timezone, translation

from neuroinfo.guide import sequence
from neuroinfo.models import (
    GlossaryTerm,
    GuidePage,
    Question,
    ResponseCriterion,
    RiskFactor,
    Treatment,
)
from neuroinfo.printable import absolute_links, nest_headings
from tests.dom import parse, words
from tests.helpers import empty_cache, page_text, visible_text

pytestmark = pytest.mark.django_db

PRINT = {"en": "/en/guide/print/", "fr": "/fr/guide/imprimer/"}
HOME = {"en": "/en/", "fr": "/fr/"}
LANGUAGES = list(PRINT)


def _pages(response) -> list:
    """Each page of the guide as printed (not the sources at the end), in order."""
    return [
        section
        for section in parse(response).find_all("section", class_="print-page")
        if "sources" not in section.classes
    ]


def _titles(response) -> list[str]:
    """The title of each page of the guide as printed, in order."""
    return [section.find("h2").text for section in _pages(response)]


def _printed(response, anchor: str):
    """The printed page whose title has this anchor."""
    return next(s for s in _pages(response) if s.find("h2").get("id") == anchor)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_printable_guide_answers_in_its_language(client, language):
    response = client.get(PRINT[language])
    assert response.status_code == 200
    assert parse(response).find("html").get("lang") == language
    assert response.headers["Content-Language"] == language
    expected = {"en": "The whole guide, for printing", "fr": "Le guide complet"}
    assert expected[language] in visible_text(response)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_published_page_is_printed_in_reading_order(client, language):
    with translation.override(language):
        expected = [words(item.title) for item in sequence()]
    assert len(expected) >= 17
    assert _titles(client.get(PRINT[language])) == expected


@pytest.mark.parametrize(
    ("language", "facts"),
    [
        ("en", ["Second-look surgery", "Key points", "Complete response",
                "Primary tumour", "under 10 mm", "Partial response",
                "Is a clinical trial an option for my child?", "MIBG scan",
                "Questions you could ask", "Stem cell"]),
        ("fr", ["Chirurgie de second regard", "Points clés", "Réponse complète",
                "Tumeur primitive", "moins de 10 mm", "Réponse partielle",
                "essai clinique", "Scintigraphie à la MIBG",
                "Questions que vous pourriez poser", "Cellule souche"]),
    ],
)  # fmt: skip
def test_each_page_brings_its_sections_criteria_questions_and_terms(
    client, language, facts
):
    text = visible_text(client.get(PRINT[language]))
    missing = [fact for fact in facts if fact not in text]
    assert not missing


def test_questions_and_criteria_sit_under_their_own_page(client):
    printed = client.get(PRINT["en"])
    response = _printed(printed, "page-response-to-treatment")
    questions = _printed(printed, "page-questions-to-ask")
    surgery = _printed(printed, "treatment-surgery")
    glossary = _printed(printed, "page-glossary")
    assert "under 10\u00a0mm" in response.raw_text
    assert response.has("h3", text="Progressive disease")
    assert "Is a clinical trial an option for my child?" in questions.text
    assert surgery.has("h3", text="Second-look surgery")
    assert glossary.find("dt", id="term-mibg-scan").text == "MIBG scan"
    assert len(glossary.find_all("dt")) == GlossaryTerm.objects.published().count()


@pytest.mark.parametrize("language", LANGUAGES)
def test_drafts_are_not_printed(client, language):
    Treatment.objects.filter(key="chemotherapy").update(status="draft")
    Treatment.objects.filter(key="second-look-surgery").update(status="draft")
    Question.objects.filter(key="q-clinical-trial").update(status="draft")
    GlossaryTerm.objects.filter(key="mibg-scan").update(status="draft")
    criterion = ResponseCriterion.objects.filter(category__key="stable-disease").first()
    ResponseCriterion.objects.filter(pk=criterion.pk).update(status="draft")
    drafts = [
        Treatment.objects.get(key="chemotherapy"),
        Treatment.objects.get(key="second-look-surgery"),
        GlossaryTerm.objects.get(key="mibg-scan"),
    ]
    with translation.override(language):
        titles = [item.title for item in drafts]
        question = Question.objects.get(key="q-clinical-trial").text
        statement = criterion.statement_display
    response = client.get(PRINT[language])
    page = parse(response)
    printed = page_text(response)
    for title in titles:
        assert not page.has(text=words(title)), title
    assert question not in printed
    assert statement not in printed
    assert not page.has(id="term-mibg-scan")
    assert words(titles[0]) not in _titles(response)


@pytest.mark.parametrize(
    ("language", "target"),
    [
        ("en", "http://testserver/en/risk-factors/age/"),
        ("fr", "http://testserver/fr/facteurs-pris-en-compte/age/"),
    ],
)
def test_every_link_is_absolute_or_leads_within_the_printed_guide(
    client, language, target
):
    main = parse(client.get(PRINT[language])).find("main")
    hrefs = [element.get("href") for element in main.find_all(href=True)]
    assert target in hrefs  # a link written in a body as [age](risk-factor:age)
    ids = {element.get("id") for element in main.find_all(id=True)}
    for href in hrefs:
        if href.startswith("#"):
            assert href[1:] in ids, href  # the contents, and terms in the glossary
        else:
            assert href.startswith(("http://testserver/", "https://", "mailto:")), href
    # The glossary is printed too: a term's link leads to its definition on this page.
    assert main.has("a", href="#term-neuroblastoma")
    assert main.has("dt", id="term-neuroblastoma")


def test_links_are_made_absolute_against_the_page_they_come_from():
    body = (
        '<p><a href="/en/risk-factors/age/">age</a> <a href="#later">x</a> '
        '<a href="https://example.org/a?b=1&amp;c=2">out</a> '
        '<a class="term" href="/en/glossary/#stage" data-term="stage">stage</a></p>'
    )
    here = {"http://testserver/en/glossary/#stage": "#term-stage"}
    result = parse(
        absolute_links(body, "http://testserver/en/treatments/surgery/", here)
    )
    assert result.links() == [
        ("age", "http://testserver/en/risk-factors/age/"),
        ("x", "http://testserver/en/treatments/surgery/#later"),
        ("out", "https://example.org/a?b=1&c=2"),
        ("stage", "#term-stage"),
    ]
    # The term's link leads to its definition on this page, as a plain link.
    assert result.find("a", text="stage").attrs == {"href": "#term-stage"}


def test_body_headings_move_under_the_page_heading_and_lose_their_ids():
    body = '<h2 id="why">Why</h2><p>x</p><h3 id="how">How</h3><h6>Deep</h6>'
    nested = parse(nest_headings(body, 1))
    assert [(e.tag, e.attrs, e.text) for e in nested.find_all()] == [
        ("h3", {}, "Why"),
        ("p", {}, "x"),
        ("h4", {}, "How"),
        ("h6", {}, "Deep"),
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_cover_carries_the_date_the_address_and_the_reminder(client, language):
    for model in (GuidePage, RiskFactor, Treatment):
        model.objects.update(
            last_reviewed=datetime.date(2026, 11, 27),
            next_review_due=datetime.date(2029, 11, 27),
        )
    cover = parse(client.get(PRINT[language])).find(data_testid="print-cover")
    today = timezone.localdate()
    with translation.override(language):
        shown = formats.date_format(today, "DATE_FORMAT")
    printed = cover.find("time", data_testid="printed-on")
    assert printed.get("datetime") == f"{today:%Y-%m-%d}"
    assert printed.text == words(shown)
    label = {"en": "Printed on", "fr": "Imprimé le"}[language]
    assert printed.parent.text == f"{label} {words(shown)}"
    address = cover.find("a", data_testid="site-address")
    assert address.get("href") == f"http://testserver{HOME[language]}"
    assert address.text == f"http://testserver{HOME[language]}"
    reminder = {"en": "healthcare team", "fr": "équipe de soins"}[language]
    assert reminder in cover.find(data_testid="care-team-reminder").text
    reviewed = cover.find(data_testid="last-reviewed")
    assert reviewed.find("time").get("datetime") == "2026-11-27"
    due = cover.find(data_testid="next-review")
    assert due.find("time").get("datetime") == "2029-11-27"


@pytest.mark.parametrize(
    ("language", "between"),
    [
        ("en", "between March 2, 2026 and November 27, 2026, depending on the page"),
        ("fr", "entre le 2 mars 2026 et le 27 novembre 2026, selon la page"),
    ],
)
def test_the_cover_says_when_pages_were_reviewed_at_different_times(
    client, language, between
):
    for model in (GuidePage, RiskFactor, Treatment):
        model.objects.update(last_reviewed=datetime.date(2026, 11, 27))
    Treatment.objects.filter(key="surgery").update(
        last_reviewed=datetime.date(2026, 3, 2)
    )
    page = parse(client.get(PRINT[language]))
    assert between in page.find(data_testid="last-reviewed").text
    # Under surgery's own title.
    surgery = next(
        s
        for s in page.find_all("section", class_="print-page")
        if s.find("h2").get("id") == "treatment-surgery"
    )
    assert surgery.has("time", datetime="2026-03-02")


def test_a_cached_copy_shows_the_day_it_is_printed(client, monkeypatch):
    first = client.get(PRINT["fr"])
    assert client.get(PRINT["fr"]).content == first.content  # from the cache
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args: tomorrow)
    printed = parse(client.get(PRINT["fr"])).find(data_testid="printed-on")
    assert printed.get("datetime") == f"{tomorrow:%Y-%m-%d}"
    with translation.override("fr"):
        assert printed.text == words(formats.date_format(tomorrow, "DATE_FORMAT"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_navigation_chrome(client, language):
    page = parse(client.get(PRINT[language]))
    for testid in (
        "language-switch",
        "breadcrumbs",
        "site-search",
        "prev-next",
        "feedback",
        "related",
    ):
        assert not page.has(data_testid=testid), testid
    assert not page.has("form")
    assert not page.has("header") and not page.has(class_="site-header")
    assert not page.has("footer") and not page.has(class_="site-footer")
    scripts = [script.get("src") for script in page.find_all("script")]
    assert scripts == ["/static/js/print.js"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_alternates_canonical_and_noindex(client, language):
    page = parse(client.get(PRINT[language]))
    canonical = page.find("link", rel="canonical").get("href")
    assert canonical == f"http://testserver{PRINT[language]}"
    alternates = {
        link.get("hreflang"): link.get("href")
        for link in page.find_all("link", rel="alternate")
    }
    for code, path in PRINT.items():
        assert alternates[code] == f"http://testserver{path}"
    assert page.find("meta", name="robots").get("content") == "noindex"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_print_button_needs_javascript_and_the_page_says_how_to_print(
    client, language
):
    response = client.get(PRINT[language])
    page = parse(response)
    actions = page.find("p", data_print_actions=True)
    assert actions.get("hidden") is not None  # print.js shows it
    assert actions.find("button").get("type") == "button"
    assert page.has("script", src="/static/js/print.js", defer=True)
    how = {"en": "use your browser's Print command", "fr": "commande Imprimer"}
    assert how[language] in visible_text(response)


def test_french_falls_back_to_english_with_a_notice(client):
    Treatment.objects.filter(key="chemotherapy").update(
        body_fr="", body_html_fr="", summary_fr=""
    )
    Question.objects.filter(key="q-clinical-trial").update(text_fr="")
    printed = client.get(PRINT["fr"])
    chemo = _printed(printed, "treatment-chemotherapy")
    assert chemo.has(data_testid="translation-notice")
    body = chemo.find("div", lang="en")  # the English body, marked as English
    assert body.find().tag in ("p", "h3", "h4", "h5", "h6")
    assert chemo.find("p", class_="print-page__summary").get("lang") == "en"
    questions = _printed(printed, "page-questions-to-ask")
    assert questions.has(data_testid="translation-notice")
    question = questions.find(data_key="q-clinical-trial")
    assert question.get("lang") == "en"
    assert question.text.startswith("Is a clinical trial")
    english = parse(client.get(PRINT["en"]))
    assert not english.has(data_testid="translation-notice")


def _build_queries(client, path: str) -> int:
    from django.db import connection

    empty_cache()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_queries_are_few_and_do_not_grow_with_the_guide(
    client, django_assert_max_num_queries
):
    # 13: the first request after the cache was emptied also reads the content
    # generation from the database (neuroinfo.pagecache).
    with django_assert_max_num_queries(13):
        client.get(PRINT["en"])
    before = _build_queries(client, PRINT["en"])
    surgery = Treatment.objects.get(key="surgery")
    for n in range(3):
        treatment = Treatment.objects.create(
            key=f"extra-{n}", title=f"Extra {n}", slug=f"extra-{n}", status="published"
        )
        Treatment.objects.create(
            key=f"extra-sub-{n}",
            title=f"Extra part {n}",
            slug=f"extra-sub-{n}",
            parent=treatment if n else surgery,
            status="published",
        )
        GlossaryTerm.objects.create(
            key=f"extra-term-{n}",
            title=f"Extra term {n}",
            slug=f"extra-term-{n}",
            body="A [link](treatment:surgery).",
            status="published",
        )
        Question.objects.create(
            page=GuidePage.objects.get(key="follow-up-care"),
            key=f"extra-question-{n}",
            text=f"Extra question {n}?",
            status="published",
        )
    after = _build_queries(client, PRINT["en"])
    text = visible_text(client.get(PRINT["en"]))
    assert "Extra part 2" in text and "Extra term 1" in text
    assert "Extra question 0?" in text
    assert after == before


def test_the_page_is_cached_for_everyone(client, django_assert_num_queries):
    first = client.get(PRINT["fr"])
    control = first.headers["Cache-Control"]
    assert "public" in control and "s-maxage=" in control and "max-age=0" in control
    assert not first.cookies
    assert "csrfmiddlewaretoken" not in first.content.decode()
    with django_assert_num_queries(0):
        again = client.get(PRINT["fr"], HTTP_COOKIE="sessionid=someone-else")
    assert again.content == first.content
    assert client.get(PRINT["fr"], HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_links_to_the_printable_guide(client, language):
    with translation.override(language):
        paths = [item.get_absolute_url() for item in sequence()]
    for path in paths:
        footer_link = parse(client.get(path)).find(data_testid="print-link")
        assert footer_link.get("href") == PRINT[language], path
    label = {"en": "Print the whole guide", "fr": "Imprimer tout le guide"}[language]
    home = parse(client.get(HOME[language]))
    assert label in home.find(data_testid="home-print-link").text
    assert label in home.find(data_testid="print-link").text
    assert PRINT[language] in [href for _text, href in home.links()]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_printable_guide_stays_light(client, language):
    """The whole guide in one page: its HTML, styles and script, uncompressed.

    Each ordinary page keeps under 50 KB (tests/test_pages.py); this page holds all
    of them, so its bar is the sum the guide needs today with room to grow.
    """
    from django.contrib.staticfiles import finders

    content = client.get(PRINT[language]).content.decode()
    page = parse(content)
    urls = [
        url
        for element in page.find_all("link", rel="stylesheet") + page.find_all("script")
        if (url := element.get("href") or element.get("src")).startswith("/static/")
    ]
    size = sum(
        Path(finders.find(u.removeprefix("/static/"))).stat().st_size for u in urls
    )
    # Issue 12 made the guide about 12,000 words per language, with every page's
    # sources: about 130 KB of English and 154 KB of French HTML.
    assert len(content.encode()) < 180_000
    assert len(content.encode()) + size < 205_000
