"""Old addresses: every slug a page had in each language, so a renamed page's old
address keeps answering (with a permanent redirect to the current one), forever.

Only items with a page of their own keep them (guide pages, factors, treatments);
glossary terms and response categories are anchors on a page. Whoever renames the
item (an editor's save, a reviewer publishing a held change, ``load_content``), the
old slug is recorded when the item is saved. An old slug always leads to the item's
current address, however many renames came after it; a slug that is some item's
current slug is that item's, whatever it once meant.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from neuroinfo.links import slug_in


def _codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


class OldSlugQuerySet(models.QuerySet):
    def renamed(self, items: models.QuerySet, slug: str, language: str):
        """The item among ``items`` that had this slug in this language, or None."""
        kind = ContentType.objects.get_for_model(items.model)
        owners = self.filter(content_type=kind, language=language, slug=slug)
        return items.filter(pk__in=owners.values("object_id")).first()

    def was_slug_of(self, item: models.Model, slug: str) -> bool:
        """Whether the item had this slug once, in any language."""
        kind = ContentType.objects.get_for_model(item)
        return self.filter(content_type=kind, object_id=item.pk, slug=slug).exists()


class OldSlug(models.Model):
    """A slug an item had in a language before it was renamed."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    language = models.CharField(_("language"), max_length=10)
    slug = models.SlugField(_("old slug"), max_length=120)
    replaced_at = models.DateTimeField(_("replaced"), auto_now=True)

    objects = OldSlugQuerySet.as_manager()

    class Meta:
        constraints = [
            # One item per old address: the latest to leave it.
            models.UniqueConstraint(
                fields=["content_type", "language", "slug"], name="one_old_slug_owner"
            )
        ]
        verbose_name = _("old address")
        verbose_name_plural = _("old addresses")

    def __str__(self) -> str:
        return f"{self.language}: {self.slug}"


def addresses(item: models.Model) -> dict[str, str]:
    """The slug of the item's address in each language (English when untranslated)."""
    return {code: slug_in(item, code) for code in _codes()}


def stored_addresses(row: dict | None) -> dict[str, str]:
    """The address slugs a stored row (``editorial.stored_row``) holds: none for a
    new item."""
    if row is None:
        return {}
    english = row[f"slug_{_codes()[0]}"]
    return {code: row[f"slug_{code}"] or english for code in _codes()}


def remember_renames(item: models.Model, before: dict[str, str]) -> list[str]:
    """Record the slugs the item just left; return the languages renamed."""
    kind = ContentType.objects.get_for_model(item)
    renamed = []
    for code, slug in addresses(item).items():
        old = before.get(code)
        if old and old != slug:
            OldSlug.objects.update_or_create(
                content_type=kind,
                language=code,
                slug=old,
                defaults={"object_id": item.pk},
            )
            renamed.append(code)
    return renamed
