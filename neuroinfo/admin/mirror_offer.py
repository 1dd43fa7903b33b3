"""The offer that comes with a mirrored-pair warning: one button changes the other
criterion too, so that the pair meets again.

The button posts only which pair it is about (the criterion to change in the URL, the
one it must meet as ``source``); the value is worked out again on the server from the
criteria as this editor sees them (``neuroinfo.mirrors.mismatches``), never read from
the post. It is then saved through the criterion's own change form, as if the editor
had typed it there: the same permissions and role rules (a translator never changes a
threshold), the same refusal when someone else has a change open on it, the same hold
for review on a published criterion for someone who may not publish, the same
history record and page updates.
"""

import reversion
from django.contrib import messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from neuroinfo import workflow
from neuroinfo.mirrors import MEETS, mirrors, mismatches
from neuroinfo.models import PendingChange, ResponseCriterion
from neuroinfo.notifications import display_name
from neuroinfo.roles import refused_columns

from . import banners

# The fields the offer may change: what makes two criteria meet.
MEETING = ("comparison", "threshold")


def wanted(source: ResponseCriterion) -> ResponseCriterion:
    """What a mirror of ``source`` must say to meet it (an unsaved criterion)."""
    return ResponseCriterion(
        comparison=MEETS[source.comparison],
        threshold=source.threshold,
        unit=source.unit,
    )


def described(criterion: ResponseCriterion) -> str:
    """“at most 30%”: a criterion's comparison and threshold, as the admin words them."""
    return f"{criterion.get_comparison_display()} {criterion.threshold_display}"


def offer(
    request: HttpRequest, source: ResponseCriterion, other: ResponseCriterion
) -> SafeString:
    """The button that changes ``other`` to meet ``source``; nothing for someone whose
    role may not change a threshold (the server refuses them anyway)."""
    if refused_columns(request.user, ResponseCriterion, list(MEETING)):
        return SafeString("")
    if other.comparison != MEETS[source.comparison]:
        return SafeString("")  # its statement's words must change too: by hand
    label = _("Change “%(other)s” to “%(wanted)s” too") % {
        "other": other.key,
        "wanted": described(wanted(source)),
    }
    return render_to_string(
        "admin/neuroinfo/mirror_offer.html",
        {
            "action": reverse(
                "admin:neuroinfo_responsecriterion_mirror", args=[other.pk]
            ),
            "source": source.pk,
            "label": label,
        },
        request=request,
    )


class MirrorOfferMixin:
    """The criterion admin's ``<pk>/mirror/`` URL, which the offer posts to."""

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_mirror"
        mirror = path(
            "<path:object_id>/mirror/",
            self.admin_site.admin_view(require_POST(self.mirror_view)),
            name=name,
        )
        return [mirror, *super().get_urls()]

    def mirror_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Change this criterion to meet the one named ``source``, then go back."""
        back = _back(request)
        target = self.get_object(request, unquote(object_id))
        source_id = request.POST.get("source", "")
        # As this editor sees them: their own held version, if they have one.
        source = self.get_object(request, source_id) if source_id.isdigit() else None
        if target is None or source is None:
            return self._refuse(request, back, _("Nothing was changed: no such pair."))
        names = {"other": target.key, "source": source.key}
        if not self.has_change_permission(request, target):
            return self._refuse(
                request, back, _("Nothing was changed: you may not change criteria.")
            )
        if target.pk not in {other.pk for other in mirrors(source)}:
            text = _("Nothing was changed: “%(other)s” does not mirror “%(source)s”.")
            return self._refuse(request, back, text % names)
        goal = wanted(source)
        unmet = {other.pk for other, _text in mismatches(source)}
        if target.pk not in unmet or all(
            getattr(target, name) == getattr(goal, name) for name in MEETING
        ):
            text = _("“%(other)s” already meets “%(source)s”: nothing was changed.")
            self.message_user(request, text % names, messages.INFO)
            return HttpResponseRedirect(back)
        if target.comparison != goal.comparison:
            # The statement words the comparison ("at least", "less than"): a
            # comparison changed here would leave the words saying another thing.
            text = _(
                "Nothing was changed: “%(other)s” must also change its comparison, "
                "and the words of its statement with it. Open it and change both."
            )
            return self._refuse(request, back, text % names)
        form = self._mirror_form(request, target, goal)
        if form is None:
            text = _(
                "Nothing was changed: your role may not change a criterion's "
                "comparison or threshold. Ask an editor or a medical reviewer to "
                "change “%(other)s”."
            )
            return self._refuse(request, back, text % names)
        if not form.is_valid():
            if form.has_error(NON_FIELD_ERRORS, "held_by_another"):
                return self._held_by_another(request, back, target)
            errors = " ".join(
                message for field in form.errors.values() for message in field
            )
            text = _("Nothing was changed in “%(other)s”: %(errors)s")
            return self._refuse(request, back, text % {**names, "errors": errors})
        try:
            self._save_mirror(request, form, source)
        except workflow.HeldByAnother:
            return self._held_by_another(request, back, target)
        except PermissionDenied:
            return self._refuse(
                request, back, _("Nothing was changed: your role may not do this.")
            )
        self._tell(request, target, source, goal)
        return HttpResponseRedirect(back)

    def _mirror_form(self, request, target, goal):
        """The criterion's change form as this user gets it, filled in as shown with
        the comparison and threshold that meet; None when the fields to change are
        read-only for this user's role (a translator's)."""
        form_class = self.get_form(
            request,
            target,
            change=True,
            fields=flatten_fieldsets(self.get_fieldsets(request, target)),
        )
        changing = [n for n in MEETING if getattr(target, n) != getattr(goal, n)]
        if any(name not in form_class.base_fields for name in changing):
            return None
        shown = form_class(instance=target)
        data = {name: shown[name].value() for name in shown.fields}
        data.update({name: getattr(goal, name) for name in MEETING})
        return form_class(data, instance=target)

    def _save_mirror(self, request, form, source) -> None:
        """Save as the change form's own save does, in one revision with a comment."""
        request._neuroinfo_mirror_source = source.pk  # no warning back about it
        with transaction.atomic(), self.create_revision(request):
            obj = self.save_form(request, form, change=True)
            self.save_model(request, obj, form, True)
            self.save_related(request, form, [], True)
            message = self.construct_change_message(request, form, [], False)
            self.log_change(request, obj, message)
            reversion.set_comment(
                _("Changed to meet “%(source)s”, which mirrors it.")
                % {"source": source.key}
            )

    def _tell(self, request, target, source, goal) -> None:
        """What happened: changed, or waiting for review (or withdrawn)."""
        names = {
            "other": target.key,
            "source": source.key,
            "wanted": described(goal),
        }
        if not getattr(request, "_neuroinfo_held", False):
            text = _("“%(other)s” now says “%(wanted)s”: it meets “%(source)s” again.")
            self.message_user(request, text % names, messages.SUCCESS)
            return
        change = request._neuroinfo_change
        if change is None:
            text, level = banners.held_message(None)
            self.message_user(request, text, level)
            return
        text = _(
            "Your change to “%(other)s” (“%(wanted)s”, to meet “%(source)s”) is "
            "saved and waiting for a medical reviewer. Families will see it once it "
            "is published."
        )
        link = format_html(
            '{} <a href="{}">{}</a>',
            text % names,
            banners.review_path(change),
            _("See what changed"),
        )
        self.message_user(request, link, messages.WARNING)

    def _held_by_another(self, request, back: str, target) -> HttpResponse:
        """Someone else's change is open on the criterion: it takes one at a time."""
        change = PendingChange.for_item(target)
        text = _(
            "Nothing was changed: %(author)s has a change to “%(other)s” that is not "
            "published yet (saved %(when)s), and a criterion takes one person's "
            "change at a time. Ask %(author)s or a medical reviewer."
        ) % {
            "author": display_name(change.author),
            "other": target.key,
            "when": banners.when(change.updated_at),
        }
        link = format_html(
            '{} <a href="{}">{}</a>',
            text,
            banners.review_path(change),
            _("See the change"),
        )
        self.message_user(request, link, messages.ERROR)
        return HttpResponseRedirect(back)

    def _refuse(self, request, back: str, text: str) -> HttpResponse:
        self.message_user(request, text, messages.ERROR)
        return HttpResponseRedirect(back)


def _back(request: HttpRequest) -> str:
    """The admin page the editor posted from (its Referer), else the criteria list."""
    referer = request.headers.get("referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return reverse("admin:neuroinfo_responsecriterion_changelist")
