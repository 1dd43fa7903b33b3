"""Numbers as people type them in the explainer: the reader's language decides the
decimal mark, an ambiguous comma or point is refused (never guessed), digits other
than 0 to 9 are refused, and a refused value is shown back short."""

import re
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django import forms
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from neuroinfo.explainer.form import ExplainerForm
from neuroinfo.explainer.numbers import ECHO_LENGTH, echo, parse_number
from tests.dom import Element, description_of, parse
from tests.helpers import NBSP

BASE = {"en": "/en/response-to-treatment/explainer/",
        "fr": "/fr/reponse-au-traitement/explication/"}  # fmt: skip
# Complete response but for the primary tumour's size, which decides it (under 10 mm).
COMPLETE = {"new_spots": "no", "marrow_new_cells": "no", "size_change": "smaller",
            "size_percent": "90", "nodes_mm": "9", "scan_clear": "yes",
            "marrow_clear": "yes"}  # fmt: skip


def _get(client, language: str, params: dict):
    return client.get(f"{BASE[language]}?{urlencode(params)}")


def _parse(raw: str, language: str = "en", unit: str = "mm") -> Decimal:
    with translation.override(language):
        return parse_number(raw, language, unit)


def _refusal(raw: str, language: str = "en", unit: str = "mm") -> forms.ValidationError:
    with pytest.raises(forms.ValidationError) as refused:
        _parse(raw, language, unit)
    return refused.value


# --- parse_number ---------------------------------------------------------------------
READ = [("12.5", "en", "12.5"), ("1,000", "en", "1000"), ("12,345.5", "en", "12345.5"),
        ("1 000", "en", "1000"), ("0.5 mm", "en", "0.5"), ("12,5", "fr", "12.5"),
        ("0,500", "fr", "0.5"), ("1 000,5", "fr", "1000.5"), (f"1{NBSP}000", "fr", "1000"),
        ("1\u202f000", "fr", "1000"), ("9.5 mm", "fr", "9.5"), ("0.500", "fr", "0.5"),
        ("1,000", "fr", "1"), ("1.500", "fr", "1.5")]  # fmt: skip


def test_each_language_reads_its_own_decimal_mark_and_no_other():
    for raw, language, expected in READ:
        assert _parse(raw, language) == Decimal(expected), (raw, language)
    # The same keys, the other language's way: refused, never read differently.
    for raw in ("0,500", "12,5"):
        assert _refusal(raw, "en").code == "ambiguous"


@pytest.mark.parametrize(
    ("raw", "language", "code"),
    [("0,500", "en", "ambiguous"), ("12,5", "en", "ambiguous"),
     ("1,50", "en", "ambiguous"), ("1,5000", "en", "ambiguous"),
     ("01,000", "en", "ambiguous"), ("١٢", "en", "digits"), ("１２", "fr", "digits"),
     ("1²", "en", "digits"), ("½", "fr", "digits")],
)  # fmt: skip
def test_an_ambiguous_separator_or_other_digits_are_refused(raw, language, code):
    assert _refusal(raw, language).code == code


def test_a_refusal_quotes_the_value_short():
    assert echo("  0,500 ") == "0,500"
    long = "x" * 500
    assert echo(long) == "x" * ECHO_LENGTH + "…"
    message = _refusal("0,500").messages[0]
    assert message.startswith("“0,500” could be read two ways")
    assert "0.5" in message and "1,000" in message
    with translation.override("fr"), pytest.raises(forms.ValidationError) as refused:
        parse_number("0,500", "en", "mm")  # the message in the active language
    french = refused.value.messages[0]
    assert french.startswith(f"«{NBSP}0,500{NBSP}» peut se lire de deux façons")


# --- properties -------------------------------------------------------------------------
values = st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False)


def _grouped(value: Decimal, separator: str, decimal_mark: str) -> str:
    whole, _, fraction = f"{value:.3f}".partition(".")  # 0.500, as reports write it
    groups = f"{int(whole):,}".replace(",", separator)
    return f"{groups}{decimal_mark}{fraction}"


@settings(max_examples=200, deadline=None)
@given(value=values, space=st.sampled_from([" ", NBSP, "\u202f", ""]))
def test_a_number_written_the_readers_way_reads_back_the_same(value, space):
    assert _parse(_grouped(value, ",", "."), "en") == value
    assert _parse(_grouped(value, space, ","), "fr") == value
    assert _parse(_grouped(value, space, "."), "en") == value
    # Written the other language's way, it is refused or read as the same number;
    # except that "1,000" is English thousands, by the English rule (fields stop at
    # 1,000, so no larger grouped number passes their ranges).
    for typed, language in ((_grouped(value, space, ","), "en"),
                            (_grouped(value, ",", "."), "fr")):  # fmt: skip
        if language == "en" and re.fullmatch(r"[1-9]\d{0,2}(,\d{3})+", typed):
            continue
        try:
            assert _parse(typed, language) == value, (typed, language)
        except forms.ValidationError as refused:
            assert refused.code in ("ambiguous", "invalid"), (typed, refused)


@settings(max_examples=200, deadline=None)
@given(whole=st.integers(0, 999), fraction=st.integers(0, 999))
def test_english_never_reads_a_decimal_comma_as_thousands(whole, fraction):
    typed = f"{whole},{fraction:03d}"
    if whole == 0:  # 0,500: only a decimal comma, which English does not use
        assert _refusal(typed).code == "ambiguous"
    else:  # 1,500 is fifteen hundred in English, consistently
        assert _parse(typed) == whole * 1000 + fraction
    assert _refusal(f"{whole},{fraction % 100:02d}").code == "ambiguous"


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(
        alphabet=st.characters(categories=["Nd", "No", "Nl"]), min_size=1, max_size=4
    ),
    language=st.sampled_from(["en", "fr"]),
)
def test_digits_other_than_0_to_9_are_never_read(text, language):
    if not re.fullmatch(r"[0-9]+", text):
        assert _refusal(text, language).code == "digits"


# --- the field: a DecimalField that reads the reader's way -------------------------------
# What forms.DecimalField's validators now check, with the explainer's own messages
# (the same as before: Django's "Ensure this value is …" would be new words here).
LIMITS = [
    # (typed, field, code, English message, French message)
    ("-1", "primary_mm", "min_value", "Enter a number of 0 or more.",
     "Entrez un nombre égal ou supérieur à 0."),
    ("\u22122", "size_percent", "min_value", "Enter a number of 0 or more.",
     "Entrez un nombre égal ou supérieur à 0."),
    ("12.345", "primary_mm", "max_decimal_places",
     "Use at most 2 digits after the decimal point.",
     "Utilisez au plus 2 chiffres après la virgule."),
    ("40.125", "size_percent", "max_decimal_places",
     "Use at most 2 digits after the decimal point.",
     "Utilisez au plus 2 chiffres après la virgule."),
    ("500.01", "nodes_mm", "max_value",
     f"Enter a size of 500{NBSP}mm or less. Sizes here are in millimetres "
     "(1 cm is 10 mm).",
     f"Entrez une taille de 500{NBSP}mm ou moins."),
    # One message, the first problem: the decimals before the range.
    ("600.123", "size_after", "max_decimal_places",
     "Use at most 2 digits after the decimal point.",
     "Utilisez au plus 2 chiffres après la virgule."),
    ("-600.123", "size_after", "min_value", "Enter a number of 0 or more.",
     "Entrez un nombre égal ou supérieur à 0."),
]  # fmt: skip


def _field_refusal(field: str, raw: str, language: str) -> forms.ValidationError:
    with translation.override(language), pytest.raises(forms.ValidationError) as no:
        ExplainerForm.base_fields[field].clean(raw)
    return no.value


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(("raw", "field", "code", "english", "french"), LIMITS)
def test_the_decimal_field_checks_range_and_decimals_in_the_readers_language(
    raw, field, code, english, french, language
):
    refused = _field_refusal(field, raw, language)
    assert [error.code for error in refused.error_list] == [code]
    with translation.override(language):
        (message,) = refused.messages
    assert message.startswith(english if language == "en" else french), message


@pytest.mark.parametrize(
    ("raw", "language", "field", "value"),
    [("500", "en", "primary_mm", "500"), ("500,00", "fr", "primary_mm", "500"),
     ("12.50 mm", "en", "nodes_mm", "12.5"), ("0,500", "fr", "size_before", "0.5"),
     ("1,000", "en", "size_percent", "1000"), ("-0", "fr", "primary_mm", "0"),
     (f"1{NBSP}000,5 %", "fr", "score_percent", "1000.5"), ("", "en", "nodes_mm", None),
     ("  ", "fr", "size_percent", None)],
)  # fmt: skip
def test_the_decimal_field_takes_its_limits_and_trailing_zeros(
    raw, language, field, value
):
    """At the limit is within it; zeros after the last decimal are not decimals; a
    percentage's limit is the form's (it depends on the direction), not the field's."""
    with translation.override(language):
        cleaned = ExplainerForm.base_fields[field].clean(raw)
    assert cleaned == (None if value is None else Decimal(value))
    assert value is None or not cleaned.is_signed()


def test_a_size_field_and_a_percentage_field_differ_only_in_their_limit():
    size, share = (ExplainerForm.base_fields[n] for n in ("primary_mm", "size_percent"))
    assert isinstance(size, forms.DecimalField) and isinstance(
        share, forms.DecimalField
    )
    assert (size.min_value, size.max_value, size.decimal_places) == (0, 500, 2)
    assert (share.min_value, share.max_value, share.decimal_places) == (0, None, 2)
    assert (size.unit, share.unit) == ("mm", "%")


# --- the page -------------------------------------------------------------------------------
AMBIGUOUS = {
    "en": "“0,500” could be read two ways: in English, a point marks the decimals",
    "fr": f"«{NBSP}0,500{NBSP}» peut se lire de deux façons{NBSP}: en anglais, le point marque",
}


def _error_beside(page: Element, field: str) -> str:
    """The message beside a field, as read with it (non-breaking spaces as spaces)."""
    control = page.by_id(field)
    _hint, message = description_of(page, control)
    assert message == page.testid(f"error-{field}").text_with_nbsp
    return message


@pytest.mark.django_db
def test_0_500_is_half_a_millimetre_in_french_and_refused_in_english(client):
    french = parse(_get(client, "fr", {**COMPLETE, "primary_mm": "0,500"}))
    assert french.testid("explainer-answer")["data-category"] == "complete-response"
    assert not french.has(data_testid="explainer-errors")
    response = _get(client, "en", {**COMPLETE, "primary_mm": "0,500"})
    assert response.status_code == 200
    english = parse(response)
    assert not english.has(data_testid="explainer-answer")  # never read as 500
    assert AMBIGUOUS["en"] in _error_beside(english, "primary_mm")
    assert english.by_id("primary_mm")["value"] == "0,500"
    summary = english.testid("explainer-errors").links()
    assert [href for _t, href in summary] == ["#primary_mm"]


@pytest.mark.django_db
def test_a_french_decimal_comma_and_an_english_point_decide_the_answer(client):
    for language, typed in (("fr", "0,500"), ("en", "0.5"), ("fr", "0.5"),
                            ("fr", "0.500")):  # fmt: skip
        page = parse(_get(client, language, {**COMPLETE, "primary_mm": typed}))
        category = page.testid("explainer-answer")["data-category"]
        assert category == "complete-response", (language, typed)
    page = parse(_get(client, "en", {**COMPLETE, "primary_mm": "0,500"}))
    assert not page.has(data_testid="explainer-answer")
    # In English, "9,500" is nine thousand five hundred: refused as too large.
    page = parse(_get(client, "en", {**COMPLETE, "primary_mm": "9,500"}))
    assert _error_beside(page, "primary_mm").startswith(f"Enter a size of 500{NBSP}mm")


DIGITS = {
    "en": "“١٢” has digits other than 0 to 9, which this page does not read",
    "fr": f"«{NBSP}١٢{NBSP}» contient des chiffres autres que 0 à 9, que cette page ne lit pas",
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr"])
def test_other_digits_are_refused_with_a_message(client, language):
    response = _get(client, language, {**COMPLETE, "primary_mm": "١٢"})
    assert response.status_code == 200
    page = parse(response)
    assert not page.has(data_testid="explainer-answer")
    assert DIGITS[language] in _error_beside(page, "primary_mm")
    page = parse(_get(client, language, {**COMPLETE, "primary_mm": "１２"}))
    assert not page.has(data_testid="explainer-answer")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "Enter a number, for example 12.5."),
     ("fr", "Entrez un nombre, par exemple 12,5.")],
)  # fmt: skip
def test_a_long_refused_value_is_shown_back_short(client, language, message):
    pasted = "<b>" + "1234567890" * 500
    response = _get(client, language, {**COMPLETE, "primary_mm": pasted})
    assert response.status_code == 200
    html = response.content.decode()
    page = parse(response)
    assert page.by_id("primary_mm")["value"] == pasted[:ECHO_LENGTH] + "…"
    assert "1234567890" * 3 not in html  # nor in the other language's links
    assert not page.find("main").has("b")
    assert len(html) < 60_000
    assert _error_beside(page, "primary_mm") == message
