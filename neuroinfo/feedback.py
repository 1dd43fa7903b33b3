""" "Was this page helpful?": the answer counts at the first click; a comment may follow.

A page's Yes / No buttons post straight to ``answer`` (``feedback_votes`` says why
that is safe with no session, token or cookie on the cached page). The answer is
stored at once and the reply is the optional comment step: with JavaScript it takes
the question's place on the page, without it is a page of its own with a link back.
The comment (``submit``) is added to that answer, never counted as another one. A
client is limited to a few answers, and a few comments, in a short time
(``ratelimit``); nothing about the person is asked or kept.
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
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from neuroinfo import feedback_votes as votes
from neuroinfo import ratelimit
from neuroinfo.links import all_urls
from neuroinfo.models import Feedback
from neuroinfo.models.feedback import COMMENT_MAX_LENGTH

# The public pages that ask the question (url names in the neuroinfo namespace); those
# that show an item must name a published one. The printable guide does not ask.
ITEM_PAGES = {"home", "treatment", "risk_factor", "page"}
OTHER_PAGES = {"search", "explainer"}
RATE_SCOPE = "feedback"  # answers
COMMENT_RATE_SCOPE = "feedback-comment"  # comments, counted apart from answers
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


class AnswerForm(forms.Form):
    """One click: a page of this guide that asks the question, and Yes or No
    (nothing else is accepted)."""

    page = forms.CharField(max_length=300, widget=forms.HiddenInput)
    helpful = forms.TypedChoiceField(
        choices=[("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))],
        coerce=lambda value: value == "yes",
        error_messages={
            "required": gettext_lazy("Choose Yes or No."),
            "invalid_choice": gettext_lazy("Choose Yes or No."),
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.place: tuple[str, str] | None = None

    def clean_page(self) -> str:
        path = self.cleaned_data["page"]
        self.place = page_place(path)
        if self.place is None:
            raise forms.ValidationError(_("This is not a page of this guide."))
        return path


class CommentForm(forms.Form):
    """The optional comment about an answer already stored, named by its token."""

    vote = forms.CharField(widget=forms.HiddenInput, max_length=200)
    # No max_length here: the limit is checked in clean_comment, on the text with
    # line breaks counted once, as the browser's maxlength counts them.
    comment = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"maxlength": COMMENT_MAX_LENGTH, "rows": 5}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, auto_id="feedback-%s", **kwargs)
        self.answer: Feedback | None = None

    def clean_vote(self) -> str:
        self.answer = votes.answer_for(self.cleaned_data["vote"])
        if self.answer is None:
            raise forms.ValidationError("expired")  # never shown: its own page
        return self.cleaned_data["vote"]

    def clean_comment(self) -> str:
        text = self.cleaned_data["comment"].replace("\r\n", "\n")
        if not text.strip():
            raise forms.ValidationError(
                _(
                    "Write your comment before you select Send. You do not have to: "
                    "your answer is already saved."
                )
            )
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


def _not_from_here(request: HttpRequest) -> HttpResponse:
    """403 to a POST that did not come from a page of this site: nothing stored."""
    return _page(
        request,
        "neuroinfo/feedback_refused.html",
        403,
        page_title=_("We could not take your answer"),
    )


def _question(
    request: HttpRequest, page: str, form: AnswerForm | None = None, status: int = 200
) -> HttpResponse:
    """The question as a page of its own: for a link made by an older page (which
    asked with a GET) and a click that came without Yes or No."""
    return _page(
        request,
        "neuroinfo/feedback_question.html",
        status,
        page_title=_("Was this page helpful?"),
        feedback_page=page,
        error=form.errors["helpful"][0] if form and "helpful" in form.errors else "",
    )


def _comment_step(
    request: HttpRequest, form: CommentForm, answer: Feedback, status: int = 200
) -> HttpResponse:
    return _page(
        request,
        "neuroinfo/feedback.html",
        status,
        form=form,
        answer=answer,
        back_url=answer.page,
        page_title=_("Thank you, your answer is saved"),
    )


def _limited(
    request: HttpRequest, back_url: str, comment: bool = False
) -> HttpResponse | None:
    """None if this client may answer (or comment) now; else the page saying why not
    (too many in a short time, or nothing can count them), with a link back and when
    to try again."""
    scope = COMMENT_RATE_SCOPE if comment else RATE_SCOPE
    try:
        wait = ratelimit.take(
            request, scope, settings.FEEDBACK_RATE_LIMIT, settings.FEEDBACK_RATE_WINDOW
        )
    except ratelimit.Unavailable:  # nothing can be counted: refuse, store nothing
        template, status = "neuroinfo/feedback_unavailable.html", 503
        title, wait = _("We cannot take answers right now"), UNAVAILABLE_RETRY
    else:
        if not wait:
            return None
        template, status = "neuroinfo/feedback_limit.html", 429
        title = _("Please wait a few minutes")
    response = _page(
        request, template, status, page_title=title, back_url=back_url, comment=comment
    )
    response.headers["Retry-After"] = str(wait)
    return response


@csrf_exempt  # no session to protect: feedback_votes.from_this_site instead
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def answer(request: HttpRequest) -> HttpResponse:
    """Store a Yes or No the moment it is clicked (POST) and answer the optional
    comment step; a GET shows the question as a page of its own."""
    if request.method != "POST":
        return _ask(request)
    if not votes.from_this_site(request):
        return _not_from_here(request)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        if "page" in form.errors:
            return _not_a_page(request)
        return _question(request, form.cleaned_data["page"], form, 400)
    page = form.cleaned_data["page"]
    refused = _limited(request, page)
    if refused:
        return refused
    language, ref = form.place
    stored, remembered = votes.record(
        request, page, language, ref, form.cleaned_data["helpful"]
    )
    response = _comment_step(
        request, CommentForm(initial={"vote": votes.token(stored)}), stored
    )
    votes.remember(response, remembered)
    return response


def _ask(request: HttpRequest) -> HttpResponse:
    page = request.GET.get("page", "")
    if page_place(page) is None:
        return _not_a_page(request)
    return _question(request, page)


@csrf_exempt  # no session to protect: feedback_votes.from_this_site instead
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    """Take the optional comment about a stored answer (POST), then thank (GET
    ``?sent=1``); any other GET shows the question as a page of its own."""
    if request.method == "POST":
        return _take(request)
    if request.GET.get("sent"):
        page = request.GET.get("page", "")
        back = page if page_place(page) else reverse("neuroinfo:home")
        return _page(
            request,
            "neuroinfo/feedback_thanks.html",
            page_title=_("Thank you for your comment"),
            back_url=back,
        )
    return _ask(request)


def _take(request: HttpRequest) -> HttpResponse:
    if not votes.from_this_site(request):
        return _not_from_here(request)
    form = CommentForm(request.POST)
    valid = form.is_valid()
    if form.answer is None:  # the token is altered or too old: the answer stands
        page = request.POST.get("page", "")
        return _page(
            request,
            "neuroinfo/feedback_expired.html",
            400,
            page_title=_("Your comment was not sent"),
            back_url=page if page_place(page) else reverse("neuroinfo:home"),
        )
    if not valid:
        return _comment_step(request, form, form.answer, 400)
    refused = _limited(request, form.answer.page, comment=True)
    if refused:
        return refused
    form.answer.comment = form.cleaned_data["comment"]
    form.answer.save(update_fields=["comment"])
    query = urlencode({"sent": "1", "page": form.answer.page})
    return HttpResponseRedirect(f"{reverse('neuroinfo:feedback')}?{query}", status=303)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without its valid token (CSRF_FAILURE_VIEW: the admin's forms,
    the feedback needs none): say so plainly, in the reader's language, with a link
    to get a fresh form."""
    return _page(
        request,
        "403_csrf.html",
        403,
        page_title=_("Your form expired"),
        again_url=request.get_full_path(),
    )
