"""One index build per content change for every worker, not one per worker.

Each process keeps the index of each language it has used, tagged with the content
generation (``generation.generation``). When the generation moves, the process looks for
the index in the shared cache (Redis, or the database cache table), under a key naming
the generation, the language, the release and the index format. The first process to
miss takes a short lock there (``cache.add``), builds, and stores the serialised index;
the others wait for it (at most ``WAIT`` seconds) and load it, which takes a fraction of
a build. When the cache does not answer, each process builds its own, as before.
"""

import logging
import threading
import time

from django.core.cache import cache

from neuroinfo import cache as health
from neuroinfo import pagecache
from neuroinfo.generation import generation as current_generation
from neuroinfo.search import index as search_index
from neuroinfo.search.index import Index

logger = logging.getLogger(__name__)
WAIT = 10.0  # seconds a worker waits for another's build before building its own
POLL = 0.05
LOCK_TIMEOUT = 60  # a build that crashed frees the lock after this long
TIMEOUT = pagecache.PAGE_TIMEOUT  # old generations' indexes simply expire

_lock = threading.Lock()
_memo: dict[str, tuple[str, Index]] = {}
# What this process did, for tests and the bench: built, loaded from the cache.
counts = {"built": 0, "loaded": 0}


def _key(generation: str, language: str, what: str = "index") -> str:
    release = pagecache.RELEASE
    return f"neuroinfo:search:{what}:{search_index.FORMAT}:{release}:{generation}:{language}"


def _load(blob: bytes | None) -> Index | None:
    if blob is None:
        return None
    try:
        index = search_index.loads(blob)
    except (ValueError, EOFError, TypeError):  # another format's leftovers: rebuild
        return None
    counts["loaded"] += 1
    return index


def _build(language: str) -> Index:
    counts["built"] += 1
    return search_index.build(language)


def _answering(mark: int) -> bool:
    return health.answered_since(mark) and not health.resting()


def _shared(generation: str, language: str) -> Index:
    """The index for a generation: from the cache, else built here (and stored)."""
    key, lock = _key(generation, language), _key(generation, language, "building")
    if health.resting():  # it failed a moment ago: no cache call, no waiting
        return _build(language)
    mark = health.failures()
    found = _load(cache.get(key))
    if found is not None:
        return found
    if cache.add(lock, 1, LOCK_TIMEOUT):
        try:
            built = _build(language)
            cache.set(key, search_index.dumps(built), TIMEOUT)
        finally:
            cache.delete(lock)
        return built
    deadline = time.monotonic() + WAIT
    while _answering(mark) and time.monotonic() < deadline:
        time.sleep(POLL)  # another worker is building it
        found = _load(cache.get(key))
        if found is not None:
            return found
        if cache.get(lock) is None:  # it gave up or its result was evicted
            break
    logger.info("search index for %s built without the shared cache", language)
    return _build(language)


def index_for(language: str) -> Index:
    """This language's index for the current content: at most one build per change
    for all workers, at most one load per change and worker."""
    generation = current_generation()
    held = _memo.get(language)
    if held is not None and held[0] == generation:
        return held[1]
    with _lock:  # one build or load per change, not one per concurrent request
        held = _memo.get(language)
        if held is not None and held[0] == generation:
            return held[1]
        found = _shared(generation, language)
        _memo[language] = (generation, found)
        return found


def forget() -> None:
    """Drop this process's indexes, as a new worker starts (tests and the bench)."""
    with _lock:
        _memo.clear()
