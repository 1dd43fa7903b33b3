"""Which content generation is current: a token in the database, copied to the shared
cache, moved by every content change. ``neuroinfo.pagecache`` explains how it keeps
cached pages fresh through a cache outage; the outline and the search index are kept
per generation too."""

import contextvars
import threading
import uuid

from django.core.cache import cache
from django.db import transaction

from neuroinfo import cache as health
from neuroinfo import generation_feed as feed
from neuroinfo.models import ContentGeneration

GENERATION_KEY = feed.KEY
_this_request: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "generation", default=None
)


def _copy_of(token: str) -> str:
    return f"{token}.{uuid.uuid4().hex[:8]}"


def content_changed() -> None:
    """Make every cached page stale: a new generation now (in the database, within
    the current transaction), copied to the cache once the transaction commits."""
    token = ContentGeneration.bump()
    transaction.on_commit(lambda: _write(_copy_of(token)))


def _write(copy: str) -> None:
    """Replace the cache's copy and tell every process (``generation_feed``)."""
    cache.set(GENERATION_KEY, copy, None)
    feed.announce(copy)


# While the cache does not answer, this process tags what it builds with one copy
# per database token, so its search index is not rebuilt for every search.
_offline = {"copy": ""}
_offline_lock = threading.Lock()


def _offline_copy(token: str) -> str:
    with _offline_lock:
        if not _offline["copy"].startswith(f"{token}."):
            _offline["copy"] = _copy_of(token)
        return _offline["copy"]


def answered(mark: int) -> bool:
    return health.answered_since(mark) and not health.resting()


def confirmed(cached: str | None, mark: int) -> str:
    """The current generation, given the cache's copy (None: it had none or did not
    answer) read when ``health.failures()`` was ``mark``."""
    if cached is not None and not health.suspect():
        return cached
    token = ContentGeneration.current()
    if cached is not None and cached.startswith(f"{token}."):
        health.checked(mark)
        return cached
    if not answered(mark):  # nothing to compare with, nowhere to write
        return _offline_copy(token)
    copy = _copy_of(token)
    if cached is None:
        if cache.add(GENERATION_KEY, copy, None):
            feed.announce(copy)
        else:
            copy = cache.get(GENERATION_KEY) or copy  # another server's, just written
    else:  # an old copy: a change was made while the cache did not answer
        for _attempt in range(3):
            _write(copy)
            latest = ContentGeneration.current()
            if latest == token:  # no change committed meanwhile (its copy may be
                break  # older than the token read before it, so read it again)
            token, copy = latest, _copy_of(latest)
    if not answered(mark):
        return _offline_copy(token)
    health.checked(mark)
    return copy


def generation() -> str:
    """The current content generation (for what is kept per change, as the search
    index and the outline), from the cache when it answers and can be trusted, else
    the database; read once per request (``this_request``)."""
    known = _this_request.get() or feed.current()
    if known is not None:
        return known
    mark = health.failures()
    cached = None if health.resting() else cache.get(GENERATION_KEY)
    return confirmed(cached, mark)


def this_request(value: str | None) -> contextvars.Token:
    """Remember the generation this request read (the page cache's lookup), so
    whatever else the request builds neither asks again nor, in an outage, pays
    another timeout; ``forget_request`` ends it when the request does."""
    return _this_request.set(value)


def forget_request(token: contextvars.Token) -> None:
    _this_request.reset(token)
