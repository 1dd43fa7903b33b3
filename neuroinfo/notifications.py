"""Telling staff who must act next, by email.

A change that starts waiting goes to everyone who may publish; a decision goes to
the change's author; the daily digest lists reviews due to everyone who reviews.
Staff read both languages of the guide and the site keeps no language per person, so
each email says it in every language of the site, English first. Links are absolute,
from NEUROINFO_SITE_URL.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mass_mail
from django.db import models
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from neuroinfo.models import PendingChange

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
SEPARATOR = "\n\n----------\n\n"


def site_url(path: str) -> str:
    """An absolute address on the admin's site, for links in emails."""
    return settings.NEUROINFO_SITE_URL.rstrip("/") + path


def review_url(change: PendingChange) -> str:
    """The page where a held change is read as a diff and decided."""
    return site_url(reverse("admin:neuroinfo_pendingchange_change", args=[change.pk]))


def users_with(permission: str) -> models.QuerySet:
    """Active users holding a permission (directly, through a group, or as superusers)
    who have an email address."""
    users = get_user_model().objects.with_perm(
        permission, is_active=True, include_superusers=True, backend=MODEL_BACKEND
    )
    return users.exclude(email="").order_by("pk")


def display_name(user: AbstractBaseUser | None) -> str:
    if user is None:
        return "–"
    return user.get_full_name() or user.get_username()


def _render(template: str, context: dict) -> tuple[str, str]:
    """A subject and body in every language of the site (items print their title in
    the language being rendered)."""
    subjects, bodies = [], []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            subject = render_to_string(f"admin/emails/{template}_subject.txt", context)
            subjects.append(" ".join(subject.split()))
            bodies.append(render_to_string(f"admin/emails/{template}.txt", context))
    return " / ".join(subjects), SEPARATOR.join(body.strip() for body in bodies) + "\n"


def _send(subject: str, body: str, recipients: list[str]) -> int:
    """One email per recipient (nobody sees the others' addresses)."""
    sender = settings.DEFAULT_FROM_EMAIL
    return send_mass_mail([(subject, body, sender, [to]) for to in recipients])


def _change_context(change: PendingChange) -> dict:
    model = change.content_type.model_class()
    item = model.objects.filter(pk=change.object_id).first()  # as saved, not as edited
    return {
        "item": item if item is not None else model._meta.verbose_name,
        "kind": model._meta.verbose_name,  # lazy: in the language being rendered
        "author": display_name(change.author),
        "reviewer": display_name(change.decided_by),
        "comment": change.comment,
        "review_url": review_url(change),
        "item_url": site_url(
            reverse(f"admin:neuroinfo_{model._meta.model_name}_change", args=[item.pk])
        )
        if item is not None
        else "",
    }


def change_waiting(change: PendingChange) -> int:
    """Tell everyone who may publish that a change waits for them; return the count."""
    recipients = [
        user.email
        for user in users_with("neuroinfo.publish_content")
        if user.pk != change.author_id
    ]
    if not recipients:
        return 0
    subject, body = _render("change_waiting", _change_context(change))
    return _send(subject, body, recipients)


def change_decided(change: PendingChange) -> int:
    """Tell a change's author that it was published or sent back, with the comment."""
    author = change.author
    if author is None or not author.is_active or not author.email:
        return 0
    template = (
        "change_published"
        if change.state == PendingChange.State.PUBLISHED
        else "change_sent_back"
    )
    subject, body = _render(template, _change_context(change))
    return _send(subject, body, [author.email])


def reviews_due_digest(due: list[tuple], dry_run: bool = False) -> list[tuple]:
    """Email everyone who reviews the items overdue or due soon.

    ``due`` holds (item, state, admin path) rows, most urgent first. Returns the
    (recipient, subject, body) of each email; with ``dry_run`` nothing is sent.
    """
    if not due:
        return []
    rows = [
        {
            "item": item,
            "kind": item._meta.verbose_name,
            "state": state,
            "due": item.next_review_due,
            "url": site_url(path),
        }
        for item, state, path in due
    ]
    subject, body = _render("reviews_due", {"count": len(rows), "rows": rows})
    recipients = [user.email for user in users_with("neuroinfo.review_content")]
    if recipients and not dry_run:
        _send(subject, body, recipients)
    return [(to, subject, body) for to in recipients]
