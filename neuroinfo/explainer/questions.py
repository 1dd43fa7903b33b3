"""The explainer's questions: each field with its label and hint, in the page's groups.

Sizes take at most the largest sensible diameter (a finding's ``maximum``); a
percentage's limit depends on the direction answered beside it, so the form checks it
(``neuroinfo.explainer.form``).
"""

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy

from neuroinfo.explainer.fields import (
    ANSWERS,
    NO,
    SCORE_CHANGES,
    SIZE_CHANGES,
    UNKNOWN,
    YES,
    AnswerField,
    NumberField,
)
from neuroinfo.findings import FINDINGS

# The largest size any field takes: the primary tumour's largest sensible diameter.
MAX_SIZE = FINDINGS["primary_diameter"].maximum


class ExplainerQuestions(forms.Form):
    """What a report says, each answer optional: "not known" is an answer too.

    The questions, their order and their groups on the page; the checks between
    answers and what the engine reads are ``neuroinfo.explainer.form``'s.
    """

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
        MAX_SIZE,
        label=gettext_lazy("Size before treatment, in mm (optional)"),
        help_text=gettext_lazy("The size the report gives from before treatment."),
    )
    size_after = NumberField(
        "mm",
        MAX_SIZE,
        label=gettext_lazy("Size now, in mm (optional)"),
        help_text=gettext_lazy(
            "The same measurement now. From the two sizes, this page works out the "
            "change in percent."
        ),
    )
    primary_mm = NumberField(
        "mm",
        MAX_SIZE,
        label=gettext_lazy("Largest diameter of the primary tumour now, in mm"),
        help_text=gettext_lazy(
            "The primary tumour is the tumour where the cancer first started. "
            "Leave empty if you do not know."
        ),
    )
    nodes_mm = NumberField(
        "mm",
        MAX_SIZE,
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
