"""Kept pages answered in front of Django: the WSGI application's first step.

A page this process has served from the page cache (``neuroinfo.pagecache``) and
still keeps is answered here, before Django builds a request or runs any middleware,
when this process's generation feed (``neuroinfo.generation_feed``) vouches that it
is fresh: the very status, headers and body the middleware would replay, with the
same log line. Everything else (another method, a conditional request, an address
not seen yet, a new day, a generation not vouched for) goes to Django, whose
``CachedPageMiddleware`` answers or builds the page as before.
"""

import time
from collections.abc import Callable, Iterable

from neuroinfo.middleware import log_request
from neuroinfo.pagecache import kept


class KeptPages:
    """Wraps Django's WSGI application."""

    def __init__(self, application: Callable) -> None:
        self.application = application

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        start = time.perf_counter()
        found = kept(environ)
        if found is None:
            return self.application(environ, start_response)
        entry, path = found
        start_response("200 OK", entry["headers"])
        log_request("GET", path, 200, start)
        return [entry["content"]]
