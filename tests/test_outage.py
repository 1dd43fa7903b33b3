"""A database outage, in process: a 503 page in the reader's language, never a traceback.

The database "goes away" by making every new cursor fail as a stopped server does
(tests/test_faults.py stops a real PostgreSQL). The page must come from the request
alone: the language from the path, else Accept-Language; an admin save comes back with
its fields and a button that sends them again.
"""

from contextlib import contextmanager
from unittest import mock

import pytest
from django.contrib.admin import ModelAdmin
from django.db import IntegrityError, OperationalError, ProgrammingError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client, override_settings

from neuroinfo.models import Treatment
from neuroinfo.outage import RETRY_AFTER, is_outage
from neuroinfo.outline.held import forget
from tests.dom import parse
from tests.helpers import browser_newlines, empty_cache, page_language, region
from tests.liveadmin import FormParser, form_fields

pytestmark = pytest.mark.django_db

LOST = "server closed the connection unexpectedly"
TITLE = {"en": "Temporarily unavailable", "fr": "Temporairement indisponible"}
NOT_SAVED = {
    "en": "Your changes were not saved.",
    "fr": "Vos modifications n’ont pas été enregistrées.",
}
RESEND = {"en": "Try saving again", "fr": "Réessayer d’enregistrer"}
PAGES = {"en": "/en/treatments/surgery/", "fr": "/fr/traitements/chirurgie/"}


@contextmanager
def database_down():
    """Every query fails as with a stopped server (Django wraps the driver's error)."""

    def refuse(self, *args, **kwargs):
        raise OperationalError(LOST)

    with mock.patch.object(BaseDatabaseWrapper, "_cursor", refuse):
        yield


def _client(**kwargs) -> Client:
    # Like a real server: an exception becomes a response instead of failing the test.
    return Client(raise_request_exception=False, **kwargs)


def _assert_outage_page(response, language: str) -> str:
    html = response.content.decode()
    assert response.status_code == 503, html[:500]
    assert response["Retry-After"] == str(RETRY_AFTER)
    assert page_language(html) == language
    assert TITLE[language] in html
    assert "no-store" in response["Cache-Control"]
    for leak in ("Traceback", "OperationalError", LOST, "psycopg", "SECRET"):
        assert leak not in html
    return html


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_page_not_in_the_cache_answers_503_and_a_cached_one_is_served(language):
    empty_cache()
    client = _client()
    home = f"/{language}/"
    assert client.get(home).status_code == 200  # now in the page cache
    forget()  # no outline held either: the page needs the database
    with database_down():
        response = client.get(PAGES[language], HTTP_ACCEPT_LANGUAGE="en")
        cached = client.get(home)
    html = _assert_outage_page(response, language)
    assert f"/{language}/" in [href for _text, href in parse(html).links()]
    assert response["Content-Language"] == language
    assert cached.status_code == 200  # the page cache answers without the database
    assert parse(cached).find("h1", class_="main__title").text


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_page_of_a_held_outline_is_served_without_the_database(language):
    """Once this server holds the outline of the current content, a page not in the
    page cache is built from it: families still read the guide during an outage."""
    empty_cache()
    client = _client()
    with override_settings(PAGE_CACHE_ENABLED=False):
        assert client.get(f"/{language}/").status_code == 200  # the outline is held
        with database_down():
            response = client.get(PAGES[language])
    assert response.status_code == 200
    assert parse(response).find("h1", class_="main__title").text


@pytest.mark.parametrize(
    ("accept", "language"), [("fr-CA,fr;q=0.9", "fr"), ("", "en"), ("de", "en")]
)
def test_without_a_language_in_the_path_accept_language_chooses(accept, language):
    empty_cache()
    headers = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}
    with database_down():
        response = _client().get("/sitemap.xml", **headers)
    _assert_outage_page(response, language)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_failure_inside_the_session_middleware_is_the_outage_page(language):
    def fail(self, request):
        raise OperationalError(LOST)

    with mock.patch(
        "django.contrib.sessions.middleware.SessionMiddleware.process_request", fail
    ):
        response = _client().get(PAGES[language] + "?nocache=1")
    _assert_outage_page(response, language)


def test_other_database_errors_are_not_called_an_outage():
    assert is_outage(OperationalError(LOST))
    try:
        try:
            raise OperationalError(LOST)
        except OperationalError as error:
            raise RuntimeError("while rendering") from error
    except RuntimeError as wrapped:
        assert is_outage(wrapped)
    assert not is_outage(IntegrityError("duplicate key"))
    assert not is_outage(ProgrammingError("no such column"))
    assert not is_outage(ValueError("bad"))


def _change_form(client: Client) -> tuple[str, dict]:
    item = Treatment.objects.get(key="surgery")
    url = f"/admin/neuroinfo/treatment/{item.pk}/change/"
    fields = form_fields(client.get(url).content.decode())
    return url, fields


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_admin_save_during_an_outage_gives_the_text_back(admin_client, language):
    url, fields = _change_form(admin_client)
    typed = {
        "title_en": "Surgery, as the nurse typed it",
        "summary_fr": "Première ligne\nDeuxième ligne « avec des guillemets » & <b>",
    }
    posted = {
        **fields,
        **typed,
        "csrfmiddlewaretoken": "token-from-the-page",
        "password": "never shown",
        "_save": "Save",
    }
    posted = {k: browser_newlines(v) for k, v in posted.items()}
    with database_down():
        response = admin_client.post(url, posted, HTTP_ACCEPT_LANGUAGE=language)
    html = _assert_outage_page(response, language)
    assert NOT_SAVED[language] in html
    assert "never shown" not in html

    parser = FormParser()
    parser.feed(region(html, "outage-resend"))
    (form,) = parser.forms
    assert form["action"] == url
    sent_again = sorted((k, browser_newlines(v)) for k, v in form["fields"])
    assert ("csrfmiddlewaretoken", "token-from-the-page") in sent_again
    assert "password" not in dict(sent_again)
    # Every field as posted (a multiple choice with all its values), passwords aside;
    # browsers send the text boxes with CRLF line breaks, as they posted them.
    expected = sorted(
        (k, value)
        for k, v in posted.items()
        if k != "password"
        for value in (v if isinstance(v, list) else [v])
    )
    assert sent_again == expected
    # Each typed text is shown in a read-only box with the field's label.
    assert "readonly>\nSurgery, as the nurse typed it</textarea>" in html
    label = {"en": "Title [en]", "fr": "Titre [en]"}[language]
    assert (
        f">{label}</label>" in html
    )  # the field's own label, in the editor's language
    assert RESEND[language] in html


def test_an_admin_save_that_fails_midway_writes_nothing(admin_client, admin_user):
    url, fields = _change_form(admin_client)
    before = Treatment.objects.get(key="surgery").title_en
    client = _client()
    client.force_login(admin_user)

    def lose_connection(*args, **kwargs):
        raise OperationalError(LOST)

    # The treatment is saved, then the connection drops while the change is logged.
    posted = {**fields, "title_en": "Half-saved title", "_save": "Save"}
    with mock.patch.object(ModelAdmin, "log_change", lose_connection):
        response = client.post(url, {k: browser_newlines(v) for k, v in posted.items()})
    html = _assert_outage_page(response, "en")
    assert "Half-saved title" in html  # given back to the editor
    assert Treatment.objects.get(key="surgery").title_en == before  # rolled back
