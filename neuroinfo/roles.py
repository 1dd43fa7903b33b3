"""What each editorial role may do, checked on the server (never only hidden in forms)."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from modeltranslation.translator import NotRegistered, translator

from neuroinfo.models.editorial import translated_text_fields

# Translated fields a translator never writes: addresses are the editors' decision,
# the reviewer's role the reviewers'.
NOT_TRANSLATORS = ("slug", "reviewed_by_role")


def can_publish(user: AbstractBaseUser) -> bool:
    """Medical reviewers publish and unpublish."""
    return user.has_perm("neuroinfo.publish_content")


def can_review(user: AbstractBaseUser) -> bool:
    """Medical reviewers mark content as reviewed."""
    return user.has_perm("neuroinfo.review_content")


def can_edit_source(user: AbstractBaseUser) -> bool:
    """Editors and reviewers change the English text; translators only the French."""
    return user.has_perm("neuroinfo.edit_source_language")


def is_translated(model: type[models.Model]) -> bool:
    """Whether the model has text in each language (content, criteria, questions)."""
    return bool(translated_text_fields(model))


def translator_columns(model: type[models.Model]) -> set[str]:
    """The only columns a translator writes: the French (non-source) words.

    Everything else (a criterion's category, finding, comparison, threshold and unit;
    a question's page; a category's match and precedence; order, keys, addresses and
    the English text) shapes what the guide and the explainer say, so it is not theirs.
    """
    targets = [code for code, _name in settings.LANGUAGES][1:]
    return {
        f"{name}_{code}"
        for name in translated_text_fields(model)
        if name not in NOT_TRANSLATORS
        for code in targets
    }


def editable_columns(model: type[models.Model]) -> list[str]:
    """Every field a change form can hold, translated ones by language column."""
    try:
        translated = set(translator.get_options_for_model(model).fields)
    except NotRegistered:
        translated = set()
    return [
        f.name
        for f in model._meta.get_fields()
        if getattr(f, "editable", False)
        and (f.concrete or f.many_to_many)
        and not f.auto_created
        and f.name not in translated
    ]


def refused_columns(
    user: AbstractBaseUser, model: type[models.Model], names
) -> list[str]:
    """Of ``names`` (columns a change would write), those this user may not change:
    for a translator, anything but the French words of a translated model."""
    if can_edit_source(user) or not is_translated(model):
        return []
    allowed = translator_columns(model)
    return [name for name in names if name not in allowed]
