"""The editorial life of content: published or draft, sources, changes awaiting review.

Also when each language's text last changed, which is how a translation is known to
be out of date.
"""

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import NotRegistered, translator

from neuroinfo import normalise


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class PublishableQuerySet(models.QuerySet):
    """Querysets that know what families may see."""

    def published(self) -> "PublishableQuerySet":
        return self.filter(status=Status.PUBLISHED)

    def visible(self, drafts: bool = False) -> "PublishableQuerySet":
        """Published items, or every item for a staff preview."""
        return self.all() if drafts else self.published()


def next_review_after(reviewed: datetime.date) -> datetime.date:
    """The review due date that follows a review: the same day, the interval's years later."""
    years = reviewed.year + settings.REVIEW_INTERVAL_YEARS
    try:
        return reviewed.replace(year=years)
    except ValueError:  # 29 February in a year that has none
        return reviewed.replace(year=years, day=28)


def translated_text_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The translated fields a person writes (not the HTML rendered from them)."""
    try:
        fields = translator.get_options_for_model(model).fields
    except NotRegistered:
        return ()
    return tuple(name for name in fields if not name.endswith("_html"))


def stored_row(obj: models.Model, extra: tuple[str, ...] = ()) -> dict | None:
    """What the database holds for this row: every language's column of its
    translated texts, and the ``extra`` columns it has; None for a new row.

    One query, read before a save: which languages' text changed, which addresses a
    renamed page leaves, and what the save changes for other items' rendering
    (``neuroinfo.rerender``) are all decided from it.
    """
    if obj.pk is None:
        return None
    codes = [code for code, _name in settings.LANGUAGES]
    own = {f.attname for f in obj._meta.concrete_fields}
    columns = [
        f"{name}_{code}" for name in translated_text_fields(type(obj)) for code in codes
    ]
    columns += [name for name in extra if name in own]
    return type(obj).objects.filter(pk=obj.pk).values(*columns).first()


NOT_READ = object()  # changed_languages: the stored row was not read beforehand


def changed_languages(
    obj: models.Model, old: dict | object | None = NOT_READ
) -> set[str]:
    """The languages whose text differs from what the database holds for this row
    (``old``: that row, when already read by ``stored_row``).

    Texts are compared normalised (line endings, None, surrounding spaces), as the
    content loader compares them: a form saved as a browser posts it changes nothing.
    """
    fields = translated_text_fields(type(obj))
    codes = [code for code, _name in settings.LANGUAGES]
    if old is NOT_READ:
        old = stored_row(obj)
    old = old or {}
    return {
        code
        for code in codes
        if any(
            normalise.field_text(name, getattr(obj, f"{name}_{code}"))
            != normalise.field_text(name, old.get(f"{name}_{code}"))
            for name in fields
        )
    }


def stamp(updated: dict, languages: set[str]) -> dict:
    """Record that these languages' text changed now."""
    now = timezone.now().isoformat()
    return {**updated, **dict.fromkeys(languages, now)}


ROW_RELATIONS = ("questions", "criteria")  # the related names of TranslatedChild rows


def row_relations(model: type[models.Model]) -> list[str]:
    """The names of the rows (criteria, questions) an item of this model holds."""
    return [name for name in ROW_RELATIONS if hasattr(model, name)]


def item_rows(item: models.Model) -> list[models.Model]:
    """The rows an item holds, every kind together."""
    return [
        row for name in row_relations(type(item)) for row in getattr(item, name).all()
    ]


class TranslatedChild(models.Model):
    """A row kept inside an item (criterion, question): its text changes are the item's."""

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )

    objects = PublishableQuerySet.as_manager()

    parent_field = ""
    # Columns besides the texts whose stored value a save keeps in ``stored_before``.
    watched_columns: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        """Stamp the parent item's languages whose text this row changes."""
        self.stored_before = stored_row(self, self.watched_columns)
        languages = changed_languages(self, self.stored_before)
        super().save(*args, **kwargs)
        parent = getattr(self, self.parent_field)
        if languages and parent is not None:
            parent.translation_updated = stamp(parent.translation_updated, languages)
            type(parent).objects.filter(pk=parent.pk).update(
                translation_updated=parent.translation_updated
            )


class Source(models.Model):
    """A reference an item is based on, listed under "Sources" on its page."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    order = models.PositiveIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    url = models.URLField(_("address (URL)"), max_length=500, blank=True)
    accessed = models.DateField(_("date accessed"), null=True, blank=True)

    class Meta:
        ordering = ["order", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.title
