"""The rules across a tree's files: unique slugs and row keys, parents and links that
exist, and the rules across response categories (``neuroinfo.response_rules``)."""

from dataclasses import dataclass

from django.utils import translation

from neuroinfo.links import get_item
from neuroinfo.models import ResponseCategory
from neuroinfo.rendering import find_refs
from neuroinfo.response_rules import CategoryRow, category_problems

from .files import ContentError, ParsedFile
from .frontmatter import bad_ref_syntax
from .records import Record
from .schema import Kind, languages, source_language
from .validation import placeholder_problems, tree_thresholds


@dataclass
class Item:
    """One item of the tree: its kind, its record and its file in each language."""

    kind: Kind
    record: Record
    files: dict[str, ParsedFile]


def check_tree(items: list[Item]) -> list[ContentError]:
    """Rules across files: unique slugs and child keys, parents and links that exist."""
    errors: list[ContentError] = []
    known = {f"{item.kind.name}:{item.record['key']}" for item in items}
    slugs: dict[tuple, ParsedFile] = {}
    child_keys: dict[str, ParsedFile] = {}
    treatments = {i.record["key"]: i for i in items if i.kind.name == "treatment"}
    thresholds = tree_thresholds([(i.kind.name, i.record) for i in items])
    for item in items:
        record, kind, source = item.record, item.kind, item.files[source_language()]
        for lang in languages():
            slug = record.get(f"slug_{lang}")
            if slug:
                other = slugs.setdefault((kind.name, lang, slug), item.files[lang])
                if other is not item.files[lang]:
                    errors.append(
                        item.files[lang].error(
                            f"duplicate slug '{slug}' (also in {other.path})", "slug"
                        )
                    )
        errors += _link_problems(item, known, get_item)
        fields = item.kind.model_class.threshold_fields
        errors += placeholder_problems(fields, record, item.files, thresholds)
        parent = record.get("parent")
        if parent and (parent not in treatments or parent == record["key"]):
            errors.append(
                source.error(
                    f"unknown parent treatment '{parent}': give the key of another "
                    "treatment, or remove 'parent'",
                    "parent",
                )
            )
        elif parent and treatments[parent].record.get("parent"):
            errors.append(
                source.error(
                    f"'{parent}' is itself part of another treatment: choose a "
                    "top-level treatment (one level of sub-sections only)",
                    "parent",
                )
            )
        if kind.child:
            for index, row in enumerate(record[kind.child.field]):
                other = child_keys.setdefault(row["key"], source)
                if other is not source:
                    errors.append(
                        source.error(
                            f"duplicate key '{row['key']}' (also in {other.path})",
                            kind.child.field,
                            index,
                            "key",
                        )
                    )
    return errors + _precedence_problems(items)


def _link_problems(item: Item, known: set, get_item) -> list[ContentError]:
    """Links to items that exist neither in the tree nor in the database, each at its
    line: a related entry in the source file, a body link in its language's file."""

    def unknown(ref: str) -> bool:
        return bad_ref_syntax(ref) or (ref not in known and get_item(ref) is None)

    errors = []
    source = item.files[source_language()]
    for index, ref in enumerate(item.record.get("related", [])):
        if unknown(ref):
            errors.append(
                source.error(
                    f"link to an unknown item '{ref}': check its kind and key",
                    "related",
                    index,
                )
            )
    for lang, parsed in item.files.items():
        for ref in find_refs(item.record.get(f"body_{lang}", "")):
            if unknown(ref):
                errors.append(
                    ContentError(
                        parsed.path,
                        f"link to an unknown item '{ref}': check its kind and key",
                        parsed.body_line(ref),
                    )
                )
    return errors


def _precedence_problems(items: list[Item]) -> list[ContentError]:
    """The rules across response categories (``neuroinfo.response_rules``), on the
    categories as the load would leave them: the files' and those only in the
    database. Each problem is at the ``match:`` or ``precedence:`` line it is about."""
    errors: list[ContentError] = []
    files: dict[str, ParsedFile] = {}
    rows: list[CategoryRow] = []
    for item in items:
        if item.kind.name != "response":
            continue
        source = item.files[source_language()]
        precedence = item.record.get("precedence")
        if not precedence:
            errors.append(
                source.error(
                    "'precedence' is required: the step, 1 or more, at which the "
                    "explainer decides this category",
                    "key",
                )
            )
            continue
        files[item.record["key"]] = source
        title = item.record.get(f"title_{source_language()}") or item.record["key"]
        rows.append(
            CategoryRow(item.record["key"], title, item.record["match"], precedence)
        )
    if errors or not files:
        return errors
    stored = ResponseCategory.objects.exclude(key__in=list(files))
    with translation.override(source_language()):
        rows += [CategoryRow.of(category) for category in stored]
    return _category_errors(rows, files)


def _category_errors(
    rows: list[CategoryRow], files: dict[str, ParsedFile]
) -> list[ContentError]:
    """Each broken rule at its file and line; one not about a file's category at the
    first category file's ``match:`` line."""
    with translation.override(source_language()):
        problems = category_problems(rows)
        names = {row.key: files[row.key].path for row in rows if row.key in files}
        errors = []
        for problem in problems:
            if problem.key and problem.key not in files:
                continue  # a category only in the database: its twin names the file
            source = files.get(problem.key) or next(iter(files.values()))
            where = names.get(problem.other) or (
                f"the database's '{problem.other}'" if problem.other else ""
            )
            also = f" ({where})" if where else ""
            message = f"'{problem.field}': {problem.message}{also}"
            errors.append(source.error(message, problem.field))
    return errors


def final_problems(items: list[Item]) -> list[ContentError]:
    """The rules across categories on what the load wrote (categories an editor
    changed are left as they are, so the files alone cannot tell)."""
    files = {
        item.record["key"]: item.files[source_language()]
        for item in items
        if item.kind.name == "response"
    }
    if not files:
        return []
    with translation.override(source_language()):
        rows = [CategoryRow.of(c) for c in ResponseCategory.objects.all()]
    return _category_errors(rows, files)
