"""What a role may see but not change in the admin's forms, whatever a form posts."""

from django.conf import settings
from django.db import models
from django.http import HttpRequest

from neuroinfo.models.editorial import translated_text_fields
from neuroinfo.roles import (
    can_edit_source,
    can_publish,
    can_review,
    editable_columns,
    is_translated,
    refused_columns,
)

REVIEW_FIELDS = ("last_reviewed", "next_review_due", "reviewed_by", "reviewed_by_role")
# Fields that shape the guide rather than its wording: English-side for translators.
STRUCTURE_FIELDS = ("key", "order", "parent", "match", "precedence", "related")


def languages() -> list[str]:
    """Language codes in settings order; the first is the source language."""
    return [code for code, _name in settings.LANGUAGES]


def source_only_fields(model: type[models.Model], names: tuple[str, ...]) -> list[str]:
    """Shared fields, and the source language's columns of translated ones."""
    translated = set(translated_text_fields(model))
    fields = {f.name for f in model._meta.get_fields()}
    out = [name for name in names if name in fields and name not in translated]
    out += [f"{name}_{languages()[0]}" for name in translated]
    return out


def role_readonly(request: HttpRequest, model: type[models.Model]) -> list[str]:
    """What this user may see but not change, whatever the form posts."""
    user = request.user
    own = {f.name for f in model._meta.get_fields()}
    readonly: list[str] = []
    if not can_publish(user) and "status" in own:
        readonly.append("status")
    if not can_review(user):
        for name in REVIEW_FIELDS:
            if name in translated_text_fields(model):
                readonly += [f"{name}_{code}" for code in languages()]
            elif name in own:
                readonly.append(name)
    if not can_edit_source(user) and is_translated(model):
        # Translators write the French words and nothing else (the logic included).
        readonly += refused_columns(user, model, editable_columns(model))
    elif not can_edit_source(user):  # sources: their place in the list
        readonly += source_only_fields(model, STRUCTURE_FIELDS)
    return list(dict.fromkeys(readonly))
