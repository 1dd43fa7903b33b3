"""The whole guide on one page, for printing (issue 5: being built)."""

from django.http import HttpRequest, HttpResponse


def guide(request: HttpRequest) -> HttpResponse:
    """Every published page in reading order, in the reader's language."""
    return HttpResponse("print")
