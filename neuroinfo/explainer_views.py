"""The response-to-treatment explainer: what a report says, in, which category the
source's criteria describe, out.

A GET form, so it works without JavaScript and a nurse can share or bookmark a result.
The page is never stored in the page cache (one entry per query would have no bound)
and holds nothing per visitor (no CSRF token, no cookie), so shared caches may keep it
briefly. Numbers are typed as text: the reader's own decimal separator (« 12,5 » in
French) is accepted, and every check answers in the reader's language beside its field.
The thresholds and wording come from the database through ``neuroinfo.explainer``.
"""

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import get_language, gettext_lazy, override, pgettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from neuroinfo import guide
from neuroinfo.explainer import Explanation, Findings, explain, published_categories
from neuroinfo.findings import CONDITIONS, FINDINGS
from neuroinfo.implications import conflicts
from neuroinfo.links import RESPONSE_PAGE_KEY, item_url, slug_in
from neuroinfo.models import GuidePage, OldSlug
from neuroinfo.pagecache import mark_public
from neuroinfo.response_rows import logic_problems
from neuroinfo.typography import format_number, format_quantity
from neuroinfo.views import ABOUT_KEY, PRIVACY_KEY, language_alternates

YES, NO, UNKNOWN = "yes", "no", "unknown"
SMALLER, LARGER, SAME = "smaller", "larger", "same"
LOWER, HIGHER = "lower", "higher"
MAX_INPUT_LENGTH = 20  # longer than any sensible number with its unit
MAX_DECIMALS = 2  # as many as a criterion's threshold holds
# A percentage typed from a report may be rounded: within this many points of the one
# the sizes give, the two agree.
AGREEMENT = Decimal(1)

# The form field that asks for each finding (the others share the finding's name).
FIELD_OF = {
    "new_lesions": "new_spots",
    "primary_diameter": "primary_mm",
    "node_diameter": "nodes_mm",
    "size_decrease": "size_change",
    "size_increase": "size_change",
    "score_reduction": "score_change",
    "score_raised": "score_change",
}

ANSWERS = [
    (YES, gettext_lazy("Yes")),
    (NO, gettext_lazy("No")),
    (UNKNOWN, gettext_lazy("Not known")),
]
SIZE_CHANGES = [
    (SMALLER, gettext_lazy("Smaller")),
    (LARGER, gettext_lazy("Larger")),
    (SAME, pgettext_lazy("size", "About the same")),
    (UNKNOWN, gettext_lazy("Not known")),
]
SCORE_CHANGES = [
    (LOWER, gettext_lazy("Lower (improved)")),
    (HIGHER, gettext_lazy("Higher")),
    (SAME, pgettext_lazy("score", "About the same")),
    (UNKNOWN, gettext_lazy("Not known")),
]

_SPACES = "[ \u00a0\u202f]"
_UNIT = re.compile(rf"{_SPACES}*(%|mm)$", re.IGNORECASE | re.ASCII)
_GROUPED_SPACES = re.compile(rf"^\d{{1,3}}(?:{_SPACES}\d{{3}})+(?:[.,]\d+)?$", re.ASCII)
# English thousands: a first group of 1 to 3 digits (not starting with 0), then ",ddd".
_GROUPED_COMMAS = re.compile(r"^[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?$", re.ASCII)
_NUMBER = re.compile(r"^(?:\d+(?:\.\d*)?|\.\d+)$", re.ASCII)
# A refused value is shown back this long at most, then "…".
ECHO_LENGTH = MAX_INPUT_LENGTH


def echo(raw: str) -> str:
    """What a reader typed, shown back in a message or a field: at most ECHO_LENGTH
    characters, cut with an ellipsis, so a pasted page never fills the form."""
    text = raw.strip()
    return text if len(text) <= ECHO_LENGTH else f"{text[:ECHO_LENGTH]}…"


def _not_a_number() -> forms.ValidationError:
    example = format_number(Decimal("12.5"), get_language() or "en")
    return forms.ValidationError(
        _("Enter a number, for example %(example)s.") % {"example": example},
        code="invalid",
    )


def _other_digits(raw: str) -> forms.ValidationError:
    return forms.ValidationError(
        _(
            "“%(value)s” has digits other than 0 to 9, which this page does not "
            "read: type the number again with the digits 0 to 9."
        )
        % {"value": echo(raw)},
        code="digits",
    )


def _ambiguous(raw: str) -> forms.ValidationError:
    text = _(
        "“%(value)s” could be read two ways: in English, a point marks the "
        "decimals (0.5) and a comma only separates thousands (1,000). Type the "
        "number again that way."
    )
    return forms.ValidationError(text % {"value": echo(raw)}, code="ambiguous")


def parse_number(raw: str, language: str, unit: str) -> Decimal:
    """A number as a reader types it, read by the rules of the reader's language.

    English: a point marks the decimals; a comma only separates thousands, in full
    groups (1,000 and 12,345.5), so "0,500", "12,5" or "1,50" are refused as
    ambiguous (never read as 500). French: a comma marks the decimals and a space
    (ordinary, non-breaking or narrow) separates thousands; a point, which Canadian
    French never uses between thousands, is read as the decimal mark too (a numeric
    keypad types it), so "12,5" and "12.5" are both 12.5 and "1,000" is 1. Both:
    spaces between thousands, a sign, and the field's unit ("%" or "mm") are allowed. Digits other than the ASCII 0 to 9 (Arabic-Indic,
    full-width, superscripts) are refused, not converted: a superscript or a mixed
    script is more likely a slip than a number. Raises ValidationError with the
    reader's message; a refused value is quoted at most ECHO_LENGTH characters long.
    """
    text = raw.strip()
    if len(text) > MAX_INPUT_LENGTH:
        raise _not_a_number()
    if any(c.isnumeric() and c not in "0123456789" for c in text):
        raise _other_digits(raw)
    unit_found = _UNIT.search(text)
    if unit_found:
        if unit_found.group(1).lower() != unit:
            raise _not_a_number()
        text = text[: unit_found.start()]
    negative = text[:1] in ("-", "\u2212")
    if text[:1] in ("-", "\u2212", "+"):
        text = text[1:].strip()
    if _GROUPED_SPACES.match(text):
        text = re.sub(_SPACES, "", text)
    if language == "en" and "," in text:
        if not _GROUPED_COMMAS.match(text):
            if _NUMBER.match(text.replace(",", ".", 1)):
                raise _ambiguous(raw)
            raise _not_a_number()
        text = text.replace(",", "")
    else:
        text = text.replace(",", ".")
    if not _NUMBER.match(text):
        raise _not_a_number()
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover (the pattern lets only digits through)
        raise _not_a_number() from None
    if negative and value:
        raise forms.ValidationError(_("Enter a number of 0 or more."), code="negative")
    if -value.as_tuple().exponent > MAX_DECIMALS and value != value.quantize(
        Decimal(1).scaleb(-MAX_DECIMALS)
    ):
        raise forms.ValidationError(
            _("Use at most 2 digits after the decimal point."), code="decimals"
        )
    return value


class NumberField(forms.CharField):
    """A size in mm or a percentage, typed as text (see ``parse_number``); what the
    reader typed is shown back in the field at most ECHO_LENGTH characters long."""

    def __init__(self, unit: str, **kwargs) -> None:
        super().__init__(required=False, **kwargs)
        self.unit = unit

    def to_python(self, value) -> Decimal | None:
        text = super().to_python(value)
        if not text:
            return None
        return parse_number(text, get_language() or "en", self.unit)

    def bound_data(self, data, initial):
        data = super().bound_data(data, initial)
        return echo(data) if isinstance(data, str) else data


class AnswerField(forms.ChoiceField):
    """A question answered with one of a few choices; no answer means "not known"."""

    def __init__(self, choices, **kwargs) -> None:
        super().__init__(
            choices=choices,
            required=False,
            widget=forms.RadioSelect,
            initial=UNKNOWN,
            error_messages={
                "invalid_choice": gettext_lazy("Choose one of the answers.")
            },
            **kwargs,
        )

    def clean(self, value) -> str:
        return super().clean(value) or UNKNOWN


def _mm(value: Decimal) -> str:
    return format_quantity(value, "mm", get_language() or "en")


def _percent(value: Decimal) -> str:
    return format_quantity(value, "percent", get_language() or "en")


def _shown(value: Decimal) -> Decimal:
    """A computed percentage as the page shows it: one decimal at most."""
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP).normalize()


@dataclass
class Computed:
    """The change in size worked out from the sizes before and after."""

    before: Decimal
    after: Decimal
    direction: str  # SMALLER, LARGER or SAME
    percent: Decimal  # exact, for the answer
    used: bool  # False when the reader also typed the percentage, which is used

    @property
    def shown(self) -> str:
        return _percent(_shown(self.percent))

    @property
    def rounded(self) -> bool:
        return _shown(self.percent) != self.percent

    @property
    def before_shown(self) -> str:
        return _mm(self.before)

    @property
    def after_shown(self) -> str:
        return _mm(self.after)


class ExplainerForm(forms.Form):
    """What a report says, each answer optional: "not known" is an answer too."""

    new_spots = AnswerField(
        ANSWERS,
        label=gettext_lazy(
            "Is there a new tumour, or are there new spots on the scan?"
        ),
        help_text=gettext_lazy(
            "New spots are places where the MIBG or PET scan shows disease that was "
            "not there before."
        ),
    )
    size_change = AnswerField(
        SIZE_CHANGES,
        label=gettext_lazy("Have the tumours changed in size since before treatment?"),
        help_text=gettext_lazy("Choose Not known if the report does not say."),
    )
    size_percent = NumberField(
        "%",
        label=gettext_lazy("By how many percent? (optional)"),
        help_text=gettext_lazy(
            "For example 40. Up to 100 for smaller, up to 1,000 for larger."
        ),
    )
    size_before = NumberField(
        "mm",
        label=gettext_lazy("Size before treatment, in mm (optional)"),
        help_text=gettext_lazy("The size the report gives from before treatment."),
    )
    size_after = NumberField(
        "mm",
        label=gettext_lazy("Size now, in mm (optional)"),
        help_text=gettext_lazy(
            "The same measurement now. From the two sizes, this page works out the "
            "change in percent."
        ),
    )
    primary_mm = NumberField(
        "mm",
        label=gettext_lazy("Largest diameter of the primary tumour now, in mm"),
        help_text=gettext_lazy(
            "The primary tumour is the tumour where the cancer first started. "
            "Leave empty if you do not know."
        ),
    )
    nodes_mm = NumberField(
        "mm",
        label=gettext_lazy("Largest diameter of the target lymph nodes now, in mm"),
        help_text=gettext_lazy(
            "Target lymph nodes are lymph nodes with cancer that doctors measure. "
            "Leave empty if you do not know."
        ),
    )
    score_change = AnswerField(
        SCORE_CHANGES,
        label=gettext_lazy("Has the MIBG or PET scan score changed?"),
        help_text=gettext_lazy("A lower score means the scan has improved."),
    )
    score_percent = NumberField(
        "%",
        label=gettext_lazy("By how many percent? (optional)"),
        help_text=gettext_lazy("For example 50. Up to 100 for lower."),
    )
    scan_clear = AnswerField(
        ANSWERS,
        label=gettext_lazy(
            "Does the MIBG or PET scan show no sign of disease anywhere in the soft "
            "tissue or bone?"
        ),
        help_text=gettext_lazy("Choose Yes if the scan shows no disease at all."),
    )
    bone_spread = AnswerField(
        [
            (YES, gettext_lazy("Yes, spread to the bones was found")),
            (NO, gettext_lazy("No spread to the bones was found")),
            (UNKNOWN, gettext_lazy("Not known")),
        ],
        label=gettext_lazy("Has the cancer spread to the bones?"),
        help_text=gettext_lazy(
            "The partial response criteria count a lower scan score for spread to "
            "the bones. Choose Not known if you are not sure."
        ),
    )
    marrow_clear = AnswerField(
        ANSWERS,
        label=gettext_lazy(
            "Was no tumour found in the bone marrow biopsies and aspirations?"
        ),
        help_text=gettext_lazy(
            "The criteria count 2 bone marrow biopsies and 2 bone marrow aspirations."
        ),
    )
    marrow_new_cells = AnswerField(
        ANSWERS,
        label=gettext_lazy(
            "Are there cancer cells in the bone marrow that were not there before "
            "treatment?"
        ),
        help_text=gettext_lazy("Choose Not known if the report does not say."),
    )

    # The fieldsets of the form, each with its legend and fields.
    GROUPS = [
        (gettext_lazy("New tumours"), ["new_spots"]),
        (
            gettext_lazy("Change in size of the tumours"),
            ["size_change", "size_percent", "size_before", "size_after"],
        ),
        (gettext_lazy("Largest diameter now"), ["primary_mm", "nodes_mm"]),
        (
            gettext_lazy("MIBG or PET scan"),
            ["score_change", "score_percent", "scan_clear", "bone_spread"],
        ),
        (gettext_lazy("Bone marrow"), ["marrow_clear", "marrow_new_cells"]),
    ]

    def __init__(self, data: QueryDict | None = None) -> None:
        if data is not None:  # a question left unanswered shows as "Not known"
            data = data.copy()
            for name, field in self.base_fields.items():
                if isinstance(field, AnswerField) and not data.get(name):
                    data[name] = UNKNOWN
        super().__init__(data, auto_id="%s")
        self.computed: Computed | None = None

    def anchor(self, name: str) -> str:
        """The id of the control an error or a missing finding links to: a radio
        group's first button, or the field itself."""
        field = self[name]
        if isinstance(field.field, AnswerField):
            return f"{field.auto_id}_0"
        return field.auto_id

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [
            (legend, [self[name] for name in names]) for legend, names in self.GROUPS
        ]

    def errors_in_order(self) -> list[tuple[str, str]]:
        """Every error as (message, anchor), in the order of the fields on the page."""
        return [
            (self.errors[name][0], self.anchor(name))
            for name in self.fields
            if name in self.errors
        ]

    # --- single fields ---------------------------------------------------------------
    def _size(self, name: str) -> Decimal | None:
        value = self.cleaned_data.get(name)
        limit = FINDINGS["primary_diameter"].maximum
        if value is not None and value > limit:
            raise forms.ValidationError(
                _(
                    "Enter a size of %(limit)s or less. Sizes here are in millimetres "
                    "(1 cm is 10 mm)."
                )
                % {"limit": _mm(limit)}
            )
        return value

    def clean_size_before(self) -> Decimal | None:
        value = self._size("size_before")
        if value == 0:
            raise forms.ValidationError(
                _("The size before treatment must be more than %(size)s.")
                % {"size": _mm(Decimal(0))}
            )
        return value

    def clean_size_after(self) -> Decimal | None:
        return self._size("size_after")

    def clean_primary_mm(self) -> Decimal | None:
        return self._size("primary_mm")

    def clean_nodes_mm(self) -> Decimal | None:
        return self._size("nodes_mm")

    # --- answers that depend on each other ---------------------------------------------
    def clean(self) -> dict:
        data = super().clean()
        self.computed = self._computed()
        size_direction = data.get("size_change")
        if size_direction == UNKNOWN and self.computed is not None:
            size_direction = self.computed.direction
        self._check_percent(
            "size_change",
            size_direction,
            "size_percent",
            {
                SMALLER: FINDINGS["size_decrease"].maximum,
                LARGER: FINDINGS["size_increase"].maximum,
            },
            _("Choose Smaller or Larger above, or leave the percentage empty."),
        )
        self._check_percent(
            "score_change",
            data.get("score_change"),
            "score_percent",
            {LOWER: FINDINGS["score_reduction"].maximum, HIGHER: Decimal(1000)},
            _("Choose Lower or Higher above, or leave the percentage empty."),
        )
        self._check_agreement()
        primary, after = data.get("primary_mm"), data.get("size_after")
        if primary is not None and after is not None and primary > after:
            self._add(
                "primary_mm",
                _(
                    "This is larger than the size now that you entered above "
                    "(%(after)s). Check both numbers."
                )
                % {"after": _mm(after)},
            )
        # Answers that contradict each other, named by the rule they break (a field
        # with a problem of its own counts as not known here).
        for rule in conflicts(self.findings()):
            asked = rule.ask or rule.finding
            self._add(FIELD_OF.get(asked, asked), str(rule.conflict))
        return data

    def _add(self, name: str, message: str) -> None:
        if name not in self.errors:  # one message per field: the first problem
            self.add_error(name, message)

    def _check_percent(
        self,
        direction_name: str,
        direction: str | None,
        name: str,
        limits: dict,
        no_direction: str,
    ) -> None:
        value = self.cleaned_data.get(name)
        if value is None or direction is None:
            return
        if direction == UNKNOWN:
            self._add(direction_name, no_direction)
        elif direction == SAME:
            if value:
                self._add(
                    name,
                    _(
                        "You answered that it stayed about the same: leave the "
                        "percentage empty, or choose which way it changed."
                    ),
                )
        elif value > limits[direction]:
            self._add(
                name,
                _("Enter a number from 0 to %(limit)s.")
                % {"limit": number_format(limits[direction], force_grouping=True)},
            )

    def _computed(self) -> Computed | None:
        """The change in size from the sizes before and now, when both are given."""
        data = self.cleaned_data
        if "size_before" in self.errors or "size_after" in self.errors:
            return None
        before, after = data.get("size_before"), data.get("size_after")
        if (before is None) != (after is None):
            missing = "size_after" if after is None else "size_before"
            self._add(
                missing, _("Enter both sizes, before and now, or leave both empty.")
            )
            return None
        if before is None:
            return None
        change = (after - before) / before * 100
        if change > FINDINGS["size_increase"].maximum:
            self._add(
                "size_after",
                _(
                    "This is more than 10 times the size before treatment. Check "
                    "both sizes: they are in millimetres."
                ),
            )
            return None
        direction = SMALLER if change < 0 else LARGER if change > 0 else SAME
        typed = data.get("size_percent")
        return Computed(before, after, direction, abs(change), used=typed is None)

    def _check_agreement(self) -> None:
        """The direction and percentage typed agree with the sizes, when both are given."""
        computed = self.computed
        if computed is None:
            return
        chosen, typed = (
            self.cleaned_data.get("size_change"),
            self.cleaned_data.get("size_percent"),
        )
        close = computed.percent <= AGREEMENT  # "about the same" allows a little
        agrees = chosen in (UNKNOWN, None, computed.direction) or (
            chosen == SAME and close
        )
        if not agrees:
            self._add(
                "size_change",
                _("This does not match the sizes you entered: %(change)s.")
                % {"change": self._describe(computed)},
            )
        elif typed is not None and abs(typed - computed.percent) > AGREEMENT:
            self._add(
                "size_percent",
                _(
                    "This does not match the sizes you entered: %(change)s. Correct "
                    "one of them, or leave the percentage empty."
                )
                % {"change": self._describe(computed)},
            )

    @staticmethod
    def _describe(computed: Computed) -> str:
        values = {
            "before": computed.before_shown,
            "after": computed.after_shown,
            "percent": computed.shown,
        }
        if computed.direction == SMALLER:
            return _("from %(before)s to %(after)s is %(percent)s smaller") % values
        if computed.direction == LARGER:
            return _("from %(before)s to %(after)s is %(percent)s larger") % values
        return _("from %(before)s to %(after)s is no change") % values

    # --- what the engine reads ---------------------------------------------------------
    def findings(self) -> Findings:
        """The answers as the engine's findings; None = not known (or not valid yet)."""
        data = self.cleaned_data

        def answer(name: str) -> bool | None:
            return {YES: True, NO: False}.get(data.get(name))

        size, size_percent = data.get("size_change"), data.get("size_percent")
        if self.computed is not None:
            size = self.computed.direction
            if size_percent is None:
                size_percent = self.computed.percent
        decrease = increase = None
        if size == SAME:
            decrease = increase = Decimal(0)
        elif size == SMALLER:
            decrease, increase = size_percent, Decimal(0)
        elif size == LARGER:
            decrease, increase = Decimal(0), size_percent
        score = data.get("score_change")
        raised = {HIGHER: True, LOWER: False, SAME: False}.get(score)
        reduction = None
        if score in (SAME, HIGHER):
            reduction = Decimal(0)
        elif score == LOWER:
            reduction = data.get("score_percent")
        return {
            "new_lesions": answer("new_spots"),
            "size_decrease": decrease,
            "size_increase": increase,
            "primary_diameter": data.get("primary_mm"),
            "node_diameter": data.get("nodes_mm"),
            "score_reduction": reduction,
            "score_raised": raised,
            "scan_clear": answer("scan_clear"),
            "bone_spread": answer("bone_spread"),
            "marrow_clear": answer("marrow_clear"),
            "marrow_new_cells": answer("marrow_new_cells"),
        }

    def finding_anchor(self, name: str) -> str:
        """Where a missing finding is asked: the field that would give it."""
        data = getattr(self, "cleaned_data", {})
        if name in ("size_decrease", "size_increase"):
            known = data.get("size_change") in (SMALLER, LARGER)
            return self.anchor("size_percent" if known else "size_change")
        if name == "score_reduction":
            known = data.get("score_change") == LOWER
            return self.anchor("score_percent" if known else "score_change")
        return self.anchor(FIELD_OF.get(name, name))


# --- the page ---------------------------------------------------------------------------
def explainer_url(page: GuidePage, language: str) -> str:
    """The explainer's address in a language: under the response page's own slug."""
    with override(language):
        return reverse("neuroinfo:explainer", kwargs={"slug": slug_in(page, language)})


# No answer the form takes is longer (a size such as "1 000,5" or a yes/no choice).
ANSWER_MAX_LENGTH = 40


def _query(request: HttpRequest) -> str:
    """The form's answers from the query string, for links to the same answers (the
    other language, an old address): other parameters, repeats and values longer than
    any answer are left out, so a pasted text is never copied into every link."""
    kept = QueryDict(mutable=True)
    for name, values in request.GET.lists():
        if name in ExplainerForm.base_fields and len(values[0]) <= ANSWER_MAX_LENGTH:
            kept[name] = values[0]
    return kept.urlencode()


def _with_query(url: str, query: str) -> str:
    return f"{url}?{query}" if query else url


@dataclass
class Missing:
    label: str
    anchor: str


def _missing(form: ExplainerForm, names: list[str]) -> list[Missing]:
    """Missing findings as the reader sees them: a label and the field to fill in."""
    return [Missing(str(FINDINGS[n].label), form.finding_anchor(n)) for n in names]


def _not_applicable_notes(explanation: Explanation | None) -> list[str]:
    """One note per answer that left criteria out of the decision."""
    if explanation is None:
        return []
    names = {c.not_applicable_when for c in explanation.not_applicable}
    return [str(c.note) for name, c in CONDITIONS.items() if name in names]


@require_safe
def explainer(request: HttpRequest, slug: str) -> HttpResponse:
    """The explainer under the response page: the form, and the answer once sent."""
    language = get_language()
    page = GuidePage.objects.published().filter(key=RESPONSE_PAGE_KEY).first()
    if page is None:
        raise Http404(_("No page has this address."))
    query = _query(request)
    if slug != slug_in(page, language):
        others = {
            getattr(page, f"slug_{code}", None) for code, _n in settings.LANGUAGES
        }
        if slug in others or OldSlug.objects.was_slug_of(page, slug):
            return redirect(
                _with_query(explainer_url(page, language), query), permanent=True
            )
        raise Http404(_("No page has this address."))

    submitted = any(name in request.GET for name in ExplainerForm.base_fields)
    form = ExplainerForm(request.GET if submitted else None)
    explanation: Explanation | None = None
    categories = published_categories()
    # Criteria that break the rules could give a wrong answer: none is given (logged).
    unavailable = bool(logic_problems(categories))
    if submitted and form.is_valid() and not unavailable:
        explanation = explain(form.findings(), categories)

    outline = guide.sequence()
    home = next(
        (i for i in outline if getattr(i, "key", "") == GuidePage.HOME_KEY), None
    )
    about = next(
        (i for i in outline if isinstance(i, GuidePage) and i.key == ABOUT_KEY), None
    )
    response_url = item_url(page, language)
    own_url = explainer_url(page, language)
    breadcrumbs = [(home.title, item_url(home, language))] if home else []
    context = {
        "page_title": _("Response to treatment: what the findings mean"),
        "response_page": page,
        "response_url": response_url,
        "explainer_url": own_url,
        "canonical_url": "" if submitted else request.build_absolute_uri(own_url),
        "breadcrumbs": [*breadcrumbs, (page.title, response_url)],
        "about_url": item_url(about, language) if about else "",
        "privacy_url": next(
            (
                item_url(i, language)
                for i in outline
                if isinstance(i, GuidePage) and i.key == PRIVACY_KEY
            ),
            "",
        ),
        "alternates": language_alternates(
            request, lambda code: _with_query(explainer_url(page, code), query)
        ),
        "form": form,
        "unavailable": unavailable,
        "submitted": submitted,
        "errors": form.errors_in_order() if submitted else [],
        "explanation": explanation,
        "computed": form.computed if explanation else None,
        "missing": _missing(form, explanation.missing) if explanation else [],
        "not_applicable_notes": _not_applicable_notes(explanation),
        "results": explanation.results if explanation else [],
    }
    response = render(request, "neuroinfo/explainer.html", context)
    if submitted:
        response.headers["X-Robots-Tag"] = "noindex"
    return mark_public(response)
