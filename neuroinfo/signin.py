"""Admin sign-in protection: two failure limits, and a lockout page people can read.

django-axes counts failed sign-ins per account from an address (``AXES_FAILURE_LIMIT``,
``AXES_LOCKOUT_PARAMETERS``). On its own that lets one address try a password against
every account (password spraying), so this handler also counts the failures of an
address across all accounts, with its own, higher limit
(``NEUROINFO_SIGNIN_ADDRESS_LIMIT``): a clinic behind one shared address is not locked
out by a few typos of different people. Both counts use the records axes already keeps
and its cool-off time; the client address is ``neuroinfo.clients.client_address``.
"""

from datetime import timedelta

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.timesince import timesince
from django.utils.translation import gettext as _


def address_failures(request: HttpRequest) -> int:
    """Failed sign-ins from this request's address, for any account, within the cool-off."""
    attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    total = attempts.aggregate(total=Sum("failures_since_start"))["total"]
    return total or 0


class SignInHandler(AxesDatabaseHandler):
    """axes' database handler, with a second limit per address across accounts.

    axes compares ``get_failures`` with the failure limit both to refuse a sign-in and
    to lock out after a failure, so this one method is where the address limit joins
    in: once the address has used its own limit, its failures count as the account
    limit reached, for every account.
    """

    def get_failures(self, request, credentials: dict | None = None) -> int:
        failures = super().get_failures(request, credentials)
        if address_failures(request) >= settings.NEUROINFO_SIGNIN_ADDRESS_LIMIT:
            return max(failures, get_failure_limit(request, credentials))
        return failures


def duration_text(cool_off: timedelta) -> str:
    """A lockout's length in words, in the active language ("1 hour", "1 heure")."""
    now = timezone.now()
    return timesince(now - cool_off, now).replace("\xa0", " ")


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """The page a locked-out sign-in gets (AXES_LOCKOUT_CALLABLE).

    In the reader's language (the admin's: their browser's), styled as the admin's
    sign-in page, saying how long the pause lasts; 429 with ``Retry-After``.
    """
    cool_off = get_cool_off(request)
    context = {
        **admin.site.each_context(request),
        "title": _("Sign-in paused"),
        "duration": duration_text(cool_off) if cool_off else "",
    }
    response = render(
        request,
        "admin/lockout.html",
        context,
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    if cool_off:
        response.headers["Retry-After"] = str(int(cool_off.total_seconds()))
    add_never_cache_headers(response)
    return response
