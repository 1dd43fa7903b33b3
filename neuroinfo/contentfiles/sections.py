"""The guide's sections in the content files: ``<language>/sections.md``, whose front
matter lists them (``schema.SECTIONS``), for example in English:

    sections:
    - key: treatments
      order: 2
      title: Treatments
      description: Each treatment your child may be offered, and clinical trials.

An item names its section by key in its English file (``section: treatments``).
Here: the files read, checked and merged into one record per section; the rules
across the tree (an item's section exists; the start of the guide and sub-sections
have none, every other item one); a section's record in the database; and writing
one, which the loader does before any item.
"""

from dataclasses import dataclass, field
from pathlib import Path

from neuroinfo import normalise, pagekeys
from neuroinfo.models import Section
from neuroinfo.models.sections import placement_problem

from .files import ContentError, ParsedFile
from .frontmatter import check_rows, merge_children
from .records import Record, fields_from_db, record_hash
from .schema import SECTIONS, SECTIONS_FILE, languages, source_language
from .tree import Item
from .validation import row_problems


@dataclass
class Sections:
    """A tree's sections: each one's record (every language merged), and the file
    of each language."""

    records: list[Record] = field(default_factory=list)
    files: dict[str, ParsedFile] = field(default_factory=dict)


def read_sections(
    found: dict[str, ParsedFile | None],
) -> tuple[Sections, list[ContentError]]:
    """The sections files a scan found (``scan.Found.sections``: None for one that
    could not be read), checked and merged; a tree without them has none."""
    sections = Sections()
    if not found:
        return sections, []
    missing = [lang for lang in languages() if lang not in found]
    errors = [
        ContentError(
            Path(lang, SECTIONS_FILE),
            f"missing: the sections have no {lang} file: add {Path(lang, SECTIONS_FILE)}"
            ", with each section's key and its words in that language",
        )
        for lang in missing
    ]
    if errors or None in found.values():
        return sections, errors  # a file that could not be read has said why
    source = source_language()
    records, errors = check_rows(SECTIONS, found[source], source)
    errors += _duplicates(records, found[source])
    for lang in languages()[1:]:
        rows, more = check_rows(SECTIONS, found[lang], lang)
        if not more and not errors:
            more = merge_children(SECTIONS, records, rows, found[lang], lang)
        errors += more
    sections.files = dict(found)
    if not errors:
        for record in records:
            errors += row_problems(SECTIONS, record, sections.files)
    sections.records = records
    return sections, errors


def _duplicates(records: list[Record], parsed: ParsedFile) -> list[ContentError]:
    seen: set[str] = set()
    errors = []
    for index, record in enumerate(records):
        key = record["key"]
        if key in seen:
            errors.append(
                parsed.error(
                    f"duplicate key '{key}': give each section its own key",
                    SECTIONS.field,
                    index,
                    "key",
                )
            )
        seen.add(key)
    return errors


def placement_problems(items: list[Item], sections: Sections) -> list[ContentError]:
    """Each item's ``section``, by the rule the admin applies
    (``models.sections.placement_problem``), and naming a section the files or the
    database hold, at the line of the item's English file."""
    known = {record["key"] for record in sections.records}
    known |= set(Section.objects.values_list("key", flat=True))
    choices = ", ".join(sorted(known)) or "none yet: add them to sections.md"
    errors = []
    for item in items:
        if not item.kind.kind.sectioned:
            continue
        record, source = item.record, item.files[source_language()]
        key = record.get("section")
        if key and key not in known:
            errors.append(
                source.error(
                    f"unknown section '{key}': give the key of a section in "
                    f"{SECTIONS_FILE} ({choices})",
                    "section",
                )
            )
            continue
        problem = placement_problem(
            home=item.kind.name == "page" and record["key"] == pagekeys.HOME,
            inside=bool(record.get("parent")),
            placed=bool(key),
            published=record.get("status") == "published",
        )
        if problem:
            hint = "" if key else f" Write 'section: <key>', one of: {choices}."
            where = "section" if key else "key"  # the line to fix, or the item's
            errors.append(source.error(f"'section': {problem}{hint}", where))
    return errors


def section_record(section: Section) -> Record:
    """The record the database holds for a section."""
    return fields_from_db(section, SECTIONS.shared, SECTIONS.text)


def section_records() -> list[Record]:
    """Every section's record, in reading order (as the exporter writes them)."""
    return [section_record(section) for section in Section.objects.all()]


def apply_section(record: Record, section: Section | None) -> Section:
    """Write a section's record (new or onto its row), fingerprinted as loaded."""
    section = section or Section(key=record["key"])
    for name in SECTIONS.shared:
        setattr(section, name, record[name])
    for name in SECTIONS.text:
        for lang in languages():
            column = f"{name}_{lang}"
            setattr(section, column, normalise.stored(Section, column, record[column]))
    section.content_hash = record_hash(record)
    section.save()
    return section
