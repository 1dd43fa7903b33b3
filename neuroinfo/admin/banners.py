"""What the change form says about held changes: who, when, where things stand, and a
link to the change, so nobody edits past someone else's work without knowing it."""

from django.contrib import messages
from django.db import models
from django.http import HttpRequest
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from neuroinfo.models import PendingChange
from neuroinfo.notifications import display_name
from neuroinfo.roles import can_publish

State = PendingChange.State


def review_path(change: PendingChange) -> str:
    """The diff page of a held change."""
    return reverse("admin:neuroinfo_pendingchange_change", args=[change.pk])


def when(moment) -> str:
    """A date and time as staff read them, in their language and time zone."""
    return formats.localize(timezone.localtime(moment))


def _with_link(text: str, change: PendingChange, label: str) -> SafeString:
    return format_html('{} <a href="{}">{}</a>', text, review_path(change), label)


def banner(
    request: HttpRequest, change: PendingChange, item: models.Model
) -> tuple[int, SafeString]:
    """The message shown on an item's form about an open change (its own or a row's)."""
    names = {
        "author": display_name(change.author),
        "reviewer": display_name(change.decided_by),
        "when": when(change.updated_at),
        "decided": when(change.decided_at) if change.decided_at else "",
        "comment": change.comment,
    }
    if change.item != item:  # a row of the item (a criterion, a question)
        names["kind"] = capfirst(change.content_type.name)
        names["row"] = change.item
        if change.state == State.WAITING:
            text = _(
                "%(kind)s “%(row)s”: a change by %(author)s is waiting for review "
                "(saved %(when)s)."
            )
        else:
            text = _(
                "%(kind)s “%(row)s”: a change by %(author)s was sent back to them on "
                "%(decided)s."
            )
        return messages.INFO, _with_link(text % names, change, _("See the change"))
    own = change.author_id == request.user.pk and not can_publish(request.user)
    if own and change.state == State.WAITING:
        text = _(
            "You are editing your change waiting for review (saved %(when)s). The form "
            "shows your version; families see the published one until a medical "
            "reviewer publishes it. Saving updates your change."
        )
        return messages.WARNING, _with_link(text % names, change, _("See what changed"))
    if own:
        text = _(
            "%(reviewer)s sent your change back on %(decided)s: “%(comment)s” The form "
            "shows your version: make the changes asked for and save, and it waits "
            "for review again."
        )
        return messages.WARNING, _with_link(text % names, change, _("See what changed"))
    if change.state == State.WAITING:
        text = _("A change by %(author)s is waiting for review (saved %(when)s).")
    else:
        text = _("A change by %(author)s was sent back to them on %(decided)s.")
    if can_publish(request.user):
        tail = _(
            "This form shows the published version: saving it neither includes nor "
            "publishes that change."
        )
        label = _("Review the change")
    else:
        tail = _(
            "This form shows the published version. While that change is open, only "
            "its author can save changes to this item."
        )
        label = _("See the change")
    return messages.WARNING, _with_link(f"{text % names} {tail}", change, label)


def refusal(change: PendingChange) -> str:
    """Why a save is refused: someone else's change is open on the item."""
    return _(
        "Nothing was saved: %(author)s has a change to this item that is not "
        "published yet (saved %(when)s), and an item takes one person's change at a "
        "time. Ask %(author)s or a medical reviewer; the message above links to the "
        "change."
    ) % {"author": display_name(change.author), "when": when(change.updated_at)}


def row_refusal(change: PendingChange) -> str:
    """Why an item's save is refused: one of its rows has an open change."""
    return _(
        "Nothing was saved: %(kind)s “%(row)s” has a change by %(author)s that is "
        "not published yet (saved %(when)s), and a row takes one person's change at "
        "a time. Leave that row as it is, or ask %(author)s or a medical reviewer; "
        "the message above links to the change."
    ) % {
        "kind": change.content_type.name,
        "row": change.item,
        "author": display_name(change.author),
        "when": when(change.updated_at),
    }


def held_message(change: PendingChange | None) -> tuple[SafeString | str, int]:
    """What the author is told after saving a held change."""
    if change is None:
        return (
            _(
                "Nothing differs from the published version any more: your change "
                "was withdrawn."
            ),
            messages.INFO,
        )
    text = _(
        "Your changes are saved and waiting for a medical reviewer. Families "
        "will see them once they are published. Use Preview to check them."
    )
    return _with_link(text, change, _("See what changed")), messages.WARNING
