"""Rules across response categories, one function for the admin, the loader and the pages.

The explainer decides the categories one step at a time, lowest precedence first, and
the "otherwise" category is the answer when no category before it applies. That only
means something when there is exactly one "otherwise" category, decided last, and each
category has its own step. A single category row cannot see these rules: the admin's
form (``ResponseCategory.clean``), ``load_content`` (before anything is written) and
the public pages (which leave a broken logic out rather than answer wrongly) all ask
``category_problems`` about the whole set.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

OTHERWISE = "otherwise"


@dataclass(frozen=True)
class CategoryRow:
    """What the rules read of a category: from the database, a form or a file."""

    key: str
    name: str  # how a message names it: its title, else its key
    match: str
    precedence: int | None

    @classmethod
    def of(cls, category) -> "CategoryRow":
        """A ``ResponseCategory`` (saved or not) as the rules read it."""
        return cls(
            category.key,
            str(category.title or category.key),
            category.match,
            category.precedence,
        )


@dataclass(frozen=True)
class Problem:
    """One broken rule: the category it concerns, the field to fix, the message."""

    key: str  # the category whose field breaks the rule ("" when it is the whole set)
    field: str  # "match" or "precedence"
    message: str | Promise
    other: str = ""  # the other category involved, by key


def category_problems(rows: list[CategoryRow]) -> list[Problem]:
    """Every rule across the categories that this set breaks (none when it is sound).

    A problem names the category to change and the other one it clashes with; when
    no category is "otherwise", the problem concerns the whole set (``key`` "").
    """
    problems: list[Problem] = []
    otherwise = [row for row in rows if row.match == OTHERWISE]
    if rows and not otherwise:
        problems.append(
            Problem(
                "",
                "match",
                _(
                    "No category applies “when no category decided before it "
                    "applies”: exactly one must, or some findings get no answer."
                ),
            )
        )
    for row in otherwise[1:]:
        first = otherwise[0]
        problems += [
            Problem(a.key, "match", _second_otherwise(b), b.key)
            for a, b in ((row, first), (first, row))
        ]
    by_step: dict[int, CategoryRow] = {}
    for row in rows:
        if row.precedence is None:
            continue
        first = by_step.setdefault(row.precedence, row)
        if first is not row:
            problems += [
                Problem(a.key, "precedence", _same_step(b, row.precedence), b.key)
                for a, b in ((row, first), (first, row))
            ]
    if len(otherwise) == 1 and otherwise[0].precedence is not None:
        last = otherwise[0]
        for row in rows:
            if row.precedence is None or row is last:
                continue
            if row.precedence > last.precedence:
                problems += [
                    Problem(last.key, "precedence", _decided_last(row), row.key),
                    Problem(row.key, "precedence", _before_otherwise(last), last.key),
                ]
    return problems


def _second_otherwise(other: CategoryRow) -> str:
    return _(
        "“%(other)s” already applies when no category decided before it applies: "
        "only one category may, or the answer would be ambiguous."
    ) % {"other": other.name}


def _same_step(other: CategoryRow, precedence: int) -> str:
    return _(
        "“%(other)s” already has precedence %(precedence)s: give each category its "
        "own number."
    ) % {"other": other.name, "precedence": precedence}


def _decided_last(later: CategoryRow) -> str:
    return _(
        "This category applies when no category decided before it applies, so it "
        "is decided last: give it a precedence higher than %(precedence)s "
        "(“%(other)s”)."
    ) % {"other": later.name, "precedence": later.precedence}


def _before_otherwise(last: CategoryRow) -> str:
    return _(
        "“%(other)s” applies when no category decided before it applies, so it is "
        "decided last: give this category a precedence lower than %(precedence)s."
    ) % {"other": last.name, "precedence": last.precedence}


def problems_of(key: str, problems: list[Problem]) -> dict[str, list]:
    """The messages about one category, by field, as a form shows them."""
    found: dict[str, list] = {}
    for problem in problems:
        if problem.key == key:
            found.setdefault(problem.field, []).append(problem.message)
    return found
