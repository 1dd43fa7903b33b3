"""Who stands behind the guide: the publishing organisation and who families should call.

Read from settings (the environment, see `.env.example`), in the reader's language, so
a hospital that runs the guide puts its own name, logo, address and phone line on every
page. The shipped defaults name no real hospital: families are sent to their own
child's care team.
"""

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core import checks
from django.http import HttpRequest
from django.templatetags.static import static
from django.utils.translation import get_language, gettext_lazy, override

DEFAULT_NAME = gettext_lazy("Neuroblastoma family guide (demonstration)")
DEFAULT_CALL = gettext_lazy(
    "Questions about your child's care? Call your child's care team. "
    "In an emergency, call 911."
)


@dataclass(frozen=True)
class Publisher:
    """The organisation as one page shows it, in one language."""

    name: str
    call: str  # the "who to call" line
    address: str = ""
    url: str = ""  # its own website
    logo: str = ""  # a path on this site


def _text(field: str, language: str) -> str:
    """A setting in this language, else in the site's default language."""
    values = settings.NEUROINFO_ORGANISATION[field]
    return values.get(language) or values.get(settings.LANGUAGE_CODE) or ""


def logo_url(value: str) -> str:
    """The logo's address: a path on this site as given, a static file through static().

    A static file missing from the collected files shows no logo rather than breaking
    every page (the system check below names it).
    """
    if not value or value.startswith("/"):
        return value
    try:
        return static(value)
    except ValueError:  # not in the manifest of collected static files
        return ""


@checks.register()
def check_logo(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """NEUROINFO_ORG_LOGO, when a static file, must be one of the site's static files."""
    value = settings.NEUROINFO_ORGANISATION["logo"]
    if value and not value.startswith("/") and not finders.find(value):
        return [
            checks.Error(
                f"NEUROINFO_ORG_LOGO names {value!r}, which is not a static file.",
                hint="Put the logo under static/ (e.g. static/img/logo.svg) or give "
                "a path on this site such as /media/logo.png.",
                id="neuroinfo.E001",
            )
        ]
    return []


@cache
def _defaults(language: str) -> tuple[str, str]:
    """The shipped name and "who to call" line in a language (translated once: every
    page asks for them, several times)."""
    with override(language):
        return str(DEFAULT_NAME), str(DEFAULT_CALL)


def publisher(language: str | None = None) -> Publisher:
    """The publishing organisation in a language (the active one by default)."""
    language = language or get_language() or settings.LANGUAGE_CODE
    default_name, default_call = _defaults(language)
    return Publisher(
        name=_text("name", language) or default_name,
        call=_text("call", language) or default_call,
        address=_text("address", language),
        url=_text("url", language),
        logo=logo_url(settings.NEUROINFO_ORGANISATION["logo"]),
    )


def publisher_context(request: HttpRequest) -> dict[str, Publisher]:
    """Context processor: ``publisher`` for the header, footer and printed cover."""
    return {"publisher": publisher()}
