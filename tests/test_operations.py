"""Running the site: health check, error page, request log."""

import logging

import pytest

from neuroinfo import operations
from tests.helpers import page_language, visible_text

pytestmark = pytest.mark.django_db


def test_health_check_answers_ok_when_database_and_cache_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-store" in response.headers["Cache-Control"]


def test_health_check_is_reachable_over_plain_http_in_production(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200


@pytest.mark.parametrize(
    ("broken", "body"),
    [("database", b"database unavailable\n"), ("cache", b"cache degraded\n")],
)
def test_health_check_says_unavailable_without_details(
    client, monkeypatch, broken, body
):
    def fail(*args, **kwargs):
        raise OSError("connection refused to 10.1.2.3:5432 user=secret")

    if broken == "database":
        monkeypatch.setattr(operations.connection, "cursor", fail)
    else:
        monkeypatch.setattr(operations.cache, "set", fail)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == body


@pytest.mark.parametrize(
    ("path", "language", "words"),
    [("/en/follow-up-care/", "en", "Something went wrong"),
     ("/fr/suivi/", "fr", "Un problème est survenu")],
)  # fmt: skip
def test_a_server_error_is_explained_in_the_reader_language(
    client, monkeypatch, path, language, words
):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("neuroinfo.pages.builders.page_frame", explode)
    client.raise_request_exception = False
    response = client.get(path)
    assert response.status_code == 500
    assert page_language(response) == language
    assert words in visible_text(response)
    assert "boom" not in response.content.decode()


def test_each_request_is_logged_with_path_status_and_duration(client, caplog):
    with caplog.at_level(logging.INFO, logger="neuroinfo.requests"):
        client.get("/en/nope/")
    lines = [r.getMessage() for r in caplog.records if r.name == "neuroinfo.requests"]
    line = lines[-1]
    assert line.startswith("GET /en/nope/ 404 ")
    assert line.endswith("ms")
