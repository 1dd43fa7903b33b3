"""Each process's own copy of the content generation, kept current by Redis pub/sub.

A cached page is fresh when its generation is the current one. Asking Redis for the
generation on every hit costs a round trip, as much as the rest of the hit. So each
process subscribes once to a channel on which every new copy of the generation is
announced (``announce``, called wherever the copy is written), and keeps the latest.

The copy is trusted only while the subscription proves itself:

- the process pings Redis on the subscription every ``PING_EVERY`` seconds, and
  trusts its copy only for ``TRUST_FOR`` seconds after the last answer, so a Redis
  that hangs (or a network that drops packets) stops being trusted within a second,
  and the page cache falls back to asking the cache, then the database
  (``neuroinfo.pagecache``);
- a dropped connection (Redis restarted, the link cut) is seen at the next request,
  and the process asks the cache again until it has subscribed anew;
- a cache call that fails in this process (``neuroinfo.cache`` then holds the cache
  suspect) drops the subscription: an announcement may have been lost. The process
  subscribes again, and reads the copy anew, once the page cache has checked the
  copy against the database;
- the copy is read after the subscription is confirmed, so no announcement made
  after that read can be missed.

Messages are read by the request's own thread, without waiting: an announcement is
on this process's socket before the change's own response has left (Redis writes
both in the same turn), so the next request anywhere sees the change.

Only the django-redis cache has a feed; with any other cache (the database table,
the in-process cache of development) ``current`` is always None.
"""

import contextlib
import logging
import os
import time

import redis
from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.dispatch import receiver

from neuroinfo import cache as health

KEY = "neuroinfo:generation"  # the cache key of the generation's copy
PING_EVERY = 0.25  # seconds between two pings on the subscription
TRUST_FOR = 1.0  # seconds a ping's answer vouches for the copy
SUBSCRIBE_EVERY = 1.0  # seconds between two attempts to subscribe

logger = logging.getLogger("neuroinfo.cache")  # its failures count as cache failures


class _Feed:
    """This process's subscription: its connection and what it has learnt."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.connection: redis.Connection | None = None
        self.copy: str | None = None
        self.answered_at = float("-inf")
        self.pinged_at = float("-inf")
        self.tried_at = float("-inf")


_feed = _Feed()


def _redis() -> redis.Redis | None:
    """The raw client of the default cache, if it is django-redis."""
    client = getattr(cache, "client", None)
    get_client = getattr(client, "get_client", None)
    return get_client(write=True) if get_client else None


def _channel() -> str:
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    return f"{prefix}:{KEY}:announced"


def _drop(feed: _Feed) -> None:
    if feed.connection is not None:
        with contextlib.suppress(redis.RedisError, OSError):  # a dead socket
            feed.connection.disconnect()
    feed.connection, feed.copy = None, None


@receiver(setting_changed, dispatch_uid="neuroinfo.generation_feed.forget")
def _forget(*, setting: str, **kwargs) -> None:
    """A new cache (tests switch caches): the subscription to the old one is void."""
    if setting == "CACHES":
        forget()


def forget() -> None:
    """Drop the subscription; the next ``subscribe`` starts anew."""
    global _feed
    _drop(_feed)
    _feed = _Feed()


def _mine() -> _Feed:
    if _feed.pid != os.getpid():  # a worker forked after the parent subscribed
        forget()
    return _feed


def announce(copy: str) -> None:
    """Tell every process that ``copy`` is now the generation's copy (after writing
    it to the cache)."""
    client = _redis()
    if client is None:
        return
    try:
        client.publish(_channel(), copy)
    except (redis.RedisError, OSError):  # counted: the cache is suspect now
        logger.error("announcing a new generation failed", exc_info=True)


def subscribe() -> None:
    """Subscribe this process, at most once per ``SUBSCRIBE_EVERY``; called once the
    cache has just answered and its copy is trusted, so a Redis that is down costs
    nothing more."""
    feed = _mine()
    now = time.monotonic()
    if (
        feed.connection is not None
        or now - feed.tried_at < SUBSCRIBE_EVERY
        or health.suspect()  # the copy is not checked yet
    ):
        return
    feed.tried_at = now
    client = _redis()
    if client is None:
        return
    pool = client.connection_pool
    connection = pool.connection_class(**pool.connection_kwargs)
    try:
        connection.connect()
        connection.send_command("SUBSCRIBE", _channel())
        # The confirmation: every announcement from now on reaches this process.
        connection.read_response(push_request=True)
        copy = cache.get(KEY)
    except (redis.RedisError, OSError):
        logger.error("subscribing to generation changes failed", exc_info=True)
        connection.disconnect()
        return
    feed.connection = connection
    feed.copy = copy
    feed.answered_at = feed.pinged_at = time.monotonic()


def current() -> str | None:
    """The generation's copy, when this process's subscription vouches for it; None
    when the cache must be asked (no feed, no answer lately, a suspect cache)."""
    feed = _mine()
    connection = feed.connection
    if connection is None:
        return None
    if health.suspect():  # announcements may have been lost: read the copy anew
        _drop(feed)  # once the page cache has checked it (``subscribe``)
        return None
    now = time.monotonic()
    try:
        while connection.can_read(timeout=0):
            message = connection.read_response(push_request=True)
            if message[0] == b"message":
                feed.copy = message[2].decode()
            feed.answered_at = now  # an announcement or a ping's answer
        if now - feed.pinged_at >= PING_EVERY:
            connection.send_command("PING")
            feed.pinged_at = now
    except (redis.RedisError, OSError):
        logger.error("the generation feed was cut", exc_info=True)
        _drop(feed)
        return None
    if now - feed.answered_at > TRUST_FOR:
        return None
    return feed.copy
