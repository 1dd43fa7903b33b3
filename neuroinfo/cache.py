"""Whether the shared cache answered: the Redis cache may fail, the site must not.

The Redis cache is django-redis with ``IGNORE_EXCEPTIONS`` (settings): when Redis is
unreachable or slow past its short socket timeouts, a read is a miss and a write does
nothing, so pages are built from the database and still answer 200. django-redis logs
each ignored failure to this module's logger; the filter below keeps count of them, so
code that must know whether the cache really answered (the page cache's generation, the
feedback limit, the health check) can tell an outage from a miss, and it turns each
traceback into one line, at most one every ``LOG_EVERY`` seconds per process.

After a failure a process leaves the cache alone for ``RETRY_AFTER`` seconds
(``resting``): a Redis that hangs costs one socket timeout per second and process, not
one per call.
"""

import logging
import threading
import time

logger = logging.getLogger(__name__)
LOG_EVERY = 10.0  # seconds between two log lines about the same outage
RETRY_AFTER = 1.0  # seconds without cache calls after one failed


class _Health:
    """Failures seen by this process, and whether the cache may hold a stale
    generation (a failure since the page cache last checked it against the
    database)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.failures = 0
        self.suspect = False
        self.failed_at = float("-inf")
        self.logged_at = float("-inf")
        self.unlogged = 0


_health = _Health()


class _RecordFailure(logging.Filter):
    """Count an ignored cache failure; let one short line through now and then."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        now = time.monotonic()
        with _health.lock:
            _health.failures += 1
            _health.suspect = True
            _health.failed_at = now
            if now - _health.logged_at < LOG_EVERY:
                _health.unlogged += 1
                return False
            skipped, _health.unlogged, _health.logged_at = _health.unlogged, 0, now
        cause = getattr(error, "__cause__", None) or error
        record.msg = "cache unavailable, pages are built from the database: %s%s"
        record.args = (
            f"{type(cause).__name__}: {cause}",
            f" ({skipped} more failures)" if skipped else "",
        )
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.exc_info = record.exc_text = None
        return True


# Counted whatever the log level: a failure must make the cache suspect even when
# DJANGO_LOG_LEVEL hides errors.
logger.setLevel(logging.WARNING)
logger.addFilter(_RecordFailure())


def failures() -> int:
    """How many cache calls of this process have failed so far (a mark to compare)."""
    return _health.failures


def answered_since(mark: int) -> bool:
    """True if no cache call of this process failed since ``failures()`` was ``mark``."""
    return _health.failures == mark


def resting() -> bool:
    """True for ``RETRY_AFTER`` seconds after a failure: skip the cache meanwhile."""
    return time.monotonic() - _health.failed_at < RETRY_AFTER


def suspect() -> bool:
    """True if a cache call failed since the generation was last checked."""
    return _health.suspect


def checked(mark: int) -> None:
    """The generation was checked against the database and the cache answered
    throughout (since ``mark``): trust the cache again."""
    with _health.lock:
        if _health.failures == mark:
            _health.suspect = False


def reset() -> None:
    """Forget past failures (tests that break the cache on purpose call this)."""
    with _health.lock:
        _health.failures = 0
        _health.suspect = False
        _health.failed_at = float("-inf")
        _health.logged_at = float("-inf")
        _health.unlogged = 0
