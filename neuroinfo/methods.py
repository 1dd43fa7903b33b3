"""Every page answers only the HTTP methods it serves; anything else gets 405.

Public pages are read (GET, HEAD); the feedback views also take an answer and its
comment (POST); the admin reads and saves forms (GET, HEAD, POST). TRACE, PUT, DELETE,
PATCH, OPTIONS and any other method get ``405 Method Not Allowed`` with an ``Allow``
header, before CSRF or the view runs. Views are listed by URL name here, in one place: a new view is
read-only until it is added.
"""

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import ResolverMatch

from neuroinfo.middleware import Handler

READ = ("GET", "HEAD")
READ_AND_POST = ("GET", "HEAD", "POST")
# Views that take a form (namespaced URL names), and namespaces whose views all may.
POST_VIEWS = {"neuroinfo:feedback", "neuroinfo:feedback_answer"}
POST_NAMESPACES = {"admin"}


def allowed_methods(match: ResolverMatch) -> tuple[str, ...]:
    """The methods the view a URL resolved to serves."""
    if match.view_name in POST_VIEWS or POST_NAMESPACES & set(match.namespaces):
        return READ_AND_POST
    return READ


class AllowedMethodsMiddleware:
    """Answer 405 (with ``Allow``) to a method the resolved view does not serve."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func, view_args, view_kwargs
    ) -> HttpResponse | None:
        allowed = allowed_methods(request.resolver_match)
        if request.method not in allowed:
            return HttpResponseNotAllowed(allowed)
        return None
