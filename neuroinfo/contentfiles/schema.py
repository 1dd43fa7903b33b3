"""What a content file of each kind holds: folders, shared fields, translated fields."""

from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import models


@dataclass(frozen=True)
class ChildSpec:
    """Rows kept inside their parent's file (criteria, questions)."""

    field: str  # front-matter list name, and the parent's related_name
    model: str
    parent_field: str
    shared: tuple[str, ...]
    text: tuple[str, ...]
    # A row is published with its item unless its file says otherwise.
    defaults: dict = field(default_factory=lambda: {"status": "published"})

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model("neuroinfo", self.model)


@dataclass(frozen=True)
class Kind:
    """One kind of item: its reference prefix, folder, model and front-matter fields."""

    name: str
    folder: str
    model: str
    shared: tuple[str, ...]  # in the English file only
    text: tuple[str, ...]  # translated, in every language's file (the body comes after)
    child: ChildSpec | None = None
    required_text: tuple[str, ...] = field(default=("title", "slug"))
    defaults: dict = field(default_factory=dict)

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model("neuroinfo", self.model)


REVIEW = ("status", "last_reviewed", "next_review_due", "reviewed_by")
GUIDE_SHARED = ("order", *REVIEW, "related", "sources")
GUIDE_TEXT = (
    "title",
    "slug",
    "summary",
    "meta_description",
    "key_points",
    "reviewed_by_role",
)
KEY_POINT_MAX = 200  # characters: a key point is one short sentence
# Characters, about what search results show: the model, admin and loader enforce it.
META_DESCRIPTION_MAX = 160

# Load order matters: parents before children, targets of foreign keys first.
KINDS: tuple[Kind, ...] = (
    Kind(
        "glossary",
        "glossary",
        "GlossaryTerm",
        (*REVIEW, "sources"),
        ("title", "slug", "reviewed_by_role"),
    ),
    Kind(
        "page",
        "pages",
        "GuidePage",
        GUIDE_SHARED,
        GUIDE_TEXT,
        ChildSpec("questions", "Question", "page", ("status",), ("text",)),
    ),
    Kind("risk-factor", "risk-factors", "RiskFactor", GUIDE_SHARED, GUIDE_TEXT),
    Kind(
        "treatment",
        "treatments",
        "Treatment",
        ("order", "parent", *REVIEW, "related", "sources"),
        GUIDE_TEXT,
    ),
    Kind(
        "response",
        "response",
        "ResponseCategory",
        ("order", "precedence", "match", *REVIEW, "related", "sources"),
        GUIDE_TEXT,
        ChildSpec(
            "criteria",
            "ResponseCriterion",
            "category",
            (
                "status",
                "measure",
                "finding",
                "expected",
                "quantity",
                "comparison",
                "threshold",
                "unit",
                "not_applicable_when",
            ),
            ("statement",),
        ),
    ),
)
KINDS_BY_FOLDER = {kind.folder: kind for kind in KINDS}


def languages() -> list[str]:
    """Language codes in settings order; the first is the source language."""
    return [code for code, _name in settings.LANGUAGES]


def source_language() -> str:
    """The language whose file holds the shared fields."""
    return languages()[0]
