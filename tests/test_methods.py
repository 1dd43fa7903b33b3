"""Pages answer only the methods they serve: 405 with an Allow header to the others."""

import pytest
from django.urls import get_resolver, resolve, reverse
from django.utils.translation import override

from neuroinfo.explainer.address import explainer_url
from neuroinfo.links import all_urls
from neuroinfo.models import GuidePage

pytestmark = pytest.mark.django_db

REFUSED = ["TRACE", "PUT", "DELETE", "PATCH", "OPTIONS", "PROPFIND"]


def guide_urls(language: str) -> dict[str, str]:
    """One URL of each public page of the guide in a language, by URL name."""
    urls = {}
    with override(language):
        for by_language in all_urls().values():
            url = by_language[language]
            if "#" not in url:  # a section of a page
                urls.setdefault(resolve(url).url_name, url)
        for name in ("home", "search", "print"):
            urls[name] = reverse(f"neuroinfo:{name}")
        urls["feedback"] = reverse("neuroinfo:feedback") + f"?page={urls['home']}"
        urls["feedback_answer"] = (
            reverse("neuroinfo:feedback_answer") + f"?page={urls['home']}"
        )
    response_page = GuidePage.objects.get(key="response-to-treatment")
    urls["explainer"] = explainer_url(response_page, language)
    return urls


SITE_URLS = {"healthz": "/healthz", "sitemap": "/sitemap.xml", "robots": "/robots.txt"}


def public_url_names() -> tuple[set[str], set[str]]:
    """Every named URL of the site, and of the guide (its namespace)."""
    resolver = get_resolver()
    site = {name for name in resolver.reverse_dict if isinstance(name, str)}
    guide = resolver.namespace_dict["neuroinfo"][1].reverse_dict
    return site, {name for name in guide if isinstance(name, str)}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_public_page_refuses_methods_it_does_not_serve(client, language):
    site_names, guide_names = public_url_names()
    assert set(guide_urls(language)) == guide_names - {"preview"}  # every one, below
    assert set(SITE_URLS) == site_names
    urls = {**guide_urls(language), **SITE_URLS, "favicon": "/favicon.ico"}
    for name, url in urls.items():
        for method in ("GET", "HEAD"):
            response = client.generic(method, url)
            expected = 301 if name == "favicon" else 200
            assert response.status_code == expected, (method, url)
        for method in REFUSED:
            response = client.generic(method, url)
            assert response.status_code == 405, (method, url)
            allowed = {m.strip() for m in response.headers["Allow"].split(",")}
            assert allowed == (
                {"GET", "HEAD", "POST"}
                if name in ("feedback", "feedback_answer")
                else {"GET", "HEAD"}
            ), url
            assert b"<html" not in response.content  # not the page


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_public_page_refuses_a_post(client, language):
    home = guide_urls(language)["home"]
    response = client.post(home, {"q": "x"})
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD"
    # The feedback question still takes an answer.
    answer = client.post(
        guide_urls(language)["feedback_answer"].split("?")[0],
        {"page": home, "helpful": "yes"},
        HTTP_ORIGIN="http://testserver",
    )
    assert answer.status_code == 200


def test_the_admin_reads_and_saves_but_refuses_other_methods(admin_client, client):
    assert client.get("/admin/login/").status_code == 200
    assert admin_client.get("/admin/").status_code == 200
    for method in ("TRACE", "PUT", "DELETE"):
        for url in ("/admin/", "/admin/login/", "/admin/neuroinfo/treatment/"):
            response = admin_client.generic(method, url)
            assert response.status_code == 405, (method, url)
            assert response.headers["Allow"] == "GET, HEAD, POST"
    # The staff preview of a page is read-only, like the page.
    preview = "/en/preview/treatment/surgery/"
    assert admin_client.get(preview).status_code == 200
    assert admin_client.generic("TRACE", preview).status_code == 405
