"""At most N actions per client in any window of time, counted in the shared cache.

A client is known only by a salted hash of its address, never the address itself, and
only for as long as the window lasts. Each allowed action claims one of N slots with
``cache.add`` (atomic in Redis, the database cache and locmem) and a slot frees itself
``window`` seconds after it was claimed: so at most N actions fit in any window, even
when a burst reaches several app servers at once.

When the cache does not answer, nothing can be counted: ``take`` raises
``Unavailable`` rather than let every action through (or fail with an error), and the
caller refuses the action politely.
"""

import math
import time

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from neuroinfo import cache as health
from neuroinfo import clients


class Unavailable(Exception):
    """The shared cache did not answer: this client's actions cannot be counted."""


def client_address(request: HttpRequest) -> str:
    """The client's address, found as django-axes finds it (``neuroinfo.clients``)."""
    return clients.client_address(request)


def _slots(request: HttpRequest, scope: str, limit: int) -> list[str]:
    digest = salted_hmac(f"neuroinfo.ratelimit.{scope}", client_address(request))
    base = f"neuroinfo:rate:{scope}:{digest.hexdigest()[:32]}"
    return [f"{base}:{slot}" for slot in range(limit)]


def take(request: HttpRequest, scope: str, limit: int, window: int) -> int:
    """Count one action by this client: 0 if allowed, else seconds until it would be.

    Raises ``Unavailable`` when the cache could not count it.
    """
    keys = _slots(request, scope, limit)
    now = time.time()
    if health.resting():  # it failed a moment ago: do not wait for it again
        raise Unavailable
    mark = health.failures()
    held = cache.get_many(keys)
    _answered(mark)
    for key in keys:
        if key not in held:
            if cache.add(key, now, window):
                return 0
            _answered(mark)
    held = cache.get_many(keys) or {"": now}  # refreshed: slots taken meanwhile
    _answered(mark)
    return max(1, math.ceil(min(held.values()) + window - now))


def _answered(mark: int) -> None:
    """Stop at the first call the cache did not answer (each may cost a timeout)."""
    if not health.answered_since(mark):
        raise Unavailable
