""" "Was this page helpful?": answers from families, in two steps.

Public pages are cached whole and shared by everyone, so they carry no CSRF token:
their Yes / No buttons only *ask* (a GET to this view), and this view's own page, never
cached, carries the token and sends the answer (a POST). Nothing about the person is
asked or kept; a client is limited to a few answers in a short time (``ratelimit``).
"""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from neuroinfo import ratelimit
from neuroinfo.links import all_urls
from neuroinfo.models import Feedback
from neuroinfo.models.feedback import COMMENT_MAX_LENGTH

# The public pages that ask the question (url names in the neuroinfo namespace); those
# that show an item must name a published one. The printable guide does not ask.
ITEM_PAGES = {"home", "treatment", "risk_factor", "page"}
OTHER_PAGES = {"search", "explainer"}
RATE_SCOPE = "feedback"
# Seconds a client is asked to wait when the shared cache cannot count its answers.
UNAVAILABLE_RETRY = 120


def page_place(path: str) -> tuple[str, str] | None:
    """The language and item reference (``kind:key``, or "" for search) of a public
    page of this site that asks the question, or None for any other path."""
    codes = [code for code, _name in settings.LANGUAGES]
    language = path.split("/")[1] if path.count("/") > 1 else ""
    if not path.startswith("/") or path.startswith("//") or language not in codes:
        return None
    if len(path) > Feedback._meta.get_field("page").max_length or "?" in path:
        return None
    with override(language):  # the language prefix and slugs are per language
        try:
            match = resolve(path)
        except Resolver404:
            return None
    if match.namespace != "neuroinfo":
        return None
    if match.url_name in OTHER_PAGES:
        return language, ""
    if match.url_name not in ITEM_PAGES:
        return None
    refs = {urls[language]: ref for ref, urls in all_urls().items()}
    return (language, refs[path]) if path in refs else None


class FeedbackForm(forms.Form):
    """One answer: the page, yes or no, and an optional comment."""

    page = forms.CharField(max_length=300, widget=forms.HiddenInput)
    helpful = forms.TypedChoiceField(
        label=gettext_lazy("Was this page helpful?"),
        choices=[("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose Yes or No.")},
    )
    # No max_length here: the limit is checked in clean_comment, on the text with
    # line breaks counted once, as the browser's maxlength counts them.
    comment = forms.CharField(
        label=gettext_lazy("Comment (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"maxlength": COMMENT_MAX_LENGTH, "rows": 5}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, auto_id="feedback-%s", **kwargs)
        self.place: tuple[str, str] | None = None

    def clean_page(self) -> str:
        path = self.cleaned_data["page"]
        self.place = page_place(path)
        if self.place is None:
            raise forms.ValidationError(_("This is not a page of this guide."))
        return path

    def clean_comment(self) -> str:
        text = self.cleaned_data["comment"].replace("\r\n", "\n")
        if len(text) > COMMENT_MAX_LENGTH:
            raise forms.ValidationError(
                _(
                    "Your comment has %(count)s characters. Please shorten it to "
                    "%(limit)s characters or fewer."
                )
                % {
                    "count": number_format(len(text), force_grouping=True),
                    "limit": number_format(COMMENT_MAX_LENGTH, force_grouping=True),
                }
            )
        return text


def _page(request: HttpRequest, template: str, status: int = 200, **context):
    """A small page of the feedback steps: never cached, never indexed."""
    context = {"alternates": [], **context}
    response = render(request, template, context, status=status)
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _not_a_page(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        "neuroinfo/feedback_not_a_page.html",
        400,
        page_title=_("We could not take your answer"),
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    """Ask for an optional comment (GET), take the answer (POST), then thank."""
    if request.method == "POST":
        return _take(request)
    page = request.GET.get("page", "")
    if request.GET.get("sent"):
        back = page if page_place(page) else reverse("neuroinfo:home")
        return _page(
            request,
            "neuroinfo/feedback_thanks.html",
            page_title=_("Thank you for your answer"),
            back_url=back,
        )
    if page_place(page) is None:
        return _not_a_page(request)
    helpful = request.GET.get("helpful")
    form = FeedbackForm(
        initial={"page": page, "helpful": helpful if helpful in ("yes", "no") else None}
    )
    return _form_page(request, form)


def _form_page(request: HttpRequest, form: FeedbackForm, status: int = 200):
    return _page(
        request,
        "neuroinfo/feedback.html",
        status,
        form=form,
        page_title=_("Thank you. Tell us more (optional)"),
    )


def _refused(
    request: HttpRequest,
    form: "FeedbackForm",
    template: str,
    status: int,
    title: str,
    retry_after: int,
) -> HttpResponse:
    """An answer not taken (too many, or nothing can count them): say so, with a link
    back to the page and when to try again."""
    response = _page(
        request,
        template,
        status,
        page_title=title,
        back_url=form.cleaned_data["page"],
    )
    response.headers["Retry-After"] = str(retry_after)
    return response


def _take(request: HttpRequest) -> HttpResponse:
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        if "page" in form.errors:
            return _not_a_page(request)
        return _form_page(request, form, 400)
    try:
        wait = ratelimit.take(
            request,
            RATE_SCOPE,
            settings.FEEDBACK_RATE_LIMIT,
            settings.FEEDBACK_RATE_WINDOW,
        )
    except ratelimit.Unavailable:  # nothing can be counted: refuse, store nothing
        return _refused(
            request,
            form,
            "neuroinfo/feedback_unavailable.html",
            503,
            _("We cannot take answers right now"),
            UNAVAILABLE_RETRY,
        )
    if wait:
        return _refused(
            request,
            form,
            "neuroinfo/feedback_limit.html",
            429,
            _("Please wait a few minutes"),
            wait,
        )
    language, ref = form.place
    Feedback.objects.create(
        page=form.cleaned_data["page"],
        ref=ref,
        language=language,
        helpful=form.cleaned_data["helpful"],
        comment=form.cleaned_data["comment"],
    )
    query = urlencode({"sent": "1", "page": form.cleaned_data["page"]})
    return HttpResponseRedirect(f"{reverse('neuroinfo:feedback')}?{query}", status=303)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without its valid token (CSRF_FAILURE_VIEW): say so plainly, in
    the reader's language, with a link to get a fresh form (admin forms too)."""
    page = request.POST.get("page", "")
    if page_place(page):
        query = urlencode({"page": page, "helpful": request.POST.get("helpful", "")})
        again = f"{reverse('neuroinfo:feedback')}?{query}"
    else:
        again = request.get_full_path()
    return _page(
        request,
        "403_csrf.html",
        403,
        page_title=_("Your form expired"),
        again_url=again,
    )
