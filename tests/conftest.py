"""Shared fixtures: the shipped content loaded once, and a clean language per test."""

import shutil

import pytest
from django.conf import settings
from django.utils import translation


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
def _fast_password_hashing(settings):
    """Django's default hasher takes a second per password; tests need no such strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def content_copy(tmp_path):
    """A writable copy of the shipped content tree."""
    target = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR, target)
    return target
