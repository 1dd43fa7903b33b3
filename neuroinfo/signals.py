"""Any saved or deleted content makes every cached page stale."""

from django.apps import apps
from django.db.models.signals import post_delete, post_save

from neuroinfo.pagecache import content_changed

# Models of this app that no public page shows: saving them must not empty the page
# cache (a burst of feedback would otherwise rebuild every page for everyone); the
# content generation is what a change replaces.
NOT_SHOWN = {"feedback", "contentgeneration"}


def _on_change(sender, **kwargs) -> None:
    content_changed()


def connect() -> None:
    """Watch every model of this app (content, criteria, questions) but feedback."""
    for model in apps.get_app_config("neuroinfo").get_models():
        if model._meta.model_name in NOT_SHOWN:
            continue
        post_save.connect(
            _on_change, sender=model, dispatch_uid=f"page-cache-save-{model}"
        )
        post_delete.connect(
            _on_change, sender=model, dispatch_uid=f"page-cache-delete-{model}"
        )
