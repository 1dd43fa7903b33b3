"""What a content file of each kind holds: folders, shared fields, translated fields."""

from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import models

from neuroinfo import kinds


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
    optional: tuple[str, ...] = ()  # texts the English file may leave out

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model("neuroinfo", self.model)


@dataclass(frozen=True)
class Kind:
    """One kind of item (``neuroinfo.kinds``) as its files describe it: the fields in
    the English file only, the translated ones, and the rows kept inside it."""

    kind: kinds.Kind
    shared: tuple[str, ...]  # in the English file only
    text: tuple[str, ...]  # translated, in every language's file (the body comes after)
    child: ChildSpec | None = None
    required_text: tuple[str, ...] = field(default=("title", "slug"))
    defaults: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The reference prefix (``treatment``)."""
        return self.kind.ref

    @property
    def folder(self) -> str:
        return self.kind.folder

    @property
    def model(self) -> str:
        return self.kind.model

    @property
    def model_class(self) -> type[models.Model]:
        return self.kind.model_class


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
# A guide item's shared fields beyond GUIDE_SHARED, by reference prefix.
EXTRA_SHARED = {"treatment": ("parent",), "response": ("precedence", "match")}
CHILDREN = {
    "questions": ChildSpec("questions", "Question", "page", ("status",), ("text",)),
    "criteria": ChildSpec(
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
}

# The guide's sections, one file per language (<language>/sections.md) holding them as
# a list of rows: the English file their order, whether each is quiet (about the
# guide itself) and the English words; every other file the key and its words.
SECTIONS_FILE = "sections.md"
SECTIONS = ChildSpec(
    "sections",
    "Section",
    "",
    ("order", "quiet"),
    ("title", "description"),
    defaults={},
    optional=("description",),
)


def _files_of(kind: kinds.Kind) -> Kind:
    """What a kind's files hold: a guide item's fields, or a glossary term's."""
    child = next((CHILDREN[name] for name in kind.rows), None)
    if not kind.guide:
        return Kind(kind, (*REVIEW, "sources"), ("title", "slug", "reviewed_by_role"))
    order, *rest = GUIDE_SHARED
    placed = ("section",) if kind.sectioned else ()  # the key of its section
    shared = (order, *EXTRA_SHARED.get(kind.ref, ()), *placed, *rest)
    return Kind(kind, shared, GUIDE_TEXT, child)


KINDS: tuple[Kind, ...] = tuple(_files_of(kind) for kind in kinds.KINDS)
# The order the tree is loaded and exported in: glossary terms first, then the others
# in reading order (and a treatment's parent before its sub-sections: loader.read_tree).
TREE_ORDER: tuple[Kind, ...] = tuple(sorted(KINDS, key=lambda kind: kind.kind.guide))
KINDS_BY_FOLDER = {kind.folder: kind for kind in KINDS}


def languages() -> list[str]:
    """Language codes in settings order; the first is the source language."""
    return [code for code, _name in settings.LANGUAGES]


def source_language() -> str:
    """The language whose file holds the shared fields."""
    return languages()[0]
