"""The editorial decisions: holding a change for review, publishing, sending back.

These are what the admin calls (the diff page, the change form, the "Publish selected",
"Unpublish selected" and "Mark as reviewed" actions), so every path follows the same rules: an item has at most one open change and
it belongs to one author; only people who may publish decide; each decision is kept
with who made it, when and why, recorded in the history, and told to whoever must act
next once the transaction has committed.
"""

from functools import partial

import reversion
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone

from neuroinfo import normalise, notifications
from neuroinfo.models import PendingChange, ResponseCategory, Status
from neuroinfo.models.editorial import item_rows, next_review_after
from neuroinfo.models.sections import Sectioned
from neuroinfo.response_rules import CategoryRow, category_problems
from neuroinfo.roles import can_review, refused_columns

PUBLISH_PERMISSION = "neuroinfo.publish_content"
State = PendingChange.State


class WorkflowError(Exception):
    """A decision that cannot be made on this change as it stands."""


class HeldByAnother(WorkflowError):
    """The item has an open change by someone else: a held change has one author."""

    def __init__(self, change: PendingChange) -> None:
        super().__init__(f"{change} is held by {change.author}")
        self.change = change


class NotWaiting(WorkflowError):
    """Only a change waiting for review can be published or sent back."""


class BreaksRules(WorkflowError):
    """Publishing would break a rule across response categories (another change was
    published since this one was held), or leave a page in no section of the guide:
    nothing is published."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(" ".join(messages))
        self.messages = messages


def _category_rules() -> set[str]:
    rows = [CategoryRow.of(category) for category in ResponseCategory.objects.all()]
    return {str(problem.message) for problem in category_problems(rows)}


def _same(model: type[models.Model], attname: str, old: object, new: object) -> bool:
    """Whether two field values are the same to a reader: text compared as the
    database keeps it (neuroinfo.normalise), anything else as it is."""
    if isinstance(old, str | type(None)) and isinstance(new, str | type(None)):
        return normalise.stored(model, attname, old) == normalise.stored(
            model, attname, new
        )
    return old == new


def changed_fields(
    published: models.Model, edited: models.Model, names: list[str]
) -> dict:
    """The fields (of ``names``) whose value in ``edited`` differs from the published
    item, by field name, with the edited values: what a held change stores."""
    data = {}
    for name in names:
        attname = type(edited)._meta.get_field(name).attname
        value = getattr(edited, attname)
        if not _same(type(edited), attname, getattr(published, attname), value):
            data[name] = value
    return data


def hold(
    item: models.Model, data: dict, author: AbstractBaseUser
) -> PendingChange | None:
    """Keep an author's edits to a published item for review instead of publishing them.

    ``data`` holds every field that differs from the published item (field name to
    value). It replaces the author's open change, which waits for review again;
    reviewers are told when it starts waiting (new, or after being sent back). With
    nothing left that differs, the change is withdrawn and None returned. Raises
    HeldByAnother, changing nothing, when someone else's change is open, and
    PermissionDenied when the author's role may not change a field (a translator
    writes only the French words: never a criterion's category, threshold or unit).
    """
    if refused := refused_columns(author, type(item), list(data)):
        raise PermissionDenied(
            f"{author} may not change {', '.join(sorted(refused))} of {item!r}"
        )
    with transaction.atomic():
        change = PendingChange.objects.open().for_item(item).select_for_update().first()
        if change is not None and change.author_id != author.pk:
            raise HeldByAnother(change)
        if not data:
            if change is not None:
                change.delete()
            return None
        starts_waiting = change is None or change.state != State.WAITING
        if change is None:
            change = PendingChange(item=item, author=author)
        change.data = data
        change.state = State.WAITING
        change.save()
        if starts_waiting:
            transaction.on_commit(partial(notifications.change_waiting, change))
    return change


def hold_edit(
    edited: models.Model, names: list[str], author: AbstractBaseUser
) -> PendingChange | None:
    """Hold an author's edit of a published item (``edited``, not saved) for review.

    ``names`` are the fields the author's form showed. The fields of their open change
    are kept too, but never a field the author's role may not change, even one held
    before the rule covered it. What differs from the published item is held
    (``hold``), nothing else.
    """
    published = type(edited).objects.get(pk=edited.pk)
    previous = PendingChange.for_item(edited)
    kept = list(previous.data) if previous else []
    refused = set(refused_columns(author, type(edited), kept))
    names = [*names, *(name for name in kept if name not in refused)]
    data = changed_fields(published, edited, list(dict.fromkeys(names)))
    return hold(edited, data, author)


def _may_publish(user: AbstractBaseUser) -> None:
    if not user.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied("Only medical reviewers publish or send back changes.")


def _waiting(item: models.Model) -> PendingChange | None:
    return (
        PendingChange.objects.for_item(item)
        .filter(state=State.WAITING)
        .select_for_update()
        .first()
    )


def _decide(
    change: PendingChange, state: str, reviewer: AbstractBaseUser, comment: str
) -> None:
    change.state = state
    change.decided_by = reviewer
    change.decided_at = timezone.now()
    change.comment = comment
    change.save()
    transaction.on_commit(partial(notifications.change_decided, change))


def _apply(change: PendingChange, item: models.Model, reviewer, comment: str) -> None:
    """Put a change on its item, keeping what it replaces, and mark it published."""
    model = type(item)
    change.replaced = {
        name: getattr(item, model._meta.get_field(name).attname) for name in change.data
    }
    change.apply_to(item)
    _decide(change, State.PUBLISHED, reviewer, comment)


def publish(
    target: PendingChange | models.Model,
    reviewer: AbstractBaseUser,
    comment: str = "",
) -> models.Model:
    """Publish an item (or the item of a waiting change) and return it.

    The item's waiting change is applied, and so are its rows' (criteria, questions)
    waiting changes; draft rows are published too. One revision records it all with
    the reviewer and the comment; each author is told. Pages are rendered again
    once it commits (``neuroinfo.rerender``).
    """
    _may_publish(reviewer)
    comment = comment.strip()
    with transaction.atomic(), reversion.create_revision():
        if isinstance(target, PendingChange):
            item = target.item
            change = _waiting(item) if item is not None else None
            if change is None or change.pk != target.pk:
                raise NotWaiting(f"{target} is not waiting for review")
        else:
            item = target
            change = _waiting(item)
        # Only a category's own fields take part in the rules across categories.
        rules_before = _category_rules() if isinstance(item, ResponseCategory) else None
        if change is not None:
            _apply(change, item, reviewer, comment)
        item.status = Status.PUBLISHED
        if isinstance(item, Sectioned) and (problem := item.placement_problem()):
            raise BreaksRules([str(problem)])  # families would find it nowhere
        item.save()
        for row in item_rows(item):
            row_change = _waiting(row)
            if row_change is not None:
                _apply(row_change, row, reviewer, comment)
            if row_change is not None or row.status != Status.PUBLISHED:
                row.status = Status.PUBLISHED
                row.save()
        if rules_before is not None and (
            broken := sorted(_category_rules() - rules_before)
        ):
            raise BreaksRules(broken)  # rolls the whole publication back
        reversion.set_user(reviewer)
        reversion.set_comment(comment or "Published")
    return item


def publish_each(
    items: list[models.Model], reviewer: AbstractBaseUser, comment: str
) -> list[tuple[models.Model, BreaksRules]]:
    """Publish each item as ``publish`` does (pages render once the change commits).

    An item whose publication would break a rule across response categories, or
    leave it in no section, is left as it was; those are returned, each with why.
    """
    _may_publish(reviewer)
    refused = []
    for item in items:
        try:
            publish(item, reviewer, comment)
        except BreaksRules as error:
            refused.append((item, error))
    return refused


def unpublish(items: list[models.Model], reviewer: AbstractBaseUser) -> None:
    """Take items back to draft, out of families' sight, in one revision."""
    _may_publish(reviewer)
    with reversion.create_revision():
        for item in items:
            item.status = Status.DRAFT
            item.save()
        reversion.set_user(reviewer)
        reversion.set_comment("Unpublished from the admin")


def mark_reviewed(
    items: list[models.Model], reviewer: AbstractBaseUser, today=None
) -> None:
    """Record a medical review of items today, by the reviewer's name, and when the
    next one is due, in one revision."""
    if not can_review(reviewer):
        raise PermissionDenied("Only medical reviewers mark content as reviewed.")
    today = today or timezone.localdate()
    name = reviewer.get_full_name() or reviewer.get_username()
    with reversion.create_revision():
        for item in items:
            item.last_reviewed = today
            item.next_review_due = next_review_after(today)
            item.reviewed_by = name
            item.save()
        reversion.set_user(reviewer)
        reversion.set_comment("Marked as reviewed")


def send_back(
    change: PendingChange, reviewer: AbstractBaseUser, comment: str
) -> list[PendingChange]:
    """Return a waiting change to its author with a comment saying what to fix.

    The waiting changes of the item's rows, reviewed on the same page, go back with
    it. Nothing reaches families; each author is told. Returns the changes sent back.
    """
    _may_publish(reviewer)
    comment = comment.strip()
    if not comment:
        raise ValueError("A change is sent back with a comment saying what to fix.")
    with transaction.atomic():
        item = change.item
        current = _waiting(item) if item is not None else None
        if current is None or current.pk != change.pk:
            raise NotWaiting(f"{change} is not waiting for review")
        changes = [current] + [
            row_change
            for row in item_rows(item)
            if (row_change := _waiting(row)) is not None
        ]
        for each in changes:
            _decide(each, State.SENT_BACK, reviewer, comment)
    return changes
