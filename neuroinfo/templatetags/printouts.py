"""Template helpers for the printouts: what a sheet of paper needs to say in full."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute_url(context: template.Context, path: str) -> str:
    """The address a reader can type in from paper: ``path`` on this site's host.

    Public pages are cached per host (``neuroinfo.pagecache``), so each host's copy
    names itself.
    """
    return context["request"].build_absolute_uri(path)
