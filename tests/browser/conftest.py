"""Browser tests: Debian's Chromium driven by Playwright against the live server.

The live server runs with debug off and the production security settings, except
the HTTPS redirect (it speaks plain HTTP) and plain static names (no collectstatic),
so these tests see the same Content-Security-Policy as production.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models import F
from django.test import override_settings

from tests.browser.helpers import WATCH_CSP, BrowserProblems

# Playwright's sync API runs an event loop in this thread; Django would otherwise
# refuse database access from it (SynchronousOnlyOperation).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.fail(
            f"No Chromium at {CHROMIUM}: install it (apt-get install chromium) "
            "or set CHROMIUM_PATH."
        )
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A Canadian English browser: the admin's messages come out in English."""
    return {**browser_context_args, "locale": "en-CA"}


@pytest.fixture(scope="session")
def _plain_http_server():
    """No HTTPS redirect in the live server, which speaks plain HTTP.

    Django's SecurityMiddleware reads SECURE_SSL_REDIRECT once, when the live server
    thread builds its handler at session scope: the per-test override in
    tests/conftest.py comes too late for it, and every page would answer 301 to
    https://. The same switch as DJANGO_SECURE_SSL_REDIRECT=0 in production on
    plain loopback HTTP; every other security setting stays as shipped.
    """
    with override_settings(SECURE_SSL_REDIRECT=False):
        yield


@pytest.fixture(scope="session")
def live_server(_plain_http_server, live_server):
    """pytest-django's live server, started after the redirect is switched off."""
    return live_server


_snapshot: list[dict] = []  # the loaded content's rows, taken by the first browser test


def _content_rows() -> list[dict]:
    """Every row of the app's models, parents before the rows that point at them."""
    from django.apps import apps
    from django.core import serializers

    rows = []
    for model in serializers.sort_dependencies(
        [("neuroinfo", list(apps.get_app_config("neuroinfo").get_models()))]
    ):
        items = model.objects.all()
        if any(f.name == "parent" for f in model._meta.fields):
            items = items.order_by(F("parent").asc(nulls_first=True), "pk")
        # Sources point at their item's content type by its name: a flush recreates
        # content types under new ids.
        rows += serializers.serialize("python", items, use_natural_foreign_keys=True)
    return rows


@pytest.fixture
def content(transactional_db):
    """The shipped content, loaded inside the test.

    The session-wide load in tests/conftest.py does not help here: a transactional
    test flushes the database when it ends, so each browser test needs its own copy.
    The first one loads the content files; the others write back the rows it left
    (a fraction of the time: nothing is rendered or measured again).
    """
    from django.core import serializers

    from neuroinfo.contentfiles.loader import load_tree

    if _snapshot:
        for row in serializers.deserialize("python", _snapshot):
            row.save()
        return
    load_tree(settings.CONTENT_DIR)
    _snapshot.extend(_content_rows())


@pytest.fixture
def roles(transactional_db):
    """The editorial roles: a transactional test's flush removed the migration's groups."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "neuroinfo.migrations.0003_roles_and_published_content"
    )
    migration.create_roles(apps, None)


@pytest.fixture
def problems(context, live_server) -> BrowserProblems:
    """CSP violations, console errors and uncaught errors from every page of the test."""
    found = BrowserProblems()
    context.expose_binding(
        "__reportCspViolation",
        lambda _source, violation: found.csp_violations.append(violation),
    )
    context.add_init_script(WATCH_CSP)
    context.on("console", found.on_console)
    context.on("weberror", lambda error: found.page_errors.append(str(error.error)))
    return found
