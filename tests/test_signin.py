"""Admin sign-in protection: a limit per address across accounts, the lockout page, and
client addresses taken from X-Forwarded-For only when a configured proxy sends it."""

from html.parser import HTMLParser

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model

from tests.helpers import page_language, visible_text
from tests.test_feedback import SURGERY, send

pytestmark = pytest.mark.django_db

PASSWORD = "A-long-pass-phrase-42"


def sign_in(client, username, password="wrong password", **extra):  # noqa: S107
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        **{"REMOTE_ADDR": "10.0.0.1", **extra},
    )


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser(
        "editor", "e@example.org", PASSWORD
    )


class TestAddressLimit:
    def test_one_address_trying_many_accounts_is_locked_out_at_its_limit(
        self, client, editor, settings
    ):
        assert settings.NEUROINFO_SIGNIN_ADDRESS_LIMIT == 20
        # A clinic behind one address: five colleagues' typos lock no one out.
        for n in range(5):
            assert sign_in(client, f"nurse{n}").status_code == 200
        assert sign_in(client, "editor", PASSWORD).status_code == 302
        client.logout()
        # Someone trying a password against every account from there is stopped at
        # 20 failures in all, though no account reaches its own limit of 5.
        statuses = [
            sign_in(client, f"visitor{n}").status_code
            for _round in range(4)
            for n in range(6)
        ]
        assert statuses[:14] == [200] * 14
        assert statuses[14:] == [429] * 10
        # The right password of another account is refused too from that address...
        refused = sign_in(client, "editor", PASSWORD)
        assert refused.status_code == 429
        assert "_auth_user_id" not in client.session
        # ...and accepted from another.
        other = sign_in(client, "editor", PASSWORD, REMOTE_ADDR="10.0.0.2")
        assert other.status_code == 302

    def test_the_address_limit_comes_from_settings(self, client, editor, settings):
        settings.NEUROINFO_SIGNIN_ADDRESS_LIMIT = 3
        assert [sign_in(client, f"n{n}").status_code for n in range(3)] == [
            200,
            200,
            429,
        ]
        assert sign_in(client, "editor", PASSWORD).status_code == 429


class _Stylesheets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sheets, self.inline = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.sheets.append(attrs["href"])
        if (
            tag == "style"
            or "style" in attrs
            or (tag == "script" and not attrs.get("src"))
        ):
            self.inline.append(tag)
        if tag == "body":
            self.body_class = attrs.get("class", "")


LOCKOUT_TEXT = {
    "en": ["Sign-in paused", "too many failed sign-in attempts", "Try again in 1 hour.",
           "Back to sign-in"],
    "fr": ["Connexion suspendue", "trop de tentatives de connexion", "Réessayez dans 1 heure.",
           "Retour à la connexion"],
}  # fmt: skip


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_lockout_page_is_in_the_readers_language_styled_and_says_how_long(
    client, editor, language
):
    for _ in range(5):
        response = sign_in(client, "editor", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "3600"
    assert "no-store" in response.headers["Cache-Control"]
    html = response.content.decode()
    assert page_language(html) == language
    text = " ".join(visible_text(response).split())
    for phrase in LOCKOUT_TEXT[language]:
        assert phrase in text
    other = "fr" if language == "en" else "en"
    assert LOCKOUT_TEXT[other][0] not in text
    parsed = _Stylesheets()
    parsed.feed(html)
    assert any(sheet.endswith("admin/css/login.css") for sheet in parsed.sheets)
    assert "login" in parsed.body_class.split()
    assert parsed.inline == []  # strict CSP: no inline style or script
    assert "Content-Security-Policy" in response.headers


def test_the_lockout_page_follows_the_cool_off_setting(client, editor, settings):
    from datetime import timedelta

    settings.AXES_COOLOFF_TIME = timedelta(minutes=30)
    for _ in range(5):
        response = sign_in(client, "editor")
    assert response.status_code == 429
    assert "Try again in 30 minutes." in " ".join(visible_text(response).split())
    assert response.headers["Retry-After"] == "1800"


class TestForwardedAddresses:
    @pytest.fixture
    def behind_proxy(self, settings):
        """A deploy with its nginx at 10.0.0.9; the settings DJANGO_PROXY_COUNT=1 gave
        before, still present, must not make anyone else's header believed."""
        settings.TRUSTED_PROXIES = ["10.0.0.9"]
        settings.AXES_IPWARE_PROXY_COUNT = 0
        settings.AXES_IPWARE_META_PRECEDENCE_ORDER = [
            "HTTP_X_FORWARDED_FOR",
            "REMOTE_ADDR",
        ]

    def test_a_forged_x_forwarded_for_from_a_client_is_ignored(
        self, client, editor, behind_proxy
    ):
        for n in range(5):  # a new forged address each time: still one client
            sign_in(client, "editor", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
        assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {
            "10.0.0.1"
        }
        assert sign_in(client, "editor", PASSWORD).status_code == 429

    def test_the_feedback_limit_counts_the_real_address_too(
        self, client, settings, behind_proxy
    ):
        settings.FEEDBACK_RATE_LIMIT = 1
        direct = {"REMOTE_ADDR": "10.0.0.1"}
        assert (
            send(
                client, SURGERY["en"], HTTP_X_FORWARDED_FOR="203.0.113.1", **direct
            ).status_code
            == 200
        )
        again = send(
            client, SURGERY["en"], HTTP_X_FORWARDED_FOR="203.0.113.2", **direct
        )
        assert again.status_code == 429
        # Through the proxy, each client is counted apart.
        proxy = {"REMOTE_ADDR": "10.0.0.9"}
        assert (
            send(
                client, SURGERY["en"], HTTP_X_FORWARDED_FOR="203.0.113.1", **proxy
            ).status_code
            == 200
        )
        assert (
            send(
                client, SURGERY["en"], HTTP_X_FORWARDED_FOR="203.0.113.2", **proxy
            ).status_code
            == 200
        )
        assert (
            send(
                client, SURGERY["en"], HTTP_X_FORWARDED_FOR="203.0.113.2", **proxy
            ).status_code
            == 429
        )

    def test_from_a_configured_proxy_x_forwarded_for_is_the_client(
        self, client, editor, settings
    ):
        settings.TRUSTED_PROXIES = ["10.0.0.0/24"]  # the connection's 10.0.0.1: a proxy
        for _ in range(5):
            sign_in(client, "editor", HTTP_X_FORWARDED_FOR="203.0.113.5")
        assert AccessAttempt.objects.get().ip_address == "203.0.113.5"
        other = sign_in(client, "editor", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7")
        assert other.status_code == 302

    def test_through_several_proxies_the_client_is_the_nearest_untrusted_address(
        self, rf, settings
    ):
        from neuroinfo.clients import client_address

        settings.TRUSTED_PROXIES = ["10.0.0.0/24", "192.168.1.1"]
        request = rf.get(
            "/",
            REMOTE_ADDR="10.0.0.9",
            HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5, 192.168.1.1",
        )
        assert (
            client_address(request) == "203.0.113.5"
        )  # 1.2.3.4: written by the client
        junk = rf.get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="nonsense")
        assert client_address(junk) == "10.0.0.9"
        outside = rf.get(
            "/", REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="1.2.3.4"
        )
        assert client_address(outside) == "198.51.100.1"
