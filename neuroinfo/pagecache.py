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

A page this process keeps is answered in front of Django (``neuroinfo.pagehits``)
while its generation feed (Redis pub/sub, ``neuroinfo.generation_feed``) vouches that
the generation has not changed: no round trip, no middleware. Other hits are answered
by ``CachedPageMiddleware``, the first middleware after the request log, before any
other runs. So that a hit is the very response a miss gave, headers
included, a page is stored on its way out of that middleware, with every header the
middleware inside it added (security, CSP, cache, language, length). A request that is
not a GET or HEAD never gets a stored page. One that carries the session cookie (a
signed-in editor) gets the page stored for everyone (a public page is the same for
every visitor, and its cookies are not read), but a page built for it is never stored.
"""

import datetime
import hashlib
import time
from collections.abc import Callable
from functools import partial, wraps

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control

from neuroinfo import cache as health
from neuroinfo import generation_feed as feed
from neuroinfo.generation import (
    GENERATION_KEY,
    answered,
    confirmed,
    forget_request,
    this_request,
)

PAGE_TIMEOUT = 24 * 60 * 60  # pages are replaced by generation, not by expiry


def _release() -> str:
    """A fingerprint of what shapes a page besides content: templates and translations."""
    digest = hashlib.sha256()
    for folder, pattern in (("templates", "**/*.html"), ("locale", "**/*.po")):
        for path in sorted((settings.BASE_DIR / folder).glob(pattern)):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


RELEASE = _release()


def _signed_in(request: HttpRequest) -> bool:
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def _page_key(request: HttpRequest, query: str = "") -> str:
    # The scheme and host are part of the key: pages carry absolute canonical and
    # hreflang URLs (and HSTS only over HTTPS). So is the day: the printable guide
    # shows the date it is printed on. The query string is not, but for the canonical
    # parameters of a view that reads them.
    path = f"{request.path}?{query}" if query else request.path
    where = f"{request.scheme}://{request.get_host()}{path}:{timezone.localdate()}"
    return f"neuroinfo:page:{RELEASE}:{hashlib.sha256(where.encode()).hexdigest()[:32]}"


# The pages this process served, by key: its own copy of the cache's entries, so a
# hit asks the cache only for the generation, not for the page again.
_pages: dict[str, dict] = {}
KEPT = 512  # pages at most (about 20 KB each); all forgotten at once beyond


def _keep(key: str, entry: dict) -> None:
    if len(_pages) >= KEPT:
        _pages.clear()
    _pages[key] = entry


# Where each kept page is asked for, as the WSGI request says it (scheme, Host header,
# path): its day and key, so ``kept`` finds it without building a request. Filled
# only by the middleware, for requests Django has accepted (the host among them).
_addresses: dict[tuple[str, str, str], tuple[datetime.date, str, str]] = {}


def _address(environ: dict) -> tuple[str, str, str] | None:
    """The scheme, host and path a request asks for, read as Django reads them
    (``HttpRequest.scheme``; the Host header, as ``get_host`` does without
    ``USE_X_FORWARDED_HOST``), or None when there is no plain answer."""
    host = environ.get("HTTP_HOST")
    if host is None or settings.USE_X_FORWARDED_HOST:
        return None
    scheme = environ.get("wsgi.url_scheme", "http")
    if settings.SECURE_PROXY_SSL_HEADER:
        header, secure = settings.SECURE_PROXY_SSL_HEADER
        value = environ.get(header)
        if value is not None:
            scheme = "https" if value.split(",", 1)[0].strip() == secure else "http"
    path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
    return scheme, host, path


def _remember(request: HttpRequest, key: str) -> None:
    address = _address(request.META)
    if address is not None:
        if len(_addresses) >= KEPT:
            _addresses.clear()
        _addresses[address] = (timezone.localdate(), key, request.path)


_day = {"date": datetime.date.min, "until": float("-inf")}


def _today() -> datetime.date:
    """The local date, worked out again only when the day ends."""
    now = time.time()
    if now >= _day["until"]:
        local = timezone.localtime()
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        _day["date"] = local.date()
        _day["until"] = (midnight + datetime.timedelta(days=1)).timestamp()
    return _day["date"]


def kept(environ: dict) -> tuple[dict, str] | None:
    """The page this process keeps for a WSGI request, with the path to log, when it
    is fresh by this process's generation feed (``generation_feed``): answered in
    front of Django (``neuroinfo.pagehits``). None: let Django answer."""
    if (
        environ.get("REQUEST_METHOD") != "GET"
        or "HTTP_IF_NONE_MATCH" in environ
        or "HTTP_IF_MODIFIED_SINCE" in environ
    ):
        return None
    address = _address(environ)
    found = _addresses.get(address) if address else None
    if found is None:
        return None
    day, key, path = found
    entry = _pages.get(key)
    if entry is None or "headers" not in entry or day != _today():
        return None
    if entry["generation"] != feed.current():
        return None
    return entry, path


def _lookup(request: HttpRequest, query: str = "") -> tuple[str, dict | None]:
    """The current generation and this page's entry, in one round trip (once per
    request and query): the generation alone when this process keeps the page."""
    held = request.__dict__.setdefault("_neuroinfo_page_cache", {})
    if query not in held:
        key = _page_key(request, query)
        mark = health.failures()
        mine = _pages.get(key)
        announced = feed.current()
        if announced is not None:  # the generation needs no asking for
            cached, entry = announced, mine or cache.get(key)
        elif health.resting():
            cached, entry = None, None
        elif mine is not None:  # only the generation needs asking for
            cached, entry = cache.get(GENERATION_KEY), mine
        else:
            found = cache.get_many([GENERATION_KEY, key])
            cached, entry = found.get(GENERATION_KEY), found.get(key)
        generation = confirmed(cached, mark)
        if announced is None and answered(mark):
            feed.subscribe()  # the cache answers: hear of changes from now on
        if mine is not None and entry is mine and not _fresh(generation, mine):
            # Stale here: maybe built since by another process.
            entry = cache.get(key) if answered(mark) else None
        if _fresh(generation, entry):
            _keep(key, entry)
        held[query] = (generation, entry)
        if not query:
            this_request(generation)  # what else the request builds uses it too
        # Not answering: the page is not stored either (each call may cost a timeout).
        request._neuroinfo_cache_down = not answered(mark)
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
            response = _from_entry(entry)
            if "headers" not in entry and _handed_over(request, canonical):
                response._neuroinfo_entry = entry  # stored once more, with headers
            return response
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
        response = _from_entry(entry)
        if _handed_over(request, canonical):
            response._neuroinfo_entry = entry
        elif not getattr(request, "_neuroinfo_cache_down", False) and not _signed_in(
            request
        ):
            cache.set(_page_key(request, canonical), entry, PAGE_TIMEOUT)
        return response

    return wrapper


def _handed_over(request: HttpRequest, query: str) -> bool:
    """Whether ``CachedPageMiddleware`` looked this page up and stores it on its way
    out, with the response's final headers."""
    return query == "" and getattr(request, "_neuroinfo_store_on_way_out", False)


def _replay(entry: dict) -> HttpResponse:
    """The stored response: its body and every header it was first served with."""
    response = HttpResponse(entry["content"])
    if "checked_headers" not in entry:  # once per entry and process
        checked = HttpResponse()
        for name, value in entry["headers"]:
            checked.headers[name] = value
        entry["checked_headers"] = checked.headers._store
    response.headers._store = entry["checked_headers"].copy()
    return response


def _storable(response: HttpResponse) -> bool:
    """A response the same for everyone: no cookie set, none read, shared-cacheable."""
    return (
        response.status_code == 200
        and not response.cookies
        and not response.streaming
        and "Cookie" not in response.headers.get("Vary", "")
        and "public" in response.headers.get("Cache-Control", "")
    )


class CachedPageMiddleware:
    """Answer a fresh cached page before any other middleware runs (but the request
    log); store a page built for a miss with its final headers, on its way out.

    Only public paths (under a language prefix) are looked up, under the key of a page
    that reads no parameter, for anonymous GET and HEAD requests; a request the rest
    of the stack would redirect to HTTPS, or that asks whether its copy is still
    fresh (answered 304 by ``ConditionalGetMiddleware``), goes on to the view like a
    miss, whose ``public_page`` decorator builds (or finds) the page.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self.prefixes = tuple(f"/{code}/" for code, _name in settings.LANGUAGES)

    def _looks_up(self, request: HttpRequest) -> bool:
        meta = request.META
        return (
            settings.PAGE_CACHE_ENABLED
            and request.method in ("GET", "HEAD")
            and request.path.startswith(self.prefixes)
            and "HTTP_IF_NONE_MATCH" not in meta
            and "HTTP_IF_MODIFIED_SINCE" not in meta
            and (not settings.SECURE_SSL_REDIRECT or request.is_secure())
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = this_request(None)  # nothing read yet by this request
        try:
            return self._answer(request)
        finally:
            forget_request(token)

    def _answer(self, request: HttpRequest) -> HttpResponse:
        if not self._looks_up(request):
            return self.get_response(request)
        try:
            generation, entry = _lookup(request)
        except DatabaseError:  # the generation is checked in a database that is down:
            return self.get_response(request)  # DatabaseOutageMiddleware answers 503
        if _fresh(generation, entry) and "headers" in entry:
            if _address(request.META) not in _addresses:
                _remember(request, _page_key(request))
            return _replay(entry)
        request._neuroinfo_store_on_way_out = True
        signed_in = _signed_in(request)  # read now: the stack may set the cookie
        response = self.get_response(request)
        entry = response.__dict__.pop("_neuroinfo_entry", None)
        down = getattr(request, "_neuroinfo_cache_down", False)
        if entry is not None and not down and not signed_in and _storable(response):
            entry = {**entry, "headers": list(response.items())}
            key = _page_key(request)
            cache.set(key, entry, PAGE_TIMEOUT)
            _keep(key, entry)
            _remember(request, key)
        return response
