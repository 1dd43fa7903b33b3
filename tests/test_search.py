"""Search in both languages: what it finds, in what order, how it shows it, and that no
query, however odd, breaks the page. CI runs these on SQLite and on PostgreSQL, so the
same assertions prove the same results on both."""

import re
from pathlib import Path

import pytest
from django.test import RequestFactory

from neuroinfo import search
from neuroinfo.links import all_urls
from neuroinfo.models import GlossaryTerm, GuidePage, Treatment
from neuroinfo.pagecache import _page_key, content_changed
from tests.helpers import NBSP, page_text, region

pytestmark = pytest.mark.django_db

SEARCH = {"en": "/en/search/", "fr": "/fr/recherche/"}
OUTCOMES = ("search-empty", "search-no-results", "search-count", "search-too-long")


def get(client, language: str, query: str | None):
    return client.get(SEARCH[language], {} if query is None else {"q": query})


def results(response) -> list[tuple[str, str, str, str]]:
    """Each result shown: (URL, title, section, snippet HTML), in order."""
    html = response.content.decode()
    if 'data-testid="search-results"' not in html:
        return []
    return re.findall(
        r'<h2 class="search-result__title"><a href="([^"]+)"[^>]*>([^<]+)</a></h2>\n'
        r'<p class="search-result__section">([^<]+)</p>\n'
        r'(?:<p class="search-result__snippet">(.*?)</p>)?',
        region(html, "search-results"),
    )


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
    snippets = " ".join(snippet for *_rest, snippet in found)
    assert "<mark>traitement</mark>" in snippets


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
    titles = [title for _url, title, *_rest in results(get(client, language, query))]
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
    found = {u: s for u, _title, s, _snippet in results(get(client, language, query))}
    assert found.get(url) == section.replace("'", "&#x27;"), found


# --- how results are shown -----------------------------------------------------------------
def test_each_result_has_a_title_a_section_and_a_marked_snippet(client):
    for language, query, word in (("en", "surgeries", "surgery"), ("fr", "chirurgies", "chirurgie")):  # fmt: skip
        found = results(get(client, language, query))
        assert found
        for url, title, section, snippet in found:
            assert url.startswith(f"/{language}/") and title and section
            assert re.search(rf"<mark>{word}</mark>", snippet, re.IGNORECASE), snippet
            words = re.sub(r"<[^>]+>", "", snippet).replace("…", "").split()
            assert len(words) <= search.SNIPPET_WORDS + 5, snippet


def test_the_count_and_the_title_name_the_query(client):
    en = get(client, "en", "worries")
    assert "1 result for “worries”" in page_text(en)
    assert "<title>Search results for “worries” – Treatments for neuroblastoma</title>" in (
        page_text(en)
    )  # fmt: skip
    fr = get(client, "fr", "chirurgie")
    count = len(results(fr))
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
        [(_url, _title, _section, snippet)] = results(response)
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <mark>zzyzx</mark> &amp; more" in (
            snippet.replace(NBSP, " ")
        )  # fmt: skip


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
    assert len(results(response)) > 20
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
    surgery.title_fr = "Chirurgie et hippocampe-zèbre"
    change(django_capture_on_commit_callbacks, surgery.save)
    assert urls(get(client, "fr", "hippocampe zebre")) == ["/fr/traitements/chirurgie/"]


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
        assert f'maxlength="{search.MAX_QUERY_LENGTH}"' in form, path
        label = re.search(r'<label[^>]* for="([^"]+)"[^>]*>([^<]+)</label>', form)
        assert label and f'id="{label.group(1)}"' in form, path
        expected = {"en": "Search the guide", "fr": "Rechercher dans le guide"}
        assert label.group(2) == expected[language], path
