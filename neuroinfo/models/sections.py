"""The guide's sections (Your child's treatment plan, Treatments, ...): data editors
order, so a parent always knows where a page sits and what is next to it."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# The id of a section's heading on the start page, which breadcrumbs link to.
ANCHOR_PREFIX = "section-"


class Section(models.Model):
    """A group of pages listed together: on the start page, in breadcrumbs and in the
    navigation beside each of its pages. Reading order is the sections' ``order``,
    then each item's own."""

    key = models.SlugField(
        _("key"),
        max_length=80,
        unique=True,
        help_text=_(
            "Stable identifier used by content files and the start page's links to "
            "the section. Never change it."
        ),
    )
    order = models.PositiveIntegerField(
        _("order"),
        default=0,
        help_text=_("Sections are read lowest first, in both languages."),
    )
    quiet = models.BooleanField(
        _("quiet"),
        default=False,
        help_text=_(
            "About the guide itself (how it is made, privacy): listed as plain links "
            "at the end of the start page, not as cards, and not offered as the next "
            "section to read."
        ),
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.CharField(
        _("short description"),
        max_length=300,
        blank=True,
        help_text=_("Optional. One sentence shown under the title on the start page."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # As for items: the fingerprint of the section as the content files last described
    # it, so load_content keeps a change made in the admin (neuroinfo.contentfiles).
    content_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["order", "key"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return self.title

    @property
    def anchor(self) -> str:
        """The id of its heading on the start page."""
        return f"{ANCHOR_PREFIX}{self.key}"


class Sectioned(models.Model):
    """An item listed in a section: a guide page, a factor or a top-level treatment.

    The start of the guide comes before every section and a treatment's sub-section
    is read inside its parent, so neither has one; every other item needs one to be
    published (a draft may wait for its place).
    """

    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="%(class)s_items",
        help_text=_(
            "Where the page is listed: on the start page, in its breadcrumbs and in "
            "the list of pages beside it."
        ),
    )

    class Meta:
        abstract = True

    def placement_problem(self) -> str | None:
        """Why this item's section is wrong for its place in the guide, if it is."""
        return placement_problem(
            home=self.key == getattr(self, "HOME_KEY", None),  # a guide page's
            inside=bool(getattr(self, "parent_id", None)),  # a treatment's sub-section
            placed=bool(self.section_id),
            published=getattr(self, "status", "") == "published",
        )

    def problems(self) -> dict[str, str]:
        """This item's own rules that fail, by field: every published item but the
        start of the guide and sub-sections is in a section. A kind with rules of
        its own adds them here (``Treatment``), so all are said together."""
        problem = self.placement_problem()
        return {"section": problem} if problem else {}

    def clean(self) -> None:
        """The item's problems (``problems``) said with what the other rules find."""
        errors: dict = {}
        try:
            super().clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field, problem in self.problems().items():
            errors.setdefault(field, []).append(problem)
        if errors:
            raise ValidationError(errors)


def placement_problem(
    *, home: bool, inside: bool, placed: bool, published: bool
) -> str | None:
    """The rule for an item's section, for the admin, publishing and the content
    files alike: none for the start of the guide (``home``) or a sub-section
    (``inside``); one for every other item once it is published."""
    if home and placed:
        return _("The start of the guide comes before every section: leave this empty.")
    if inside and placed:
        return _(
            "A sub-section is read inside its parent's page, in its parent's "
            "section: leave this empty."
        )
    if published and not (home or inside or placed):
        return _(
            "Choose the section this page is listed in: a published page is in one."
        )
    return None
