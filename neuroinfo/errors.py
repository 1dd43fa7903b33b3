"""Server errors reach a person, and carry nothing a visitor typed.

- ``admins_from``: who gets an email for each server error (``ADMINS``, from
  ``DJANGO_ADMINS``), sent by Django's ``AdminEmailHandler`` on ``django.request``.
- ``PrivateExceptionReporterFilter``: what those emails show of the request: no form
  value, cookie, session, local variable or client address (families' feedback and
  staff passwords are form values).
- ``OncePerInterval``: one email per kind of error and interval, so a database outage
  (every request answering 503) sends one email, not thousands.
- ``start_error_tracking``: optional error tracking with sentry-sdk, off unless
  ``SENTRY_DSN`` is set, sending no personal data (``scrub``).

Imported by the settings: nothing here may read settings at import time.
"""

import logging
import threading
import time
from email.utils import getaddresses

from django.views.debug import SafeExceptionReporterFilter

# Request headers that name or track a person (lower case).
PRIVATE_HEADERS = {
    "cookie",
    "authorization",
    "x-forwarded-for",
    "x-real-ip",
    "forwarded",
    "x-csrftoken",
}
PRIVATE_META = {
    "HTTP_COOKIE",
    "HTTP_AUTHORIZATION",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
    "HTTP_X_CSRFTOKEN",
    "REMOTE_ADDR",
    "REMOTE_HOST",
}


def admins_from(text: str) -> list[tuple[str, str]]:
    """People to email about errors, from "Name <a@b.org>, c@d.org" (ValueError if bad)."""
    if not text.strip():
        return []
    admins = []
    for name, address in getaddresses([text]):
        local, at, domain = address.partition("@")
        if not (local and at and "." in domain) or " " in address:
            raise ValueError(f"not an email address: {address or name!r}")
        admins.append((name or address, address))
    return admins


class PrivateExceptionReporterFilter(SafeExceptionReporterFilter):
    """Error reports (admin emails) without form values, cookies, sessions or addresses.

    With debug off, every posted value, every cookie and every local variable of the
    traceback is replaced by stars (their names stay, to help find the fault), as are
    the headers carrying a session, a token or the client's address. With debug on
    (a developer's own machine), Django's usual filtering applies.
    """

    def get_post_parameters(self, request):
        if request is None or not self.is_active(request):
            return super().get_post_parameters(request)
        return {name: self.cleansed_substitute for name in request.POST}

    def get_safe_cookies(self, request):
        if not self.is_active(request):
            return super().get_safe_cookies(request)
        return {name: self.cleansed_substitute for name in request.COOKIES}

    def get_safe_request_meta(self, request):
        meta = super().get_safe_request_meta(request)
        if self.is_active(request):
            for name in PRIVATE_META & set(meta):
                meta[name] = self.cleansed_substitute
        return meta

    def get_traceback_frame_variables(self, request, tb_frame):
        if not self.is_active(request):
            return super().get_traceback_frame_variables(request, tb_frame)
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]


def scrub(event: dict, hint: dict | None = None) -> dict:
    """Remove what identifies a person from an error event before it leaves (before_send).

    Form and body data, cookies, the query string (search words), private headers, the
    server environment (the client's address) and any user details.
    """
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("data", "cookies", "env", "query_string"):
            request.pop(key, None)
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {
                name: value
                for name, value in headers.items()
                if name.lower() not in PRIVATE_HEADERS
            }
    event.pop("user", None)
    return event


def start_error_tracking(
    dsn: str, environment: str = "", release: str = "", transport=None
) -> bool:
    """Send server errors to Sentry (or a compatible service) when a DSN is given.

    Without one, sentry-sdk is not even imported. Personal data stays out:
    ``send_default_pii`` off, no request bodies, no local variables, ``scrub`` on
    every event. ``transport`` is for tests (no network).
    """
    if not dsn:
        return False
    import sentry_sdk  # only when asked for

    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        release=release or None,
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        before_send=scrub,
        transport=transport,
    )
    return True


class OncePerInterval(logging.Filter):
    """Let through one record per kind of error (logger, status, exception type and
    message template) in any ``seconds``, per process.

    An outage makes every request fail the same way; the people on ADMINS need to hear
    it once, and again if it lasts, not once per request. The log itself keeps every
    line (this filter sits on the email handler only).
    """

    def __init__(self, seconds: float = 300) -> None:
        super().__init__()
        self.seconds = float(seconds)
        self._last: dict[tuple, float] = {}
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[0].__name__ if record.exc_info else ""
        kind = (record.name, getattr(record, "status_code", None), error, record.msg)
        now = time.monotonic()
        with self._lock:
            if now - self._last.get(kind, -self.seconds) < self.seconds:
                return False
            self._last[kind] = now
        return True
