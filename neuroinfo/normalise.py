"""Text as the database keeps it, whoever wrote it: the content loader or an admin form.

One definition of "the same text": browsers post CRLF line endings and send empty
fields back as None, content files have their own spacing; both are brought to this
form before anything compares or saves them, so an untouched field is never
"changed" and the loader and the admin agree on what an editor changed.
"""

from django.core.exceptions import FieldDoesNotExist
from django.db import models

# Translated fields kept one entry per line (a YAML list in the content files).
LIST_TEXT = frozenset({"key_points"})


def text(value: object) -> str:
    """Text with LF line endings and no surrounding whitespace; None is empty."""
    return ("" if value is None else str(value)).replace("\r\n", "\n").strip()


def lines(value: object) -> str:
    """A list kept as text: one entry per line, each trimmed, no blank lines."""
    return "\n".join(line.strip() for line in text(value).splitlines() if line.strip())


def field_text(name: str, value: object) -> str:
    """A field's text as compared: list fields line by line, any other as text.

    ``name`` is the field's name without its language (``key_points``, not
    ``key_points_fr``).
    """
    return lines(value) if name in LIST_TEXT else text(value)


def base_name(model: type[models.Model], column: str) -> str:
    """A column's field name without its language (``body`` for ``body_fr``)."""
    try:
        field = model._meta.get_field(column)
    except FieldDoesNotExist:
        return column
    return getattr(field, "translated_field", field).name


def stored(model: type[models.Model], column: str, value: object) -> str | None:
    """What a text column holds for a value: normalised text, or the column's empty
    value when there is none (NULL for translated slugs, whose per-language unique
    constraint needs it; the empty string for every other text)."""
    clean = field_text(base_name(model, column), value)
    if clean:
        return clean
    try:
        field = model._meta.get_field(column)
    except FieldDoesNotExist:
        return ""
    # modeltranslation's declared empty value: None only where registered so (slugs).
    return getattr(field, "empty_value", "")
