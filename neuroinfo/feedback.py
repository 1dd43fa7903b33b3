""" "Was this page helpful?" answers from families (issue 5: being built)."""

from django.http import HttpRequest, HttpResponse


def submit(request: HttpRequest) -> HttpResponse:
    """Take one answer, with an optional comment."""
    return HttpResponse("feedback")
