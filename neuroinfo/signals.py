"""What a saved or deleted row changes: the cached pages, and the bodies to render.

Any saved or deleted content makes every cached page stale; a saved or deleted item
(or criterion) also notes, for its transaction's render, which bodies can change
with it (``neuroinfo.rerender``).
"""

from django.apps import apps
from django.db.models.signals import post_delete, post_save

from neuroinfo import rerender
from neuroinfo.generation import content_changed
from neuroinfo.links import content_models
from neuroinfo.models import ResponseCriterion

# Models of this app that no public page shows: saving them must not empty the page
# cache (a burst of feedback would otherwise rebuild every page for everyone; a
# change held for review shows nowhere until it is published); the content
# generation is what a change replaces, and references are kept by the render.
NOT_SHOWN = {"feedback", "contentgeneration", "pendingchange", "reference"}


def _on_change(sender, **kwargs) -> None:
    content_changed()


def _item_saved(sender, instance, raw: bool = False, **kwargs) -> None:
    before = (
        rerender.UNKNOWN
        if raw
        else getattr(instance, "stored_before", rerender.UNKNOWN)
    )
    rerender.note_saved(instance, before)


def _item_deleted(sender, instance, **kwargs) -> None:
    rerender.note_deleted(instance)


def _criterion_saved(sender, instance, raw: bool = False, **kwargs) -> None:
    before = None if raw else getattr(instance, "stored_before", None)
    keys = {instance.key}
    if before is not None:
        if (before["key"], before["threshold"], before["unit"]) == (
            instance.key,
            instance.threshold,
            instance.unit,
        ):
            return
        keys.add(before["key"])
    rerender.note_threshold(keys)


def _criterion_deleted(sender, instance, **kwargs) -> None:
    rerender.note_threshold({instance.key})


def connect() -> None:
    """Watch every model of this app (content, criteria, questions) but those no
    page shows; and every item and criterion for what their change renders again."""
    for model in apps.get_app_config("neuroinfo").get_models():
        if model._meta.model_name in NOT_SHOWN:
            continue
        post_save.connect(
            _on_change, sender=model, dispatch_uid=f"page-cache-save-{model}"
        )
        post_delete.connect(
            _on_change, sender=model, dispatch_uid=f"page-cache-delete-{model}"
        )
    for model in content_models():
        post_save.connect(
            _item_saved, sender=model, dispatch_uid=f"render-save-{model}"
        )
        post_delete.connect(
            _item_deleted, sender=model, dispatch_uid=f"render-delete-{model}"
        )
    post_save.connect(
        _criterion_saved, sender=ResponseCriterion, dispatch_uid="render-criterion-save"
    )
    post_delete.connect(
        _criterion_deleted,
        sender=ResponseCriterion,
        dispatch_uid="render-criterion-delete",
    )
