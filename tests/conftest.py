"""Shared fixtures: the shipped content loaded once, and a clean language per test."""

import os
import shutil

import pytest
from django.conf import settings
from django.test.utils import override_settings
from django.utils import translation

from tests.helpers import empty_cache

# The suite's cache: in-process (fast) unless CACHE_URL names another, as CI's Redis.
# Without CACHE_URL and with debug off, the site itself uses the database cache; the
# settings are read before this file, hence an override rather than the environment.
if not os.environ.get("CACHE_URL"):
    override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    ).enable()


def _is_transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    return bool(
        (marker and marker.kwargs.get("transaction"))
        or "transactional_db" in fixtures
        or "live_server" in fixtures
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run transactional tests (the browser tests) after every other test.

    A transactional test empties the database when it ends, taking the content loaded
    once for the session with it; pytest-django's own ordering puts tests that reach the
    database only through other fixtures after them, so the order is made explicit.
    """
    items.sort(key=_is_transactional)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the shipped content once; each test runs in a transaction rolled back after."""
    from neuroinfo.contentfiles.loader import load_tree

    with django_db_blocker.unblock():
        load_tree(settings.CONTENT_DIR)


@pytest.fixture(autouse=True)
def _default_language():
    """A request to /fr/ leaves French active; start every test in the default language."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Fast password hashing, plain static names (no collectstatic), plain HTTP."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (its own Redis database in CI), and no
    copy of the generation heard on the feed in the test before."""
    empty_cache()
    yield
    empty_cache()


@pytest.fixture
def content_copy(tmp_path):
    """A writable copy of the shipped content tree."""
    target = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR, target)
    return target
