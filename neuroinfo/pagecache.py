"""Whole public pages in the shared cache, fresh the moment any content changes.

Each stored page is tagged with the content *generation* it was built from. Every
content change (admin save or delete, revert, load_content) replaces the generation
with a new random token once its transaction commits, so every page in both
languages is stale at once, on every app server that shares the cache. A request
reads the generation and its page in one round trip (``get_many``).

Keys also carry a release fingerprint (templates and translations), so pages built
by older code are never served after a deploy.
"""

import hashlib
import uuid
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control

GENERATION_KEY = "neuroinfo:generation"
PAGE_TIMEOUT = 24 * 60 * 60  # pages are replaced by generation, not by expiry


def _release() -> str:
    """A fingerprint of what shapes a page besides content: templates and translations."""
    digest = hashlib.sha256()
    for folder, pattern in (("templates", "**/*.html"), ("locale", "**/*.po")):
        for path in sorted((settings.BASE_DIR / folder).glob(pattern)):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


RELEASE = _release()


def content_changed() -> None:
    """Make every cached page stale, once the current transaction commits."""
    transaction.on_commit(lambda: cache.set(GENERATION_KEY, uuid.uuid4().hex, None))


def _page_key(request: HttpRequest) -> str:
    # The host is part of the key: pages carry absolute canonical and hreflang URLs.
    # So is the day: the printable guide shows the date it is printed on.
    where = f"{request.get_host()}{request.get_full_path()}:{timezone.localdate()}"
    return f"neuroinfo:page:{RELEASE}:{hashlib.sha256(where.encode()).hexdigest()[:32]}"


def _lookup(request: HttpRequest) -> tuple[str | None, dict | None]:
    """The current generation and this page's entry, in one round trip (once per request)."""
    if not hasattr(request, "_neuroinfo_page_cache"):
        found = cache.get_many([GENERATION_KEY, _page_key(request)])
        request._neuroinfo_page_cache = (
            found.get(GENERATION_KEY),
            found.get(_page_key(request)),
        )
    return request._neuroinfo_page_cache


def _fresh(generation: str | None, entry: dict | None) -> bool:
    return generation is not None and bool(entry) and entry["generation"] == generation


def mark_public(response: HttpResponse) -> HttpResponse:
    """Let browsers revalidate every time and shared caches keep the page briefly."""
    patch_cache_control(
        response,
        public=True,
        max_age=0,
        must_revalidate=True,
        s_maxage=settings.PAGE_CACHE_SHARED_MAX_AGE,
    )
    return response


def _from_entry(entry: dict) -> HttpResponse:
    response = HttpResponse(entry["content"], content_type=entry["content_type"])
    response.headers["ETag"] = entry["etag"]
    response.headers["Content-Language"] = entry["language"]
    return mark_public(response)


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a public page from the cache, or build it and store it for everyone."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or not settings.PAGE_CACHE_ENABLED:
            response = view(request, *args, **kwargs)
            return mark_public(response) if response.status_code == 200 else response
        generation, entry = _lookup(request)
        if _fresh(generation, entry):
            return _from_entry(entry)
        if generation is None:
            generation = uuid.uuid4().hex
            if not cache.add(GENERATION_KEY, generation, None):
                generation = cache.get(GENERATION_KEY)
        response = view(request, *args, **kwargs)
        if response.status_code != 200 or response.cookies or response.streaming:
            return response
        entry = {
            "generation": generation,
            "content": response.content,
            "content_type": response["Content-Type"],
            "etag": f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"',
            "language": request.LANGUAGE_CODE,
        }
        cache.set(_page_key(request), entry, PAGE_TIMEOUT)
        return _from_entry(entry)

    return wrapper


class CachedPageMiddleware:
    """Serve a fresh cached page before sessions, locale and URL resolution run.

    Only public paths (under a language prefix) are looked up; a miss goes on to the
    view, whose ``public_page`` decorator builds and stores the page. Responses it
    answers get the headers the skipped middleware would have added.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self.prefixes = tuple(f"/{code}/" for code, _name in settings.LANGUAGES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.PAGE_CACHE_ENABLED
            and request.method in ("GET", "HEAD")
            and request.path.startswith(self.prefixes)
        ):
            generation, entry = _lookup(request)
            if _fresh(generation, entry):
                response = _from_entry(entry)
                response.headers["X-Frame-Options"] = settings.X_FRAME_OPTIONS
                response.headers["Content-Length"] = str(len(response.content))
                return response
        return self.get_response(request)
