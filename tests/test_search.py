"""Search in both languages: what it finds, in what order, how it shows it, and that no
query, however odd, breaks the page. CI runs these on SQLite and on PostgreSQL, so the
same assertions prove the same results on both."""

import json
import re
import threading
import time
from pathlib import Path
from typing import NamedTuple

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.utils.translation import override

from neuroinfo.generation import content_changed, generation
from neuroinfo.links import all_urls
from neuroinfo.models import GlossaryTerm, GuidePage, Treatment
from neuroinfo.pagecache import _page_key
from neuroinfo.search import index as search_index
from neuroinfo.search import ranking, sharing, snippets, spelling, view
from neuroinfo.search.documents import Source
from neuroinfo.search.sharing import index_for
from tests.dom import parse
from tests.helpers import page_text, region

pytestmark = pytest.mark.django_db

SEARCH = {"en": "/en/search/", "fr": "/fr/recherche/"}
OUTCOMES = ("search-empty", "search-no-results", "search-count", "search-too-long")


def get(client, language: str, query: str | None):
    return client.get(SEARCH[language], {} if query is None else {"q": query})


class Shown(NamedTuple):
    """One result as a reader sees it."""

    url: str
    title: str
    section: str
    snippet: str  # its text
    marked: list[str]  # the words marked in it


def results(response) -> list[Shown]:
    """Each result shown, in order."""
    listing = parse(response).one_or_none("ol", data_testid="search-results")
    if listing is None:
        return []
    shown = []
    for item in listing.find_all("li", class_="search-result"):
        link = item.one("h2").one("a")
        extract = item.one_or_none("p", class_="search-result__snippet")
        shown.append(
            Shown(
                link.get("href"),
                link.text,
                item.one("p", class_="search-result__section").text,
                extract.text if extract else "",
                [mark.text for mark in extract.find_all("mark")] if extract else [],
            )
        )
    return shown


def urls(response) -> list[str]:
    return [url for url, *_rest in results(response)]


def outcome(response) -> str:
    """Which of the page's outcomes it shows (exactly one)."""
    html = response.content.decode()
    shown = [name for name in OUTCOMES if f'data-testid="{name}"' in html]
    assert len(shown) == 1, shown
    return shown[0]


def change(callbacks, save) -> None:
    """Change content as the admin does: the generation moves once the change commits."""
    with callbacks(execute=True):
        save()


# --- quality ------------------------------------------------------------------------------
def test_chimiotherapie_without_accents_finds_the_chemotherapy_page_first(client):
    response = get(client, "fr", "chimiotherapie")
    assert response.status_code == 200
    assert urls(response)[0] == "/fr/traitements/chimiotherapie/"
    accented = get(client, "fr", "Chimiothérapie")
    assert urls(accented) == urls(response)
    assert urls(get(client, "en", "chemotherapy"))[0] == "/en/treatments/chemotherapy/"


def test_a_plural_finds_the_singular(client):
    assert urls(get(client, "en", "surgeries"))[0] == "/en/treatments/surgery/"
    found = results(get(client, "fr", "traitements"))
    found_urls = [url for url, *_rest in found]
    assert "/fr/traitements/traitement-cible/" in found_urls
    assert "/fr/reponse-au-traitement/" in found_urls
    # The pages say « traitement »: the singular is what gets marked.
    marked = [word for shown in found for word in shown.marked]
    assert "traitement" in marked


def test_mibg_finds_the_response_page_and_the_glossary_term(client):
    en = urls(get(client, "en", "MIBG"))
    assert "/en/response-to-treatment/" in en
    assert "/en/glossary/#mibg-scan" in en
    fr = urls(get(client, "fr", "mibg"))
    assert "/fr/reponse-au-traitement/" in fr
    assert "/fr/glossaire/#scintigraphie-a-la-mibg" in fr


def test_tumours_and_tumeurs_find_the_glossary_term_first(client):
    assert urls(get(client, "en", "tumours"))[0] == "/en/glossary/#tumour"
    assert urls(get(client, "fr", "tumeurs"))[0] == "/fr/glossaire/#tumeur"
    # The spelling families in North America type finds the same pages.
    assert urls(get(client, "en", "tumors")) == urls(get(client, "en", "tumours"))


def test_a_word_begun_finds_the_whole_word(client):
    assert urls(get(client, "en", "chemo"))[0] == "/en/treatments/chemotherapy/"
    assert urls(get(client, "fr", "chimio"))[0] == "/fr/traitements/chimiotherapie/"


@pytest.mark.parametrize("query", ["chimiothérapie", "traitements", "tumeurs"])
def test_a_french_query_on_the_english_site_finds_nothing_french(client, query):
    response = get(client, "en", query)
    assert outcome(response) == "search-no-results"
    assert "/fr/" not in "".join(re.findall(r'href="([^"]*)"', region(
        response.content.decode(), "search-outcome"
    )))  # fmt: skip


@pytest.mark.parametrize(
    ("language", "query"),
    [("en", "chemotherapy"), ("en", "scan"), ("en", "bone marrow"),
     ("fr", "chimiothérapie"), ("fr", "tumeur"), ("fr", "moelle osseuse")],
)  # fmt: skip
def test_pages_named_after_the_words_come_before_pages_that_only_use_them(
    client, language, query
):
    titles = [shown.title for shown in results(get(client, language, query))]
    named = [query in title.lower() for title in titles]
    assert named[0] and not named[-1], titles  # both kinds are found
    assert named == sorted(named, reverse=True), titles


def test_a_sub_section_is_its_own_result_at_its_anchor(client):
    en = results(get(client, "en", "second-look surgery"))
    assert en[0][:3] == (
        "/en/treatments/surgery/#second-look-surgery",
        "Second-look surgery",
        "Treatments › Surgery",
    )
    fr = results(get(client, "fr", "chirurgie de second regard"))
    assert fr[0][:3] == (
        "/fr/traitements/chirurgie/#chirurgie-de-second-regard",
        "Chirurgie de second regard",
        "Traitements › Chirurgie",
    )


@pytest.mark.parametrize(
    ("language", "query", "url", "section"),
    [
        ("en", "10 mm", "/en/response-to-treatment/#complete-response",
         "Response to treatment"),
        ("fr", "10 mm", "/fr/reponse-au-traitement/#reponse-complete",
         "Réponse au traitement"),
        ("en", "worries", "/en/questions-to-ask/", "Guide"),
        ("fr", "inquiétudes", "/fr/questions-a-poser/", "Guide"),
        ("en", "age", "/en/risk-factors/age/", "Factors the team considers"),
        ("fr", "âge", "/fr/facteurs-pris-en-compte/age/",
         "Facteurs pris en compte par l'équipe"),
        ("en", "biopsy", "/en/glossary/#biopsy", "Glossary"),
        ("fr", "biopsie", "/fr/glossaire/#biopsie", "Glossaire"),
    ],
)  # fmt: skip
def test_criteria_questions_factors_and_terms_are_found_with_their_section(
    client, language, query, url, section
):
    """Criteria belong to their category, questions to their page."""
    found = {
        shown.url: shown.section for shown in results(get(client, language, query))
    }
    assert found.get(url) == section, found


# --- how results are shown -----------------------------------------------------------------
def test_each_result_has_a_title_a_section_and_a_marked_snippet(client):
    for language, query, word in (("en", "surgeries", "surgery"), ("fr", "chirurgies", "chirurgie")):  # fmt: skip
        found = results(get(client, language, query))
        assert found
        for url, title, section, snippet, marked in found:
            assert url.startswith(f"/{language}/") and title and section
            assert word in [m.lower() for m in marked], snippet
            words = snippet.replace("…", "").split()
            assert len(words) <= snippets.SNIPPET_WORDS + 5, snippet


def test_the_count_and_the_title_name_the_query(client):
    en = get(client, "en", "worries")
    assert "1 result for “worries”" in page_text(en)
    assert "<title>Search results for “worries” – Treatments for neuroblastoma</title>" in (
        page_text(en)
    )  # fmt: skip
    fr = get(client, "fr", "chirurgie")
    count = len(ranking.search("chirurgie", index_for("fr")).hits)
    assert count > 1
    assert f"{count} résultats pour « chirurgie »" in page_text(fr)
    assert "<title>Résultats de recherche pour « chirurgie » – Traitements du neuroblastome" in (
        page_text(fr)
    )  # fmt: skip


def test_snippets_escape_the_text_then_mark_it(
    client, django_capture_on_commit_callbacks
):
    stored = "<p>Write &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; zzyzx &amp; more</p>"
    change(
        django_capture_on_commit_callbacks,
        lambda: (
            GlossaryTerm.objects.filter(key="biopsy").update(
                body_html_en=stored, body_html_fr=stored
            ),
            content_changed(),
        ),
    )
    for language in ("en", "fr"):
        response = get(client, language, "zzyzx")
        html = response.content.decode()
        assert "<script>alert" not in html
        [shown] = results(response)
        # Parsed, the stored markup is text a reader sees, not an element.
        assert '<script>alert("x")</script> zzyzx & more' in shown.snippet
        assert shown.marked == ["zzyzx"]
        assert not parse(response).find_all("script", src=None)


def test_the_results_page_is_for_people_not_search_engines_nor_the_page_cache(client):
    response = get(client, "en", "surgery")
    html = response.content.decode()
    assert '<meta name="robots" content="noindex">' in html
    assert response["X-Robots-Tag"] == "noindex"
    assert "public" in response["Cache-Control"]
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in html
    # One page per query would grow without bound: none is stored.
    from django.core.cache import cache

    request = RequestFactory().get("/en/search/?q=surgery")
    assert cache.get(_page_key(request)) is None


def test_the_language_switch_keeps_the_query(client):
    en = get(client, "en", "chimiothérapie").content.decode()
    assert 'href="/fr/recherche/?q=chimioth%C3%A9rapie"' in region(
        en, "language-switch"
    )
    assert (
        'hreflang="fr" href="http://testserver/fr/recherche/?q=chimioth%C3%A9rapie"'
        in en
    )
    fr = get(client, "fr", "surgery & co").content.decode()
    assert 'href="/en/search/?q=surgery+%26+co"' in region(fr, "language-switch")


def test_a_results_page_stays_small(client):
    from django.contrib.staticfiles import finders

    response = get(client, "fr", "traitement")
    assert len(ranking.search("traitement", index_for("fr")).hits) > 20
    assert len(results(response)) == view.PER_PAGE
    html = response.content.decode()
    assets = re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html)
    size = sum(
        Path(finders.find(u.removeprefix("/static/"))).stat().st_size for u in assets
    )
    assert len(html.encode()) + size < 50_000


# --- only what families may see, never stale -------------------------------------------------
def test_drafts_never_appear(client, django_capture_on_commit_callbacks):
    def unpublish():
        for item in (
            Treatment.objects.get(key="chemotherapy"),
            GlossaryTerm.objects.get(key="mibg-scan"),
            Treatment.objects.get(key="surgery"),  # its sub-section goes with it
        ):
            item.status = "draft"
            item.save()

    assert "/en/treatments/chemotherapy/" in urls(get(client, "en", "chemotherapy"))
    change(django_capture_on_commit_callbacks, unpublish)
    for language, query in (("en", "chemotherapy"), ("fr", "chimiothérapie")):
        assert "/chemotherapy/" not in " ".join(urls(get(client, language, query)))
        assert "/chimiotherapie/" not in " ".join(urls(get(client, language, query)))
    assert "/en/glossary/#mibg-scan" not in urls(get(client, "en", "MIBG"))
    assert not [u for u in urls(get(client, "en", "second-look")) if "surgery" in u]
    assert not [u for u in urls(get(client, "fr", "regard")) if "chirurgie" in u]


def test_terms_are_not_found_while_the_glossary_page_is_a_draft(
    client, django_capture_on_commit_callbacks
):
    page = GuidePage.objects.get(key="glossary")
    page.status = "draft"
    change(django_capture_on_commit_callbacks, page.save)
    assert not [u for u in urls(get(client, "en", "biopsy")) if "/glossary/" in u]
    assert not [u for u in urls(get(client, "fr", "biopsie")) if "/glossaire/" in u]


def test_a_change_is_found_on_the_next_search_and_searches_read_no_database(
    client, django_capture_on_commit_callbacks, django_assert_num_queries
):
    assert outcome(get(client, "en", "zebrafish")) == "search-no-results"
    with django_assert_num_queries(0):  # the index is in memory: no query per search
        assert outcome(get(client, "en", "chemotherapy")) == "search-count"
    Treatment.objects.filter(key="surgery").update(title_en="Surgery zebrafish")
    # Nothing told the site: the index stays as built (not rebuilt for each query).
    assert outcome(get(client, "en", "zebrafish")) == "search-no-results"
    change(django_capture_on_commit_callbacks, content_changed)
    assert urls(get(client, "en", "zebrafish")) == ["/en/treatments/surgery/"]

    surgery = Treatment.objects.get(key="surgery")
    surgery.title_fr = "Chirurgie et zèbre"
    change(django_capture_on_commit_callbacks, surgery.save)
    assert urls(get(client, "fr", "zebre")) == ["/fr/traitements/chirurgie/"]


def test_results_do_not_depend_on_when_the_index_was_built(
    client, django_capture_on_commit_callbacks
):
    before = {
        q: results(get(client, "fr", q)) for q in ("traitement", "moelle osseuse")
    }
    change(django_capture_on_commit_callbacks, content_changed)
    after = {q: results(get(client, "fr", q)) for q in before}
    assert before == after


# --- friendly pages, never an error ----------------------------------------------------------
ODD = [
    '"', "*", "AND", "OR", "NOT", "' OR 1=1 --", "<script>alert(1)</script>", "%", "\\",
    "😀", "\x00", "chimio\x00therapie", "(((", "%s %(q)s {{ q }}", "DROP TABLE x;",
    "\u202e\u200b", "?q=1&q=2",
]  # fmt: skip


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("query", ODD)
def test_odd_queries_get_a_friendly_page(client, language, query):
    response = get(client, language, query)
    assert response.status_code == 200
    # Only control characters (a null byte) is an empty search once they are dropped.
    assert outcome(response) in ("search-empty", "search-no-results", "search-count")
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "\x00" not in html


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("raw", ["%", "%ZZ", "%00", "%FF%FE", "q", "%E2%80"])
def test_malformed_query_strings_get_a_friendly_page(client, language, raw):
    response = client.get(f"{SEARCH[language]}?q={raw}")
    assert response.status_code == 200
    outcome(response)


@pytest.mark.parametrize(
    ("language", "text"),
    [("en", "Capital letters and accents do not matter"),
     ("fr", "Les majuscules et les accents n'ont pas d'importance")],
)  # fmt: skip
@pytest.mark.parametrize("query", [None, "", "   ", "\t\n"])
def test_an_empty_search_gives_tips_and_the_main_sections(
    client, language, text, query
):
    response = get(client, language, query)
    assert response.status_code == 200
    assert outcome(response) == "search-empty"
    assert text in page_text(response)
    sections = region(response.content.decode(), "search-sections")
    home, glossary = {
        "en": ("/en/", "/en/glossary/"),
        "fr": ("/fr/", "/fr/glossaire/"),
    }[language]
    assert f'href="{home}"' in sections and f'href="{glossary}"' in sections


@pytest.mark.parametrize(
    ("language", "text"),
    [("en", "Your search is too long. Please use 200 characters or fewer."),
     ("fr", "Votre recherche est trop longue. Veuillez utiliser au plus 200 caractères.")],
)  # fmt: skip
def test_a_query_over_200_characters_is_not_searched(client, language, text):
    long = ("chemotherapy " * 20)[:201]
    response = get(client, language, long)
    assert response.status_code == 200
    assert outcome(response) == "search-too-long"
    assert text in page_text(response)
    assert f'value="{long[:200]}"' in response.content.decode()
    at_limit = get(client, language, long[:200])
    assert outcome(at_limit) in ("search-count", "search-no-results")


@pytest.mark.parametrize(
    ("language", "query", "hint"),
    [("en", "the and of", "Common words such as “the” or “and”"),
     ("fr", "de la le et des", "Les mots courants comme « le » ou « et »")],
)  # fmt: skip
def test_only_common_words_get_the_no_results_page(client, language, query, hint):
    response = get(client, language, query)
    assert outcome(response) == "search-no-results"
    text = page_text(response)
    assert hint in text
    glossary = {"en": "/en/glossary/", "fr": "/fr/glossaire/"}[language]
    assert f'href="{glossary}"' in response.content.decode()


def test_no_results_suggest_spelling_the_glossary_and_the_start(client):
    en = page_text(get(client, "en", "xylophone"))
    assert "No pages match “xylophone”." in en
    assert "Check the spelling" in en and "Look for the word in the glossary" in en
    fr = page_text(get(client, "fr", "xylophone"))
    assert "Aucune page ne correspond à « xylophone »." in fr
    assert "Vérifiez l'orthographe" in fr and "Cherchez le mot dans le glossaire" in fr
    assert "Common words" not in en and "mots courants" not in fr


# --- the box in every page's header -----------------------------------------------------------
def header_form(html: str) -> str:
    return region(html, "site-search")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_page_has_a_search_box_that_searches_in_its_language(client, language):
    paths = {
        urls_by_language[language].split("#")[0]
        for urls_by_language in all_urls().values()
    }
    paths |= {SEARCH[language], f"/{language}/no-such-page/"}
    assert len(paths) > 15
    for path in sorted(paths):
        html = client.get(path).content.decode()
        form = header_form(html)
        assert 'role="search"' in form, path
        assert f'action="{SEARCH[language]}"' in form, path
        assert re.search(r'<input[^>]* type="search"[^>]* name="q"', form), path
        assert f'maxlength="{view.MAX_QUERY_LENGTH}"' in form, path
        label = re.search(r'<label[^>]* for="([^"]+)"[^>]*>([^<]+)</label>', form)
        assert label and f'id="{label.group(1)}"' in form, path
        expected = {"en": "Search the guide", "fr": "Rechercher dans le guide"}
        assert label.group(2) == expected[language], path


# --- ten results a page ------------------------------------------------------------------------
PAGES = {
    "en": ("Pages of results", "Page {} of {}", "Previous", "Next"),
    "fr": ("Pages de résultats", "Page {} de {}", "Précédente", "Suivante"),
}
MANY = {"en": "treatment", "fr": "traitement"}


def pages_nav(response):
    return parse(response).one_or_none("nav", data_testid="search-pages")


def nav_links(nav) -> dict[str, tuple[str, str]]:
    """The nav's links by rel: (address, text)."""
    return {a.get("rel"): (a.get("href"), a.text) for a in nav.find_all("a")}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_results_come_ten_a_page_with_previous_and_next_links(client, language):
    query = MANY[language]
    with override(language):
        expected = [
            url for url in _ranked(query, language)
        ]  # every result, in the order the pages must show them
    count = len(expected)
    last = -(-count // 10)
    assert count > 20 and last >= 3
    label, status, previous, following = PAGES[language]
    seen = []
    for page in range(1, last + 1):
        response = get_page(client, language, query, page)
        shown = urls(response)
        assert len(shown) == (10 if page < last else count - 10 * (last - 1))
        seen += shown
        nav = pages_nav(response)
        assert nav.get("aria-label") == label
        assert status.format(page, last) in nav.text
        links_by_rel = nav_links(nav)
        if page > 1:
            assert links_by_rel["prev"] == (_url(language, query, page - 1), previous)
        else:
            assert "prev" not in links_by_rel
        if page < last:
            assert links_by_rel["next"] == (_url(language, query, page + 1), following)
        else:
            assert "next" not in links_by_rel
        listing = parse(response).one("ol", data_testid="search-results")
        assert listing.get("start") == (None if page == 1 else str(10 * page - 9))
        # The count names every result, not just this page's.
        assert f"{count} " in parse(response).one("p", data_testid="search-count").text
    assert seen == expected  # each result once, in rank order, across the pages


@pytest.mark.parametrize("language", ["en", "fr"])
def test_following_the_next_link_keeps_the_query(client, language):
    query = {"en": "stem cell transplant", "fr": "greffe de cellules souches"}[language]
    first = get(client, language, query)
    href, _text = nav_links(pages_nav(first))["next"]
    second = client.get(href)
    assert second.status_code == 200
    assert parse(second).one("input", id="search-query").get("value") == query
    assert urls(second) == _ranked(query, language)[10:20]


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("page", ["99", "0", "-1", "abc", "2.5", ""])
def test_a_page_out_of_range_shows_the_first_page(client, language, page):
    """A stale or mistyped page number shows the first page, never an error."""
    query = MANY[language]
    response = client.get(SEARCH[language], {"q": query, "page": page})
    assert response.status_code == 200
    assert urls(response) == _ranked(query, language)[:10]
    assert PAGES[language][1].format(1, "") in pages_nav(response).text


@pytest.mark.parametrize(
    ("language", "query"), [("en", "worries"), ("fr", "inquiétudes")]
)
def test_ten_results_or_fewer_need_no_page_links(client, language, query):
    response = get(client, language, query)
    assert 1 <= len(urls(response)) <= 10
    assert pages_nav(response) is None


def _ranked(query: str, language: str) -> list[str]:
    index = index_for(language)
    return [index.urls[hit.doc] for hit in ranking.search(query, index).hits]


def _url(language: str, query: str, page: int) -> str:
    return view.search_url(language, query, page)


def get_page(client, language: str, query: str, page: int):
    params = {"q": query} if page == 1 else {"q": query, "page": str(page)}
    return client.get(SEARCH[language], params)


# --- "Did you mean …?" -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("language", "query", "sentence", "corrected", "href"),
    [
        ("en", "neuroblastma", "Did you mean neuroblastoma?", "neuroblastoma",
         "/en/search/?q=neuroblastoma"),
        ("fr", "chimiothérapi", "Vouliez-vous dire chimiothérapie ?", "chimiothérapie",
         "/fr/recherche/?q=chimioth%C3%A9rapie"),
        ("fr", "neuroblastme", "Vouliez-vous dire neuroblastome ?", "neuroblastome",
         "/fr/recherche/?q=neuroblastome"),
        ("en", "chemotheraphy side efects", "Did you mean chemotherapy side effects?",
         "chemotherapy side effects", "/en/search/?q=chemotherapy+side+effects"),
    ],
)  # fmt: skip
def test_a_misspelt_query_offers_the_guides_own_word(
    client, language, query, sentence, corrected, href
):
    response = get(client, language, query)
    found = parse(response).one("p", data_testid="search-suggestion")
    assert found.text == sentence
    link = found.one("a")
    assert (link.get("href"), link.text) == (href, corrected)
    followed = client.get(href)
    assert urls(followed)  # the corrected search finds pages
    assert not parse(followed).has("p", data_testid="search-suggestion")


@pytest.mark.parametrize(
    ("language", "query"),
    [("en", "neuroblastoma"), ("en", "chemo"), ("en", "tumors"), ("en", "surgeries"),
     ("en", "xylophone"), ("en", "stem cell transplant"), ("fr", "chimiothérapie"),
     ("fr", "chimio"), ("fr", "tumeurs"), ("fr", "traitements"), ("fr", "xylophone"),
     ("fr", "greffe de cellules souches")],
)  # fmt: skip
def test_a_query_that_matches_well_gets_no_suggestion(client, language, query):
    response = get(client, language, query)
    page = parse(response)
    assert not page.has("p", data_testid="search-suggestion")
    assert "Did you mean" not in page.text
    assert "Vouliez-vous dire" not in page.text


@pytest.mark.parametrize(
    ("language", "query", "not_offered"),
    [("en", "chimiothérapi", "chimiothérapie"), ("fr", "chemotheraphy", "chemotherapy")],
)  # fmt: skip
def test_suggestions_come_from_the_readers_language_only(
    client, language, query, not_offered
):
    suggestion = parse(get(client, language, query)).one_or_none(
        "p", data_testid="search-suggestion"
    )
    assert suggestion is None or not_offered not in suggestion.text


def test_the_edit_distance_counts_each_kind_of_edit():
    assert (
        spelling.distance("neuroblastma", "neuroblastoma", 2) == 1
    )  # a letter left out
    assert spelling.distance("chimoi", "chimio", 2) == 1  # two letters swapped
    assert spelling.distance("tumour", "tumeur", 2) == 1  # one replaced
    assert spelling.distance("abc", "xyz", 2) == 3  # past the limit: limit + 1
    assert spelling.distance("abcdefgh", "abcdefgh", 2) == 0


# --- every word before some words ------------------------------------------------------------------
def _source(n: int, title: str, body: str, language: str) -> Source:
    return Source(
        ref=f"page:test-{n}", url=f"/{language}/test-{n}/", title=title,
        title_lang=language, own_title=title, section="Guide", order=n,
        summary_length=0, text=body,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("language", "one", "other", "filler"),
    [("en", "zebra", "quokka", "walk"), ("fr", "zèbre", "wombat", "marche")],
)
def test_pages_with_every_word_come_before_pages_with_some(
    language, one, other, filler
):
    """Built for the purpose: a page named after one word scores far more on it than a
    page that only mentions both words, yet the page with both comes first."""
    built = search_index.build(
        language,
        [
            _source(0, f"{one} {one}", f"{one} {one} {one}.", language),
            _source(1, filler, f"{filler} {one} {filler} {filler} {other}.", language),
            _source(2, other, f"{other} {other}.", language),
            _source(3, filler, f"{filler} {filler}.", language),
        ],
    )
    outcome = ranking.search(f"{one} {other}", built)
    order = [built.urls[hit.doc] for hit in outcome.hits]
    assert order[0] == f"/{language}/test-1/"
    assert set(order) == {f"/{language}/test-{n}/" for n in (0, 1, 2)}
    scores = {built.urls[hit.doc]: hit.score for hit in outcome.hits}
    # Without the rule, the page named after one word would come first.
    assert scores[f"/{language}/test-0/"] > scores[f"/{language}/test-1/"]


def test_results_are_todays_for_the_snapshot_queries_but_every_word_comes_first():
    """Recorded with the search before this change (tests/data/search_before.json):
    the same results; those holding every word of the query keep today's order among
    themselves, ahead of those holding some, which keep theirs."""
    before = json.loads(
        (Path(__file__).parent / "data" / "search_before.json").read_text()
    )
    reordered = []
    for key, urls_before in before.items():
        language, query = key.split(":", 1)
        with override(language):
            index = index_for(language)
            hits = ranking.search(query, index).hits
        now = [index.urls[hit.doc] for hit in hits]
        complete = {index.urls[hit.doc] for hit in hits if hit.complete}
        assert sorted(now) == sorted(urls_before), key
        expected = [u for u in urls_before if u in complete] + [
            u for u in urls_before if u not in complete
        ]
        assert now == expected, key
        if now != urls_before:
            reordered.append(key)
    # Only queries of several words can change, and only two of them did.
    assert reordered == ["en:stem cell transplant", "fr:greffe de cellules souches"]


# --- one build per content change, for every worker ------------------------------------------
def test_a_second_worker_loads_the_index_instead_of_building_it(
    client, django_capture_on_commit_callbacks
):
    sharing.forget()
    before = dict(sharing.counts)
    first = urls(get(client, "fr", "chimiothérapie"))
    assert sharing.counts["built"] == before["built"] + 1
    sharing.forget()  # a second worker: same cache, its own memory
    assert urls(get(client, "fr", "chimiothérapie")) == first
    assert sharing.counts == {
        "built": before["built"] + 1,
        "loaded": before["loaded"] + 1,
    }
    get(client, "fr", "chirurgie")  # then it searches from memory
    assert sharing.counts["loaded"] == before["loaded"] + 1
    # A content change: one build again, loaded by the other workers.
    change(django_capture_on_commit_callbacks, content_changed)
    get(client, "fr", "chimiothérapie")
    sharing.forget()
    get(client, "fr", "chimiothérapie")
    assert sharing.counts == {
        "built": before["built"] + 2,
        "loaded": before["loaded"] + 2,
    }


def test_a_worker_waits_for_the_build_another_has_started():
    sharing.forget()
    generation = pagecache_generation()
    lock = sharing._key(generation, "en", "building")
    assert cache.add(lock, 1, 60)  # another worker is building
    built_elsewhere = search_index.build("en")
    before = dict(sharing.counts)

    def finish() -> None:
        time.sleep(0.3)
        cache.set(sharing._key(generation, "en"), search_index.dumps(built_elsewhere))
        cache.delete(lock)

    other = threading.Thread(target=finish)
    other.start()
    got = index_for("en")
    other.join()
    assert sharing.counts == {"built": before["built"], "loaded": before["loaded"] + 1}
    assert got.urls == built_elsewhere.urls


def test_the_shared_index_is_compact_and_round_trips():
    built = search_index.build("fr")
    blob = search_index.dumps(built)
    loaded = search_index.loads(blob)
    assert len(blob) < 200_000  # the shipped guide: about 60 documents
    for query in ("chimiothérapie", "moelle osseuse", "chimio"):
        assert ranking.search(query, loaded) == ranking.search(query, built)
    # It holds the content only: no navigation (home, about, privacy, sections).
    assert not {"home", "about_url", "privacy_url", "glossary_url"} & set(vars(loaded))


def pagecache_generation() -> str:
    return generation()


@pytest.mark.parametrize(
    ("language", "about", "privacy"),
    [("en", "/en/how-we-create-this-information/", "/en/privacy/"), ("fr", "/fr/comment-nous-creons-cette-information/", "/fr/confidentialite/")],
)  # fmt: skip
def test_the_search_page_keeps_the_sites_frame(client, language, about, privacy):
    page = parse(get(client, language, "surgery"))
    assert page.one("a", data_testid="about-link").get("href") == about
    assert page.one("a", data_testid="privacy-link").get("href") == privacy
    crumbs = page.one("nav", data_testid="breadcrumbs")
    assert [a.get("href") for a in crumbs.find_all("a")] == [f"/{language}/"]


def test_without_the_shared_cache_each_worker_builds_its_own(client, monkeypatch):
    """The cache resting after a failure: no waiting for a build that cannot be shared."""
    monkeypatch.setattr(sharing.health, "resting", lambda: True)
    sharing.forget()
    before = dict(sharing.counts)
    started = time.perf_counter()
    assert urls(get(client, "en", "surgery"))
    sharing.forget()
    assert urls(get(client, "en", "surgery"))
    assert time.perf_counter() - started < sharing.WAIT
    assert sharing.counts == {"built": before["built"] + 2, "loaded": before["loaded"]}
