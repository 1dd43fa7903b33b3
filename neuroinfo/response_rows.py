"""Response categories and criteria as the public pages read them.

The admin and ``load_content`` refuse values that break the rules, but a database can
still hold one (written by hand, before a rule existed, or a number SQLite keeps but
its column cannot give back). A public page never turns that into a server error: the
response page, the printable guide and search leave the bad row out and say so, the
explainer gives no answer while its logic is broken (an answer from part of the
criteria could be wrong), and each problem is logged for the team to fix.
"""

import logging

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import translation

from neuroinfo.models import ResponseCategory, ResponseCriterion
from neuroinfo.response_rules import CategoryRow, category_problems

logger = logging.getLogger(__name__)
_UNREADABLE = (ArithmeticError, ValueError, TypeError, ValidationError)
_CATEGORY_CHECKS = ("match", "precedence")


def readable_categories(
    categories: QuerySet, criteria: QuerySet
) -> list[ResponseCategory]:
    """The categories, each carrying those of ``criteria`` that can be read and keep
    the rules (as ``category.criteria.all()``, without a query); the keys of the
    rows left out are in ``category.left_out``. Two queries when nothing is wrong."""
    found = list(categories)
    rows, unread = _read(criteria.filter(category__in=found))
    by_category: dict[int, list] = {category.pk: [] for category in found}
    left_out: dict[int, list] = {category.pk: [] for category in found}
    for row in rows:
        problems = criterion_problems(row)
        if problems:
            logger.error(
                "Response criterion %r left out of the public pages: %s",
                row.key,
                "; ".join(problems),
            )
            left_out[row.category_id].append(row.key)
            continue
        by_category[row.category_id].append(row)
    for pk, keys in unread.items():
        left_out.setdefault(pk, []).extend(keys)
    for problem in category_rule_problems(found):
        logger.error("Response categories break a rule: %s", problem)
    field = ResponseCriterion._meta.get_field("category")
    for category in found:
        cached = category.criteria.all()
        cached._result_cache = by_category[category.pk]
        cached._prefetch_done = True
        category._prefetched_objects_cache = {"criteria": cached}
        for row in by_category[category.pk]:
            field.set_cached_value(row, category)
        category.left_out = left_out[category.pk]
    return found


def _read(criteria: QuerySet) -> tuple[list[ResponseCriterion], dict[int, list]]:
    """The rows, leaving out (and logging) any the database cannot give back; those
    keys by category."""
    unread: dict[int, list] = {}
    try:
        return list(criteria), unread
    except _UNREADABLE as error:
        logger.error("Response criteria cannot all be read: %r", error)
    rows = []
    for pk, key, category in criteria.values_list("pk", "key", "category_id"):
        try:
            rows += list(criteria.filter(pk=pk))
        except _UNREADABLE as error:
            logger.error(
                "Response criterion %r left out of the public pages: the database "
                "cannot give back one of its values (%r)",
                key,
                error,
            )
            unread.setdefault(category, []).append(key)
    return rows, unread


def criterion_problems(row: ResponseCriterion) -> list[str]:
    """What the model's own rules (the admin's and the loader's) say about a row."""
    others = [f.name for f in row._meta.fields if f.name == "category"]
    errors: dict = {}
    with translation.override("en"):
        for check in (lambda: row.clean_fields(exclude=others), row.clean):
            try:
                check()
            except ValidationError as error:
                errors = error.update_error_dict(errors)
            except (ArithmeticError, ValueError, TypeError) as error:
                errors.setdefault("__all__", []).append(repr(error))
        return [
            f"{name}: {message}"
            for name, messages in errors.items()
            for message in ValidationError(messages).messages
        ]


def category_rule_problems(categories: list[ResponseCategory]) -> list[str]:
    """The categories' own values and the rules across them (``response_rules``)."""
    problems = []
    with translation.override("en"):
        for category in categories:
            others = [
                f.name for f in category._meta.fields if f.name not in _CATEGORY_CHECKS
            ]
            try:
                category.clean_fields(exclude=others)
            except ValidationError as error:
                problems += [f"{category.key}: {m}" for m in error.messages]
        rows = [CategoryRow.of(category) for category in categories]
        problems += [
            f"{problem.key or 'categories'}: {problem.message}"
            for problem in category_problems(rows)
        ]
    return problems


def logic_problems(categories: list[ResponseCategory]) -> list[str]:
    """Why the explainer cannot answer from these categories (logged); none when it can.

    A category with a row left out, a match the engine does not know, or a set that
    breaks the rules across categories could give a wrong answer.
    """
    problems = category_rule_problems(categories)
    for category in categories:
        left_out = getattr(category, "left_out", [])
        if left_out:
            problems.append(
                f"{category.key}: criteria left out ({', '.join(left_out)})"
            )
    for problem in problems:
        logger.error("The explainer cannot answer: %s", problem)
    return problems
