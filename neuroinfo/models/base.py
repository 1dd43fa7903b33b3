"""Abstract bases shared by every kind of content."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from neuroinfo.links import item_url, unknown_refs
from neuroinfo.readability import prose, reading_score
from neuroinfo.rendering import find_refs
from neuroinfo.thresholds import (
    PLACEHOLDER,
    Thresholds,
    fill,
    unknown_keys,
    unknown_message,
)

from .editorial import (
    PublishableQuerySet,
    Status,
    changed_languages,
    next_review_after,
    stamp,
    stored_row,
)
from .slugs import remember_renames, stored_addresses

# Characters, about what search results show: the admin and the content files too.
META_DESCRIPTION_MAX = 160
KEY_POINT_MAX = 200  # characters: a key point is one short sentence


class ContentItem(models.Model):
    """Anything families read: a stable key, its status, its medical review, its sources."""

    key = models.SlugField(
        _("key"),
        max_length=80,
        unique=True,
        help_text=_(
            "Stable identifier used by content files and links. Never change it."
        ),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
        help_text=_("Only published items are shown to families."),
    )
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)
    reviewed_by = models.CharField(
        _("reviewed by"),
        max_length=120,
        blank=True,
        help_text=_("Name of the medical reviewer, as shown to the public."),
    )
    reviewed_by_role = models.CharField(
        _("reviewer's role"),
        max_length=120,
        blank=True,
        help_text=_("As shown to the public, e.g. “Paediatric oncologist”."),
    )
    next_review_due = models.DateField(
        _("next review due"),
        null=True,
        blank=True,
        help_text=_(
            "Left empty, it is set from the last review and the review interval."
        ),
    )
    sources = GenericRelation("neuroinfo.Source")
    # When each language's text last changed: {"en": iso time, "fr": iso time}.
    translation_updated = models.JSONField(default=dict, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Fingerprint of the item as the content files last described it: an item whose current
    # fingerprint differs was changed in the admin, and load_content leaves it alone.
    content_hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return str(getattr(self, "title", self.key))

    # Columns besides the texts whose stored value a save keeps in ``stored_before``
    # (what ``neuroinfo.rerender`` needs to know which other items to render again).
    watched_columns: tuple[str, ...] = ("key", "status", "parent_id")

    def save(self, *args, **kwargs) -> None:
        """Default the next review date; stamp the languages whose text changed.

        The stored row is read once, before the save, and kept as ``stored_before``
        (None for a new item) for whatever the save changes besides this row.
        """
        if self.last_reviewed and not self.next_review_due:
            self.next_review_due = next_review_after(self.last_reviewed)
        self.stored_before = stored_row(self, self.watched_columns)
        languages = changed_languages(self, self.stored_before)
        if languages:
            self.translation_updated = stamp(self.translation_updated, languages)
        super().save(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED


class TextItem(ContentItem):
    """An item with a title, an address (slug) and a Markdown body, in every language."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=120,
        unique=True,
        help_text=_("The item's address in this language: a-z, 0-9 and hyphens."),
    )
    body = models.TextField(
        _("body"),
        blank=True,
        help_text=_(
            "Markdown. Link to another item by reference, e.g. "
            "[chemotherapy](treatment:chemotherapy) or [MIBG](glossary:mibg-scan)."
        ),
    )
    body_html = models.TextField(blank=True, editable=False)
    # Each language's reading score by its own formula (neuroinfo.readability), e.g.
    # {"en": 7.9, "fr": 63.0}: a Flesch-Kincaid grade, a Kandel-Moles reading ease.
    reading_score = models.JSONField(default=dict, editable=False)

    # Whether the slug is the address of a page of its own (not an anchor): a renamed
    # item's old address then redirects to its new one (neuroinfo.models.slugs).
    keeps_old_addresses = False

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        """Keep the old address of a renamed page. The HTML and reading scores are
        stored once the change commits (``neuroinfo.rerender``), so requests do
        neither."""
        super().save(*args, **kwargs)
        if self.keeps_old_addresses and self.stored_before:
            remember_renames(self, stored_addresses(self.stored_before))

    def get_absolute_url(self) -> str:
        """The public page (or anchor) of this item, in the active language."""
        return item_url(self, get_language() or settings.LANGUAGE_CODE)

    def clean(self) -> None:
        """Refuse links to items that do not exist, naming them."""
        super().clean()
        errors = {}
        for code, _name in settings.LANGUAGES:
            field = f"body_{code}"
            missing = unknown_refs(find_refs(getattr(self, field, "") or ""))
            if missing:
                errors[field] = _("Link to an unknown item: %(refs)s.") % {
                    "refs": ", ".join(missing)
                }
        errors.update(self.placeholder_errors())
        if errors:
            raise ValidationError(errors)

    # The texts that may name a criterion's threshold: {threshold:pr-all-tumours}.
    threshold_fields: tuple[str, ...] = ("body",)

    def placeholder_errors(self) -> dict[str, str]:
        """Each text whose ``{threshold:key}`` names no criterion with a threshold
        (``neuroinfo.thresholds``), so a page never has to guess the number."""
        errors = {}
        for name in self.threshold_fields:
            for code, _name in settings.LANGUAGES:
                field = f"{name}_{code}"
                unknown = unknown_keys(getattr(self, field, "") or "")
                if unknown:
                    errors[field] = unknown_message(unknown)
        return errors

    def score_reading(self, thresholds: Thresholds | None = None) -> dict:
        """Each language's reading score, from the prose a family reads: the
        summary, each key point and the rendered body (``thresholds``: the criteria's,
        when already read)."""

        def filled(name: str, code: str) -> str:
            text = getattr(self, f"{name}_{code}", "") or ""
            return fill(text, code, thresholds, log=False)

        return {
            code: reading_score(
                prose(
                    filled("summary", code),
                    *filled("key_points", code).splitlines(),
                    getattr(self, f"body_html_{code}") or "",
                ),
                code,
            )
            for code, _name in settings.LANGUAGES
        }


class GuideItem(TextItem):
    """A page of the guide: adds a summary, a place in the guide and related links."""

    summary = models.TextField(_("summary"), blank=True)
    # What search engines and link previews show instead of the summary, when set.
    meta_description = models.CharField(
        _("search description"),
        max_length=META_DESCRIPTION_MAX,
        blank=True,
        help_text=_(
            "Optional. What search results and shared links show under the title; "
            "left empty, the summary is used. At most 160 characters."
        ),
    )
    key_points = models.TextField(
        _("key points"),
        blank=True,
        help_text=_("One short point per line, listed at the top of the page."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    filled = models.JSONField(default=dict, editable=False)
    related = models.TextField(
        _("related items"),
        blank=True,
        help_text=_(
            "Shown under “Find out more”: one reference per line, "
            "e.g. treatment:chemotherapy or page:follow-up-care."
        ),
    )

    class Meta:
        abstract = True
        ordering = ["order", "key"]

    @property
    def related_refs(self) -> list[str]:
        """The related references, in order."""
        return [line.strip() for line in self.related.splitlines() if line.strip()]

    threshold_fields = ("summary", "meta_description", "key_points", "body")
    # The longest key point, in characters (the content files check it too).
    key_point_max = KEY_POINT_MAX

    # The summary and key points as shown, thresholds filled, kept by the render for
    # each language whose text names one: {"summary:fr": [text, filled], ...}.
    FILLED_FIELDS = ("summary", "key_points")

    def shown(
        self,
        name: str,
        language: str | None = None,
        thresholds: Thresholds | None = None,
    ) -> str:
        """A text (summary, key points) in a language (the active one), as shown:
        each criterion's threshold written as the row holds it. Filled once per
        render (``filled``), or here for a text the render has not seen (a preview),
        from ``thresholds`` when the caller has read them already.
        """
        language = language or get_language() or settings.LANGUAGE_CODE
        text = getattr(self, name) or ""  # the language's text, or its fallback
        if PLACEHOLDER.search(text) is None:
            return text
        source, filled = (self.filled or {}).get(f"{name}:{language}", ("", ""))
        return filled if source == text else fill(text, language, thresholds)

    def shown_key_points(
        self, language: str | None = None, thresholds: Thresholds | None = None
    ) -> list[str]:
        """The key points as shown (``shown``), one per line, blank lines left out."""
        points = self.shown("key_points", language, thresholds)
        return [line.strip() for line in points.splitlines() if line.strip()]

    @property
    def key_point_list(self) -> list[str]:
        """The key points in the active language, in order, each criterion's
        threshold written as the row holds it."""
        return self.shown_key_points()

    @property
    def summary_display(self) -> str:
        """The summary in the active language, each criterion's threshold written
        as the row holds it."""
        return self.shown("summary")

    def clean(self) -> None:
        """Refuse related references to items that do not exist."""
        errors = {}
        try:
            super().clean()
        except ValidationError as error:
            errors.update(error.message_dict)
        missing = unknown_refs(self.related_refs)
        if missing:
            errors["related"] = _("Unknown item: %(refs)s.") % {
                "refs": ", ".join(missing)
            }
        for code, _name in settings.LANGUAGES:
            points = (getattr(self, f"key_points_{code}") or "").splitlines()
            if any(len(point.strip()) > KEY_POINT_MAX for point in points):
                errors[f"key_points_{code}"] = _(
                    "Keep each key point to %(max)s characters or fewer."
                ) % {"max": KEY_POINT_MAX}
        if errors:
            raise ValidationError(errors)
