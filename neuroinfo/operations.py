"""Views for running the site: health check, error page, and a benchmark baseline."""

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.translation import get_language_from_path, override
from django.views.decorators.cache import never_cache

from neuroinfo.organisation import publisher
from neuroinfo.pagecache import mark_public

logger = logging.getLogger(__name__)
HEALTH_KEY = "neuroinfo:healthz"


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database and the cache answer; 503 otherwise, saying which part
    fails (pages still answer with the cache down, but a load balancer should hear
    of it); no details leak."""
    problems = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any failure means "not ready", whatever its kind
        logger.exception("health check: the database does not answer")
        problems.append("database unavailable")
    probe = uuid.uuid4().hex
    try:
        cache.set(HEALTH_KEY, probe, 10)
        cache_ok = cache.get(HEALTH_KEY) == probe
    except Exception:  # a cache that raises rather than ignoring its failures
        logger.exception("health check: the cache does not answer")
        cache_ok = False
    if not cache_ok:
        problems.append("cache degraded")
    if not problems:
        return HttpResponse("ok\n", content_type="text/plain")
    body = "".join(f"{problem}\n" for problem in problems)
    return HttpResponse(body, status=503, content_type="text/plain")


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on every page that names none (the admin)."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


def server_error(request: HttpRequest) -> HttpResponse:
    """A 500 page in the reader's language that needs neither database nor context."""
    language = get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    with override(language):
        context = {"page_title": "", "publisher": publisher(language)}
        html = render_to_string("500.html", context, request=None)
    return HttpResponse(html, status=500)


def constant(request: HttpRequest) -> HttpResponse:
    """The benchmark's floor: a fixed response as large as a page, through the same stack."""
    body = b"<!doctype html><title>constant</title>".ljust(
        settings.BENCH_RESPONSE_SIZE, b"x"
    )
    response = HttpResponse(body, content_type="text/html; charset=utf-8")
    response.headers["ETag"] = '"constant"'
    return mark_public(response)
