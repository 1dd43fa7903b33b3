"""The benchmark's ceiling: Django with nothing in the way, serving a saved page.

`make bench` serves this module as its own URLconf from a third gunicorn, started with
``DJANGO_SETTINGS_MODULE=neuroinfo.settings_bare``: the site's settings with no
middleware at all. Its one view answers the response the page cache served for the
benchmarked page (status line aside, the same headers and body, byte for byte), read
once from the JSON file ``NEUROINFO_BENCH_BARE_PAGE`` names. So what is left to
measure is gunicorn and Django's own request handling: the WSGI request, one URL
pattern, an ``HttpResponse``. A cached page is measured against it (``bench/bench.py``).
"""

import json
import os
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.urls import path

PATH = "bench/bare/"


def _saved() -> tuple[bytes, list[tuple[str, str]]]:
    """The saved page: body bytes, and headers in the order they were served."""
    name = os.environ.get("NEUROINFO_BENCH_BARE_PAGE", "")
    if not name:
        return b"", []
    saved = json.loads(Path(name).read_text(encoding="utf-8"))
    return saved["body"].encode("utf-8"), [tuple(pair) for pair in saved["headers"]]


BODY, HEADERS = _saved()


def page(request: HttpRequest) -> HttpResponse:
    """The saved page's bytes, as they are, on every request."""
    response = HttpResponse(BODY)
    for name, value in HEADERS:
        response.headers[name] = value
    return response


urlpatterns = [path(PATH, page)]
