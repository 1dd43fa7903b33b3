"""Settings come from the environment, with safe defaults."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def settings_in(env: dict[str, str], expression: str) -> subprocess.CompletedProcess:
    """Import the settings in a fresh interpreter with only the given variables set."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_"))
    }
    code = f"import neuroinfo.settings as s; print({expression})"
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_without_debug_a_missing_secret_key_stops_the_site():
    result = settings_in({}, "s.SECRET_KEY")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_debug_is_off_unless_asked_for():
    assert (
        settings_in({"DJANGO_SECRET_KEY": "k" * 50}, "s.DEBUG").stdout.strip()
        == "False"
    )
    assert settings_in({"DJANGO_DEBUG": "1"}, "s.DEBUG").stdout.strip() == "True"


def test_sqlite_is_the_default_and_database_url_switches_to_postgresql():
    default = settings_in({"DJANGO_DEBUG": "1"}, "s.DATABASES['default']['ENGINE']")
    assert default.stdout.strip() == "django.db.backends.sqlite3"
    pg = settings_in(
        {"DJANGO_DEBUG": "1", "DATABASE_URL": "postgres://u:p@127.0.0.1:5432/guide"},
        "s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME']",
    )
    assert pg.stdout.strip() == "django.db.backends.postgresql guide"


def test_allowed_hosts_come_from_the_environment():
    result = settings_in(
        {
            "DJANGO_DEBUG": "1",
            "DJANGO_ALLOWED_HOSTS": "guide.example.org, www.example.org",
        },
        "s.ALLOWED_HOSTS",
    )
    assert result.stdout.strip() == "['guide.example.org', 'www.example.org']"


def test_env_example_lists_every_variable_the_settings_read():
    settings_text = "".join(
        (ROOT / "neuroinfo" / name).read_text()
        for name in ("settings.py", "environment.py")
    )
    read = set(re.findall(r'env_\w+\("([A-Z_]+)"', settings_text))
    read |= set(re.findall(r'os\.environ\.get\("([A-Z_]+)"', settings_text))
    example = (ROOT / ".env.example").read_text()
    listed = set(re.findall(r"^([A-Z_]+)=", example, re.M))
    assert read - {"DATABASE_URL"} <= listed
    assert "DATABASE_URL" in listed


PRODUCTION = {
    "DJANGO_SECRET_KEY": "n" * 20 + "-production-key-" + "q" * 30,
    "DJANGO_ALLOWED_HOSTS": "guide.example.org",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://guide.example.org",
    "DATABASE_URL": "postgres://neuroinfo:secret@db.internal:5432/neuroinfo",
    "CACHE_URL": "redis://cache.internal:6379/0",
    "DJANGO_BEHIND_TLS_PROXY": "1",
    "DJANGO_TRUSTED_PROXIES": "127.0.0.1",
}


def test_the_documented_production_environment_passes_check_deploy():
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "CACHE_"))
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={**clean, **PRODUCTION},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_defaults_are_safe_without_any_security_variable():
    expression = (
        "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.X_FRAME_OPTIONS"
    )
    result = settings_in({"DJANGO_SECRET_KEY": "k" * 50}, expression)
    assert result.stdout.strip() == "True 31536000 True True DENY"


def test_trusted_proxies_come_from_the_environment_and_are_checked():
    """X-Forwarded-For is believed only from DJANGO_TRUSTED_PROXIES (none by default)."""
    key = {"DJANGO_SECRET_KEY": "k" * 50}
    assert settings_in(key, "s.TRUSTED_PROXIES").stdout.strip() == "[]"
    env = {**key, "DJANGO_TRUSTED_PROXIES": "127.0.0.1, 10.1.0.0/16, ::1"}
    result = settings_in(env, "s.TRUSTED_PROXIES, s.AXES_CLIENT_IP_CALLABLE")
    assert result.stdout.strip() == (
        "['127.0.0.1', '10.1.0.0/16', '::1'] neuroinfo.clients.client_address"
    )
    bad = settings_in({**key, "DJANGO_TRUSTED_PROXIES": "nginx"}, "s.TRUSTED_PROXIES")
    assert bad.returncode != 0 and "DJANGO_TRUSTED_PROXIES" in bad.stderr
    # The variable it replaces stops the site rather than be silently ignored.
    old = settings_in({**key, "DJANGO_PROXY_COUNT": "1"}, "s.TRUSTED_PROXIES")
    assert old.returncode != 0 and "DJANGO_TRUSTED_PROXIES" in old.stderr
