"""Keeping stored HTML in step with what it shows: each change rendered once, after
it commits, and only where text can change.

A body's HTML holds the addresses of the items it links to, the glossary terms it
marks and the thresholds it states. Saving or deleting an item (or a criterion)
notes, in the transaction's batch, what can change because of it:

- the item's own body (rendered and its reading score set);
- the items that link to it, when its address or status changes (a rename, a
  publication, a move under another treatment, a new or deleted item), found from
  the stored ``Reference`` rows in both languages at once;
- the items that state a criterion's threshold, when the threshold changes;
- every item, when a published glossary term's title, slug or status changes (any
  body may mark it), or the glossary or response page's address or status.

Once the transaction commits, the batch is rendered (``renderer.Renderer``: one
lookup for all the links), only rows whose HTML changed are written, and the page
cache is told. A transaction that rolls back renders nothing. ``rerender_all``
renders every body at once, within the caller's transaction (after a load).
"""

import threading
from dataclasses import dataclass, field
from functools import partial

from django.db import models, transaction

from neuroinfo import pagekeys
from neuroinfo.generation import content_changed
from neuroinfo.links import (
    content_models,
    kind_of,
    model_for,
    ref_of,
)
from neuroinfo.models import GlossaryTerm, GuidePage, Reference, Status, Treatment
from neuroinfo.models.slugs import addresses, stored_addresses
from neuroinfo.renderer import THRESHOLD_KIND, Renderer
from neuroinfo.thresholds import stored_thresholds

UNKNOWN = object()  # the state before a save that did not read it (a raw save)
_local = threading.local()


@dataclass
class Batch:
    """What one transaction's changes need rendered again once it commits."""

    outer: object  # the transaction's outermost atomic block (None: autocommit)
    own: set[str] = field(default_factory=set)  # changed items: rendered, scored
    targets: set[str] = field(default_factory=set)  # whose linkers are rendered
    moved_parents: set[str] = field(default_factory=set)  # treatments: sub-sections
    dropped: set[str] = field(default_factory=set)  # deleted items' references
    everything: bool = False
    done: bool = False


def _outer() -> object:
    connection = transaction.get_connection()
    return connection.atomic_blocks[0] if connection.atomic_blocks else None


def pending() -> Batch | None:
    """The current transaction's batch, not yet rendered, if any."""
    batch = getattr(_local, "batch", None)
    if (
        batch is None
        or batch.done
        or batch.outer is None
        or batch.outer is not _outer()
    ):
        return None
    return batch


def _batch() -> Batch:
    """The current transaction's batch, with a render registered for its commit.

    Each change registers the render again (it does nothing once done): a savepoint
    rolled back takes its own registration with it, never the others'.
    """
    batch = pending()
    if batch is None:
        batch = _local.batch = Batch(_outer())
    transaction.on_commit(partial(_flush, batch))
    return batch


def _flush(batch: Batch) -> None:
    """Render what the committed transaction's changes can change (once)."""
    if batch.done:
        return
    batch.done = True
    with transaction.atomic():
        Reference.objects.filter(source__in=batch.dropped).delete()
        if batch.everything:
            changed = _render(_all_items(), batch.own, everything=True)
        else:
            changed = _render(_items(batch.own | _linkers(batch)), batch.own)
        if changed:
            content_changed()  # update() sends no signal


def _linkers(batch: Batch) -> set[str]:
    """The items whose text names an item whose address changed, or a threshold."""
    targets = set(batch.targets)
    if batch.moved_parents:  # a sub-section's address is its parent's
        subsections = Treatment.objects.filter(parent__key__in=batch.moved_parents)
        targets |= {
            f"treatment:{key}" for key in subsections.values_list("key", flat=True)
        }
    if not targets:
        return set()
    names = Reference.objects.filter(target__in=targets)
    return set(names.values_list("source", flat=True))


def _items(refs: set[str]) -> list[models.Model]:
    """The items of these references (whole rows), one query per kind."""
    keys: dict[str, list[str]] = {}
    for ref in refs:
        kind, _sep, key = ref.partition(":")
        keys.setdefault(kind, []).append(key)
    items = []
    for kind, kind_keys in sorted(keys.items()):
        model = model_for(kind)
        if model is not None:
            items += model.objects.filter(key__in=kind_keys)
    return items


def _all_items() -> list[models.Model]:
    return [item for model in content_models() for item in model.objects.all()]


def _render(items: list[models.Model], own: set[str], everything: bool = False) -> int:
    """Render the items, write the rows whose HTML, filled summary or key points
    (or, for ``own``, reading score) changed and keep what each names; return how
    many rows were written."""
    if not items:
        return 0
    renderer = Renderer(items, everything=everything)
    stored: dict[str, set[str]] = {}
    sources = [ref_of(item) for item in items]
    held = (
        Reference.objects.all()
        if everything
        else Reference.objects.filter(source__in=sources)
    )
    for source, target in held.values_list("source", "target"):
        stored.setdefault(source, set()).add(target)
    written, named = 0, {}
    for item, source in zip(items, sources, strict=True):
        rendered = renderer.render(item)
        values = {}
        for code, html in rendered.html.items():
            if html != getattr(item, f"body_html_{code}"):
                setattr(item, f"body_html_{code}", html)
                values[f"body_html_{code}"] = html
        if rendered.filled is not None and rendered.filled != item.filled:
            values["filled"] = item.filled = rendered.filled
        if source in own:
            scores = item.score_reading(renderer.thresholds)
            if scores != item.reading_score:
                values["reading_score"] = item.reading_score = scores
        if values:
            type(item).objects.filter(pk=item.pk).update(**values)
            written += 1
        if rendered.refs != stored.get(source, set()):
            named[source] = rendered.refs
    _keep_references(named)
    return written


def _keep_references(named: dict[str, set[str]]) -> None:
    """Replace the stored references of the items whose references changed."""
    if not named:
        return
    Reference.objects.filter(source__in=list(named)).delete()
    Reference.objects.bulk_create(
        Reference(source=source, target=target)
        for source, targets in named.items()
        for target in sorted(targets)
        if len(target) <= Reference._meta.get_field("target").max_length
    )


def _special(item: models.Model) -> bool:
    """Whether every body can change with this item's address or status: a
    published glossary term, or the page that holds the terms or the categories."""
    if isinstance(item, GlossaryTerm):
        return True
    return isinstance(item, GuidePage) and item.key in (
        pagekeys.GLOSSARY,
        pagekeys.RESPONSE,
    )


def note_saved(item: models.Model, before: dict | object | None) -> None:
    """Note what an item's save (``before``: its stored row, None when new) can
    change, for its transaction's render."""
    batch = _batch()
    ref = ref_of(item)
    batch.own.add(ref)
    if before is None or before is UNKNOWN:
        batch.targets.add(ref)
        if _special(item):
            batch.everything = True
        return
    old_ref = f"{kind_of(item)}:{before['key']}"
    moved = (
        stored_addresses(before) != addresses(item)
        or before["status"] != item.status
        or before.get("parent_id") != getattr(item, "parent_id", None)
        or old_ref != ref
    )
    if old_ref != ref:
        batch.dropped.add(old_ref)
        batch.targets.add(old_ref)
    if moved:
        batch.targets.add(ref)
        if isinstance(item, Treatment):
            batch.moved_parents.add(item.key)
    if _special(item) and Status.PUBLISHED in (before["status"], item.status):
        retitled = isinstance(item, GlossaryTerm) and any(
            (before.get(f"title_{code}") or "")
            != (getattr(item, f"title_{code}") or "")
            for code in addresses(item)
        )
        batch.everything = batch.everything or moved or retitled


def note_deleted(item: models.Model) -> None:
    """Note that an item is gone: its linkers lose the link (every body loses a
    published term's marks)."""
    batch = _batch()
    ref = ref_of(item)
    batch.dropped.add(ref)
    batch.targets.add(ref)
    if _special(item) and item.status == Status.PUBLISHED:
        batch.everything = True


def note_threshold(keys: set[str]) -> None:
    """Note that these criteria's thresholds changed: the texts naming them change."""
    _batch().targets.update(f"{THRESHOLD_KIND}:{key}" for key in keys)


def rerender_all() -> int:
    """Render every body now, within the caller's transaction (a load renders the
    whole guide once); return how many items' rows changed. The transaction's
    pending batch is covered by it: its own items are scored too."""
    batch = pending()
    own: set[str] = set()
    if batch is not None:
        batch.done = True
        own = batch.own
        Reference.objects.filter(source__in=batch.dropped).delete()
    changed = _render(_all_items(), own, everything=True)
    if changed:
        content_changed()  # update() sends no signal
    return changed


def rescore_all() -> int:
    """Score every item's reading level again; return how many scores changed.

    Saving an item scores it; this catches items a load leaves unchanged after the
    scoring itself changed (a new formula, a better syllable count).
    """
    changed = 0
    thresholds = stored_thresholds()
    for model in content_models():
        for item in model.objects.all():
            scores = item.score_reading(thresholds)
            if scores != item.reading_score:
                model.objects.filter(pk=item.pk).update(reading_score=scores)
                changed += 1
    return changed
