"""Two app servers sharing one database and one cache serve each other's changes at once.

Runs the production server (gunicorn) twice, on the database the suite runs on
(a fresh PostgreSQL database beside the test one, or an SQLite file) and on the
shared cache it is configured with (Redis in CI, else a database table).
"""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from tests.liveadmin import AdminSession

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Scale-out-pass-phrase-42"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode()


def _postgres_database(name: str) -> tuple[str, callable]:
    """A new empty database on the suite's PostgreSQL server, and how to drop it."""
    import psycopg

    url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    admin_url = url._replace(path="/postgres").geturl()

    def run(sql: str) -> None:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(sql)

    run(f'DROP DATABASE IF EXISTS "{name}"')
    run(f'CREATE DATABASE "{name}"')
    return url._replace(path=f"/{name}").geturl(), lambda: run(
        f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    )


@pytest.fixture
def shared_site(tmp_path):
    """Environment for app servers that share one database and one cache."""
    name = f"scaleout_{uuid.uuid4().hex[:8]}"
    drop = None
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        database_url, drop = _postgres_database(name)
    else:
        database_url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    cache_url = os.environ.get("CACHE_URL", "")
    if not cache_url.startswith("redis"):
        cache_url = "db://neuroinfo_cache"
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "CACHE_"))
        },
        "DJANGO_SECRET_KEY": "scale-out-test-key-" + "x" * 40,
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "DJANGO_LOG_LEVEL": "WARNING",
        "DATABASE_URL": database_url,
        "CACHE_URL": cache_url,
        "CACHE_KEY_PREFIX": name,
        "DJANGO_SUPERUSER_USERNAME": "editor",
        "DJANGO_SUPERUSER_EMAIL": "editor@example.org",
        "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
    }

    def manage(*args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    manage("migrate", "--no-input", "-v0")
    if cache_url.startswith("db://"):
        manage("createcachetable")
    manage("load_content")
    manage("collectstatic", "--no-input", "-v0")
    manage("createsuperuser", "--no-input")
    yield env, manage
    if drop:
        drop()


def _start(env: dict) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "neuroinfo.wsgi:application", "-w", "1",
         "-b", f"127.0.0.1:{port}", "--no-control-socket"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if _fetch(base + "/healthz") == "ok\n":
                return server, base
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    server.kill()
    raise AssertionError("the app server did not start")


def test_a_change_saved_through_one_server_is_served_at_once_by_the_other(shared_site):
    env, manage = shared_site
    first, a = _start(env)
    second, b = _start(env)
    try:
        en, fr = "/en/treatments/surgery/", "/fr/traitements/chirurgie/"
        for base in (a, b):  # both servers have the old pages in the shared cache
            assert "<h1" in _fetch(base + en) and "Surgery" in _fetch(base + en)
            assert "Chirurgie" in _fetch(base + fr)
        pk = manage(
            "shell",
            "-c",
            "from neuroinfo.models import Treatment; "
            "print(Treatment.objects.get(key='surgery').pk)",
        ).split()[-1]
        editor = AdminSession(a)
        editor.login("editor", PASSWORD)
        landed = editor.change(
            f"/admin/neuroinfo/treatment/{pk}/change/",
            title_en="Surgery, updated by the clinic",
            title_fr="Chirurgie, mise à jour par la clinique",
        )
        assert landed.endswith("/admin/neuroinfo/treatment/"), landed
        assert "Surgery, updated by the clinic" in _fetch(b + en)
        assert "Chirurgie, mise à jour par la clinique" in _fetch(b + fr)
        assert "Surgery, updated by the clinic" in _fetch(b + "/en/")

        # Static files: hashed names, compressed copies, cached for a year.
        css = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', _fetch(b + en))
        assert css, "the stylesheet is not served under a hashed name"
        request = urllib.request.Request(
            b + css.group(1), headers={"Accept-Encoding": "gzip"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert "immutable" in response.headers["Cache-Control"]
            assert "max-age=315360000" in response.headers["Cache-Control"]
            assert response.headers["Content-Encoding"] == "gzip"
    finally:
        for server in (first, second):
            server.terminate()
            server.wait(timeout=30)
