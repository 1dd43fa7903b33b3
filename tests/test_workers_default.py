"""The shipped defaults are safe with several gunicorn workers.

With debug off and no CACHE_URL the cache is a table in the database, which `migrate`
creates and every worker shares; an in-process cache with several workers is a
`check --deploy` error.
"""

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.core.checks import Tags, run_checks
from django.db import connection

from tests.liveadmin import AdminSession
from tests.test_cache_outage import RedisServer
from tests.test_scale_out import _fetch, _free_port, _postgres_database

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Workers-pass-phrase-42"
LOCMEM = "django.core.cache.backends.locmem.LocMemCache"
EN, FR = "/en/treatments/surgery/", "/fr/traitements/chirurgie/"


def _settings(env: dict[str, str], expression: str) -> str:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "CACHE_"))
    }
    result = subprocess.run(
        [sys.executable, "-c", f"import neuroinfo.settings as s; print({expression})"],
        env={**clean, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_production_defaults_to_the_database_cache_and_debug_to_memory():
    backend = "s.CACHES['default']['BACKEND'], s.CACHES['default'].get('LOCATION')"
    assert _settings({"DJANGO_SECRET_KEY": "k" * 50}, backend) == (
        "django.core.cache.backends.db.DatabaseCache neuroinfo_cache"
    )
    assert _settings({"DJANGO_DEBUG": "1"}, backend) == f"{LOCMEM} None"


@pytest.mark.django_db
def test_migrate_creates_the_cache_table():
    assert "neuroinfo_cache" in connection.introspection.table_names()


def _errors() -> list[str]:
    checks = run_checks(tags=[Tags.caches], include_deployment_checks=True)
    return [message.id for message in checks]


def test_check_deploy_refuses_a_per_process_cache_with_several_workers(
    settings, monkeypatch
):
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": LOCMEM}}
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)  # gunicorn.conf.py: 4
    assert "neuroinfo.E020" in _errors()
    monkeypatch.setenv("WEB_CONCURRENCY", "2")
    assert "neuroinfo.E020" in _errors()
    assert "neuroinfo.E020" not in [
        m.id for m in run_checks(tags=[Tags.caches])
    ]  # a deployment check only

    monkeypatch.setenv("WEB_CONCURRENCY", "1")
    assert "neuroinfo.E020" not in _errors()
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "neuroinfo_cache",
        }
    }
    assert "neuroinfo.E020" not in _errors()
    settings.CACHES = {"default": {"BACKEND": LOCMEM}}
    settings.DEBUG = True
    assert "neuroinfo.E020" not in _errors()


# --- three workers on the shipped defaults -------------------------------------------------
@pytest.fixture(params=["database", "redis"])
def default_site(request, tmp_path):
    """A site on the shipped defaults: debug off, three workers, no CACHE_URL (the
    database cache); and the same with Redis, where each worker learns of changes
    on its generation feed instead of asking (``neuroinfo.generation_feed``)."""
    redis_server = None
    if request.param == "redis":
        redis_server = RedisServer(tmp_path)
        redis_server.start()
        request.addfinalizer(redis_server.stop)
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        database_url, drop = _postgres_database(f"workers_{os.getpid()}")
    else:
        database_url, drop = f"sqlite:///{tmp_path / 'site.sqlite3'}", None
    port = _free_port()
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "CACHE_", "WEB_", "GUNICORN_"))
        },
        "DJANGO_SECRET_KEY": "workers-test-key-" + "x" * 40,
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "DJANGO_LOG_LEVEL": "WARNING",
        "DATABASE_URL": database_url,
        "WEB_CONCURRENCY": "3",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "DJANGO_SUPERUSER_USERNAME": "editor",
        "DJANGO_SUPERUSER_EMAIL": "editor@example.org",
        "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
    }
    if redis_server is not None:
        env["CACHE_URL"] = f"redis://127.0.0.1:{redis_server.port}/0"

    def manage(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )

    for command in (
        ["migrate", "--no-input", "-v0"],  # creates the cache table too
        ["load_content"],
        ["collectstatic", "--no-input", "-v0"],
        ["createsuperuser", "--no-input"],
    ):
        result = manage(*command)
        assert result.returncode == 0, result.stderr
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py",
         "--no-control-socket"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if _fetch(base + "/healthz") == "ok\n":
                break
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                server.kill()
                raise
            time.sleep(0.2)
    yield base, manage
    server.terminate()
    server.wait(timeout=30)
    if drop:
        drop()


def _many(base: str, path: str, count: int = 30) -> list[str]:
    """``count`` requests at once, spread over the workers."""
    with ThreadPoolExecutor(max_workers=6) as pool:
        return list(pool.map(lambda _n: _fetch(base + path), range(count)))


def test_an_admin_save_is_seen_by_every_worker_at_once(default_site):
    base, manage = default_site
    checked = manage("check", "--deploy", "--fail-level", "ERROR")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "neuroinfo.E020" not in checked.stdout + checked.stderr

    for path, title in ((EN, "Surgery"), (FR, "Chirurgie")):
        assert all(title in page for page in _many(base, path))  # cached everywhere
    pk = manage(
        "shell",
        "-c",
        "from neuroinfo.models import Treatment; "
        "print(Treatment.objects.get(key='surgery').pk)",
    ).stdout.split()[-1]
    editor = AdminSession(base)
    editor.login("editor", PASSWORD)
    landed = editor.change(
        f"/admin/neuroinfo/treatment/{pk}/change/",
        title_en="Surgery, seen by every worker",
        title_fr="Chirurgie, vue par chaque processus",
    )
    assert landed.endswith("/admin/neuroinfo/treatment/"), landed

    en = _many(base, EN)
    assert sum("Surgery, seen by every worker" in page for page in en) == 30
    fr = _many(base, FR)
    assert sum("Chirurgie, vue par chaque processus" in page for page in fr) == 30
