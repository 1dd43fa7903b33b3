"""Settings read from environment variables: yes/no, lists, text, an address, a
cache. Each refuses a value the site must not run with, naming the variable."""

import os

from django.core.exceptions import ImproperlyConfigured


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable ("1", "true", "yes", "on" mean yes)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated environment variable."""
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


def env_text(name: str) -> str:
    """Read a line of text ("" when unset)."""
    return os.environ.get(name, "").strip()


def per_language(name: str, read=env_text) -> dict[str, str]:
    """A setting in English (NAME) and in French (NAME_FR)."""
    return {"en": read(name), "fr": read(f"{name}_FR")}


def site_path(name: str) -> str:
    """A logo on this site only: a static file ("img/logo.svg") or a path ("/media/x.png").

    The strict CSP allows no image from another host, and families' browsers should
    make no request to a third party.
    """
    value = env_text(name)
    if value.startswith("//") or "://" in value or value.startswith("data:"):
        raise ImproperlyConfigured(
            f"{name} must be a static file path (img/logo.svg) or a path on this site "
            f"(/media/logo.png), not {value!r}: pages load nothing from other hosts."
        )
    return value


def web_address(name: str) -> str:
    """An organisation's web address: empty, or a full http(s) URL."""
    value = env_text(name)
    if value and not value.startswith(("https://", "http://")):
        raise ImproperlyConfigured(
            f"{name} must start with https:// or http://, not {value!r}"
        )
    return value


def cache_config(url: str) -> dict:
    """A cache from a URL: redis://host:port/db, db://table, locmem://, or dummy://.

    Redis goes through django-redis with its failures ignored (logged, counted by
    ``neuroinfo.cache``) and short timeouts: with Redis down or stuck, pages are built
    from the database a fraction of a second later instead of failing.
    """
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "neuroinfo"),
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": float(
                    os.environ.get("CACHE_CONNECT_TIMEOUT", "0.2")
                ),
                "SOCKET_TIMEOUT": float(os.environ.get("CACHE_SOCKET_TIMEOUT", "0.25")),
            },
        }
    if url.startswith("db://"):  # a table in the database, shared by every app server
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": url.removeprefix("db://") or "neuroinfo_cache",
        }
    if url.startswith("dummy://"):
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    if url.startswith("locmem://"):
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    raise ImproperlyConfigured(
        f"CACHE_URL must start with redis://, db://, locmem:// or dummy://, not {url!r}"
    )
