"""Headers, cookies, sign-in lockout and password strength."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command

pytestmark = pytest.mark.django_db

PUBLIC = ["/en/", "/fr/traitements/chirurgie/", "/en/glossary/"]
ADMIN = ["/admin/login/"]


@pytest.mark.parametrize("path", PUBLIC + ADMIN)
def test_every_response_carries_the_security_headers(client, settings, path):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get(path, secure=True)
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_plain_http_is_redirected_to_https_in_production(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/en/")
    assert response.status_code == 301
    assert response.url == "https://testserver/en/"


def test_sign_in_cookies_are_secure_and_hidden_from_scripts(client):
    user = get_user_model().objects.create_superuser(
        "editor", "e@example.org", "A-long-pass-phrase-42"
    )
    response = client.get("/admin/login/")
    csrf = response.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"]
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": user.username, "password": "A-long-pass-phrase-42",
         "csrfmiddlewaretoken": csrf.value},
    )  # fmt: skip
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"]
    assert session["samesite"] == "Lax"


def _fail_login(client, username: str, address: str = "10.0.0.1"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": "wrong password"},
        REMOTE_ADDR=address,
    )


class TestLockout:
    @pytest.fixture
    def editor(self, db):
        return get_user_model().objects.create_superuser(
            "editor", "e@example.org", "A-long-pass-phrase-42"
        )

    def test_five_failed_sign_ins_lock_the_account_from_that_address(
        self, client, editor
    ):
        for _ in range(4):
            assert _fail_login(client, "editor").status_code == 200
        assert _fail_login(client, "editor").status_code == 429
        # Even the right password is refused while locked out.
        response = client.post(
            "/admin/login/?next=/admin/",
            {"username": "editor", "password": "A-long-pass-phrase-42"},
            REMOTE_ADDR="10.0.0.1",
        )
        assert response.status_code == 429
        assert "_auth_user_id" not in client.session

    def test_the_same_account_from_another_address_can_still_sign_in(
        self, client, editor
    ):
        for _ in range(5):
            _fail_login(client, "editor", "10.0.0.1")
        response = client.post(
            "/admin/login/?next=/admin/",
            {"username": "editor", "password": "A-long-pass-phrase-42"},
            REMOTE_ADDR="10.0.0.2",
        )
        assert response.status_code == 302

    def test_an_administrator_can_lift_a_lockout(self, client, editor):
        for _ in range(5):
            _fail_login(client, "editor")
        assert AccessAttempt.objects.filter(username="editor").exists()
        call_command("axes_reset_username", "editor")
        response = client.post(
            "/admin/login/?next=/admin/",
            {"username": "editor", "password": "A-long-pass-phrase-42"},
            REMOTE_ADDR="10.0.0.1",
        )
        assert response.status_code == 302

    @pytest.fixture
    def behind_nginx(self, settings):
        """The settings DJANGO_TRUSTED_PROXIES=10.0.0.9 gives: the nginx in front."""
        settings.TRUSTED_PROXIES = ["10.0.0.9"]

    def test_behind_a_proxy_the_client_address_comes_from_x_forwarded_for(
        self, client, editor, behind_nginx
    ):
        for _ in range(5):
            client.post(
                "/admin/login/?next=/admin/",
                {"username": "editor", "password": "wrong password"},
                REMOTE_ADDR="10.0.0.9",  # nginx
                HTTP_X_FORWARDED_FOR="203.0.113.5",  # set by nginx: $remote_addr
            )
        assert AccessAttempt.objects.get(username="editor").ip_address == "203.0.113.5"
        # The same editor at another clinic, through the same proxy, is not locked out.
        response = client.post(
            "/admin/login/?next=/admin/",
            {"username": "editor", "password": "A-long-pass-phrase-42"},
            REMOTE_ADDR="10.0.0.9",
            HTTP_X_FORWARDED_FOR="198.51.100.7",
        )
        assert response.status_code == 302

    def test_the_shipped_nginx_replaces_x_forwarded_for(self):
        conf = (django_settings.BASE_DIR / "deploy" / "nginx.conf").read_text()
        assert "$proxy_add_x_forwarded_for" not in conf
        assert conf.count("X-Forwarded-For $remote_addr;") >= 1

    def test_lockouts_last_a_while(self, settings):
        assert settings.AXES_FAILURE_LIMIT == 5
        assert settings.AXES_COOLOFF_TIME.total_seconds() >= 15 * 60


@pytest.mark.parametrize(
    "password", ["short1!", "password1234", "123456789012", "Abcdefgh1!"]
)
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_pass_phrase_is_accepted():
    validate_password("clinic-lantern-harbour-42")
