"""A cache hit, answered before the middleware runs, is the very response a miss gave."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.middleware.locale import LocaleMiddleware
from django.test.utils import CaptureQueriesContext

from neuroinfo import generation

pytestmark = pytest.mark.django_db

PAGES = {
    "en": ["/en/", "/en/treatments/surgery/", "/en/glossary/"],
    "fr": ["/fr/", "/fr/traitements/chirurgie/", "/fr/glossaire/"],
}


def _stop_below_the_cache(monkeypatch) -> None:
    """From now on, fail any request that reaches the middleware inside
    CachedPageMiddleware (a hit never does)."""

    def reached(self, request):
        raise AssertionError(f"{request.path} went past the page cache")

    monkeypatch.setattr(LocaleMiddleware, "process_request", reached)


def _entries() -> int:
    store = getattr(cache, "_cache", None)
    if isinstance(store, dict):
        return sum(":neuroinfo:page:" in str(key) for key in store)
    from django_redis import get_redis_connection

    return len(get_redis_connection("default").keys("*neuroinfo:page:*"))


@pytest.mark.parametrize(
    "path", [*PAGES["en"], *PAGES["fr"]], ids=lambda path: path.strip("/")
)
def test_a_hit_has_the_headers_and_body_of_the_miss(client, monkeypatch, path):
    miss = client.get(path)
    assert miss.status_code == 200
    language = path.split("/")[1]
    assert miss.headers["Content-Language"] == language
    for header in (
        "Content-Security-Policy",
        "Permissions-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "ETag",
        "Content-Length",
    ):
        assert header in miss.headers, header
    assert "public" in miss.headers["Cache-Control"]

    _stop_below_the_cache(monkeypatch)
    with CaptureQueriesContext(connection) as queries:
        hit = client.get(path)
    assert len(queries) == 0
    assert hit.status_code == 200
    assert hit.content == miss.content
    assert list(hit.headers.items()) == list(miss.headers.items())
    assert hit.cookies == miss.cookies == {}


def test_a_page_built_for_a_signed_in_visitor_is_not_stored_but_they_get_hits(
    client, monkeypatch
):
    """A public page is the same for everyone, so a signed-in editor may be answered
    from the cache (cookies, valid or stale, are never read for it); but a page built
    while their cookies went through the stack is never stored."""
    path = PAGES["en"][1]
    signed_in = client.get(path, HTTP_COOKIE="sessionid=editor-session-key")
    assert signed_in.status_code == 200
    assert _entries() == 0  # a page built for a signed-in visitor is not stored
    anonymous = client.get(path)
    assert _entries() == 1
    _stop_below_the_cache(monkeypatch)
    assert client.get(path).content == anonymous.content  # a hit
    again = client.get(path, HTTP_COOKIE="csrftoken=stale; sessionid=editor-key")
    assert again.content == anonymous.content  # a hit too: nothing past the cache
    assert list(again.headers.items()) == list(anonymous.headers.items())


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_post_never_gets_a_cached_page(client, monkeypatch, language):
    path = PAGES[language][1]
    client.get(path)  # stored
    _stop_below_the_cache(monkeypatch)
    assert client.get(path).status_code == 200  # a hit
    with pytest.raises(AssertionError, match="went past the page cache"):
        client.post(path, {"q": "x"})


def test_a_repeat_visit_asking_for_changes_goes_to_the_stack(client):
    first = client.get(PAGES["fr"][1])
    again = client.get(PAGES["fr"][1], HTTP_IF_NONE_MATCH=first.headers["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    assert "Content-Security-Policy" in again.headers


def test_plain_http_is_redirected_before_a_hit_when_https_is_required(client, settings):
    path = PAGES["en"][1]
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 3600
    secure = client.get(path, secure=True)
    assert secure.status_code == 200 and "Strict-Transport-Security" in secure.headers
    plain = client.get(path)
    assert plain.status_code == 301
    assert plain.headers["Location"] == f"https://testserver{path}"


def test_a_page_stored_over_https_is_not_served_over_http(client, settings):
    path = PAGES["en"][1]
    settings.SECURE_HSTS_SECONDS = 3600
    secure = client.get(path, secure=True)
    assert "Strict-Transport-Security" in secure.headers
    assert "https://testserver/" in secure.content.decode()
    plain = client.get(path)
    assert "Strict-Transport-Security" not in plain.headers
    assert "https://testserver/" not in plain.content.decode()
    assert client.get(path, secure=True).content == secure.content


def test_an_unknown_host_is_refused_even_for_a_cached_page(client):
    path = PAGES["en"][1]
    assert client.get(path).status_code == 200
    assert client.get(path, HTTP_HOST="evil.example").status_code == 400


def test_a_changed_page_is_not_served_from_the_process_copy(
    client, django_capture_on_commit_callbacks
):
    path = PAGES["en"][1]
    first = client.get(path)
    assert client.get(path).content == first.content  # kept by this process
    with django_capture_on_commit_callbacks(execute=True):
        generation.content_changed()
    with CaptureQueriesContext(connection) as queries:
        rebuilt = client.get(path)
    assert len(queries) > 0
    assert rebuilt.content == first.content
