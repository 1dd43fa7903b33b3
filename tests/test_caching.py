"""The page cache: one copy for everyone, fresh the moment content changes."""

import datetime
import io
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from neuroinfo.models import GlossaryTerm, Treatment
from tests.helpers import admin_save, empty_cache, links, visible_text

pytestmark = pytest.mark.django_db

PAGE = "/en/treatments/surgery/"


def test_a_public_page_is_the_same_for_every_visitor(client):
    first = client.get(PAGE)
    second = client.get(PAGE, HTTP_COOKIE="sessionid=someone-else")
    assert first.content == second.content
    assert not first.cookies and not second.cookies
    assert "csrfmiddlewaretoken" not in first.content.decode()
    assert "nonce" not in first.headers["Content-Security-Policy"]
    assert (
        first.headers["Content-Security-Policy"]
        == second.headers["Content-Security-Policy"]
    )
    assert "Cookie" not in first.headers.get("Vary", "")


def test_a_public_page_may_be_kept_briefly_by_shared_caches(client):
    control = client.get(PAGE).headers["Cache-Control"]
    assert "public" in control and "s-maxage=5" in control and "max-age=0" in control


def test_a_repeat_visit_gets_not_modified(client):
    etag = client.get(PAGE).headers["ETag"]
    again = client.get(PAGE, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""


def test_a_cached_page_needs_no_database(client, django_assert_num_queries):
    client.get(PAGE)
    with django_assert_num_queries(0):
        assert client.get(PAGE).status_code == 200


def test_the_admin_is_never_shared_cached(admin_client):
    for path in ("/admin/", "/admin/neuroinfo/treatment/"):
        control = admin_client.get(path).headers["Cache-Control"]
        assert "private" in control and "no-store" in control, path
    login = admin_client.get("/admin/login/").headers["Cache-Control"]
    assert "public" not in login


def _admin_post(admin_client, treatment, **changes):
    url = f"/admin/neuroinfo/treatment/{treatment.pk}/change/"
    return admin_save(admin_client, url, **changes)


def test_an_admin_save_refreshes_every_affected_page_in_both_languages(
    client, admin_client, django_capture_on_commit_callbacks
):
    pages = [
        PAGE,
        "/fr/traitements/chirurgie/",
        "/en/",
        "/fr/",
        "/en/risk-factors/stage/",
    ]
    for path in pages:
        client.get(path)  # now cached
    surgery = Treatment.objects.get(key="surgery")
    with django_capture_on_commit_callbacks(execute=True):
        response = _admin_post(
            admin_client,
            surgery,
            title_en="Surgery (new)",
            title_fr="Chirurgie (nouveau)",
        )
    assert response.status_code == 302
    assert "Surgery (new)" in visible_text(client.get(PAGE))
    assert "Chirurgie (nouveau)" in visible_text(
        client.get("/fr/traitements/chirurgie/")
    )
    assert "Surgery (new)" in visible_text(client.get("/en/"))  # the summary card
    assert "Chirurgie (nouveau)" in visible_text(client.get("/fr/"))
    # A page that only links to surgery shows the new link text via its related list.
    assert client.get("/en/risk-factors/stage/").status_code == 200


def test_a_renamed_slug_is_followed_by_pages_that_link_to_it(
    client, admin_client, django_capture_on_commit_callbacks
):
    client.get("/fr/traitements/chimiotherapie/")
    surgery = Treatment.objects.get(key="surgery")
    with django_capture_on_commit_callbacks(execute=True):
        _admin_post(admin_client, surgery, slug_fr="operation")
    assert "/fr/traitements/operation/" in links(
        client.get("/fr/traitements/chimiotherapie/")
    )


def test_an_admin_delete_refreshes_pages(
    client, admin_client, django_capture_on_commit_callbacks
):
    assert "Biopsy" in visible_text(client.get("/en/glossary/"))
    term = GlossaryTerm.objects.get(key="biopsy")
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            f"/admin/neuroinfo/glossaryterm/{term.pk}/delete/", {"post": "yes"}
        )
    assert not GlossaryTerm.objects.filter(key="biopsy").exists()
    text = visible_text(client.get("/en/glossary/"))
    assert not re.search(r"\bBiopsy\b", text)


def test_load_content_refreshes_pages(
    client, content_copy, django_capture_on_commit_callbacks
):
    client.get("/fr/traitements/chirurgie/")
    path = content_copy / "fr/treatments/surgery.md"
    path.write_text(
        path.read_text().replace("title: Chirurgie\n", "title: Opération\n")
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_content", str(content_copy), stdout=io.StringIO())
    assert "Opération" in visible_text(client.get("/fr/traitements/chirurgie/"))


def test_a_dry_run_leaves_cached_pages_alone(
    client, content_copy, django_capture_on_commit_callbacks
):
    client.get(PAGE)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        call_command(
            "load_content", str(content_copy), "--dry-run", stdout=io.StringIO()
        )
    assert callbacks == []


def test_the_page_cache_can_be_turned_off(client, settings):
    settings.PAGE_CACHE_ENABLED = False
    client.get(PAGE)
    again = client.get(PAGE)  # built again (from the outline: no query needed)
    assert [t.name for t in again.templates][:1] == ["neuroinfo/treatment.html"]


def _add_treatments(total: int) -> None:
    existing = Treatment.objects.filter(parent__isnull=True).count()
    for n in range(existing, total):
        Treatment.objects.create(
            key=f"extra-{n}",
            title_en=f"Extra {n}",
            title_fr=f"Extra fr {n}",
            slug_en=f"extra-{n}",
            slug_fr=f"extra-fr-{n}",
            summary_en="Summary.",
            order=100 + n,
            last_reviewed=datetime.date(2026, 11, 27),
            status="published",
        )


def _queries_for(client, path: str) -> int:
    """Queries to build a page after a content change (the outline included)."""
    empty_cache()  # a new copy of the generation: the outline is read again
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "path",
    ["/en/", "/fr/", PAGE, "/fr/traitements/extra-fr-9/", "/en/glossary/",
     "/fr/reponse-au-traitement/", "/en/questions-to-ask/", "/fr/facteurs-pris-en-compte/age/"],
)  # fmt: skip
def test_queries_per_page_do_not_grow_with_the_number_of_treatments(
    client, settings, path
):
    settings.PAGE_CACHE_ENABLED = False
    _add_treatments(10)
    with_10 = _queries_for(client, path)
    _add_treatments(100)
    with_100 = _queries_for(client, path)
    assert with_10 == with_100
    assert with_100 <= 20


def test_queries_stay_bounded_with_a_hundred_glossary_terms(client, settings):
    settings.PAGE_CACHE_ENABLED = False
    before = _queries_for(client, "/fr/glossaire/")
    for n in range(100):
        GlossaryTerm.objects.create(
            key=f"term-{n}",
            title_en=f"Term {n}",
            slug_en=f"term-{n}",
            slug_fr=f"terme-{n}",
        )
    assert _queries_for(client, "/fr/glossaire/") == before


# --- strangers cannot fill the cache -------------------------------------------------------
def page_entries() -> int:
    """Pages stored in the cache: local memory (the suite's default) or Redis (CI)."""
    store = getattr(cache, "_cache", None)
    if isinstance(store, dict):
        return sum(":neuroinfo:page:" in str(key) for key in store)
    from django_redis import get_redis_connection

    return len(get_redis_connection("default").keys("*neuroinfo:page:*"))


JUNK_PAGES = ["/en/", "/fr/", PAGE, "/fr/traitements/chirurgie/", "/en/guide/print/"]


def test_junk_query_strings_add_no_entries(client, django_assert_num_queries):
    # The first visit of a page may carry tracking parameters: stored under its path.
    first = client.get(f"{PAGE}?utm_source=newsletter&fbclid=abc")
    with django_assert_num_queries(0):
        assert client.get(PAGE).content == first.content
    plain = {path: client.get(path).content for path in JUNK_PAGES}
    assert page_entries() == len(JUNK_PAGES)
    for n in range(1000):
        path = JUNK_PAGES[n % len(JUNK_PAGES)]
        query = f"utm_source=s{n}&utm_campaign=c{n}&fbclid=f{n}&gclid=g{n}&junk{n}=x{n}"
        response = client.get(f"{path}?{query}")
        assert response.status_code == 200
        assert response.content == plain[path]
    assert page_entries() == len(JUNK_PAGES)


def test_the_sitemap_is_kept_by_its_page_number_only(client):
    first = client.get("/sitemap.xml")
    assert first.status_code == 200 and b"<urlset" in first.content
    assert page_entries() == 1
    for query in ("p=1", "p=01", "p=1&utm_source=x", "p=abc", "p=", "junk=1"):
        client.get(f"/sitemap.xml?{query}")
    # A page the view reads from the query string is not the page stored without it.
    assert client.get("/sitemap.xml?p=2").status_code == 404
    assert client.get("/sitemap.xml?p=1").content == first.content
    assert page_entries() == 1


def test_search_and_explainer_answers_are_not_stored(client):
    for n in range(20):
        assert client.get("/en/search/", {"q": f"surgery {n}"}).status_code == 200
        assert (
            client.get(
                "/fr/reponse-au-traitement/explication/",
                {"new_spots": "yes", "junk": str(n)},
            ).status_code
            == 200
        )
    assert page_entries() == 0
