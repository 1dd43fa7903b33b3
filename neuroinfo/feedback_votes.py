"""A "Was this page helpful?" answer taken at the first click, with no session.

Public pages are cached whole and shared by everyone, so their Yes / No form carries
no per-visitor token: the answer is a small POST that needs neither a session nor a
CSRF cookie. What keeps it safe is what it accepts and where it must come from:

- only from this site's own pages: a browser's ``Sec-Fetch-Site``, when sent, must
  not say cross-site (or "none"), and its ``Origin`` (or, without one, its
  ``Referer``) must be this site. Another site cannot make a browser forge these
  headers, which is all a CSRF token would prove here (there is no session to ride).
  Anything else is refused (403) and nothing is stored;
- only about a published page of the guide, and only Yes or No (``feedback``);
- a few answers per client in a short time (``ratelimit``), as before;
- nothing about the person: an answer holds its page, language, Yes or No, an
  optional comment and the time.

At most one answer per page per browser: the answer's response sets one cookie,
``feedback``, holding only the numbers of the answers given from this browser,
signed so it can name no one else's. It goes back only to the answer's address
(``Path``), never with a page, so cached pages never see it; ``SameSite=Strict``,
``HttpOnly``, kept as long as the answers are (``FEEDBACK_RETENTION_DAYS``). A second
answer about the same page from the same browser changes the first (No after Yes:
one No, no Yes) instead of adding one. A browser that refuses cookies is counted at
each click.

The optional comment step names the answer by a signed token (``token``), valid for
``COMMENT_HOURS``: a comment is added to that answer, never counted as another.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from neuroinfo.models import Feedback

COOKIE = "feedback"
COOKIE_SALT = "neuroinfo.feedback.answers"
COMMENT_SALT = "neuroinfo.feedback.comment"
# The answers a browser's cookie remembers, newest first (about 8 bytes each).
REMEMBERED = 100
# How long after an answer its comment step still takes a comment.
COMMENT_HOURS = 24
# Sec-Fetch-Site values of a request a page of this site may have made.
SAME_SITE = {"same-origin", "same-site"}


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def from_this_site(request: HttpRequest) -> bool:
    """Whether a browser sent this POST from a page of this site (see the module).

    A request with none of the three headers is refused too: every current browser
    sends ``Origin`` with a form's POST.
    """
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site not in SAME_SITE:
        return False
    origin = request.headers.get("Origin")
    if origin is None:
        origin = _origin(request.headers.get("Referer", ""))
    if not origin:
        return False
    own = f"{request.scheme}://{request.get_host()}"
    return origin == own or origin in settings.CSRF_TRUSTED_ORIGINS


def remembered(request: HttpRequest) -> list[int]:
    """The numbers of the answers this browser gave (its signed cookie), newest first;
    an absent, altered or expired cookie names none."""
    value = request.get_signed_cookie(
        COOKIE, default="", salt=COOKIE_SALT, max_age=_cookie_age()
    )
    return [int(part) for part in value.split("-") if part.isdigit()][:REMEMBERED]


def record(
    request: HttpRequest, page: str, language: str, ref: str, helpful: bool
) -> tuple[Feedback, list[int]]:
    """Store this browser's answer about a page, or change the one it gave before;
    also what its cookie should remember from now on."""
    mine = remembered(request)
    answer = Feedback.objects.filter(pk__in=mine, page=page).first() if mine else None
    if answer is None:
        answer = Feedback.objects.create(
            page=page, ref=ref, language=language, helpful=helpful
        )
    elif answer.helpful != helpful:
        answer.helpful = helpful
        answer.save(update_fields=["helpful"])
    return answer, [answer.pk, *(pk for pk in mine if pk != answer.pk)][:REMEMBERED]


def remember(response: HttpResponse, answers: list[int]) -> None:
    """Set the cookie that names this browser's answers (see the module)."""
    response.set_signed_cookie(
        COOKIE,
        "-".join(str(pk) for pk in answers),
        salt=COOKIE_SALT,
        max_age=_cookie_age(),
        path=reverse("neuroinfo:feedback_answer"),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )


def _cookie_age() -> int:
    return settings.FEEDBACK_RETENTION_DAYS * 24 * 60 * 60


def token(answer: Feedback) -> str:
    """What the comment step sends to name its answer: signed, so no other."""
    return signing.TimestampSigner(salt=COMMENT_SALT).sign(str(answer.pk))


def answer_for(value: str) -> Feedback | None:
    """The answer a comment step's token names, or None if the token is altered,
    older than ``COMMENT_HOURS`` or its answer is gone."""
    try:
        pk = signing.TimestampSigner(salt=COMMENT_SALT).unsign(
            value, max_age=COMMENT_HOURS * 60 * 60
        )
    except signing.BadSignature:  # SignatureExpired included
        return None
    return Feedback.objects.filter(pk=int(pk)).first() if pk.isdigit() else None
