"""Changes awaiting review: edits to a published item held until a reviewer decides."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .editorial import item_rows


class PendingChangeQuerySet(models.QuerySet):
    """Held changes, by where they stand."""

    def open(self) -> "PendingChangeQuerySet":
        """Changes not yet published: waiting, or sent back to their author."""
        return self.filter(state__in=PendingChange.OPEN)

    def for_item(self, item: models.Model) -> "PendingChangeQuerySet":
        kind = ContentType.objects.get_for_model(item)
        return self.filter(content_type=kind, object_id=item.pk)


class PendingChange(models.Model):
    """Edits to a published item by someone who may not publish, held for review.

    Families keep seeing the published text until a medical reviewer publishes the
    change; staff can preview it. A decided change is kept, so its author can see
    whether it was published or sent back, and why. An item has at most one open
    change (waiting or sent back), and it belongs to one author.
    """

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting for review")
        SENT_BACK = "sent_back", _("Sent back")
        PUBLISHED = "published", _("Published")

    OPEN = (State.WAITING, State.SENT_BACK)

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=State.choices,
        default=State.WAITING,
        db_index=True,
    )
    data = models.JSONField(
        _("changed fields"), default=dict, encoder=DjangoJSONEncoder
    )
    # What the published item held for those fields when the change was published,
    # so a decided change still shows what it replaced.
    replaced = models.JSONField(default=dict, encoder=DjangoJSONEncoder, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    comment = models.TextField(_("reviewer's comment"), blank=True)

    objects = PendingChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=models.Q(state__in=["waiting", "sent_back"]),
                name="one_open_change_per_item",
            )
        ]
        verbose_name = _("change for review")
        verbose_name_plural = _("changes for review")
        permissions = [
            ("publish_content", _("Can publish and unpublish content")),
            ("review_content", _("Can mark content as medically reviewed")),
            ("edit_source_language", _("Can change the English text")),
        ]

    def __str__(self) -> str:
        return f"{self.content_type.name}: {self.item}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN

    @classmethod
    def for_item(cls, item: models.Model) -> "PendingChange | None":
        """The open change (waiting or sent back) for this item, if any."""
        return cls.objects.open().for_item(item).first()

    @classmethod
    def open_for_rows(
        cls, item: models.Model
    ) -> list[tuple["PendingChange", models.Model]]:
        """The open changes of an item's rows (criteria, questions), each with its
        row, in the rows' order: one query per kind of row, not one per row."""
        rows = item_rows(item)
        pks: dict[type[models.Model], list[int]] = {}
        for row in rows:
            pks.setdefault(type(row), []).append(row.pk)
        found = {}
        for model, ids in pks.items():
            kind = ContentType.objects.get_for_model(model)
            for change in cls.objects.open().filter(
                content_type=kind, object_id__in=ids
            ):
                found[(model, change.object_id)] = change
        pairs = []
        for row in rows:
            change = found.get((type(row), row.pk))
            if change is not None:
                change.item = row  # the row is at hand: no query to fetch it again
                pairs.append((change, row))
        return pairs

    def values(self, model: type[models.Model], data: dict | None = None) -> dict:
        """Held values (or ``data``, e.g. ``replaced``) by column (``title_en``,
        ``parent_id``), as Python values."""
        out = {}
        for name, value in (self.data if data is None else data).items():
            field = model._meta.get_field(name)
            out[field.attname] = value if field.is_relation else field.to_python(value)
        return out

    def apply_to(self, item: models.Model) -> models.Model:
        """Put the held values on the item (in memory; the caller saves)."""
        for attname, value in self.values(type(item)).items():
            setattr(item, attname, value)
        return item
