"""Template helpers for the guide's pages."""

from django import template
from django.db.models import Model
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from neuroinfo.links import item_url
from neuroinfo.typography import french_spaces

register = template.Library()


@register.filter
def url(item: Model) -> str:
    """The item's address in the page's language."""
    return item_url(item, get_language() or "en")


@register.filter(is_safe=True)
def typography(text: str) -> str:
    """Plain text, escaped, with the spacing the page's language asks for (« 30 % »)."""
    escaped = conditional_escape(text)
    if (get_language() or "").startswith("fr"):
        return mark_safe(french_spaces(escaped))  # noqa: S308 (escaped just above)
    return escaped
