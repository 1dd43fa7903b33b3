"""Search of published content in the reader's language (issue 5: being built)."""

from django.http import HttpRequest, HttpResponse


def results(request: HttpRequest) -> HttpResponse:
    """The search page: a box, and what matches the query."""
    return HttpResponse("search")
