"""The admin's content forms: posted text is brought to the form the database keeps.

A browser posts every textarea with CRLF line endings and Django reads an empty
field of a nullable column as None; stored text has LF endings and empty strings
(see neuroinfo.normalise). Normalising each text field's value where the form reads
it means an untouched field is neither "changed" (``changed_data``, held changes,
translation stamps) nor rewritten when the form is saved.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.text import capfirst

from neuroinfo import normalise


def _normalising(
    to_python: Callable[[Any], Any], model: type[models.Model], column: str
) -> Callable[[Any], Any]:
    def clean(value: Any) -> Any:
        return normalise.stored(model, column, to_python(value))

    return clean


class ContentForm(forms.ModelForm):
    """The base of every content form and inline row (items, criteria, questions)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model = self._meta.model
        text_columns = {
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        }
        for name, field in self.fields.items():
            if name in text_columns and isinstance(field, forms.CharField):
                # Both cleaning and changed_data read values through to_python.
                field.to_python = _normalising(field.to_python, model, name)

    def _update_errors(self, errors: ValidationError) -> None:
        """A model rule about a field this form does not show (read-only for this
        role) is said above the form, naming the field, instead of failing the page."""
        if hasattr(errors, "error_dict"):
            kept: dict[str, list] = {}
            for name, messages in errors.error_dict.items():
                if name == NON_FIELD_ERRORS or name in self.fields:
                    kept.setdefault(name, []).extend(messages)
                    continue
                try:
                    label = capfirst(
                        self._meta.model._meta.get_field(name).verbose_name
                    )
                except FieldDoesNotExist:
                    label = name
                kept.setdefault(NON_FIELD_ERRORS, []).extend(
                    ValidationError(f"{label}: {message}")
                    for message in ValidationError(messages).messages
                )
            errors = ValidationError(kept)
        super()._update_errors(errors)
