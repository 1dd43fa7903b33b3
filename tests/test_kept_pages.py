"""Kept pages answered in front of Django (``neuroinfo.pagehits``), fresh by the
process's generation feed (``neuroinfo.generation_feed``), against a real Redis."""

import datetime
import io
import time

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from neuroinfo import cache as health
from neuroinfo import generation_feed, pagecache
from neuroinfo.models import Treatment
from neuroinfo.pagehits import KeptPages
from tests.dom import parse
from tests.test_cache_outage import SURGERY, RedisServer, _use_cache

pytestmark = pytest.mark.django_db


class Site:
    """The WSGI application as gunicorn runs it, counting what reaches Django."""

    def __init__(self) -> None:
        self.django = WSGIHandler()
        self.reached_django = 0
        self.application = KeptPages(self._django)

    def _django(self, environ, start_response):
        self.reached_django += 1
        return self.django(environ, start_response)

    def get(self, path: str, method: str = "GET", **headers: str):
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "SCRIPT_NAME": "",
            "QUERY_STRING": "",
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "testserver",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": io.StringIO(),
            "wsgi.url_scheme": "http",
            **{f"HTTP_{k.upper()}": v for k, v in headers.items()},
        }
        answered = {}

        def start_response(status, response_headers, exc_info=None):
            answered["status"], answered["headers"] = status, response_headers

        body = b"".join(self.application(environ, start_response))
        return answered["status"], answered["headers"], body


@pytest.fixture
def redis_server(settings, tmp_path, monkeypatch):
    monkeypatch.setattr(health, "RETRY_AFTER", 0)
    monkeypatch.setattr(generation_feed, "SUBSCRIBE_EVERY", 0)
    health.reset()
    server = RedisServer(tmp_path)
    server.start()
    _use_cache(settings, f"redis://127.0.0.1:{server.port}/0")
    yield server
    server.stop()
    health.reset()


@pytest.fixture
def site(redis_server, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    # As Django's test client does: the test's transaction keeps its connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield Site()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _title(body: bytes) -> str:
    return parse(body.decode()).find("h1").text


def _rename(django_capture_on_commit_callbacks, en: str, fr: str) -> None:
    surgery = Treatment.objects.get(key="surgery")
    surgery.title_en, surgery.title_fr = en, fr
    with django_capture_on_commit_callbacks(execute=True):
        surgery.save()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_kept_page_is_answered_in_front_of_django_as_django_answered_it(
    site, language
):
    first = site.get(SURGERY[language])
    assert site.reached_django == 1
    for _n in range(3):
        assert site.get(SURGERY[language]) == first  # status, headers, bytes
    assert site.reached_django == 1
    status, headers, _body = first
    assert status == "200 OK"
    assert dict(headers)["Content-Language"] == language
    assert "Content-Security-Policy" in dict(headers)


def test_a_change_is_served_at_once(site, django_capture_on_commit_callbacks):
    site.get(SURGERY["en"]), site.get(SURGERY["fr"])
    assert site.get(SURGERY["en"])[0] == "200 OK"
    reached = site.reached_django

    _rename(
        django_capture_on_commit_callbacks, "Surgery, renamed", "Chirurgie, renommée"
    )
    assert _title(site.get(SURGERY["en"])[2]) == "Surgery, renamed"
    assert _title(site.get(SURGERY["fr"])[2]) == "Chirurgie, renommée"
    assert site.reached_django == reached + 2
    assert _title(site.get(SURGERY["en"])[2]) == "Surgery, renamed"
    assert site.reached_django == reached + 2  # kept again


def test_a_change_announced_by_another_server_is_served_at_once(site):
    site.get(SURGERY["en"])
    site.get(SURGERY["en"])
    reached = site.reached_django
    generation_feed.announce("another-server.copy")  # as another server would
    site.get(SURGERY["en"])
    assert site.reached_django == reached + 1


def test_requests_that_ask_for_more_go_to_django(site, monkeypatch):
    site.get(SURGERY["en"])
    site.get(SURGERY["en"])
    reached = site.reached_django
    site.get(SURGERY["en"], method="HEAD")
    site.get(SURGERY["en"], if_none_match='"x"')
    site.get(SURGERY["en"], if_modified_since="Mon, 30 Nov 2026 00:00:00 GMT")
    assert site.get(SURGERY["en"], host="elsewhere.example")[0].startswith("400")
    assert site.reached_django == reached + 4

    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    monkeypatch.setattr(pagecache, "_today", lambda: tomorrow)
    site.get(SURGERY["en"])  # a new day: the printable guide's date may differ
    assert site.reached_django == reached + 5


def test_a_redis_that_stops_answering_is_not_trusted(site, redis_server, monkeypatch):
    monkeypatch.setattr(generation_feed, "TRUST_FOR", 0.3)
    site.get(SURGERY["en"])
    site.get(SURGERY["en"])
    reached = site.reached_django
    redis_server.pause()
    try:
        time.sleep(0.4)  # no answer to the feed's pings since
        status, _headers, body = site.get(SURGERY["en"])
    finally:
        redis_server.resume()
    assert status == "200 OK" and _title(body) == "Surgery"
    assert site.reached_django == reached + 1


def test_a_redis_restart_drops_the_feed_and_pages_still_answer(site, redis_server):
    site.get(SURGERY["en"])
    site.get(SURGERY["en"])
    reached = site.reached_django
    redis_server.stop()
    status, _headers, body = site.get(SURGERY["en"])
    assert status == "200 OK" and _title(body) == "Surgery"
    assert site.reached_django == reached + 1
    assert generation_feed.current() is None

    redis_server.start()
    health.reset()  # the pause after a failure is tested in test_cache_outage
    for _n in range(3):
        assert site.get(SURGERY["en"])[0] == "200 OK"
    reached = site.reached_django
    site.get(SURGERY["en"])
    assert site.reached_django == reached  # subscribed again: kept pages answer
