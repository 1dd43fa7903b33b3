"""Numbers and spacing as each language writes them (30%, « 30 % », 10 mm)."""

import re
from decimal import Decimal

NBSP = "\u00a0"

# French puts a non-breaking space between a number and its unit, and before
# « high » punctuation; English keeps 30% but binds 10 mm together.
_FR_UNIT = re.compile(
    r"(?<=\d) (?=(?:%|°C|mm|cm|mois|ans|jours|semaines|heures?)(?![\w]))"
)
_FR_PUNCT = re.compile(r" (?=[:;!?»])|(?<=«) ")
_TAG = re.compile(r"(<[^>]*>)")


def format_number(value: Decimal | int, language: str) -> str:
    """Write a number without trailing zeros, with the language's decimal separator."""
    text = format(Decimal(value).normalize(), "f")
    return text.replace(".", ",") if language == "fr" else text


def format_quantity(value: Decimal | int, unit: str, language: str) -> str:
    """Write a measured value with its unit: 10 mm, 30%, 30 % in French."""
    number = format_number(value, language)
    if unit == "percent":
        return f"{number}{NBSP}%" if language == "fr" else f"{number}%"
    if unit:
        return f"{number}{NBSP}{unit}"
    return number


def french_spaces(html: str) -> str:
    """Turn ordinary spaces into non-breaking ones where French typography asks for it.

    Only text between tags is touched, never tag names or attribute values.
    """
    parts = _TAG.split(html)
    for i in range(0, len(parts), 2):
        parts[i] = _FR_PUNCT.sub(NBSP, _FR_UNIT.sub(NBSP, parts[i]))
    return "".join(parts)
