"""The printable guide: the whole guide on one page, in each language, ready for paper."""

import datetime
import html
import re
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
from tests.helpers import links, page_text, region, visible_text

pytestmark = pytest.mark.django_db

PRINT = {"en": "/en/guide/print/", "fr": "/fr/guide/imprimer/"}
HOME = {"en": "/en/", "fr": "/fr/"}
LANGUAGES = list(PRINT)


def _titles(response) -> list[str]:
    """The title of each page of the guide as printed, in order."""
    found = re.findall(
        r'<section class="print-page">\n<h2 id="[^"]+"[^>]*>([^<]+)</h2>',
        response.content.decode(),
    )
    return [html.unescape(title) for title in found]


def _main(response) -> str:
    content = response.content.decode()
    return content[content.index("<main") : content.index("</main>")]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_printable_guide_answers_in_its_language(client, language):
    response = client.get(PRINT[language])
    assert response.status_code == 200
    content = response.content.decode()
    assert f'<html lang="{language}"' in content
    assert response.headers["Content-Language"] == language
    expected = {"en": "The whole guide, for printing", "fr": "Le guide complet"}
    assert expected[language] in visible_text(response)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_published_page_is_printed_in_reading_order(client, language):
    with translation.override(language):
        expected = [item.title for item in sequence()]
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
    content = client.get(PRINT["en"]).content.decode()
    sections = content.split('<section class="print-page">')
    response = next(s for s in sections if 'id="page-response-to-treatment"' in s)
    questions = next(s for s in sections if 'id="page-questions-to-ask"' in s)
    surgery = next(s for s in sections if 'id="treatment-surgery"' in s)
    glossary = next(s for s in sections if 'id="page-glossary"' in s)
    assert "under 10\u00a0mm" in response and "Progressive disease" in response
    assert "Is a clinical trial an option for my child?" in questions
    assert "Second-look surgery" in surgery
    assert '<dt id="term-mibg-scan">MIBG scan</dt>' in glossary
    assert glossary.count("<dt ") == GlossaryTerm.objects.published().count()


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
    printed = page_text(response)
    for title in titles:
        assert f">{title}<" not in printed, title
    assert question not in printed
    assert statement not in printed
    assert 'id="term-mibg-scan"' not in printed
    assert titles[0] not in _titles(response)


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
    response = client.get(PRINT[language])
    main = _main(response)
    hrefs = [html.unescape(h) for h in re.findall(r'href="([^"]*)"', main)]
    assert target in hrefs  # a link written in a body as [age](risk-factor:age)
    ids = set(re.findall(r'id="([^"]+)"', main))
    for href in hrefs:
        if href.startswith("#"):
            assert href[1:] in ids, href  # the contents, and terms in the glossary
        else:
            assert href.startswith(("http://testserver/", "https://", "mailto:")), href
    # The glossary is printed too: a term's link leads to its definition on this page.
    assert 'href="#term-neuroblastoma"' in main
    assert 'id="term-neuroblastoma"' in main


def test_links_are_made_absolute_against_the_page_they_come_from():
    body = (
        '<p><a href="/en/risk-factors/age/">age</a> <a href="#later">x</a> '
        '<a href="https://example.org/a?b=1&amp;c=2">out</a> '
        '<a class="term" href="/en/glossary/#stage" data-term="stage">stage</a></p>'
    )
    here = {"http://testserver/en/glossary/#stage": "#term-stage"}
    result = absolute_links(body, "http://testserver/en/treatments/surgery/", here)
    assert 'href="http://testserver/en/risk-factors/age/"' in result
    assert 'href="http://testserver/en/treatments/surgery/#later"' in result
    assert 'href="https://example.org/a?b=1&amp;c=2"' in result
    assert '<a href="#term-stage">stage</a>' in result


def test_body_headings_move_under_the_page_heading_and_lose_their_ids():
    body = '<h2 id="why">Why</h2><p>x</p><h3 id="how">How</h3><h6>Deep</h6>'
    assert nest_headings(body, 1) == "<h3>Why</h3><p>x</p><h4>How</h4><h6>Deep</h6>"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_cover_carries_the_date_the_address_and_the_reminder(client, language):
    for model in (GuidePage, RiskFactor, Treatment):
        model.objects.update(
            last_reviewed=datetime.date(2026, 11, 27),
            next_review_due=datetime.date(2029, 11, 27),
        )
    response = client.get(PRINT[language])
    content = response.content.decode()
    cover = region(content, "print-cover")
    today = timezone.localdate()
    with translation.override(language):
        shown = formats.date_format(today, "DATE_FORMAT")
    printed = region(cover, "printed-on")
    assert f'datetime="{today:%Y-%m-%d}"' in printed
    assert f">{shown}</time>" in printed
    label = {"en": "Printed on", "fr": "Imprimé le"}[language]
    assert f"{label} <time" in cover
    address = region(cover, "site-address")
    assert f'href="http://testserver{HOME[language]}"' in address
    assert f">http://testserver{HOME[language]}</a>" in address
    reminder = {"en": "healthcare team", "fr": "équipe de soins"}[language]
    assert reminder in html.unescape(region(cover, "care-team-reminder"))
    reviewed = region(cover, "last-reviewed")
    assert '<time datetime="2026-11-27"' in reviewed
    assert '<time datetime="2029-11-27"' in region(cover, "next-review")


def test_the_cover_says_when_pages_were_reviewed_at_different_times(client):
    for model in (GuidePage, RiskFactor, Treatment):
        model.objects.update(last_reviewed=datetime.date(2026, 11, 27))
    Treatment.objects.filter(key="surgery").update(
        last_reviewed=datetime.date(2026, 3, 2)
    )
    for language, words in (
        ("en", "between March 2, 2026 and November 27, 2026, depending on the page"),
        ("fr", "entre le 2 mars 2026 et le 27 novembre 2026, selon la page"),
    ):
        content = client.get(PRINT[language]).content.decode()
        assert words in html.unescape(region(content, "last-reviewed"))
        assert '<time datetime="2026-03-02">' in content  # under surgery's own title


def test_a_cached_copy_shows_the_day_it_is_printed(client, monkeypatch):
    first = client.get(PRINT["fr"])
    assert client.get(PRINT["fr"]).content == first.content  # from the cache
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args: tomorrow)
    later = client.get(PRINT["fr"]).content.decode()
    assert f'datetime="{tomorrow:%Y-%m-%d}" data-testid="printed-on"' in later
    with translation.override("fr"):
        assert formats.date_format(tomorrow, "DATE_FORMAT") in later


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_navigation_chrome(client, language):
    content = client.get(PRINT[language]).content.decode()
    for testid in (
        "language-switch",
        "breadcrumbs",
        "site-search",
        "prev-next",
        "feedback",
        "related",
    ):
        assert f'data-testid="{testid}"' not in content, testid
    assert "<form" not in content
    assert 'class="site-header' not in content
    assert 'class="site-footer' not in content
    assert "js/feedback.js" not in content and "js/glossary.js" not in content


@pytest.mark.parametrize("language", LANGUAGES)
def test_alternates_canonical_and_noindex(client, language):
    content = client.get(PRINT[language]).content.decode()
    assert (
        f'<link rel="canonical" href="http://testserver{PRINT[language]}">' in content
    )
    for code, path in PRINT.items():
        assert (
            f'<link rel="alternate" hreflang="{code}" href="http://testserver{path}">'
            in content
        )
    assert '<meta name="robots" content="noindex">' in content


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_print_button_needs_javascript_and_the_page_says_how_to_print(
    client, language
):
    content = client.get(PRINT[language]).content.decode()
    assert re.search(r"<p hidden data-print-actions><button type=\"button\"", content)
    assert '<script src="/static/js/print.js" defer></script>' in content
    how = {"en": "use your browser's Print command", "fr": "commande Imprimer"}
    assert how[language] in html.unescape(content)


def test_french_falls_back_to_english_with_a_notice(client):
    Treatment.objects.filter(key="chemotherapy").update(
        body_fr="", body_html_fr="", summary_fr=""
    )
    Question.objects.filter(key="q-clinical-trial").update(text_fr="")
    content = client.get(PRINT["fr"]).content.decode()
    sections = content.split('<section class="print-page">')
    chemo = next(s for s in sections if 'id="treatment-chemotherapy"' in s)
    assert 'data-testid="translation-notice"' in chemo
    assert re.search(r'<div lang="en"><(?:p|h\d)\b', chemo)
    assert 'class="print-page__summary" lang="en"' in chemo
    questions = next(s for s in sections if 'id="page-questions-to-ask"' in s)
    assert 'data-testid="translation-notice"' in questions
    assert 'data-key="q-clinical-trial" lang="en">Is a clinical trial' in questions
    english = client.get(PRINT["en"]).content.decode()
    assert 'data-testid="translation-notice"' not in english


def _build_queries(client, path: str) -> int:
    from django.core.cache import cache
    from django.db import connection

    cache.clear()
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
        footer = region(client.get(path).content.decode(), "print-link")
        assert f'href="{PRINT[language]}"' in footer, path
    label = {"en": "Print the whole guide", "fr": "Imprimer tout le guide"}[language]
    home = client.get(HOME[language]).content.decode()
    assert label in region(home, "home-print-link")
    assert label in region(home, "print-link")
    assert PRINT[language] in links(client.get(HOME[language]))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_printable_guide_stays_light(client, language):
    """The whole guide in one page: its HTML, styles and script, uncompressed.

    Each ordinary page keeps under 50 KB (tests/test_pages.py); this page holds all
    of them, so its bar is the sum the guide needs today with room to grow.
    """
    from django.contrib.staticfiles import finders

    content = client.get(PRINT[language]).content.decode()
    urls = re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', content)
    size = sum(
        Path(finders.find(u.removeprefix("/static/"))).stat().st_size for u in urls
    )
    # Issue 12 made the guide about 12,000 words per language, with every page's
    # sources: about 130 KB of English and 154 KB of French HTML.
    assert len(content.encode()) < 180_000
    assert len(content.encode()) + size < 205_000
