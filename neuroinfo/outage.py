"""A database outage answers a short 503 page in the reader's language, never a traceback.

Django turns an exception into a 500 response inside the middleware layer it was raised
in, so an outer middleware never sees the exception itself. The handler's
``got_request_exception`` signal runs while the exception is being handled, wherever it
was raised (a view, the session or auth middleware, a template): ``note_exception``
marks the request when that exception is a database outage, and
``DatabaseOutageMiddleware``, which wraps sessions, auth and the views, replaces that
request's 500 response with this module's 503 page.

The page is built without the database: language from the URL prefix (/en/, /fr/), then
the language cookie and Accept-Language, else English; no user, no session, no context
processor. A POST (an admin save) gets its submitted fields back, from ``request.POST``
alone: each one in a read-only text box the editor can copy, and a "Try saving again"
button that posts the same fields (CSRF token included, passwords never) to the same
address. The admin saves inside a transaction (``ModelAdmin.changeform_view``), so a
save the database drops midway leaves nothing written.
"""

import logging
import sys

from django.core.exceptions import FieldDoesNotExist
from django.core.signals import got_request_exception
from django.db import (
    DatabaseError,
    DataError,
    IntegrityError,
    InterfaceError,
    NotSupportedError,
    OperationalError,
    ProgrammingError,
    connections,
)
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language_from_request, override

from neuroinfo.organisation import publisher

logger = logging.getLogger(__name__)

# Seconds a client (or a crawler, or a CDN) should wait before asking again.
RETRY_AFTER = 60
# Posted fields never shown nor sent back: secrets, and the admin's submit buttons
# (the page has its own).
CSRF_FIELD = "csrfmiddlewaretoken"
_SUBMIT_BUTTONS = {"_save", "_continue", "_addanother", "_saveasnew"}
# Errors that say nothing of the connection: a bad value or a bug, not an outage.
_NOT_OUTAGE = (DataError, IntegrityError, NotSupportedError, ProgrammingError)
_MARK = "_neuroinfo_database_outage"


def _connection_lost() -> bool:
    """Whether an open database connection no longer answers."""
    for connection in connections.all(initialized_only=True):
        if connection.connection is not None and not connection.is_usable():
            return True
    return False


def is_outage(error: BaseException | None) -> bool:
    """Whether an exception (or one it was raised from) means the database is out of
    reach: it refused or dropped the connection, rather than refusing a query."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, OperationalError | InterfaceError):
            return True
        if isinstance(error, DatabaseError) and not isinstance(error, _NOT_OUTAGE):
            try:
                return _connection_lost()
            except Exception:  # checking failed too: the connection is gone
                return True
        error = error.__cause__ or error.__context__
    return False


@receiver(got_request_exception, dispatch_uid="neuroinfo.outage.note_exception")
def note_exception(sender, request: HttpRequest | None = None, **kwargs) -> None:
    """Mark a request whose unhandled exception is a database outage (the signal is
    sent while that exception is handled, so it is the current one)."""
    if request is not None and is_outage(sys.exc_info()[1]):
        setattr(request, _MARK, True)


class DatabaseOutageMiddleware:
    """Replace the 500 response of a request that failed for want of the database by
    the 503 page; put it outside sessions and auth, so their failures are caught too."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, _MARK, False) and response.status_code == 500:
            logger.warning(
                "database unavailable: %s %s answered 503", request.method, request.path
            )
            return outage_response(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception):
        """A view's exception: answer the 503 page at once, before any other handler."""
        if is_outage(exception):
            setattr(request, _MARK, True)
            logger.warning(
                "database unavailable: %s %s answered 503",
                request.method,
                request.path,
                exc_info=exception,
            )
            return outage_response(request)
        return None


def _labels(request: HttpRequest) -> dict[str, str]:
    """Field names of the admin form posted to, as its labels (model field names)."""
    try:
        model_admin = getattr(resolve(request.path_info).func, "model_admin", None)
    except Resolver404:
        return {}
    if model_admin is None:
        return {}
    labels = {}
    for name in request.POST:
        try:
            field = model_admin.model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        label = str(getattr(field, "verbose_name", name))
        labels[name] = label[:1].upper() + label[1:]
    return labels


def posted_fields(request: HttpRequest) -> tuple[list[dict], list[tuple[str, str]]]:
    """The posted fields to show back (name, label, value), and those only to send back
    (the CSRF token, empty fields, submit buttons); passwords are dropped."""
    if request.method != "POST":
        return [], []
    try:
        items = list(request.POST.lists())
    except Exception:  # an unreadable body: nothing to give back
        return [], []
    labels = _labels(request)
    shown, hidden = [], []
    for name, values in items:
        if "password" in name.lower():
            continue
        for value in values:
            if name == CSRF_FIELD or name in _SUBMIT_BUTTONS or not value.strip():
                hidden.append((name, value))
            else:
                shown.append(
                    {"name": name, "label": labels.get(name, name), "value": value}
                )
    return shown, hidden


def outage_response(request: HttpRequest) -> HttpResponse:
    """The 503 page in the reader's language, built from the request alone."""
    language = get_language_from_request(request, check_path=True)
    shown, hidden = posted_fields(request)
    with override(language):
        context = {
            "publisher": publisher(language),
            "retry_after": RETRY_AFTER,
            "posted": shown,
            "posted_hidden": hidden,
            "action": request.get_full_path() if request.method == "POST" else "",
            "is_post": request.method == "POST",
        }
        html = render_to_string("503.html", context, request=None)
    response = HttpResponse(html, status=503)
    response.headers["Retry-After"] = str(RETRY_AFTER)
    response.headers["Content-Language"] = language
    # Never kept by nginx, a CDN or the browser: the page is gone once the database is back.
    patch_cache_control(response, no_store=True, private=True)
    return response
