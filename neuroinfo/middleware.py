"""Request logging, and the headers every response carries."""

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

logger = logging.getLogger("neuroinfo.requests")

Handler = Callable[[HttpRequest], HttpResponse]


class RequestLogMiddleware:
    """One line per request on stdout: method, path, status and duration.

    The line is formatted once and handed to the logger's handlers directly: no
    search of the caller's frame, no deferred formatting (it is always written).
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        start = time.perf_counter()
        response = self.get_response(request)
        log_request(request.method, request.path, response.status_code, start)
        return response


def log_request(method: str, path: str, status: int, start: float) -> None:
    """The request's one line, for the middleware and for pages answered in front of
    Django (``neuroinfo.pagehits``) alike."""
    if logger.isEnabledFor(logging.INFO):
        took = (time.perf_counter() - start) * 1000
        line = f"{method} {path} {status} {took:.1f}ms"
        logger.handle(
            logger.makeRecord(logger.name, logging.INFO, __file__, 0, line, (), None)
        )


class SecurityHeadersMiddleware:
    """Permissions-Policy everywhere; responses tied to a visitor are never shared-cached.

    Public pages say themselves that they are public (see ``pagecache``); anything
    else that sets a cookie or depends on one (the admin, sign-in, CSRF tokens) is
    marked private so no proxy or CDN keeps it.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        varies_by_visitor = response.cookies or "Cookie" in response.headers.get(
            "Vary", ""
        )
        if varies_by_visitor:
            if "public" in response.headers.get("Cache-Control", ""):
                del response.headers["Cache-Control"]
            patch_cache_control(response, private=True, no_store=True)
        elif "Cache-Control" not in response.headers:
            patch_cache_control(response, no_cache=True)
        return response
