"""Template helpers for the guide's pages."""

from django import template
from django.db.models import Model
from django.utils.translation import get_language

from neuroinfo.links import item_url

register = template.Library()


@register.filter
def url(item: Model) -> str:
    """The item's address in the page's language."""
    return item_url(item, get_language() or "en")
