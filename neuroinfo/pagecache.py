"""Whole public pages in the shared cache, fresh the moment any content changes.

Each stored page is tagged with the content *generation* it was built from. Every
content change (admin save or delete, revert, load_content) stores a new generation
token in the database, in the change's own transaction (``ContentGeneration``), and
once it commits copies it to the cache, so every page in both languages is stale at
once, on every app server that shares the cache. A request reads the cache's copy of
the generation and its page in one round trip (``get_many``): a cached page needs no
database.

When the cache fails (Redis unreachable or too slow: ``neuroinfo.cache``), reads are
misses and writes do nothing: pages are built from the database and answer 200. The
database holds the generation, so an outage cannot lose a change:

- a cache without a copy (new, flushed, restarted, or not answering) is never taken
  to mean "no content yet": the token is read from the database and copied back;
- a content change made while the cache does not answer cannot replace the copy, so
  the cache may come back holding the old generation with the old pages tagged with
  it. Every process that saw a cache call fail (the one that made the change among
  them) stops trusting the copy: each request reads the token from the database
  until the cache has answered a check from start to end; a copy that differs is
  replaced (and the token read again, in case a change committed meanwhile), so the
  old pages are never served as fresh. The one case left: a process that made no
  cache call during the whole outage trusts the copy until a process that did has
  replaced it (on its first request once Redis answers). It needs an outage in which
  Redis kept its data (stuck or cut off; the shipped ``deploy/redis.conf`` keeps
  nothing across a restart) and a change saved during it; closing it would mean a
  database read for every cached page.
- after a failure, a process leaves the cache alone for ``cache.RETRY_AFTER``
  (a second): the page is built from the database meanwhile.

Each copy is the database token plus a short suffix, new each time the copy is
written: a flushed cache starts a new copy, and everything keyed by it (the search
index of each server) is rebuilt once, as after a change.

Pages are keyed by host, path and day only: tracking parameters (``utm_*``,
``fbclid``...) and junk in the query string never create entries. A view that reads a
parameter names it (``public_page(query=...)``), and is stored only under that
parameter's canonical form. The search and the explainer are not stored here at all.

Keys also carry a release fingerprint (templates and translations), so pages built
by older code are never served after a deploy.
"""

import hashlib
import threading
import uuid
from collections.abc import Callable
from functools import partial, wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control

from neuroinfo import cache as health
from neuroinfo.models import ContentGeneration

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


def _copy_of(token: str) -> str:
    return f"{token}.{uuid.uuid4().hex[:8]}"


def content_changed() -> None:
    """Make every cached page stale: a new generation now (in the database, within
    the current transaction), copied to the cache once the transaction commits."""
    token = ContentGeneration.bump()
    transaction.on_commit(lambda: cache.set(GENERATION_KEY, _copy_of(token), None))


# While the cache does not answer, this process tags what it builds with one copy
# per database token, so its search index is not rebuilt for every search.
_offline = {"copy": ""}
_offline_lock = threading.Lock()


def _offline_copy(token: str) -> str:
    with _offline_lock:
        if not _offline["copy"].startswith(f"{token}."):
            _offline["copy"] = _copy_of(token)
        return _offline["copy"]


def _answered(mark: int) -> bool:
    return health.answered_since(mark) and not health.resting()


def _confirmed(cached: str | None, mark: int) -> str:
    """The current generation, given the cache's copy (None: it had none or did not
    answer) read when ``health.failures()`` was ``mark``."""
    if cached is not None and not health.suspect():
        return cached
    token = ContentGeneration.current()
    if cached is not None and cached.startswith(f"{token}."):
        health.checked(mark)
        return cached
    if not _answered(mark):  # nothing to compare with, nowhere to write
        return _offline_copy(token)
    copy = _copy_of(token)
    if cached is None:
        if not cache.add(GENERATION_KEY, copy, None):
            copy = cache.get(GENERATION_KEY) or copy  # another server's, just written
    else:  # an old copy: a change was made while the cache did not answer
        for _attempt in range(3):
            cache.set(GENERATION_KEY, copy, None)
            latest = ContentGeneration.current()
            if latest == token:  # no change committed meanwhile (its copy may be
                break  # older than the token read before it, so read it again)
            token, copy = latest, _copy_of(latest)
    if not _answered(mark):
        return _offline_copy(token)
    health.checked(mark)
    return copy


def generation() -> str:
    """The current content generation (for what is kept per change, as the search
    index), from the cache when it answers and can be trusted, else the database."""
    mark = health.failures()
    cached = None if health.resting() else cache.get(GENERATION_KEY)
    return _confirmed(cached, mark)


def _page_key(request: HttpRequest, query: str = "") -> str:
    # The host is part of the key: pages carry absolute canonical and hreflang URLs.
    # So is the day: the printable guide shows the date it is printed on. The query
    # string is not, but for the canonical parameters of a view that reads them.
    path = f"{request.path}?{query}" if query else request.path
    where = f"{request.get_host()}{path}:{timezone.localdate()}"
    return f"neuroinfo:page:{RELEASE}:{hashlib.sha256(where.encode()).hexdigest()[:32]}"


def _lookup(request: HttpRequest, query: str = "") -> tuple[str, dict | None]:
    """The current generation and this page's entry, in one round trip (once per
    request and query)."""
    held = request.__dict__.setdefault("_neuroinfo_page_cache", {})
    if query not in held:
        key = _page_key(request, query)
        mark = health.failures()
        found = {} if health.resting() else cache.get_many([GENERATION_KEY, key])
        held[query] = (_confirmed(found.get(GENERATION_KEY), mark), found.get(key))
        # Not answering: the page is not stored either (each call may cost a timeout).
        request._neuroinfo_cache_down = not _answered(mark)
    return held[query]


def _fresh(generation: str, entry: dict | None) -> bool:
    return bool(entry) and entry["generation"] == generation


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


def public_page(
    view: Callable[..., HttpResponse] | None = None,
    *,
    query: Callable[[HttpRequest], str | None] | None = None,
):
    """Serve a public page from the cache, or build it and store it for everyone.

    ``query``, for a view that reads parameters: the canonical form of the ones it
    reads (never empty), or None when they are not canonical (the page is then built
    and not stored, so no variant of a parameter creates an entry).
    """
    if view is None:
        return partial(public_page, query=query)

    def built(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        return mark_public(response) if response.status_code == 200 else response

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or not settings.PAGE_CACHE_ENABLED:
            return built(request, *args, **kwargs)
        canonical = query(request) if query else ""
        if canonical is None:
            return built(request, *args, **kwargs)
        generation, entry = _lookup(request, canonical)
        if _fresh(generation, entry):
            return _from_entry(entry)
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
        if not getattr(request, "_neuroinfo_cache_down", False):
            cache.set(_page_key(request, canonical), entry, PAGE_TIMEOUT)
        return _from_entry(entry)

    return wrapper


class CachedPageMiddleware:
    """Serve a fresh cached page before sessions, locale and URL resolution run.

    Only public paths (under a language prefix) are looked up, under the key of a page
    that reads no parameter; a miss goes on to the view, whose ``public_page``
    decorator builds and stores the page. Responses it answers get the headers the
    skipped middleware would have added.
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
