"""Server errors reach a person (ADMINS email, optional Sentry), without form contents."""

import json
import logging

import pytest
import sentry_sdk
from django.core import mail
from django.test import Client
from sentry_sdk.transport import Transport

from neuroinfo import feedback
from neuroinfo.errors import OncePerInterval
from tests.test_settings import settings_in

pytestmark = pytest.mark.django_db

SECRET = "Zoe-relapsed-in-May-7731"  # what a family might type in a comment
COOKIE = "cookie-value-5120"
ADDRESS = "203.0.113.77"


def failing_take(request):
    """The feedback view failing after reading the form, as a real bug would."""
    comment = request.POST["comment"]  # a form value in a local variable
    raise RuntimeError(f"could not store an answer of {len(comment)} characters")


@pytest.fixture
def failing_view(monkeypatch):
    monkeypatch.setattr(feedback, "_take", failing_take)


def email_throttles() -> list[OncePerInterval]:
    handlers = logging.getLogger("django.request").handlers
    found = [f for h in handlers for f in h.filters if isinstance(f, OncePerInterval)]
    assert found, "the email handler has no throttle"
    return found


@pytest.fixture(autouse=True)
def _fresh_email_throttle():
    """Each test starts with no error emailed yet."""
    for throttle in email_throttles():
        throttle._last.clear()


def post_secret() -> "object":
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = COOKIE
    return client.post(
        "/en/feedback/",
        {"page": "/en/", "helpful": "no", "comment": SECRET},
        REMOTE_ADDR=ADDRESS,
        HTTP_X_FORWARDED_FOR=ADDRESS,
    )


class TestAdminEmail:
    def test_a_server_error_is_emailed_and_logged_without_form_values(
        self, failing_view, settings, caplog
    ):
        settings.ADMINS = [("Ops", "ops@example.org"), ("B", "b@example.org")]
        with caplog.at_level(logging.INFO):
            response = post_secret()
        assert response.status_code == 500
        # The log: one request line, and the traceback for operators, no form value.
        assert "RuntimeError" in caplog.text
        assert SECRET not in caplog.text and COOKIE not in caplog.text
        request_lines = [r for r in caplog.records if r.name == "neuroinfo.requests"]
        assert [r.getMessage().split()[:3] for r in request_lines] == [
            ["POST", "/en/feedback/", "500"]
        ]
        # The email.
        assert len(mail.outbox) == 1
        email = mail.outbox[0]
        assert email.to == ["ops@example.org", "b@example.org"]
        assert "/en/feedback/" in email.subject
        body = email.body
        assert "RuntimeError" in body and "could not store an answer" in body
        assert "comment" in body  # the field's name helps; its value is hidden
        everything = json.dumps(
            [email.subject, body, email.alternatives, email.attachments], default=str
        )
        for private in (SECRET, COOKIE, ADDRESS):
            assert private not in everything

        # No one to tell: no email.
        settings.ADMINS = []
        assert post_secret().status_code == 500
        assert len(mail.outbox) == 1


def test_an_error_repeated_by_every_request_is_emailed_once(failing_view, settings):
    """An outage fails every request the same way: one email, not one per request;
    a different error still gets its own."""
    settings.ADMINS = [("Ops", "ops@example.org")]
    for _ in range(20):
        assert post_secret().status_code == 500
    assert len(mail.outbox) == 1
    client = Client(raise_request_exception=False)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(feedback, "_take", lambda request: 1 / 0)
        assert client.post("/en/feedback/", {"page": "/en/"}).status_code == 500
    assert len(mail.outbox) == 2
    assert "ZeroDivisionError" in mail.outbox[1].body


def test_a_refused_request_is_one_log_line(client, caplog):
    """A 404 or 405 is in the request's line; Django adds no second one."""
    with caplog.at_level(logging.INFO):
        assert client.get("/en/no-such-page/").status_code == 404
        assert client.generic("TRACE", "/en/").status_code == 405
    assert [r.getMessage().split()[:3] for r in caplog.records] == [
        ["GET", "/en/no-such-page/", "404"],
        ["TRACE", "/en/", "405"],
    ]


def test_admins_come_from_the_environment():
    env = {
        "DJANGO_SECRET_KEY": "k" * 50,
        "DJANGO_ADMINS": 'Ana Ops <ana@example.org>, b@example.org, "Roy, J" <j@x.ca>',
    }
    result = settings_in(env, "s.ADMINS")
    assert result.stdout.strip() == (
        "[('Ana Ops', 'ana@example.org'), ('b@example.org', 'b@example.org'), "
        "('Roy, J', 'j@x.ca')]"
    )
    assert (
        settings_in({"DJANGO_SECRET_KEY": "k" * 50}, "s.ADMINS").stdout.strip() == "[]"
    )
    bad = settings_in({**env, "DJANGO_ADMINS": "ops at example"}, "s.ADMINS")
    assert bad.returncode != 0 and "DJANGO_ADMINS" in bad.stderr


class Recorder(Transport):
    """A Sentry transport that keeps events instead of sending them."""

    def __init__(self):
        super().__init__()
        self.events = []

    def capture_envelope(self, envelope):
        event = envelope.get_event()
        if event is not None:
            self.events.append(event)


@pytest.fixture
def sentry():
    from neuroinfo import errors

    recorder = Recorder()
    assert errors.start_error_tracking(
        "https://public@errors.invalid/1",
        environment="test",
        release="r1",
        transport=recorder,
    )
    yield recorder
    sentry_sdk.get_client().close()
    sentry_sdk.init(dsn=None)


def test_sentry_is_off_without_a_dsn():
    from neuroinfo import errors

    assert errors.start_error_tracking("") is False
    env = {"DJANGO_SECRET_KEY": "k" * 50}
    expression = "s.SENTRY_ENABLED, 'sentry_sdk' in __import__('sys').modules"
    assert settings_in(env, expression).stdout.strip() == "False False"
    on = {**env, "SENTRY_DSN": "http://public@127.0.0.1:9/1"}
    expression = "s.SENTRY_ENABLED, __import__('sentry_sdk').get_client().is_active()"
    assert settings_in(on, expression).stdout.strip() == "True True"


def test_a_sentry_event_carries_no_personal_data(failing_view, sentry):
    assert post_secret().status_code == 500
    sentry_sdk.flush()
    assert len(sentry.events) == 1
    event = sentry.events[0]
    assert event["environment"] == "test" and event["release"] == "r1"
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert not {"data", "cookies", "env", "query_string"} & set(
        event.get("request", {})
    )
    assert "user" not in event
    text = json.dumps(event, default=str)
    for private in (SECRET, COOKIE, ADDRESS):
        assert private not in text
